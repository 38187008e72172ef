"""Request rate of the real SDK's get_dataset in-process (mock_encord), against moto's in-process S3 head_object rate
in the same run: how the emulator's per-request cost compares with moto's.

    .venv/bin/python bench/request_rate.py [--seconds 3]
"""

import argparse
import time

from encord.orm.dataset import StorageLocation

from emulator import EmulatorConfig, mock_encord
from emulator.testing import EmulatorHandle


def rate(fn, seconds: float) -> float:
    count, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        fn()
        count += 1
    return count / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    with mock_encord(EmulatorConfig()) as mock:
        emulator = EmulatorHandle(mock.url, None, mock.backend)
        client = emulator.user_client()
        dataset_hash = client.create_dataset("bench", StorageLocation.AWS).dataset_hash
        emulator.s3.create_bucket(Bucket="bench")
        emulator.s3.put_object(Bucket="bench", Key="k", Body=b"v")
        client.get_dataset(dataset_hash)  # warm up both paths once
        emulator.s3.head_object(Bucket="bench", Key="k")
        sdk = rate(lambda: client.get_dataset(dataset_hash), args.seconds)
        moto = rate(lambda: emulator.s3.head_object(Bucket="bench", Key="k"), args.seconds)
    print(f"SDK get_dataset through mock_encord: {sdk:8.1f} requests/s")
    print(f"boto3 head_object through mock_aws:  {moto:8.1f} requests/s")
    print(f"ratio emulator/moto: {sdk / moto:.2f}")


if __name__ == "__main__":
    main()
