"""The emulator's state: TinyDB, made safe for a threaded server and a sandbox that must survive crashes.

TinyDB's documented hazards, and what this module does about each:

* Not thread-safe: every access goes through one re-entrant lock.
* Documents alias stored state (MemoryStorage hands out nested objects by reference): every document is stored as a
  fresh JSON-decoded copy and every document handed out is a deep copy.
* A write rewrites the whole table (``Table._update_table`` converts every id of the table): each kind of document is
  spread over shards whose count doubles as the kind grows, so no shard holds more than ``SHARD_CAPACITY`` documents
  and the cost of one write stays flat however much is stored.
* ``JSONStorage`` rewrites the file in place, non-atomically, on every write: on disk the state is a snapshot
  replaced atomically (temp file, fsync, ``os.replace``) plus an append-only journal of committed transactions, one
  checksummed line each. A torn last line (a crash mid-append) is discarded on load, so a transaction is on disk
  whole or not at all, and a write costs what it changes, not what is stored. The journal is folded into a new
  snapshot once it outgrows the snapshot, which keeps that cost amortised.
* No transactions: :meth:`Store.transaction` buffers a request's writes and applies them together at the end, or
  not at all if the request fails.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import tempfile
import threading
import zlib
from pathlib import Path
from typing import Any, Callable, Iterable

from tinydb import TinyDB
from tinydb.storages import MemoryStorage
from tinydb.table import Document, Table

from emulator.core import contracts
from emulator.core.paths import contained

STATE_FORMAT = "encord-emulator-state"
STATE_VERSION = 1
SHARD_CAPACITY = 128
SNAPSHOT_FILE = "state.json"
JOURNAL_FILE = "journal.jsonl"
MIN_CHECKPOINT_BYTES = 1 << 20

log = logging.getLogger("emulator.store")

Predicate = Callable[[dict], bool]


class StateVersionError(ValueError):
    """A saved or imported state document of a format this emulator does not read."""


class KeyedTable(Table):
    """A TinyDB table whose document ids are the platform's own hashes (strings), not TinyDB's counters."""

    document_id_class = str


class _KeyedTinyDB(TinyDB):
    table_class = KeyedTable


def check_state_document(doc: Any) -> dict[str, dict[str, dict]]:
    """Return the tables of a state document, refusing any other format or version with a clear message."""
    if not isinstance(doc, dict) or doc.get("format") != STATE_FORMAT:
        raise StateVersionError(f"Not an encord-emulator state document (expected \"format\": \"{STATE_FORMAT}\").")
    if doc.get("version") != STATE_VERSION:
        raise StateVersionError(
            f"State document version {doc.get('version')!r} is not supported; this emulator reads version "
            f"{STATE_VERSION}."
        )
    found = contracts.violations("state-document", doc)
    if found:
        raise StateVersionError(f"State document does not hold {{kind: {{key: document}}}} tables: {found[0]}")
    return doc["tables"]


_JSON_SCALARS = frozenset({str, int, float, bool, type(None)})


def copied(value):
    """A copy of a stored document: they hold JSON values only (each is JSON-decoded when stored), so copying
    dicts and lists suffices, at about a third of ``copy.deepcopy``'s cost (it keeps a memo of every object); a
    scalar is taken as it is without a call (a quarter of a flat document's copying)."""
    kind = type(value)
    if kind is dict:
        return {key: item if type(item) in _JSON_SCALARS else copied(item) for key, item in value.items()}
    if kind is list:
        return [item if type(item) in _JSON_SCALARS else copied(item) for item in value]
    return value


def saveable_copy(value):
    """A copy of a document about to be stored, as a JSON round trip would make it (tuples become lists, keys
    strings, enums their values; a value JSON cannot hold raises ``TypeError``): plain JSON values are copied
    directly, at about a third of the round trip's cost, and anything else goes through the round trip."""
    kind = type(value)
    if kind is dict:
        copy = {}
        for key, item in value.items():
            if type(key) is not str:
                return json.loads(json.dumps(value))
            copy[key] = item if type(item) in _JSON_SCALARS else saveable_copy(item)
        return copy
    if kind is list:
        return [item if type(item) in _JSON_SCALARS else saveable_copy(item) for item in value]
    if kind in _JSON_SCALARS:
        return value
    return json.loads(json.dumps(value))


def projected(doc: dict, fields: tuple[str, ...] | None) -> dict:
    """A copy of the document, or of the named fields of it."""
    if fields is None:
        return copied(dict(doc))
    return {field: value if type(value := doc[field]) in _JSON_SCALARS else copied(value)
            for field in fields if field in doc}


def _shard_of(key: str, shard_count: int) -> int:
    return zlib.crc32(key.encode("utf-8")) & (shard_count - 1)


def _replayed(tables: dict[str, dict[str, dict]], transactions: list[list]) -> dict[str, dict[str, dict]]:
    """The snapshot's tables with the journal's transactions applied, in plain dicts: TinyDB then inserts each
    document once, instead of rewriting a shard for every journalled write."""
    for ops in transactions:
        for kind, key, doc in ops:
            docs = tables.setdefault(kind, {})
            if doc is None:
                docs.pop(key, None)
            else:
                docs[key] = doc
    return tables


class _Journal:
    """Append-only, checksummed log of committed transactions beside an atomically replaced snapshot.

    Both carry a generation: a checkpoint writes the snapshot of generation G+1, then starts the journal of G+1. A
    journal of another generation than the snapshot's is never replayed, so a crash between the two writes cannot
    replay transactions the new snapshot already holds (or that a replaced state must not have).

    The journal's good length is tracked: an append that fails (a full disk, a failed fsync) is cut off again before
    its transaction is refused, and if even that fails the next append cuts it first. So what a restart replays is
    exactly what the running store acknowledged.
    """

    def __init__(self, directory: Path):
        self.directory = directory
        self.snapshot_path = contained(directory, SNAPSHOT_FILE)
        self.journal_path = contained(directory, JOURNAL_FILE)
        directory.mkdir(parents=True, exist_ok=True)
        self.generation = 0
        self._file = None
        # Bytes of the journal that hold acknowledged transactions of this generation; None while the file on disk
        # is not this generation's journal (the next append starts a new one).
        self._good_size: int | None = None
        self._torn = False  # the file may be longer than _good_size: a failed append could not be cut off

    def load(self) -> tuple[dict[str, dict[str, dict]], list[list]]:
        tables: dict[str, dict[str, dict]] = {}
        if self.snapshot_path.exists():
            document = json.loads(self.snapshot_path.read_text("utf-8"))
            tables = check_state_document(document)
            self.generation = document.get("generation", 0)
        transactions, good_bytes, journal_generation = [], 0, None
        if self.journal_path.exists():
            with open(self.journal_path, "rb") as f:
                for number, line in enumerate(f):
                    entry = self._decode(line)
                    if entry is None:
                        break  # a torn or corrupt tail: everything after it never committed
                    good_bytes += len(line)
                    if number == 0 and isinstance(entry, dict):
                        journal_generation = entry["generation"]
                    else:
                        transactions.append(entry)
        if journal_generation != self.generation:
            return tables, []  # the journal of an older snapshot: its transactions are in the snapshot, or replaced
        self._good_size = good_bytes
        self._torn = self.journal_size() > good_bytes  # a torn tail: cut before the next append would join it
        return tables, transactions

    @staticmethod
    def _decode(line: bytes):
        checksum, _, body = line.rstrip(b"\n").partition(b" ")
        if not line.endswith(b"\n") or hashlib.sha256(body).hexdigest().encode() != checksum:
            return None
        return json.loads(body)

    @staticmethod
    def _line(entry) -> bytes:
        body = json.dumps(entry, separators=(",", ":")).encode("utf-8")
        return hashlib.sha256(body).hexdigest().encode() + b" " + body + b"\n"

    def append(self, ops: list) -> None:
        """Journal one transaction durably, or raise with the journal as it was."""
        if self._good_size is None:
            self._start()
        if self._torn:
            self._cut()
        if self._file is None:
            self._file = open(self.journal_path, "ab", buffering=0)  # unbuffered: nothing left to flush later
        line = self._line(ops)
        try:
            view = memoryview(line)
            while view:
                view = view[self._file.write(view):]
            os.fsync(self._file.fileno())
        except BaseException:
            self._torn = True
            with contextlib.suppress(OSError):
                self._cut()
            raise
        self._good_size += len(line)

    def _start(self) -> None:
        """Replace whatever journal is on disk by the empty journal of the current generation."""
        self._close_file()
        header = self._line({"generation": self.generation})
        write_atomically(self.journal_path, header)
        self._good_size, self._torn = len(header), False

    def _cut(self) -> None:
        """Cut the journal back to its acknowledged transactions."""
        self._close_file()
        with open(self.journal_path, "r+b") as f:
            f.truncate(self._good_size)
            os.fsync(f.fileno())
        self._torn = False

    def _close_file(self) -> None:
        if self._file is not None:
            with contextlib.suppress(OSError):
                self._file.close()
            self._file = None

    def journal_size(self) -> int:
        return self.journal_path.stat().st_size if self.journal_path.exists() else 0

    def snapshot_size(self) -> int:
        return self.snapshot_path.stat().st_size if self.snapshot_path.exists() else 0

    def checkpoint(self, state: dict) -> None:
        generation = self.generation + 1
        write_atomically(self.snapshot_path,
                         json.dumps({**state, "generation": generation}, separators=(",", ":")).encode("utf-8"))
        self.generation = generation
        self._good_size = None  # the journal on disk is the old generation's now, whatever happens next
        self._start()

    def close(self) -> None:
        self._close_file()


def write_atomically(path: Path, data: bytes) -> None:
    """Write a file so that a crash leaves either the old content or the new, never a torn mix."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


class TransactionScope:
    """``with store.transaction() as tx``: the outermost scope opens the transaction (under the store's lock) and
    commits it, or drops it if the block raises; a scope inside it joins it. A class rather than a generator
    context manager: a nested scope, which every convenience write opens, then costs a lock and a check."""

    __slots__ = ("_store", "_tx", "_outermost")

    def __init__(self, store: "Store"):
        self._store = store

    def __enter__(self) -> "Transaction":
        store = self._store
        store._lock.acquire()
        self._outermost = store._tx is None
        if self._outermost:
            store._tx = Transaction(store)
        self._tx = store._tx
        return self._tx

    def __exit__(self, kind, error, traceback) -> bool:
        store = self._store
        try:
            if self._outermost:
                try:
                    if kind is None:
                        store._commit(self._tx)
                finally:
                    store._tx = None
                if kind is None:
                    for hook in self._tx.committed_hooks:
                        hook()
        finally:
            store._lock.release()
        return False


class Transaction:
    """A request's pending writes: read-your-writes inside, applied all together on commit."""

    def __init__(self, store: "Store"):
        self._store = store
        # kind -> key -> document (None: deleted); by kind, so that a find looks only at its own kind's writes.
        self.pending: dict[str, dict[str, dict | None]] = {}
        self.committed_hooks: list[Callable[[], None]] = []

    def after_commit(self, hook: Callable[[], None]) -> None:
        """Run ``hook`` once the transaction's writes have landed (never if it rolls back)."""
        self.committed_hooks.append(hook)

    def get(self, kind: str, key: str) -> dict | None:
        pending = self.pending.get(kind, {})
        if key in pending:
            doc = pending[key]
            return copied(doc) if doc is not None else None
        return self._store._get_committed(kind, key)

    def put(self, kind: str, key: str, doc: dict) -> None:
        self.pending.setdefault(kind, {})[key] = saveable_copy(doc)

    def delete(self, kind: str, key: str) -> None:
        self.pending.setdefault(kind, {})[key] = None

    def find(self, kind: str, predicate: Predicate | None = None) -> list[dict]:
        pending = self.pending.get(kind, {})
        found = {key: doc for key, doc in self._store._scan_committed(kind, predicate) if key not in pending}
        return self._with_pending(found, kind, predicate)

    def find_by(self, kind: str, field: str, values: Iterable, predicate: Predicate | None = None,
                fields: tuple[str, ...] | None = None) -> list[dict]:
        """Documents whose ``field`` is one of ``values``, through the field's index (see ``Store.index``); with
        ``fields``, each holds those fields only (the predicate still sees the whole document): a listing that
        needs a few fields of large documents does not copy the rest."""
        values = set(values)
        pending = self.pending.get(kind, {})
        found = {}
        for key in self._store._indexed_keys(kind, field, values):
            if key not in pending:
                doc = self._store._get_committed(kind, key, copy=False)
                if predicate is None or predicate(doc):
                    found[key] = projected(doc, fields)
        return self._with_pending(found, kind,
                                  lambda doc: doc.get(field) in values and (predicate is None or predicate(doc)),
                                  fields)

    def _with_pending(self, found: dict[str, dict], kind: str, predicate: Predicate | None,
                      fields: tuple[str, ...] | None = None) -> list[dict]:
        """The committed documents found, with this transaction's own writes of the kind that match laid over them."""
        for key, doc in self.pending.get(kind, {}).items():
            if doc is not None and (predicate is None or predicate(doc)):
                found[key] = projected(doc, fields)
        return list(found.values())


class Store:
    """Documents by kind and key, in TinyDB; in memory, or journalled to ``data_dir`` when one is given."""

    def __init__(self, data_dir: str | os.PathLike | None = None):
        self._lock = threading.RLock()
        self._db = _KeyedTinyDB(storage=MemoryStorage)
        self._shards: dict[str, int] = {}
        self._counts: dict[str, int] = {}
        self._tx: Transaction | None = None
        # kind -> field -> value -> keys: what find_by reads instead of scanning the kind
        self._indexes: dict[str, dict[str, dict[Any, set[str]]]] = {}
        self.closed = False
        self.write_error: str | None = None  # why the last write could not be saved; None once one is saved again
        self._journal = _Journal(Path(data_dir)) if data_dir is not None else None
        if self._journal is not None:
            tables, transactions = self._journal.load()
            self._load_tables(_replayed(tables, transactions))

    @property
    def path(self) -> Path | None:
        return self._journal.directory if self._journal else None

    # -- transactions ---------------------------------------------------------------------------------------------

    def transaction(self) -> "TransactionScope":
        """All writes inside land together when the outermost transaction ends, or none if it raises."""
        return TransactionScope(self)

    def _commit(self, tx: Transaction) -> None:
        ops = [[kind, key, doc] for kind, docs in tx.pending.items() for key, doc in docs.items()]
        if ops:
            if self._journal is not None:
                self._append_to_journal(ops)
            self._apply(ops)
            self._maybe_checkpoint()

    def _append_to_journal(self, ops: list) -> None:
        try:
            self._journal.append(ops)
        except OSError as e:
            self.write_error = f"{self._journal.journal_path}: {e.strerror or e}"
            raise
        self.write_error = None

    # -- convenience single operations (each its own transaction unless one is open) ------------------------------

    def get(self, kind: str, key: str) -> dict | None:
        with self._lock:
            return self._reader().get(kind, key)

    def put(self, kind: str, key: str, doc: dict) -> None:
        with self.transaction() as tx:
            tx.put(kind, key, doc)

    def delete(self, kind: str, key: str) -> None:
        with self.transaction() as tx:
            tx.delete(kind, key)

    def find(self, kind: str, predicate: Predicate | None = None) -> list[dict]:
        with self._lock:
            return self._reader().find(kind, predicate)

    def find_by(self, kind: str, field: str, values: Iterable, predicate: Predicate | None = None,
                fields: tuple[str, ...] | None = None) -> list[dict]:
        with self._lock:
            return self._reader().find_by(kind, field, values, predicate, fields)

    def _reader(self) -> Transaction:
        """What a read outside a transaction goes through: the open transaction, or an empty one that is never
        applied (opening a transaction for a read, which writes nothing, costs more than the read)."""
        return self._tx if self._tx is not None else Transaction(self)

    def index(self, kind: str, field: str) -> None:
        """Index a field of a kind (idempotent), so finding documents by it costs what it finds, not the kind's size."""
        with self._lock:
            fields = self._indexes.setdefault(kind, {})
            if field not in fields:
                fields[field] = {}
                self._index_all(kind, field)

    def count(self, kind: str) -> int:
        with self._lock:
            return self._counts.get(kind, 0)

    def counts(self) -> dict[str, int]:
        with self._lock:
            return {kind: n for kind, n in sorted(self._counts.items()) if n}

    # -- whole-state operations -------------------------------------------------------------------------------------

    def export_state(self) -> dict:
        with self._lock:
            tables = {kind: {key: doc for key, doc in self._scan_committed(kind, None, copy_docs=False)}
                      for kind in sorted(self._shards)}
            return copied({"format": STATE_FORMAT, "version": STATE_VERSION, "tables": tables})

    def import_state(self, doc: Any) -> None:
        """Replace the whole state with a state document (checked first, so a bad one changes nothing)."""
        tables = json.loads(json.dumps(check_state_document(doc)))
        with self._lock:
            self._db.drop_tables()
            self._shards.clear()
            self._counts.clear()
            self._load_tables(tables)
            for kind, fields in self._indexes.items():
                for field in fields:
                    fields[field] = {}
                    self._index_all(kind, field)
            if self._journal is not None:
                self._journal.checkpoint(self.export_state())

    def reset(self) -> None:
        self.import_state({"format": STATE_FORMAT, "version": STATE_VERSION, "tables": {}})

    def checkpoint(self) -> None:
        """Fold the journal into a fresh snapshot (on shutdown, and when the journal outgrows the snapshot)."""
        with self._lock:
            if self._journal is not None:
                self._journal.checkpoint(self.export_state())

    def close(self) -> None:
        with self._lock:
            if self._journal is not None:
                self.checkpoint()
                self._journal.close()
            self.closed = True

    # -- internals -------------------------------------------------------------------------------------------------

    def _table(self, kind: str, shard: int) -> Table:
        return self._db.table(f"{kind}/{shard}", cache_size=0)

    def _get_committed(self, kind: str, key: str, copy: bool = True) -> dict | None:
        shards = self._shards.get(kind)
        if shards is None:
            return None
        doc = self._table(kind, _shard_of(key, shards)).get(doc_id=key)
        return copied(dict(doc)) if doc is not None and copy else doc

    def _scan_committed(self, kind: str, predicate: Predicate | None, copy_docs: bool = True):
        for shard in range(self._shards.get(kind, 0)):
            for doc in self._table(kind, shard):
                if predicate is None or predicate(doc):
                    yield doc.doc_id, (copied(dict(doc)) if copy_docs else dict(doc))

    def _indexed_keys(self, kind: str, field: str, values: set) -> set[str]:
        try:
            index = self._indexes[kind][field]
        except KeyError:
            raise LookupError(f"{kind}.{field} is not indexed; call Store.index({kind!r}, {field!r}) first") from None
        return set().union(*(index.get(value, ()) for value in values))

    def _index_all(self, kind: str, field: str) -> None:
        index = self._indexes[kind][field]
        for key, doc in self._scan_committed(kind, None, copy_docs=False):
            index.setdefault(doc.get(field), set()).add(key)

    def _reindex(self, kind: str, key: str, old: dict | None, new: dict | None) -> None:
        for field, index in self._indexes.get(kind, {}).items():
            if old is not None:
                keys = index[old.get(field)]
                keys.discard(key)
                if not keys:
                    del index[old.get(field)]
            if new is not None:
                index.setdefault(new.get(field), set()).add(key)

    def _apply(self, ops: list) -> None:
        """Apply a transaction's writes kind by kind, and each shard's in one TinyDB write per sort of change: TinyDB
        rebuilds a table on every write, so one write per document would cost a shard's size each."""
        by_kind: dict[str, dict[str, dict | None]] = {}
        for kind, key, doc in ops:
            by_kind.setdefault(kind, {})[key] = doc
        for kind, docs in by_kind.items():
            shards = self._shards.setdefault(kind, 1)
            stored = {key: self._table(kind, _shard_of(key, shards)).get(doc_id=key) for key in docs}
            self._counts[kind] = (self._counts.get(kind, 0) + sum(doc is not None and stored[key] is None
                                                                  for key, doc in docs.items())
                                  - sum(doc is None and stored[key] is not None for key, doc in docs.items()))
            while self._counts[kind] > self._shards[kind] * SHARD_CAPACITY:
                self._grow(kind)
            by_shard: dict[int, list[str]] = {}
            for key, doc in docs.items():
                if kind in self._indexes:
                    self._reindex(kind, key, dict(stored[key]) if stored[key] is not None else None, doc)
                by_shard.setdefault(_shard_of(key, self._shards[kind]), []).append(key)
            for shard, keys in by_shard.items():
                self._write_shard(self._table(kind, shard), {key: docs[key] for key in keys},
                                  {key for key in keys if stored[key] is not None})

    @staticmethod
    def _write_shard(table: Table, docs: dict[str, dict | None], existing: set[str]) -> None:
        removed = [key for key, doc in docs.items() if doc is None and key in existing]
        replaced = [key for key, doc in docs.items() if doc is not None and key in existing]
        added = [Document(doc, doc_id=key) for key, doc in docs.items() if doc is not None and key not in existing]
        if removed:
            table.remove(doc_ids=removed)
        if replaced:  # in place, keeping its position (TinyDB's upsert would merge into the stored document)
            replacements = iter([docs[key] for key in replaced])  # TinyDB updates the ids in the order given
            table.update(lambda stored: (stored.clear(), stored.update(next(replacements))), doc_ids=replaced)
        if added:
            table.insert_multiple(added)

    def _grow(self, kind: str) -> None:
        """Double a kind's shards, moving each document whose new shard differs (amortised O(1) per insert)."""
        old = self._shards[kind]
        new = old * 2
        for shard in range(old):
            table = self._table(kind, shard)
            moving = [doc for doc in table if _shard_of(doc.doc_id, new) != shard]
            if moving:
                table.remove(doc_ids=[doc.doc_id for doc in moving])
                self._table(kind, shard + old).insert_multiple(Document(dict(d), doc_id=d.doc_id) for d in moving)
        self._shards[kind] = new

    def _load_tables(self, tables: dict[str, dict[str, dict]]) -> None:
        for kind, docs in tables.items():
            shards = 1
            while len(docs) > shards * SHARD_CAPACITY:
                shards *= 2
            self._shards[kind] = shards
            self._counts[kind] = len(docs)
            by_shard: dict[int, list[Document]] = {}
            for key, doc in docs.items():
                by_shard.setdefault(_shard_of(key, shards), []).append(Document(doc, doc_id=key))
            for shard, shard_docs in by_shard.items():
                self._table(kind, shard).insert_multiple(shard_docs)

    def _maybe_checkpoint(self) -> None:
        if self._journal is None:
            return
        journal = self._journal.journal_size()
        if journal > MIN_CHECKPOINT_BYTES and journal > self._journal.snapshot_size():
            try:
                self.checkpoint()
            except OSError as e:  # the transaction is journalled already; folding can wait for the next one
                log.warning("could not fold the journal into a new snapshot (%s); the journal keeps growing", e)
