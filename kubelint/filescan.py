"""Parsing many files: a process pool (`--jobs`) and a content cache of what parsing produced.

The unit of both is one file: what `runner.add_source` adds to a scan for it (its SourceFile,
objects, Dockerfile, build documents, parse findings and counts), pickled without the file's
text (`encode`). With `--jobs N` the main process and N-1 forked workers take files from one
counter (kubelint.parsepool); a worker sends back those bytes, which are stored in the cache as
they are (kubelint.unitcache: packs of units and an index). After a pool, a forked child encodes
the main process's units and writes every pack while the rules run (_store_in_child); in one
process, a thread writes them while parsing goes on. Units are merged into the scan in discovery order,
so a run gives the same scan whatever `--jobs` is and whichever files came from the cache.
Every rule, per object or across objects, runs afterwards in the main process on the merged
scan: cross-object results are never cached, so a change in one file updates findings in all
others.

Why parse results and not per-file findings: the checks across objects need every object's data
and positions anyway, so a warm run still has to load them; caching findings too would save
the condition rules only (a fifth of the time) at the price of keying on the rule set.

A cache entry's key is derived from everything the unit depends on: the file's bytes, its path
and type, the options parsing reads (namespace, --target, --debug), the kubelint version and the
bytes of the parsing code (a changed parser in a checkout is a miss, not a stale unit). The
pack that holds it is verified by kubelint.cache (key, source hash, checksum), and the unit is
used only under its own key and source hash; it is only unpickled after that, and only from the
user's own cache directory (created 0700).
"""

from __future__ import annotations

import io
import os
import pickle
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from kubelint.cache import MAX_ENTRY_BYTES, Cache, pickled
from kubelint.parse.source import SourceFile
from kubelint.scan import Options, Scan
from kubelint.unitcache import UnitStore

MAX_FILES_BYTES = 512 * 1024 * 1024  # the `files` subdirectory: about 8x the 1,700-file corpus
# Below these a pool costs more than it saves (starting workers, shipping results back).
MIN_POOL_FILES = 64
MIN_POOL_BYTES = 1024 * 1024
# Parsing is about 60% of a run; the rules then run once in the main process. Since the main
# process parses beside the workers (kubelint.parsepool), two CPUs pay off: ../shared/corpus/k8s,
# --no-cache, quiet 2-core machine: parsing 0.73 s against 1.17 s in one process.
MIN_POOL_CPUS = 2
WRITE_QUEUE = 32  # encoded units waiting for the cache writer thread


@dataclass
class Unit:
    """What parsing one file adds to a scan."""

    source: SourceFile
    objects: list = field(default_factory=list)
    dockerfiles: list = field(default_factory=list)
    build_documents: list = field(default_factory=list)
    parse_findings: list = field(default_factory=list)
    internal_errors: list = field(default_factory=list)
    skipped_files: list = field(default_factory=list)
    documents: int = 0
    skipped_documents: int = 0


def parse_unit(source: SourceFile, options: Options) -> Unit:
    from kubelint.parsefile import add_source

    part = Scan(options=options)
    add_source(part, source)
    return Unit(source=source, objects=part.objects, dockerfiles=part.dockerfiles,
                build_documents=part.build_documents, parse_findings=part.parse_findings,
                internal_errors=part.internal_errors, skipped_files=part.skipped_files,
                documents=part.documents, skipped_documents=part.skipped_documents)


def merge(scan: Scan, unit: Unit) -> None:
    scan.sources.append(unit.source)
    scan.objects.extend(unit.objects)
    scan.dockerfiles.extend(unit.dockerfiles)
    scan.build_documents.extend(unit.build_documents)
    scan.parse_findings.extend(unit.parse_findings)
    scan.internal_errors.extend(unit.internal_errors)
    scan.skipped_files.extend(unit.skipped_files)
    scan.documents += unit.documents
    scan.skipped_documents += unit.skipped_documents


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """kubelint's version and the bytes of the code a unit comes from."""
    from kubelint import __version__
    from kubelint.cache import dependency_stamp, digest

    base = Path(__file__).resolve().parent
    parts: list[bytes | str] = [__version__, dependency_stamp()]
    try:
        for sub in ("parse", "model"):
            for f in sorted((base / sub).rglob("*.py")):
                parts += [str(f.relative_to(base)), f.read_bytes()]
        for name in ("runner.py", "filescan.py", "scan.py", "findings.py"):
            parts += [name, (base / name).read_bytes()]
    except OSError:  # not installed as files (a zip): the version alone
        parts = [__version__, dependency_stamp()]
    return digest(*parts)


def unit_key(source: SourceFile, options: Options) -> tuple[str, str]:
    """(key, source hash) of a file's cache entry: digests of what the unit depends on besides
    the file's bytes, and of the bytes. The last run's are remembered (kubelint.findingcache
    keys each file's condition findings by them too: hashing the corpus twice cost 0.05 s)."""
    from kubelint.cache import digest

    known = _KEYS.get(id(source))
    if known is not None and known[0] is source and known[1] is options:
        return known[2]
    data = source.text.encode("utf-8", "surrogatepass")
    key = "\0".join(("file-unit", code_fingerprint(), source.path, source.display, source.file_type,
                     options.namespace, options.target or "", str(options.debug)))
    result = digest(key), digest(data)
    _KEYS[id(source)] = (source, options, result)
    return result


# id(source) -> (source, options, its unit_key): the files of the last parse_all only.
_KEYS: dict[int, tuple[SourceFile, Options, tuple[str, str]]] = {}


def files_cache(root: str | os.PathLike | None) -> Cache | None:
    """The cache of units under `root` (default: kubelint.cache.cache_dir()); None without one."""
    from kubelint.cache import cache_dir

    base = Path(root) if root else cache_dir()
    return Cache(base / "files", max_bytes=MAX_FILES_BYTES) if base is not None else None


# The file a unit is being decoded for (decode sets it; the entry refers to it by a call).
_decoding = threading.local()


def _the_source() -> SourceFile:
    source = getattr(_decoding, "source", None)
    if source is None:
        raise pickle.UnpicklingError("a unit's source outside decode")
    return source


def encode(unit: Unit) -> bytes:
    """A unit's bytes for the cache or a worker's reply, without its source file: the reader has
    the text already (the cache key is derived from it), so an entry holds only what parsing made
    of it; the text and the lines split from it were two fifths of what a cold run wrote. The
    source is pickled as a call that decode answers (a dispatch table entry: other objects are
    pickled at C speed, where a persistent_id hook would be called for each)."""
    out = io.BytesIO()
    pickler = pickle.Pickler(out, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _reducers(unit)
    pickler.dump(unit)
    return out.getvalue()


def encode_for_cache(unit: Unit) -> bytes | None:
    """encode(unit), or None for a unit bigger than a cache entry may be (given up early). A file
    whose text is already larger than an entry is not tried: what parsing makes of it (data and
    positions) is larger still, and pickling it only to throw it away cost a 10 MB file ~0.3 s."""
    if len(unit.source.text) > MAX_ENTRY_BYTES:
        return None
    return pickled(unit, _reducers(unit))


def _reducers(unit: Unit) -> dict:
    source = unit.source

    def reduce_source(obj: SourceFile):
        return (_the_source, ()) if obj is source else obj.__reduce_ex__(pickle.HIGHEST_PROTOCOL)
    return {SourceFile: reduce_source}


def decode(payload: bytes, source: SourceFile) -> Unit | None:
    """The unit `encode` made, with `source` as its file; None for bytes that are not one."""
    _decoding.source = source
    try:
        unit = pickle.loads(payload)
    except Exception:  # noqa: BLE001 - whatever the bytes, a bad entry is a miss
        return None
    finally:
        _decoding.source = None
    return unit if isinstance(unit, Unit) and unit.source is source else None


def _work(job: tuple[SourceFile, Options]) -> bytes:
    """In a worker: one file's unit, encoded (the main process has the source)."""
    from kubelint.gcpause import paused_gc

    with paused_gc():
        return encode(parse_unit(*job))


def cpu_count() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def pool_size(jobs: int | None, sources: list[SourceFile]) -> int:
    """`jobs`, or with None: the CPUs when there are cores to spare and the files to parse are
    many enough to pay off, one process per MIN_POOL_FILES files or MIN_POOL_BYTES bytes at
    most (a 100-file scan on a 64-core runner forks one worker, not 63)."""
    if jobs is not None:
        return max(1, jobs)
    cpus = cpu_count()
    if cpus < MIN_POOL_CPUS:
        return 1
    size = sum(len(s.text) for s in sources)
    return max(1, min(cpus, max(len(sources) // MIN_POOL_FILES, size // MIN_POOL_BYTES)))


def parse_all(sources: list[SourceFile], options: Options, jobs: int | None = 1,
              cache: Cache | None = None) -> list[Unit]:
    """The units of `sources`, in order: from the cache, else parsed (in a pool when jobs > 1)."""
    if any(s.file_type == "dockerfile" for s in sources):
        _install_splitters()
    units: list[Any] = [None] * len(sources)
    keys: list[tuple[str, str]] = [("", "")] * len(sources)
    # Keys of this run's files only (the memo computed them already, reading the same sources).
    kept = {id(s): _KEYS[id(s)] for s in sources if id(s) in _KEYS}
    _KEYS.clear()
    _KEYS.update(kept)
    store = UnitStore(cache) if cache is not None else None
    missing = []
    for i, source in enumerate(sources):
        if store is not None:
            keys[i] = unit_key(source, options)
            payload = store.get(*keys[i])
            if payload is not None:
                units[i] = decode(payload, source)
        if units[i] is None:
            missing.append(i)
    workers = min(pool_size(jobs, [sources[i] for i in missing]), len(missing))
    # Biggest files first: what is left for the end is small, so every process finishes at once.
    missing.sort(key=lambda i: -len(sources[i].text))
    shared = _share(missing, workers, sources, options) if workers > 1 else None
    # Where workers were forked, a forked writer stores the units once parsing is done (see
    # _store_in_child); else a thread stores them while this process parses. Started after the
    # fork either way: a forked worker gets no copy of a running thread.
    payloads: dict[int, bytes] | None = {} if store is not None and missing and _forking(shared) else None
    writer = _Writer(store) if store is not None and missing and payloads is None else None
    try:
        ours = shared.take() if shared is not None else iter(missing)
        for i in ours:
            units[i] = _parsed_here(sources[i], options, keys[i], writer)
        if shared is not None:
            for i, payload in shared.replies():
                unit = decode(payload, sources[i])
                if unit is not None and units[i] is None:
                    units[i] = unit
                    if not unit.internal_errors and len(payload) <= MAX_ENTRY_BYTES:
                        if writer is not None:
                            writer.put(keys[i], payload)
                        elif payloads is not None:
                            payloads[i] = payload
            for i in missing:  # taken by a worker that did not deliver it
                if units[i] is None:
                    units[i] = _parsed_here(sources[i], options, keys[i], writer)
    finally:
        if shared is not None:
            shared.close()
        if writer is not None:
            writer.close()
    if store is not None and payloads is not None:
        _store_in_child(store, [(keys[i], payloads.get(i), units[i]) for i in missing])
    return units


def _forking(shared: Any) -> bool:
    from kubelint.parsepool import SharedParsing

    return isinstance(shared, SharedParsing)


# Forked cache writers not waited for yet (finish_writes).
_WRITERS: list[int] = []


def _store_in_child(store: UnitStore, items: list[tuple[tuple[str, str], bytes | None, Unit]]) -> None:
    """Store the units (key, a worker's bytes or None, unit) from a forked child: encoding what
    this process parsed, and writing 20 MB of packs for ../shared/corpus/k8s, cost this process
    a tenth of a cold run, while the second CPU idles once the checks beside it are done
    (kubelint.engine.aside) and while the run ends. The child has the units as parsing left them:
    the scan changes objects afterwards (namespaces, kustomize labels). finish_writes() waits for
    it; where no child can start, this process writes them."""
    from kubelint.pipes import flush_before_fork

    flush_before_fork()
    try:
        pid = os.fork()
    except OSError:
        _store(store, items)
        return
    if pid > 0:
        _WRITERS.append(pid)
        return
    code = 1
    try:
        _store(store, items)
        code = 0
    finally:
        os._exit(code)  # whatever happened (an interrupt, say), the child never returns into the run


def _store(store: UnitStore, items: list[tuple[tuple[str, str], bytes | None, Unit]]) -> None:
    try:
        for key, payload, unit in items:
            payload = payload if payload is not None else _cache_payload(unit)
            if payload is not None:
                store.put(*key, payload)
        store.close()
    except Exception:  # noqa: BLE001 - the cache is an optimisation: never fatal
        pass


def _cache_payload(unit: Unit) -> bytes | None:
    """The bytes to cache for a unit parsed here; None for none (a parser bug is not a result to
    keep, an unpicklable unit is linted all the same, a unit too big for an entry is left out)."""
    if unit.internal_errors:
        return None
    try:
        return encode_for_cache(unit)
    except Exception:  # noqa: BLE001 - something unpicklable
        return None


def finish_writes() -> None:
    """Wait for the forked cache writers of this process: when a run returns, its cache is written."""
    while _WRITERS:
        pid = _WRITERS.pop()
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:
            pass


def _parsed_here(source: SourceFile, options: Options, key: tuple[str, str], writer: _Writer | None) -> Unit:
    unit = parse_unit(source, options)
    if writer is not None:
        payload = _cache_payload(unit)
        if payload is not None:
            writer.put(key, payload)
    return unit


def _share(order: list[int], workers: int, sources: list[SourceFile], options: Options):
    """A kubelint.parsepool.SharedParsing with `workers - 1` workers beside this process, or a
    ProcessPoolExecutor's replies where processes cannot be forked; None when neither can start
    (no semaphores, no processes): this process parses everything, the findings are the same."""
    from kubelint import parsepool

    def work(i: int) -> bytes:
        return encode(parse_unit(sources[i], options))
    try:
        if not parsepool.fork_available():
            return _Executor(order, workers, sources, options)
        return parsepool.SharedParsing(order, workers - 1, work)
    except (OSError, ImportError, NotImplementedError):
        return None


class _Writer:
    """Stores units from a thread while the main one parses: writing files is system calls that
    release the GIL, so the writes hide behind parsing instead of adding to it. A write that
    fails only leaves the units out of the cache."""

    def __init__(self, store: UnitStore):
        import queue

        self.store = store
        # Bounded: a writer that falls behind holds back parsing rather than memory.
        self.queue: queue.Queue = queue.Queue(maxsize=WRITE_QUEUE)
        self.thread = threading.Thread(target=self._run, name="kubelint-cache-writer", daemon=True)
        self.thread.start()

    def put(self, key: tuple[str, str], payload: bytes) -> None:
        import queue

        while self.thread.is_alive():  # a writer that died (it should not) never blocks the run
            try:
                self.queue.put((key, payload), timeout=1.0)
                return
            except queue.Full:
                continue

    def _run(self) -> None:
        failed = False
        while True:
            item = self.queue.get()
            if item is None:
                break
            if failed:
                continue
            (key, source), payload = item
            try:
                self.store.put(key, source, payload)
            except Exception:  # noqa: BLE001 - the cache is an optimisation: never fatal
                failed = True
        if not failed:
            try:
                self.store.close()
            except Exception:  # noqa: BLE001
                pass

    def close(self) -> None:
        import queue

        while self.thread.is_alive():
            try:
                self.queue.put(None, timeout=1.0)
                break
            except queue.Full:
                continue
        self.thread.join()


def _install_splitters() -> None:
    """The Dockerfile model splits RUN scripts lazily with the splitter the parser installs on
    import; a unit from a worker or the cache arrives without the parser ever imported here."""
    try:
        import kubelint.parse.dockerfile  # noqa: F401
    except ImportError:  # Dockerfile support not built into this checkout
        pass


class _Executor:
    """Where processes cannot be forked: a ProcessPoolExecutor parses everything (the files and
    options are sent to it) while this process waits; same interface as SharedParsing."""

    def __init__(self, order: list[int], workers: int, sources: list[SourceFile], options: Options):
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        self.order = order
        self.pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context())
        chunk = max(1, len(order) // (workers * 16))
        self.results = self.pool.map(_work, [(sources[i], options) for i in order], chunksize=chunk)

    def take(self) -> Iterator[int]:
        return iter(())

    def replies(self) -> Iterator[tuple[int, bytes]]:
        from concurrent.futures.process import BrokenProcessPool

        from kubelint.errors import KubelintError

        try:
            yield from zip(self.order, self.results, strict=True)
        except KubelintError:  # the user's mistake, found while parsing: said as such
            raise
        except (BrokenProcessPool, Exception):  # noqa: BLE001 - a worker killed or failing: parsed here
            pass

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)
