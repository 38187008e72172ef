"""Store cost per operation as the store grows: microseconds per put (new document), get, update and delete with
1k, 10k and 100k documents (about 0.4 KB each) already stored, in memory and with a data directory; beside a plain
single TinyDB table doing the same insert, the cost the sharding removes. Then the cost of finding the 10 documents
of one group (say the data rows of one dataset) among all the others: through the field's index, and by a scan.

    .venv/bin/python bench/store_cost.py [--sizes 1000,10000,100000] [--ops 300]
"""

import argparse
import tempfile
import time

from tinydb import TinyDB
from tinydb.storages import MemoryStorage

from emulator.core.store import STATE_FORMAT, STATE_VERSION, Store

PAYLOAD = {"title": "x" * 200, "meta": {"width": 640, "height": 480, "tags": ["a", "b", "c"]}, "text": "y" * 120}


def filled_store(size: int, data_dir: str | None) -> Store:
    store = Store(data_dir)
    store.import_state({"format": STATE_FORMAT, "version": STATE_VERSION,
                        "tables": {"doc": {f"k{i}": {**PAYLOAD, "i": i} for i in range(size)}}})
    return store


def per_op(fn, ops: int) -> float:
    started = time.perf_counter()
    for i in range(ops):
        fn(i)
    return (time.perf_counter() - started) / ops * 1e6


def measure_store(size: int, data_dir: str | None, ops: int) -> dict:
    store = filled_store(size, data_dir)
    result = {
        "put": per_op(lambda i: store.put("doc", f"new{i}", {**PAYLOAD, "i": i}), ops),
        "get": per_op(lambda i: store.get("doc", f"k{(i * 7919) % size}"), ops),
        "update": per_op(lambda i: store.put("doc", f"k{(i * 7919) % size}", {**PAYLOAD, "i": -i}), ops),
        "delete": per_op(lambda i: store.delete("doc", f"new{i}"), ops),
    }
    store.close()
    return result


def measure_find(size: int, ops: int) -> tuple[float, float]:
    store = filled_store(size, None)
    store.index("doc", "group")
    for i in range(10):
        store.put("doc", f"small{i}", {**PAYLOAD, "group": "small"})
    indexed = per_op(lambda i: store.find_by("doc", "group", ["small"]), ops)
    scanned = per_op(lambda i: store.find("doc", lambda d: d.get("group") == "small"), max(ops // 30, 3))
    return indexed, scanned


def measure_plain_tinydb(size: int, ops: int) -> float:
    table = TinyDB(storage=MemoryStorage).table("doc")
    table.insert_multiple({**PAYLOAD, "i": i} for i in range(size))
    return per_op(lambda i: table.insert({**PAYLOAD, "i": i}), ops)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--ops", type=int, default=300)
    args = parser.parse_args()
    print(f"{'stored':>8} {'mode':<9} {'put µs':>8} {'get µs':>8} {'update µs':>10} {'delete µs':>10}"
          f" {'plain TinyDB insert µs':>23}")
    for size in (int(s) for s in args.sizes.split(",")):
        plain = measure_plain_tinydb(size, min(args.ops, 100))
        for mode in ("memory", "data-dir"):
            with tempfile.TemporaryDirectory() as directory:
                r = measure_store(size, directory if mode == "data-dir" else None, args.ops)
            print(f"{size:>8} {mode:<9} {r['put']:>8.0f} {r['get']:>8.0f} {r['update']:>10.0f} {r['delete']:>10.0f}"
                  f" {plain:>23.0f}")
    print(f"\n{'stored':>8} {'find 10 by index µs':>20} {'find 10 by scan µs':>20}")
    for size in (int(s) for s in args.sizes.split(",")):
        indexed, scanned = measure_find(size, args.ops)
        print(f"{size:>8} {indexed:>20.0f} {scanned:>20.0f}")


if __name__ == "__main__":
    main()
