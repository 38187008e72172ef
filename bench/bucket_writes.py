"""What the buckets' write-through to a data directory costs: boto3 put_object against the emulator's S3 server,
without a data directory (moto's memory only) and with one (each object also written and fsynced before the answer).

    .venv/bin/python bench/bucket_writes.py [--objects 500] [--size 65536]
"""

import argparse
import os
import tempfile
import time

from emulator import EmulatorConfig, ThreadedEncordServer
from emulator.buckets.models import s3_client


def puts_per_second(data_dir: str | None, objects: int, body: bytes) -> float:
    with ThreadedEncordServer(config=EmulatorConfig(data_dir=data_dir)) as server:
        s3 = s3_client(server.s3.url)
        s3.create_bucket(Bucket="bench")
        s3.put_object(Bucket="bench", Key="warm-up", Body=body)
        started = time.perf_counter()
        for i in range(objects):
            s3.put_object(Bucket="bench", Key=f"object-{i}", Body=body)
        elapsed = time.perf_counter() - started
        server.backend.reset()  # moto's buckets are process-wide: leave none for the next run
    return objects / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--objects", type=int, default=500)
    parser.add_argument("--size", type=int, default=64 * 1024, help="bytes per object")
    args = parser.parse_args()
    body = os.urandom(args.size)
    memory = puts_per_second(None, args.objects, body)
    with tempfile.TemporaryDirectory() as data_dir:
        durable = puts_per_second(data_dir, args.objects, body)
    print(f"{args.objects} put_object of {args.size} bytes through the emulator's S3 server")
    print(f"  in memory:               {memory:8.1f} objects/s")
    print(f"  with a data directory:   {durable:8.1f} objects/s (each on disk before it is answered)")
    print(f"  ratio durable/memory: {durable / memory:.2f}")


if __name__ == "__main__":
    main()
