"""A small on-disk cache of derived data, under `$XDG_CACHE_HOME/kubelint` (`~/.cache/kubelint`).

The cache is never trusted: whatever bytes are in it, a run must find what a run with an empty
cache finds. Every entry records its key, the hash of what it was derived from (`source`) and
a checksum of itself; an entry that does not parse, does not verify, or is too large is a miss,
and the caller's `put` rewrites it. Callers also check the shape of what `get` returns.

    cache = Cache.default()
    value = cache.get(key, source) if cache else None   # None: a miss
    ...
    cache.put(key, source, value)                        # JSON-serialisable values

The cache is bounded: after each `put`, the least recently used entries are removed until the
directory holds at most `max_bytes` (`put_bytes(..., evict=False)` and one `evict()` at the end of
a run for many entries). `kubelint cache clean` empties it, subdirectories included.

`get_bytes` / `put_bytes` store bytes (kubelint.filecache keeps one per linted file in the
`files` subdirectory): a header line with the key, source and checksum, then the payload; the
checksum covers all three, so a truncated or foreign entry is a miss.
"""

from __future__ import annotations

import hashlib
import importlib.util
import io
import json
import os
import pickle
import stat
from functools import lru_cache
from pathlib import Path
from typing import Any

FORMAT = 1
MAX_BYTES = 32 * 1024 * 1024  # the whole directory
MAX_ENTRY_BYTES = 8 * 1024 * 1024  # one entry; a larger file is not even read
SUFFIX = ".json"
BIN_SUFFIX = ".bin"
SUBDIRECTORIES = ("files",)  # kubelint.filescan's cache, inside this one's directory
BIN_MAGIC = b"kubelint-cache-entry\n"


def cache_dir() -> Path | None:
    """`$XDG_CACHE_HOME/kubelint`, else `~/.cache/kubelint`; None when KUBELINT_NO_CACHE is set
    or no absolute location is known. A relative XDG_CACHE_HOME is ignored, as the XDG Base
    Directory spec says (it would put the cache in whatever directory kubelint runs from)."""
    if os.environ.get("KUBELINT_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):
        home = os.path.expanduser("~")
        if not os.path.isabs(home):
            return None
        base = os.path.join(home, ".cache")
    return Path(base) / "kubelint"


def digest(*parts: bytes | str) -> str:
    """A hash of what a value is derived from, for `get` and `put`."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogateescape") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "big"))  # length-prefixed: ("ab", "c") != ("a", "bc")
        h.update(data)
    return h.hexdigest()


# The libraries whose behaviour a cached result depends on (parsers, schema validation, regexes).
_DEPENDENCIES = ("ruamel.yaml", "_ruamel_yaml", "yaml", "_yaml", "jsonschema", "dockerfile_parse", "re2",
                 "kubelint._yamlfast")


@lru_cache(maxsize=1)
def dependency_stamp() -> str:
    """Where each library the results depend on is installed, with its file's size and time:
    upgrading one (pip rewrites its files) gives a new stamp, so every cache key built on it
    misses. Found without importing the libraries (importlib.metadata would cost ~50 ms)."""
    parts: list[str] = []
    for name in _DEPENDENCIES:
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            spec = None
        origin = spec.origin if spec is not None else None
        if not origin or not os.path.isabs(origin):
            parts.append(f"{name}:-")
            continue
        try:
            st = os.stat(origin)
        except OSError:
            parts.append(f"{name}:{origin}")
            continue
        parts.append(f"{name}:{origin}:{st.st_size}:{st.st_mtime_ns}")
    return digest(*parts)


def tree_stamp(top: str | os.PathLike, suffix: str = "", strict: bool = True) -> list[str]:
    """Each file under `top` (names ending in `suffix`; no __pycache__) with its size and time,
    in a stable order: what stands for the bytes of code and data a cache entry derives from.
    strict: an unreadable file raises OSError (the caller falls back); else it is left out."""
    out: list[str] = []
    for root, dirs, names in os.walk(os.fspath(top)):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(names):
            if not name.endswith(suffix):
                continue
            try:
                st = os.stat(os.path.join(root, name))
            except OSError:
                if strict:
                    raise
                continue
            out.append(f"{root}/{name}:{st.st_size}:{st.st_mtime_ns}")
    return out


def _checksum(key: str, source: str, payload: str) -> str:
    return digest(str(FORMAT), key, source, payload)


class Cache:
    def __init__(self, directory: Path, max_bytes: int = MAX_BYTES):
        self.directory = Path(directory)
        self.max_bytes = max_bytes
        self._made = False  # the directory was made (or found) by this object: put_bytes

    @classmethod
    def default(cls) -> "Cache | None":
        directory = cache_dir()
        return cls(directory) if directory is not None else None

    def path(self, key: str) -> Path:
        return self.directory / f"{digest(key)[:32]}{SUFFIX}"

    def get(self, key: str, source: str) -> Any | None:
        """The value stored for `key` if it was derived from `source` and verifies; else None."""
        path = self.path(key)
        data = _read_regular(path, MAX_ENTRY_BYTES)
        if data is None:
            return None
        try:
            entry = json.loads(data.decode("utf-8"))
            if not isinstance(entry, dict) or entry.get("format") != FORMAT:
                return None
            payload = entry.get("payload")
            if entry.get("key") != key or entry.get("source") != source or not isinstance(payload, str):
                return None
            if entry.get("checksum") != _checksum(key, source, payload):
                return None
            value = json.loads(payload)
        except (ValueError, RecursionError):  # not UTF-8, not JSON, nested too deeply
            return None
        try:
            os.utime(path)  # recently used: evicted last
        except OSError:
            pass
        return value

    def put(self, key: str, source: str, value: Any) -> bool:
        """Store `value`; False when it could not be (a read-only or odd cache directory: the
        run goes on without the cache, and no temporary file is left behind)."""
        from kubelint.safe_write import atomic_write_text

        try:
            payload = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
            entry = json.dumps({"format": FORMAT, "key": key, "source": source,
                                "checksum": _checksum(key, source, payload), "payload": payload},
                               ensure_ascii=False)
            if len(entry.encode("utf-8", "surrogatepass")) > MAX_ENTRY_BYTES:
                return False
            self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
            path = self.path(key)
            if path.is_symlink() or (path.exists() and not path.is_file()):
                _remove(path)  # a directory or FIFO squatting the entry's name: ours to clear
            atomic_write_text(path, entry, errors="strict", streams=False)  # a FIFO squatting here is replaced
        except (OSError, TypeError, ValueError, RecursionError):
            return False
        self._evict(keep=self.path(key))
        return True

    def bin_path(self, key: str) -> Path:
        return self.directory / f"{digest(key)[:32]}{BIN_SUFFIX}"

    def get_bytes(self, key: str, source: str, touch: bool = True) -> bytes | None:
        """The bytes stored for `key` if derived from `source` and they verify; else None."""
        path = self.bin_path(key)
        data = _read_regular(path, MAX_ENTRY_BYTES)
        if data is None or not data.startswith(BIN_MAGIC):
            return None
        end = data.find(b"\n", len(BIN_MAGIC))
        if end < 0:
            return None
        try:
            header = json.loads(data[len(BIN_MAGIC):end].decode("utf-8"))
        except (ValueError, RecursionError):
            return None
        payload = data[end + 1:]
        if (not isinstance(header, dict) or header.get("format") != FORMAT or header.get("key") != key
                or header.get("source") != source
                or header.get("checksum") != digest(str(FORMAT), key, source, payload)):
            return None
        if touch:
            try:
                os.utime(path)
            except OSError:
                pass
        return payload

    def put_bytes(self, key: str, source: str, payload: bytes, evict: bool = True) -> bool:
        """Store `payload` atomically (a temporary file renamed over the entry, so a concurrent
        run reads the old entry, the new one, or none); False when it could not be."""
        header = json.dumps({"format": FORMAT, "key": key, "source": source,
                             "checksum": digest(str(FORMAT), key, source, payload)}, ensure_ascii=True)
        entry = BIN_MAGIC + header.encode("ascii") + b"\n" + payload
        if len(entry) > MAX_ENTRY_BYTES:
            return False
        path = self.bin_path(key)
        try:
            if not self._made:
                self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
                self._made = True
            try:
                _write_atomic(path, entry)  # a rename replaces a symlink or FIFO itself
            except OSError:
                if not (path.is_dir() and not path.is_symlink()):
                    raise
                _remove(path)  # a directory squatting the entry's name: ours to clear
                _write_atomic(path, entry)
        except OSError:
            return False
        if evict:
            self._evict(keep=path)
        return True

    def evict(self) -> None:
        self._evict(keep=None)

    def entries(self) -> list[Path]:
        try:
            return sorted(p for p in self.directory.iterdir())
        except OSError:
            return []

    def _evict(self, keep: Path | None) -> None:
        """Least recently used first, until the directory is within max_bytes."""
        sized = []
        for p in self.entries():
            try:
                st = p.lstat()
            except OSError:
                continue
            if stat.S_ISDIR(st.st_mode) and p.name in SUBDIRECTORIES:
                continue  # another cache's directory, bounded by that cache
            sized.append((st.st_mtime_ns, st.st_size, p))
        total = sum(size for _, size, _ in sized)
        for _, size, p in sorted(sized, key=lambda e: (e[0], str(e[2]))):
            if total <= self.max_bytes:
                break
            if p == keep:
                continue
            if _remove(p):
                total -= size

    def clean(self) -> list[Path]:
        """Empty the cache directory; the paths removed."""
        return [p for p in self.entries() if _remove(p)]


def _write_atomic(path: Path, data: bytes) -> None:
    """A temporary file in the same directory, renamed over `path`. No fsync: after a crash a
    torn entry fails its checksum and is a miss, which is all a cache needs."""
    from kubelint.safe_write import replace_with_bytes

    replace_with_bytes(path, data, durable=False)


def _remove(path: Path) -> bool:
    try:
        if path.is_dir() and not path.is_symlink():
            import shutil

            shutil.rmtree(path)
        else:
            path.unlink()
    except OSError:
        return False
    return True


class _TooBig(Exception):
    pass


class _Bounded(io.BytesIO):
    """A buffer that refuses to grow past `limit` bytes (the pickler writes it frame by frame)."""

    def __init__(self, limit: int):
        super().__init__()
        self.limit = limit

    def write(self, data) -> int:
        if self.tell() + len(data) > self.limit:
            raise _TooBig
        return super().write(data)


def pickled(value: Any, dispatch_table: dict | None = None, limit: int = MAX_ENTRY_BYTES) -> bytes | None:
    """`value` pickled, or None as soon as it passes `limit` bytes: no entry that large is kept,
    and finishing it cost more than the run (60,000 Pods' findings: 3 s and 400 MB, refused)."""
    out = _Bounded(limit)
    pickler = pickle.Pickler(out, protocol=pickle.HIGHEST_PROTOCOL)
    if dispatch_table is not None:
        pickler.dispatch_table = dispatch_table
    try:
        pickler.dump(value)
    except _TooBig:
        return None
    return out.getvalue()


def _read_regular(path: Path, limit: int) -> bytes | None:
    """The bytes of a regular file of at most `limit` bytes, else None. A FIFO or device put in
    the cache directory is not opened for reading (O_NONBLOCK, then fstat)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > limit:
            return None
        data = read_at_most(fd, limit + 1)
        return data if len(data) <= limit else None
    except OSError:
        return None
    finally:
        os.close(fd)


def read_at_most(fd: int, count: int) -> bytes:
    """Up to `count` bytes from `fd`: a file that grows while it is read costs no more."""
    chunks, left = [], count
    while left > 0:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)
