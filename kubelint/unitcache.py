"""Where kubelint.filescan keeps its units: a few pack files and an index, not a file per unit.

Creating a file is the expensive part of a cache write on a journaling file system: storing the
1,698 units of ../shared/corpus/k8s one file each took 0.67-0.87 s of wall time, the same bytes
in ten files 0.22 s. So the units a run parses are written together, in packs of about
PACK_BYTES, and one index entry says which pack holds the unit of each key.

Both are kubelint.cache entries (`put_bytes`: a temporary file renamed over the entry; a checksum
over key, source and payload), so everything issue 11 asks of an entry holds for each file:

- a pack maps each unit's key digest to (source digest, encoded unit); a unit is used only when
  both digests are the ones asked for, so an index that points at the wrong pack costs a miss;
- a corrupt, truncated or foreign pack or index fails its checksum and is a miss: the units are
  parsed again and written to a new pack, and the index is rewritten;
- concurrent runs never read half a file; the index is read again just before it is written and
  only this run's keys change in it, so a run that lost the race loses entries, never trust;
- packs that no index entry points at any more (every unit in them edited since) are deleted
  when the index is written; kubelint.cache's LRU bound takes care of anything left over.
"""

from __future__ import annotations

import marshal
import os

from kubelint.cache import Cache

PACK_BYTES = 1024 * 1024  # a pack is read whole: what one file costs to read (pre-commit case) and the memory it adds
INDEX_KEY = "file-unit-index"
FORMAT = "1"


def _pack_key(pack: str, kind: str = "file-unit") -> str:
    return f"{kind}-pack\0{pack}"


def _loads(payload: bytes) -> object:
    try:
        return marshal.loads(payload)
    except (ValueError, EOFError, TypeError):
        return None


class UnitStore:
    """Read units by (key digest, source digest); write a run's new units at the end."""

    def __init__(self, cache: Cache, kind: str = "file-unit"):
        """`kind` names what is stored (kubelint.findingcache keeps its own index and packs)."""
        self.cache = cache
        self.kind = kind
        self.index_key = f"{kind}-index"
        index = self._read_index()
        self.index: dict[str, str] = index  # key digest -> pack id
        self.packs: dict[str, dict] = {}  # pack id -> its table, once read
        self.pending: list[tuple[str, str, bytes]] = []
        self.pending_bytes = 0
        self.written: dict[str, str] = {}  # key digest -> the pack this run wrote it to

    def _read_index(self) -> dict[str, str]:
        payload = self.cache.get_bytes(self.index_key, FORMAT)
        table = _loads(payload) if payload is not None else None
        if not isinstance(table, dict) or not all(isinstance(k, str) and isinstance(v, str)
                                                  for k, v in table.items()):
            return {}
        return table

    def get(self, key: str, source: str) -> bytes | None:
        """The unit stored for `key` derived from `source`, else None."""
        pack = self.index.get(key)
        if pack is None:
            return None
        table = self.packs.get(pack)
        if table is None:
            payload = self.cache.get_bytes(_pack_key(pack, self.kind), pack)
            loaded = _loads(payload) if payload is not None else None
            table = self.packs[pack] = loaded if isinstance(loaded, dict) else {}
        entry = table.pop(key, None)  # each unit is read once: the pack's memory goes as it is used
        if (not isinstance(entry, tuple) or len(entry) != 2 or entry[0] != source
                or not isinstance(entry[1], bytes)):
            return None
        return entry[1]

    def put(self, key: str, source: str, unit: bytes) -> None:
        """Queue a unit; packs are written as they fill."""
        self.pending.append((key, source, unit))
        self.pending_bytes += len(unit)
        if self.pending_bytes >= PACK_BYTES:
            self._flush()

    def _flush(self) -> None:
        if not self.pending:
            return
        pack = os.urandom(16).hex()  # a fresh name: two runs never write the same pack
        table = {key: (source, unit) for key, source, unit in self.pending}
        if self.cache.put_bytes(_pack_key(pack, self.kind), pack, marshal.dumps(table), evict=False):
            self.written.update((key, pack) for key in table)
        self.pending, self.pending_bytes = [], 0

    def close(self) -> None:
        """Write what is queued and the index (merged with the one on disk now), delete the packs
        nothing points at any more, then evict to the cache's bound."""
        self._flush()
        if not self.written:
            return
        before = set(self.index.values())
        index = self._read_index()  # another run may have written it since this one read it
        index.update(self.written)
        live = set(index.values())
        # Entries of packs that are gone (evicted, deleted by another run) are dropped.
        gone = {p for p in live - set(self.written.values())
                if not os.path.isfile(self.cache.bin_path(_pack_key(p, self.kind)))}
        index = {k: p for k, p in index.items() if p not in gone}
        if self.cache.put_bytes(self.index_key, FORMAT, marshal.dumps(index), evict=False):
            for pack in before - set(index.values()):
                _unlink(self.cache.bin_path(_pack_key(pack, self.kind)))
        self.cache.evict()


def _unlink(path: os.PathLike) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
