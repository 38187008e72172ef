"""Seed 002's scripts ("Import Data from OTC"), as printed, run by one ``encord`` release (tests/sdk_matrix).

``python seed_002.py LOCATION`` starts an in-process emulator (``mock_encord``: the scripts keep the SDK's default
domain, as printed), gives the user the seed's OTC integration over the bucket its JSON example names, then runs
the seed's dataset script with ``StorageLocation.LOCATION`` (``OTC`` is the seed's; releases after 0.1.121 call it
``S3_COMPATIBLE``) and its JSON upload script, with only their placeholders filled in as the seed says. It prints
one JSON line: what the scripts printed and the dataset's rows afterwards.
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
import tempfile
from pathlib import Path

import media_factory as mf

from emulator.buckets.object_urls import resolve_object_url
from emulator.mock import mock_encord
from emulator.testing import EmulatorHandle

SCRIPTS = Path(__file__).resolve().parents[1] / "data" / "seed_002"
EXAMPLE = SCRIPTS / "05_images_otc.json"
TITLE = "Training Data Dataset 1"


def run_script(name: str, placeholders: dict) -> str:
    text = (SCRIPTS / name).read_text(encoding="utf-8")
    for placeholder, value in placeholders.items():
        assert placeholder in text, f"{name} has no {placeholder}"
        text = text.replace(placeholder, value)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(text, name, "exec"), {"__name__": "__main__"})
    return printed.getvalue()


def main(location: str) -> None:
    with mock_encord() as mock, tempfile.TemporaryDirectory() as folder:
        handle = EmulatorHandle(mock.url, None, mock.backend)
        user = handle.register_user("chris@example.com")
        key = Path(folder) / "encord-ssh-private-key.txt"
        key.write_text(user.private_key, encoding="ascii")
        handle.add_integration("OTC", "OTC", ["encord-bucket"], write=True)
        spec = json.loads(EXAMPLE.read_text(encoding="utf-8"))
        for item in spec["images"]:
            location_of = resolve_object_url(item["objectUrl"])
            handle.put_object(location_of.bucket, location_of.key, mf.jpeg())

        created = run_script("create_dataset.py", {"<private_key_path>": str(key), "<Dataset_Title>": TITLE,
                                                   "StorageLocation.OTC": f"StorageLocation.{location}"})
        client = handle.user_client(user.email)
        [listed] = client.get_datasets()
        dataset_hash = (listed["dataset"] if isinstance(listed, dict) else listed).dataset_hash
        uploaded = run_script("upload_json.py", {"<private_key_path>": str(key), "<dataset_hash>": dataset_hash,
                                                 "path/to/json/file.json": str(EXAMPLE)})
        rows = sorted(row.title for row in client.get_dataset(dataset_hash).data_rows)
    print("SCENARIO " + json.dumps({"created": created, "uploaded": uploaded, "rows": rows}))


if __name__ == "__main__":
    main(sys.argv[1])
