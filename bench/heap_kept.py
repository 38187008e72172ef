"""What a bundled initialise_labels + save of N rows leaves behind in-process: the objects the garbage collector
tracks that are still alive once the test's own references are gone. Every full collection of the process walks
them (and all of the SDK's, boto3's and moto's), so what the emulator keeps per request is paid on every later
full collection: the stored label rows are the user's state; anything else is the emulator's overhead.

    .venv/bin/python bench/heap_kept.py [--rows 1000]
"""

import argparse
import gc

from share import BUCKET, initialise_and_save, project_of

from emulator import EmulatorConfig, mock_encord
from emulator.testing import EmulatorHandle


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1000)
    args = parser.parse_args()
    with mock_encord(EmulatorConfig()) as mock:
        emulator = EmulatorHandle(mock.url, None, mock.backend)
        client = emulator.user_client()
        emulator.s3.create_bucket(Bucket=BUCKET)
        integration = emulator.add_integration("bench", "AWS", [BUCKET])
        _, project = project_of(emulator, client, integration, args.rows, "bench")
        gc.collect()
        before = len(gc.get_objects())
        initialise_and_save(project)(project.list_label_rows_v2())
        gc.collect()
        kept = len(gc.get_objects()) - before
        print(f"tracked objects kept after a bundle of {args.rows} rows: {kept} "
              f"(the store: {mock.backend.store.count('label_row')} label rows)")


if __name__ == "__main__":
    main()
