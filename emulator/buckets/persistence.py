"""The objects of moto's buckets kept in a data directory, so a sandbox's buckets survive restarts and crashes.

moto keeps objects in memory only. With a data directory every object is also a file,
``<dir>/buckets/<bucket>/<sha256 of the key>.object``: one JSON header line (key, content type, user metadata), then
the bytes, written atomically, so a crash leaves each object whole or absent. A folder is only ever a valid bucket
name's, and every file written or deleted is proved to lie in its folder first, so no name leads outside. In server
mode every write that reaches moto's S3 API is mirrored before its answer goes out (``emulator/buckets/s3_port.py``),
so an acknowledged write survives ``kill -9``. In-process, the buckets are written out when the emulator stops.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
from pathlib import Path
from typing import Iterable, Iterator

from emulator.buckets.models import bucket_name_problem, check_bucket_name
from emulator.core.paths import contained
from emulator.core.store import write_atomically

log = logging.getLogger("encord_emulator.buckets")

SUFFIX = ".object"
BUCKETS_DIR = "buckets"  # under the data directory, beside the store's snapshot and journal


def bucket_directory(data_dir: str | Path | None) -> "BucketDirectory | None":
    return BucketDirectory(contained(Path(data_dir), BUCKETS_DIR)) if data_dir is not None else None


class BucketDirectory:
    """One directory per bucket, one file per object."""

    def __init__(self, directory: Path):
        self.directory = directory

    def _folder(self, bucket: str) -> Path:
        check_bucket_name(bucket)
        return contained(self.directory, bucket)

    def _path(self, bucket: str, key: str) -> Path:
        return contained(self._folder(bucket), hashlib.sha256(key.encode("utf-8")).hexdigest() + SUFFIX)

    def write_object(self, bucket: str, key: str, data: bytes, content_type: str | None, metadata: dict) -> None:
        header = json.dumps({"key": key, "content_type": content_type, "metadata": metadata}).encode("utf-8")
        path = self._path(bucket, key)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, header + b"\n" + data)

    def remove_object(self, bucket: str, key: str) -> None:
        self._path(bucket, key).unlink(missing_ok=True)

    def create_bucket(self, bucket: str) -> None:
        self._folder(bucket).mkdir(parents=True, exist_ok=True)

    def remove_bucket(self, bucket: str) -> None:
        shutil.rmtree(self._folder(bucket), ignore_errors=True)

    def keep_only(self, bucket: str, keys: Iterable[str]) -> None:
        """Remove the files of objects the bucket no longer holds."""
        folder = self._folder(bucket)
        kept = {self._path(bucket, key).name for key in keys}
        for path in folder.glob("*" + SUFFIX):
            if path.name not in kept:
                contained(folder, path.name).unlink(missing_ok=True)

    def buckets(self) -> list[str]:
        """The saved buckets: the folders with a valid bucket name (nothing else here is a bucket's, nor is a link
        that leads elsewhere)."""
        if not self.directory.is_dir():
            return []
        return sorted(p.name for p in self.directory.iterdir()
                      if p.is_dir() and not p.is_symlink() and bucket_name_problem(p.name) is None)

    def objects(self, bucket: str) -> Iterator[tuple[str, bytes, str | None, dict]]:
        """(key, bytes, content type, user metadata) of every object saved in a bucket."""
        for path in sorted(self._folder(bucket).glob("*" + SUFFIX)):
            header, _, data = path.read_bytes().partition(b"\n")
            meta = json.loads(header)
            yield meta["key"], data, meta["content_type"], meta["metadata"]
