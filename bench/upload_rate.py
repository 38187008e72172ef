"""Upload-job throughput against its floor: units per second for an upload of N images through the real SDK,
and, in the same run, the rate of simply reading those objects from moto with boto3.

    .venv/bin/python bench/upload_rate.py [--images 2000]
"""

import argparse
import io
import time

from encord.orm.dataset import StorageLocation
from PIL import Image

from emulator import EmulatorConfig, mock_encord
from emulator.testing import EmulatorHandle

BUCKET = "bench-bucket"


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--images", type=int, default=2000)
    args = parser.parse_args()
    with mock_encord(EmulatorConfig()) as mock:
        emulator = EmulatorHandle(mock.url, None, mock.backend)
        s3 = emulator.s3
        s3.create_bucket(Bucket=BUCKET)
        data = png()
        keys = [f"images/{i:05}.png" for i in range(args.images)]
        for key in keys:
            s3.put_object(Bucket=BUCKET, Key=key, Body=data)

        started = time.perf_counter()
        for key in keys:
            s3.get_object(Bucket=BUCKET, Key=key)["Body"].read()
        floor = args.images / (time.perf_counter() - started)

        client = emulator.user_client()
        integration = emulator.add_integration("bench", "AWS", [BUCKET])
        dataset = client.get_dataset(client.create_dataset("bench", StorageLocation.AWS).dataset_hash)
        spec = {"images": [{"objectUrl": f"s3://{BUCKET}/{key}"} for key in keys]}
        started = time.perf_counter()
        job = dataset.add_private_data_to_dataset_start(integration["id"], spec)
        result = dataset.add_private_data_to_dataset_get_result(job, timeout_seconds=600)
        elapsed = time.perf_counter() - started
        assert result.units_done_count == args.images, result
        rate = args.images / elapsed
    print(f"images: {args.images}")
    print(f"boto3 get_object from moto (the floor): {floor:8.1f} objects/s")
    print(f"upload job through the SDK:            {rate:8.1f} units/s  ({elapsed:.1f} s, status {result.status.value})")
    print(f"ratio upload/floor: {rate / floor:.2f}")


if __name__ == "__main__":
    main()
