"""The store's guarantees: copies in and out, whole-or-nothing transactions, thread safety, flat write cost by
sharding, and a crash-safe journal beside an atomically replaced snapshot."""

import os
import threading

import pytest

from emulator.core import store as store_module
from emulator.core.store import JOURNAL_FILE, SNAPSHOT_FILE, StateVersionError, Store, write_atomically


def test_documents_handed_out_and_taken_in_are_copies():
    store = Store()
    doc = {"nested": {"values": [1]}}
    store.put("kind", "a", doc)
    doc["nested"]["values"].append(2)
    fetched = store.get("kind", "a")
    fetched["nested"]["values"].append(3)
    store.find("kind")[0]["nested"]["values"].append(4)
    assert store.get("kind", "a") == {"nested": {"values": [1]}}


def test_a_transaction_that_raises_writes_nothing():
    store = Store()
    store.put("kind", "kept", {"v": 1})
    store.put("kind", "doomed", {"v": 1})
    with pytest.raises(RuntimeError):
        with store.transaction() as tx:
            tx.put("kind", "new", {"v": 2})
            tx.put("kind", "kept", {"v": 99})
            tx.delete("kind", "doomed")
            raise RuntimeError("the request failed")
    assert store.get("kind", "new") is None
    assert store.get("kind", "kept") == {"v": 1}
    assert store.get("kind", "doomed") == {"v": 1}


def test_nested_transactions_join_the_outer_one_and_reads_see_pending_writes():
    store = Store()
    store.put("kind", "gone", {"v": 0})
    with pytest.raises(RuntimeError):
        with store.transaction() as outer:
            with store.transaction() as inner:
                assert inner is outer
                inner.put("kind", "a", {"v": 1})
                inner.delete("kind", "gone")
            assert outer.get("kind", "a") == {"v": 1}
            assert outer.get("kind", "gone") is None
            assert [d["v"] for d in outer.find("kind")] == [1]
            raise RuntimeError
    assert store.get("kind", "a") is None and store.get("kind", "gone") == {"v": 0}


def test_after_commit_hooks_run_only_when_the_writes_landed():
    store = Store()
    ran = []
    with store.transaction() as tx:
        tx.put("kind", "a", {})
        tx.after_commit(lambda: ran.append(store.get("kind", "a")))
    with pytest.raises(RuntimeError):
        with store.transaction() as tx:
            tx.after_commit(lambda: ran.append("rolled back"))
            raise RuntimeError
    assert ran == [{}]


def test_concurrent_read_modify_writes_lose_no_update():
    store = Store()
    store.put("counter", "c", {"n": 0})

    def bump():
        for _ in range(200):
            with store.transaction() as tx:
                doc = tx.get("counter", "c")
                doc["n"] += 1
                tx.put("counter", "c", doc)

    threads = [threading.Thread(target=bump) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert store.get("counter", "c") == {"n": 1600}


def test_shards_grow_and_every_document_stays_reachable():
    store = Store()
    with store.transaction() as tx:
        for i in range(5000):
            tx.put("row", f"id-{i}", {"i": i})
    assert store.count("row") == 5000
    assert store._shards["row"] * store_module.SHARD_CAPACITY >= 5000
    assert all(store.get("row", f"id-{i}") == {"i": i} for i in range(0, 5000, 7))
    assert sorted(d["i"] for d in store.find("row")) == list(range(5000))
    for i in range(100):
        store.delete("row", f"id-{i}")
    assert store.count("row") == 4900 and store.get("row", "id-5") is None


def test_a_data_dir_keeps_puts_and_deletes_across_reopening(tmp_path):
    store = Store(tmp_path)
    store.put("kind", "a", {"v": 1})
    store.put("kind", "b", {"v": 2})
    store.delete("kind", "b")
    again = Store(tmp_path)
    assert again.get("kind", "a") == {"v": 1} and again.get("kind", "b") is None


def test_a_torn_journal_tail_is_discarded_with_its_whole_transaction(tmp_path):
    store = Store(tmp_path)
    store.put("kind", "before", {"v": 1})
    with store.transaction() as tx:
        tx.put("kind", "x", {"v": 1})
        tx.put("kind", "y", {"v": 2})
    journal = tmp_path / JOURNAL_FILE
    data = journal.read_bytes()
    journal.write_bytes(data[: len(data) - 10])  # a crash in the middle of appending the last transaction
    again = Store(tmp_path)
    assert again.get("kind", "before") == {"v": 1}
    assert again.get("kind", "x") is None and again.get("kind", "y") is None


def test_the_journal_is_folded_into_the_snapshot(tmp_path, monkeypatch):
    monkeypatch.setattr(store_module, "MIN_CHECKPOINT_BYTES", 100)
    store = Store(tmp_path)
    for i in range(50):
        store.put("kind", f"k{i}", {"payload": "x" * 50})
    snapshot, journal = (tmp_path / SNAPSHOT_FILE).stat().st_size, (tmp_path / JOURNAL_FILE).stat().st_size
    assert snapshot > 50 * 50  # folded: the snapshot holds most documents
    assert journal <= snapshot + 200  # the journal never outgrows the snapshot by more than one transaction
    again = Store(tmp_path)
    assert again.count("kind") == 50 and again.get("kind", "k49") == {"payload": "x" * 50}


def test_an_atomic_write_that_fails_leaves_the_old_file_and_no_temp_file(tmp_path, monkeypatch):
    target = tmp_path / "state.json"
    target.write_bytes(b"old")

    def crash(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError):
        write_atomically(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["state.json"]


def test_state_of_another_version_is_refused_and_changes_nothing():
    store = Store()
    store.put("kind", "a", {"v": 1})
    state = store.export_state()
    with pytest.raises(StateVersionError) as e:
        store.import_state({**state, "version": 2})
    assert str(e.value) == "State document version 2 is not supported; this emulator reads version 1."
    assert store.get("kind", "a") == {"v": 1}


def test_export_import_round_trips_and_reset_empties():
    store = Store()
    store.put("kind", "a", {"v": [1, 2]})
    state = store.export_state()
    store.reset()
    assert store.counts() == {}
    store.import_state(state)
    assert store.get("kind", "a") == {"v": [1, 2]}


def test_a_document_that_cannot_be_saved_is_refused_before_anything_lands():
    store = Store()
    with pytest.raises(TypeError):
        with store.transaction() as tx:
            tx.put("kind", "ok", {"v": 1})
            tx.put("kind", "bad", {"v": object()})
    assert store.get("kind", "ok") is None
