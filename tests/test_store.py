"""The store's guarantees: copies in and out, whole-or-nothing transactions, thread safety, flat write cost by
sharding, and a crash-safe journal beside an atomically replaced snapshot."""

import enum
import json
import os
import sys
import threading

import pytest

from emulator.core import store as store_module
from emulator.core.store import (
    JOURNAL_FILE,
    SHARD_CAPACITY,
    SNAPSHOT_FILE,
    STATE_FORMAT,
    STATE_VERSION,
    StateVersionError,
    Store,
    write_atomically,
)


@pytest.fixture(params=["memory", "data-dir"])
def store(request, tmp_path):
    """A store in memory or journalled to a directory: every in-process guarantee holds in both."""
    s = Store(tmp_path / "data" if request.param == "data-dir" else None)
    yield s
    s.close()


@pytest.fixture
def fast_switching():
    """Switch threads as often as possible, so an unguarded read-modify-write would lose updates."""
    previous = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(previous)


def run_threads(target, count: int) -> None:
    errors = []

    def guarded(n):
        try:
            target(n)
        except BaseException as e:  # noqa: BLE001  (reported by the main thread)
            errors.append(e)

    threads = [threading.Thread(target=guarded, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


def state(*docs: tuple[str, str, dict]) -> dict:
    tables: dict = {}
    for kind, key, doc in docs:
        tables.setdefault(kind, {})[key] = doc
    return {"format": STATE_FORMAT, "version": STATE_VERSION, "tables": tables}


# -- copies in, copies out ----------------------------------------------------------------------------------------------


def test_a_document_put_is_copied_so_later_changes_to_the_callers_dict_do_not_land(store):
    doc = {"nested": {"values": [1]}, "top": "a"}
    store.put("kind", "a", doc)
    doc["nested"]["values"].append(2)
    doc["top"] = "changed"
    with store.transaction() as tx:
        pending = {"nested": {"values": [10]}}
        tx.put("kind", "b", pending)
        pending["nested"]["values"].append(20)  # after the put, before the commit
    assert store.get("kind", "a") == {"nested": {"values": [1]}, "top": "a"}
    assert store.get("kind", "b") == {"nested": {"values": [10]}}


def test_documents_handed_out_are_copies(store):
    store.put("kind", "a", {"nested": {"values": [1]}})
    store.get("kind", "a")["nested"]["values"].append(2)
    store.find("kind")[0]["nested"]["values"].append(3)
    store.find("kind", lambda d: True)[0]["nested"]["extra"] = True
    store.export_state()["tables"]["kind"]["a"]["nested"]["values"].append(4)
    with store.transaction() as tx:
        tx.get("kind", "a")["nested"]["values"].append(5)
        tx.put("kind", "b", {"nested": {"values": [1]}})
        tx.get("kind", "b")["nested"]["values"].append(6)  # a pending document is handed out as a copy too
        tx.find("kind")[0]["nested"]["values"].append(7)
    assert store.get("kind", "a") == {"nested": {"values": [1]}}
    assert store.get("kind", "b") == {"nested": {"values": [1]}}


def test_an_imported_state_document_is_copied(store):
    document = state(("kind", "a", {"nested": {"values": [1]}}))
    store.import_state(document)
    document["tables"]["kind"]["a"]["nested"]["values"].append(2)
    document["tables"]["kind"]["b"] = {}
    assert store.get("kind", "a") == {"nested": {"values": [1]}}
    assert store.count("kind") == 1


def test_a_document_that_cannot_be_saved_is_refused_before_anything_lands(store):
    with pytest.raises(TypeError):
        with store.transaction() as tx:
            tx.put("kind", "ok", {"v": 1})
            tx.put("kind", "bad", {"v": object()})
    assert store.get("kind", "ok") is None and store.count("kind") == 0


def test_a_document_is_stored_as_its_json_would_read_back(store):
    class Colour(str, enum.Enum):
        RED = "red"

    store.put("kind", "a", {"pair": (1, 2), "by_number": {1: "one"}, "colour": Colour.RED,
                            "nested": [{"colours": [Colour.RED], "n": None, "x": 1.5, "yes": True}]})
    stored = store.get("kind", "a")
    assert stored == {"pair": [1, 2], "by_number": {"1": "one"}, "colour": "red",
                      "nested": [{"colours": ["red"], "n": None, "x": 1.5, "yes": True}]}
    assert type(stored["colour"]) is str and type(stored["nested"][0]["colours"][0]) is str


def test_a_put_replaces_the_whole_document(store):
    store.put("kind", "a", {"kept": 1, "dropped": 2})
    with store.transaction() as tx:
        tx.put("kind", "a", {"kept": 1})
        assert tx.get("kind", "a") == {"kept": 1}
    assert store.get("kind", "a") == {"kept": 1}


# -- transactions ---------------------------------------------------------------------------------------------------------


def test_a_transaction_that_raises_writes_nothing(store):
    store.put("kind", "kept", {"v": 1})
    store.put("kind", "doomed", {"v": 1})
    store.put("other", "x", {"v": 1})
    before = store.export_state()
    ran = []
    with pytest.raises(RuntimeError):
        with store.transaction() as tx:
            tx.put("kind", "new", {"v": 2})
            tx.put("kind", "kept", {"v": 99})
            tx.delete("kind", "doomed")
            tx.delete("other", "x")
            tx.put("brand-new-kind", "n", {})
            tx.after_commit(lambda: ran.append("committed"))
            raise RuntimeError("the request failed")
    assert store.export_state() == before
    assert store.counts() == {"kind": 2, "other": 1}
    assert ran == []
    if store.path is not None:  # and nothing reached the disk
        reopened = Store(store.path)
        assert reopened.export_state() == before


def test_a_transaction_that_ends_writes_everything_and_then_runs_its_hooks(store):
    store.put("kind", "gone", {"v": 0})
    seen = []
    with store.transaction() as tx:
        tx.put("kind", "a", {"v": 1})
        tx.put("kind", "b", {"v": 2})
        tx.delete("kind", "gone")
        tx.after_commit(lambda: seen.append(sorted(d["v"] for d in store.find("kind"))))
    assert seen == [[1, 2]]
    assert store.count("kind") == 2


def test_nested_transactions_join_the_outer_one(tmp_path):
    store = Store(tmp_path)
    store.put("kind", "gone", {"v": 0})
    with store.transaction() as outer:
        with store.transaction() as inner:
            assert inner is outer
            inner.put("kind", "a", {"v": 1})
            inner.delete("kind", "gone")
        # The inner block has ended but nothing is written until the outer one ends.
        on_disk = Store(tmp_path)
        assert on_disk.get("kind", "a") is None and on_disk.get("kind", "gone") == {"v": 0}
    reopened = Store(tmp_path)
    assert reopened.get("kind", "a") == {"v": 1} and reopened.get("kind", "gone") is None


def test_an_outer_transaction_that_raises_undoes_what_a_finished_inner_one_wrote(store):
    store.put("kind", "gone", {"v": 0})
    with pytest.raises(RuntimeError):
        with store.transaction():
            with store.transaction() as inner:
                inner.put("kind", "a", {"v": 1})
                inner.delete("kind", "gone")
            store.put("kind", "b", {"v": 2})  # a single operation inside a transaction joins it as well
            raise RuntimeError
    assert store.get("kind", "a") is None and store.get("kind", "b") is None
    assert store.get("kind", "gone") == {"v": 0}


def test_reads_inside_a_transaction_see_its_pending_writes(store):
    store.put("kind", "updated", {"v": 1, "colour": "red"})
    store.put("kind", "deleted", {"v": 2, "colour": "red"})
    store.put("kind", "untouched", {"v": 3, "colour": "blue"})
    store.put("kind", "turns-red", {"v": 4, "colour": "blue"})
    store.put("kind", "turns-blue", {"v": 5, "colour": "red"})
    store.put("other", "o", {"v": 0, "colour": "red"})
    with store.transaction() as tx:
        tx.put("kind", "updated", {"v": 10, "colour": "red"})
        tx.delete("kind", "deleted")
        tx.put("kind", "new", {"v": 6, "colour": "red"})
        tx.put("kind", "turns-red", {"v": 4, "colour": "red"})
        tx.put("kind", "turns-blue", {"v": 5, "colour": "blue"})
        tx.put("other", "p", {"v": 7, "colour": "red"})

        assert tx.get("kind", "updated") == {"v": 10, "colour": "red"}
        assert tx.get("kind", "deleted") is None
        assert tx.get("kind", "new") == {"v": 6, "colour": "red"}
        assert store.get("kind", "new") == {"v": 6, "colour": "red"}  # the convenience read joins the transaction
        assert sorted(d["v"] for d in tx.find("kind")) == [3, 4, 5, 6, 10]  # each key once, pending version
        red = lambda d: d["colour"] == "red"  # noqa: E731
        assert sorted(d["v"] for d in tx.find("kind", red)) == [4, 6, 10]  # the predicate sees pending versions
        assert sorted(d["v"] for d in store.find("other", red)) == [0, 7]
        assert tx.find("empty-kind") == []
    assert sorted(d["v"] for d in store.find("kind", lambda d: d["colour"] == "red")) == [4, 6, 10]


# -- threads ---------------------------------------------------------------------------------------------------------------


def test_concurrent_read_modify_writes_lose_no_update(store, fast_switching):
    store.put("counter", "c", {"n": 0})

    def bump(_):
        for _ in range(200):
            with store.transaction() as tx:
                doc = tx.get("counter", "c")
                doc["n"] += 1
                tx.put("counter", "c", doc)

    run_threads(bump, 8)
    assert store.get("counter", "c") == {"n": 1600}
    if store.path is not None:
        assert Store(store.path).get("counter", "c") == {"n": 1600}


def test_concurrent_writers_and_readers_while_shards_grow(fast_switching):
    store = Store()
    seen = [0] * 6

    def work(n):
        if n < 4:  # writers, each its own keys, crossing several shard doublings between them
            for i in range(300):
                store.put("row", f"w{n}-{i}", {"writer": n, "i": i})
        else:  # readers scanning the tables the writers are changing
            for _ in range(30):
                found = store.find("row")
                assert all(set(d) == {"writer", "i"} for d in found)
                assert len(found) >= seen[n]  # writers only insert: a scan never sees fewer than the last one
                seen[n] = len(found)

    run_threads(work, 6)
    assert store.count("row") == 1200
    assert len(store.find("row")) == 1200
    assert all(store.get("row", f"w{n}-{i}") == {"writer": n, "i": i} for n in range(4) for i in range(300))


# -- shards ----------------------------------------------------------------------------------------------------------------


def largest_table(store: Store) -> int:
    return max(len(store._db.table(name)) for name in store._db.tables())


def test_shards_grow_and_every_document_stays_reachable():
    store = Store()
    n = 5000
    for start in range(0, n, 250):  # many transactions, so the shards double between and within them
        with store.transaction() as tx:
            for i in range(start, start + 250):
                tx.put("row", f"id-{i}", {"i": i})
    assert store.count("row") == n
    assert all(store.get("row", f"id-{i}") == {"i": i} for i in range(n))
    assert sorted(d["i"] for d in store.find("row")) == list(range(n))
    assert sorted(d["i"] for d in store.find("row", lambda d: d["i"] % 1000 == 0)) == [0, 1000, 2000, 3000, 4000]
    # The point of the shards: no TinyDB table grows with the store, so a write's cost stays flat.
    assert largest_table(store) <= 2 * SHARD_CAPACITY

    store.put("row", "id-7", {"i": 7, "updated": True})  # an update does not count twice
    store.delete("row", "no-such-key")  # deleting what is not there counts nothing
    assert store.count("row") == n
    for i in range(0, n, 2):
        store.delete("row", f"id-{i}")
    assert store.count("row") == n // 2 and store.counts() == {"row": n // 2}
    assert store.get("row", "id-4") is None and store.get("row", "id-7") == {"i": 7, "updated": True}
    assert sorted(d["i"] for d in store.find("row")) == list(range(1, n, 2))


def test_one_transaction_of_inserts_replacements_and_deletes_lands_each_across_a_growth(store):
    store.index("row", "even")
    with store.transaction() as tx:
        for i in range(100):
            tx.put("row", f"id-{i}", {"i": i, "even": i % 2 == 0})
    with store.transaction() as tx:  # more than the shards hold: they grow while this transaction lands
        for i in range(100, 3 * SHARD_CAPACITY):
            tx.put("row", f"id-{i}", {"i": i, "even": i % 2 == 0})
        for i in range(0, 100, 3):
            tx.put("row", f"id-{i}", {"i": i, "even": i % 2 == 0, "replaced": True})
        for i in range(1, 100, 3):
            tx.delete("row", f"id-{i}")
    kept = [i for i in range(3 * SHARD_CAPACITY) if i >= 100 or i % 3 != 1]
    assert store.count("row") == len(kept)
    assert sorted(d["i"] for d in store.find("row")) == kept
    assert all(store.get("row", f"id-{i}") == {"i": i, "even": i % 2 == 0, "replaced": True} for i in range(0, 100, 3))
    assert all(store.get("row", f"id-{i}") is None for i in range(1, 100, 3))
    assert sorted(d["i"] for d in store.find_by("row", "even", [True])) == [i for i in kept if i % 2 == 0]
    assert largest_table(store) <= 2 * SHARD_CAPACITY


def test_a_replaced_document_keeps_its_place_in_a_listing(store):
    for name in ("a", "b", "c"):
        store.put("row", name, {"name": name})
    with store.transaction() as tx:
        tx.put("row", "a", {"name": "a", "edited": True})
        tx.put("row", "d", {"name": "d"})
    assert [d["name"] for d in store.find("row")] == ["a", "b", "c", "d"]


def test_a_large_state_loads_into_bounded_shards_and_reopens(tmp_path):
    n = 5000
    store = Store(tmp_path)
    store.import_state(state(*(("row", f"id-{i}", {"i": i}) for i in range(n))))
    store.put("row", "extra", {"i": -1})
    assert largest_table(store) <= 2 * SHARD_CAPACITY
    reopened = Store(tmp_path)  # the snapshot import_state wrote, plus the journalled put
    assert reopened.count("row") == n + 1
    assert largest_table(reopened) <= 2 * SHARD_CAPACITY
    assert all(reopened.get("row", f"id-{i}") == {"i": i} for i in range(n))
    assert reopened.get("row", "extra") == {"i": -1}


# -- the data directory ---------------------------------------------------------------------------------------------------


def test_a_data_dir_keeps_puts_updates_and_deletes_across_reopening(tmp_path):
    store = Store(tmp_path)
    store.put("kind", "a", {"v": 1})
    store.put("kind", "b", {"v": 2})
    store.put("kind", "a", {"v": 3})
    store.delete("kind", "b")
    with store.transaction() as tx:
        tx.put("other", "c", {"v": 4})
        tx.put("other", "d", {"v": 5})
    again = Store(tmp_path)  # without close(): what a crash leaves, the journal alone
    assert again.export_state() == store.export_state()
    assert again.get("kind", "a") == {"v": 3} and again.get("kind", "b") is None
    assert again.counts() == {"kind": 1, "other": 2}
    store.close()
    assert Store(tmp_path).export_state() == store.export_state()


def test_a_journal_over_a_snapshot_replaces_and_deletes_the_snapshots_documents(tmp_path):
    store = Store(tmp_path)
    store.import_state(state(("kind", "kept", {"v": 1}), ("kind", "replaced", {"v": 2}), ("kind", "deleted", {"v": 3}),
                             ("emptied", "only", {"v": 4})))
    store.put("kind", "replaced", {"v": 20})
    store.delete("kind", "deleted")
    store.delete("emptied", "only")
    store.put("kind", "deleted", {"v": 30})  # deleted, then put again
    store.delete("kind", "deleted")
    again = Store(tmp_path)  # the snapshot import_state wrote, and the journal after it
    assert again.export_state() == store.export_state()
    assert again.export_state()["tables"] == {"emptied": {}, "kind": {"kept": {"v": 1}, "replaced": {"v": 20}}}
    assert again.counts() == {"kind": 2}


def last_line_bounds(journal) -> tuple[bytes, int]:
    data = journal.read_bytes()
    assert data.endswith(b"\n")
    return data, data.rfind(b"\n", 0, len(data) - 1) + 1


@pytest.mark.parametrize("cut", ["after-checksum", "mid-body", "newline-missing", "one-byte"])
def test_a_multi_document_transaction_torn_by_a_crash_is_discarded_whole(tmp_path, cut):
    store = Store(tmp_path)
    store.put("kind", "before", {"v": 1})
    with store.transaction() as tx:
        tx.put("kind", "before", {"v": 1, "overwritten": True})
        tx.delete("kind", "also-before")
        for i in range(20):
            tx.put("kind", f"x{i}", {"v": i})
    journal = tmp_path / JOURNAL_FILE
    data, start = last_line_bounds(journal)
    keep = {"after-checksum": start + 65, "mid-body": (start + len(data)) // 2, "newline-missing": len(data) - 1,
            "one-byte": start + 1}[cut]
    journal.write_bytes(data[:keep])  # a crash in the middle of appending the last transaction
    again = Store(tmp_path)
    assert again.export_state() == state(("kind", "before", {"v": 1}))


def test_a_corrupted_last_line_is_discarded_and_earlier_transactions_survive(tmp_path):
    store = Store(tmp_path)
    store.put("kind", "a", {"v": 1})
    store.put("kind", "b", {"v": 2})
    journal = tmp_path / JOURNAL_FILE
    data, start = last_line_bounds(journal)
    flipped = data.replace(b'"v":2', b'"v":3')  # same length, checksum no longer matches
    assert flipped != data
    journal.write_bytes(flipped)
    again = Store(tmp_path)
    assert again.get("kind", "a") == {"v": 1} and again.get("kind", "b") is None


def test_writes_made_after_recovering_from_a_torn_tail_survive_the_next_reopen(tmp_path):
    store = Store(tmp_path)
    store.put("kind", "before", {"v": 1})
    store.put("kind", "torn", {"v": 2})
    journal = tmp_path / JOURNAL_FILE
    journal.write_bytes(journal.read_bytes()[:-10])
    recovered = Store(tmp_path)
    recovered.put("kind", "after", {"v": 3})  # committed and acknowledged
    assert Store(tmp_path).get("kind", "after") == {"v": 3}


def test_a_checkpoint_folds_the_journal_into_the_snapshot(tmp_path, monkeypatch):
    monkeypatch.setattr(store_module, "MIN_CHECKPOINT_BYTES", 1000)
    store = Store(tmp_path)
    snapshot, journal = tmp_path / SNAPSHOT_FILE, tmp_path / JOURNAL_FILE
    journal_sizes = []
    for i in range(200):
        store.put("kind", f"k{i}", {"payload": "x" * 50, "i": i})
        journal_sizes.append(journal_transactions(journal))
        if i % 3 == 0:
            store.delete("kind", f"k{i}")
    assert snapshot.exists()
    assert journal_sizes.count(0) >= 2  # it checkpointed by itself, more than once (an empty journal again)
    # Folded: what is left in the journal never outgrows both the threshold and the snapshot by more than one write.
    assert journal.stat().st_size <= max(1000, snapshot.stat().st_size) + 200
    assert len(check_snapshot(snapshot)) > 0
    assert Store(tmp_path).export_state() == store.export_state()

    store.checkpoint()  # and on demand: the journal is emptied, the snapshot alone is the state
    assert journal_transactions(journal) == 0
    assert {"format": STATE_FORMAT, "version": STATE_VERSION, "tables": check_snapshot(snapshot)} \
        == store.export_state()
    assert Store(tmp_path).export_state() == store.export_state()
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_a_self_started_checkpoint_that_fails_does_not_fail_the_transaction_that_started_it(tmp_path, monkeypatch):
    monkeypatch.setattr(store_module, "MIN_CHECKPOINT_BYTES", 100)
    store = Store(tmp_path)
    real = store_module.write_atomically

    def snapshot_write_fails(path, data):
        if path.name == SNAPSHOT_FILE:
            raise OSError(28, "No space left on device")
        real(path, data)

    monkeypatch.setattr(store_module, "write_atomically", snapshot_write_fails)
    for i in range(20):  # far past the threshold: every commit tries to fold the journal and fails
        store.put("kind", f"k{i}", {"payload": "x" * 50})
    monkeypatch.undo()
    assert store.count("kind") == 20
    assert Store(tmp_path).export_state() == store.export_state()


def check_snapshot(path) -> dict:
    document = json.loads(path.read_text("utf-8"))
    assert document["format"] == STATE_FORMAT and document["version"] == STATE_VERSION
    return document["tables"]


def journal_transactions(journal) -> int:
    """Transactions in the journal (its first line names the snapshot generation it follows)."""
    return max(len(journal.read_bytes().splitlines()) - 1, 0)


def test_close_checkpoints(tmp_path):
    store = Store(tmp_path)
    store.put("kind", "a", {"v": 1})
    store.close()
    assert journal_transactions(tmp_path / JOURNAL_FILE) == 0
    assert check_snapshot(tmp_path / SNAPSHOT_FILE) == {"kind": {"a": {"v": 1}}}
    assert Store(tmp_path).get("kind", "a") == {"v": 1}


def test_an_atomic_write_replaces_the_file_and_leaves_no_temp_file(tmp_path):
    target = tmp_path / "state.json"
    target.write_bytes(b"old")
    write_atomically(target, b"new")
    assert target.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["state.json"]


def test_an_atomic_write_that_fails_leaves_the_old_file_and_no_temp_file(tmp_path, monkeypatch):
    target = tmp_path / "state.json"
    target.write_bytes(b"old")
    attempted = []

    def crash(src, dst):
        attempted.append((src, dst))
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="disk full"):
        write_atomically(target, b"new")
    assert len(attempted) == 1  # the failure was where it replaces the file, after writing the temp file
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["state.json"]


def test_a_failed_checkpoint_loses_nothing(tmp_path, monkeypatch):
    store = Store(tmp_path)
    store.put("kind", "a", {"v": 1})
    store.checkpoint()
    store.put("kind", "b", {"v": 2})
    monkeypatch.setattr(os, "replace", lambda src, dst: (_ for _ in ()).throw(OSError("disk full")))
    with pytest.raises(OSError):
        store.checkpoint()
    monkeypatch.undo()
    assert Store(tmp_path).export_state() == state(("kind", "a", {"v": 1}), ("kind", "b", {"v": 2}))


# A write that fails with an error (the disk full, an I/O error) rather than a crash: the request fails, the process
# goes on. What the next start finds must then be what the running store acknowledged, no more and no less.


def test_a_journal_append_that_fails_part_way_does_not_swallow_later_transactions(tmp_path, monkeypatch):
    class DiskFillsOnce:
        fail_next = False

        def __init__(self, f):
            self.f = f

        def write(self, data):
            if DiskFillsOnce.fail_next:
                DiskFillsOnce.fail_next = False
                self.f.write(data[: len(data) // 2])
                self.f.flush()
                raise OSError(28, "No space left on device")
            return self.f.write(data)

        def __getattr__(self, name):
            return getattr(self.f, name)

    def journal_open(path, mode="r", *args, **kwargs):
        f = open(path, mode, *args, **kwargs)
        return DiskFillsOnce(f) if mode == "ab" else f  # the journal opened for appending

    monkeypatch.setattr(store_module, "open", journal_open, raising=False)
    store = Store(tmp_path)
    store.put("kind", "a", {"v": 1})
    DiskFillsOnce.fail_next = True
    with pytest.raises(OSError):
        store.put("kind", "failed", {"v": 2})
    store.put("kind", "later", {"v": 3})
    assert store.export_state() == state(("kind", "a", {"v": 1}), ("kind", "later", {"v": 3}))
    assert Store(tmp_path).export_state() == store.export_state()


def test_a_transaction_whose_journal_fsync_fails_is_not_replayed_at_the_next_start(tmp_path, monkeypatch):
    store = Store(tmp_path)
    store.put("kind", "a", {"v": 1})
    real_fsync = os.fsync
    failures = [OSError(5, "Input/output error")]

    def fsync(fd):
        if failures:
            raise failures.pop()
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    with pytest.raises(OSError):
        store.put("kind", "failed", {"v": 2})
    assert store.get("kind", "failed") is None
    assert Store(tmp_path).export_state() == store.export_state()


def test_transactions_after_a_checkpoint_that_failed_to_start_the_journal_survive(tmp_path, monkeypatch):
    store = Store(tmp_path)
    store.put("kind", "a", {"v": 1})
    real = store_module.write_atomically

    def journal_write_fails(path, data):
        if path.name == JOURNAL_FILE:
            raise OSError(28, "No space left on device")
        real(path, data)

    monkeypatch.setattr(store_module, "write_atomically", journal_write_fails)
    with pytest.raises(OSError):
        store.checkpoint()
    monkeypatch.undo()
    store.put("kind", "b", {"v": 2})
    assert Store(tmp_path).export_state() == store.export_state()


@pytest.mark.parametrize("operation", ["reset", "import_state"])
def test_replacing_the_state_interrupted_by_a_crash_leaves_the_old_state_or_the_new(tmp_path, monkeypatch, operation):
    store = Store(tmp_path)
    store.put("kind", "z", {"v": 0})
    store.checkpoint()  # "z" in the snapshot
    store.put("kind", "a", {"v": 1})  # "a" in the journal
    old = store.export_state()
    new = state() if operation == "reset" else state(("kind", "b", {"v": 2}))
    real = store_module.write_atomically

    def power_cut_before_the_journal_is_emptied(path, data):
        if path.name == JOURNAL_FILE:
            raise KeyboardInterrupt("power cut")
        real(path, data)

    monkeypatch.setattr(store_module, "write_atomically", power_cut_before_the_journal_is_emptied)
    with pytest.raises(KeyboardInterrupt):
        store.reset() if operation == "reset" else store.import_state(new)
    monkeypatch.undo()
    assert Store(tmp_path).export_state() in (old, new)  # not the new snapshot with the old journal replayed on it


# -- whole-state operations -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("version", [2, 0, "1", None])
def test_state_of_another_version_is_refused_and_changes_nothing(store, version):
    store.put("kind", "a", {"v": 1})
    before = store.export_state()
    document = {**state(("kind", "b", {"v": 2})), "version": version}
    with pytest.raises(StateVersionError) as e:
        store.import_state(document)
    assert str(e.value) == (f"State document version {version!r} is not supported; this emulator reads version "
                            f"{STATE_VERSION}.")
    assert store.export_state() == before
    if store.path is not None:
        assert Store(store.path).export_state() == before


def test_a_document_of_another_format_is_refused_and_changes_nothing(store):
    store.put("kind", "a", {"v": 1})
    before = store.export_state()
    with pytest.raises(StateVersionError) as e:
        store.import_state({"tables": {}})
    assert str(e.value) == 'Not an encord-emulator state document (expected "format": "encord-emulator-state").'
    with pytest.raises(StateVersionError) as e:
        store.import_state({"format": STATE_FORMAT, "version": STATE_VERSION, "tables": {"kind": []}})
    assert str(e.value) == ("State document does not hold {kind: {key: document}} tables: /tables/kind: [] is not of "
                            "type 'object'")
    with pytest.raises(StateVersionError) as e:  # a document that is not an object, deep inside
        store.import_state({"format": STATE_FORMAT, "version": STATE_VERSION, "tables": {"user": {"x": "notadict"}}})
    assert str(e.value) == ("State document does not hold {kind: {key: document}} tables: /tables/user/x: 'notadict' "
                            "is not of type 'object'")
    assert store.export_state() == before
    if store.path is not None:
        assert Store(store.path).export_state() == before


def test_export_then_import_round_trips(store, tmp_path):
    store.put("kind", "a", {"v": [1, 2], "nested": {"s": "é", "n": None, "f": 1.5, "b": True}})
    with store.transaction() as tx:
        for i in range(300):  # enough to need several shards
            tx.put("row", f"r{i}", {"i": i})
    exported = store.export_state()
    assert exported["format"] == STATE_FORMAT and exported["version"] == STATE_VERSION
    assert json.loads(json.dumps(exported)) == exported  # a JSON document as it stands

    for target in (Store(), Store(tmp_path / "other")):
        target.put("stale", "s", {})  # replaced, not merged
        target.import_state(exported)
        assert target.export_state() == exported
        assert target.counts() == {"kind": 1, "row": 300}
        assert target.get("row", "r299") == {"i": 299} and target.get("stale", "s") is None
    assert Store(tmp_path / "other").export_state() == exported


def test_reset_empties(store):
    store.put("kind", "a", {"v": 1})
    with store.transaction() as tx:
        for i in range(300):
            tx.put("row", f"r{i}", {"i": i})
    store.reset()
    assert store.counts() == {}
    assert store.count("row") == 0
    assert store.get("kind", "a") is None and store.find("row") == []
    assert store.export_state() == state()
    store.put("row", "r1", {"again": True})  # and works as new afterwards
    assert store.find("row") == [{"again": True}]
    if store.path is not None:
        assert Store(store.path).export_state() == state(("row", "r1", {"again": True}))


# -- indexed finds --------------------------------------------------------------------------------------------------


def test_find_by_an_indexed_field_follows_every_write(store):
    store.put("row", "a", {"dataset": "d1", "n": 1})
    store.index("row", "dataset")  # built from what is stored already
    store.put("row", "b", {"dataset": "d1", "n": 2})
    store.put("row", "c", {"dataset": "d2", "n": 3})

    def ns(*datasets, predicate=None):
        return sorted(d["n"] for d in store.find_by("row", "dataset", datasets, predicate))

    assert ns("d1") == [1, 2] and ns("d2") == [3] and ns("d1", "d2") == [1, 2, 3] and ns("d3") == []
    assert ns("d1", predicate=lambda d: d["n"] > 1) == [2]
    store.put("row", "b", {"dataset": "d2", "n": 2})  # moved to another dataset
    store.delete("row", "a")
    assert ns("d1") == [] and ns("d2") == [2, 3]
    with store.transaction() as tx:  # a transaction reads its own writes through the index too
        tx.put("row", "e", {"dataset": "d1", "n": 5})
        tx.delete("row", "c")
        tx.put("row", "b", {"dataset": "d1", "n": 2})
        assert sorted(d["n"] for d in tx.find_by("row", "dataset", ["d1"])) == [2, 5]
        assert tx.find_by("row", "dataset", ["d2"]) == []
    assert ns("d1") == [2, 5] and ns("d2") == []
    with pytest.raises(RuntimeError):
        with store.transaction() as tx:
            tx.put("row", "f", {"dataset": "d1", "n": 6})
            raise RuntimeError("rolled back")
    assert ns("d1") == [2, 5]


def test_find_by_with_fields_hands_out_those_fields_only_and_filters_on_the_whole_document(store):
    store.index("row", "dataset")
    store.put("row", "a", {"dataset": "d1", "title": "a", "labels": {"big": [1, 2, 3]}})
    store.put("row", "b", {"dataset": "d1", "title": "b", "labels": {}})
    with store.transaction() as tx:
        tx.put("row", "c", {"dataset": "d1", "title": "c", "labels": {"big": [4]}})
        found = tx.find_by("row", "dataset", ["d1"], lambda d: bool(d["labels"]), fields=("title", "missing"))
        assert sorted(found, key=lambda d: d["title"]) == [{"title": "a"}, {"title": "c"}]
    [a] = store.find_by("row", "dataset", ["d1"], lambda d: d["title"] == "a", fields=("labels",))
    a["labels"]["big"].append(99)  # a copy: the stored document is unchanged
    assert store.get("row", "a")["labels"] == {"big": [1, 2, 3]}


def test_an_index_is_rebuilt_when_the_state_is_replaced(store):
    store.index("row", "dataset")
    store.put("row", "a", {"dataset": "d1"})
    store.import_state(state(("row", "x", {"dataset": "d9"}), ("row", "y", {"dataset": "d9"})))
    assert store.find_by("row", "dataset", ["d1"]) == []
    assert len(store.find_by("row", "dataset", ["d9"])) == 2
    store.reset()
    assert store.find_by("row", "dataset", ["d9"]) == []


def test_finding_by_a_field_that_is_not_indexed_says_so(store):
    with pytest.raises(LookupError) as e:
        store.find_by("row", "dataset", ["d1"])
    assert str(e.value) == "row.dataset is not indexed; call Store.index('row', 'dataset') first"
