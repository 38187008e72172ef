"""The objects of moto's buckets kept in a data directory, so a sandbox's buckets survive restarts and crashes.

moto keeps objects in memory only. With a data directory every object is also a file,
``<dir>/<bucket>/<sha256 of the key>.object``: one JSON header line (key, content type, user metadata), then the
bytes, written atomically, so a crash leaves each object whole or absent. In server mode every write that reaches
moto's S3 API (the emulator's own and users' boto3 calls alike) is mirrored before its answer goes out, so an
acknowledged write survives ``kill -9``. In-process, the buckets are written out when the emulator stops.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import logging
import shutil
from pathlib import Path
from typing import Callable, Iterable, Iterator
from urllib.parse import parse_qs, unquote

from emulator.core.store import write_atomically

log = logging.getLogger("encord_emulator.buckets")

SUFFIX = ".object"
BUCKETS_DIR = "buckets"  # under the data directory, beside the store's snapshot and journal


def bucket_directory(data_dir: str | Path | None) -> "BucketDirectory | None":
    return BucketDirectory(Path(data_dir) / BUCKETS_DIR) if data_dir is not None else None


class BucketDirectory:
    """One directory per bucket, one file per object."""

    def __init__(self, directory: Path):
        self.directory = directory

    def _path(self, bucket: str, key: str) -> Path:
        return self.directory / bucket / (hashlib.sha256(key.encode("utf-8")).hexdigest() + SUFFIX)

    def write_object(self, bucket: str, key: str, data: bytes, content_type: str | None, metadata: dict) -> None:
        header = json.dumps({"key": key, "content_type": content_type, "metadata": metadata}).encode("utf-8")
        (self.directory / bucket).mkdir(parents=True, exist_ok=True)
        write_atomically(self._path(bucket, key), header + b"\n" + data)

    def remove_object(self, bucket: str, key: str) -> None:
        self._path(bucket, key).unlink(missing_ok=True)

    def create_bucket(self, bucket: str) -> None:
        (self.directory / bucket).mkdir(parents=True, exist_ok=True)

    def remove_bucket(self, bucket: str) -> None:
        shutil.rmtree(self.directory / bucket, ignore_errors=True)

    def keep_only(self, bucket: str, keys: Iterable[str]) -> None:
        """Remove the files of objects the bucket no longer holds."""
        kept = {self._path(bucket, key).name for key in keys}
        for path in (self.directory / bucket).glob("*" + SUFFIX):
            if path.name not in kept:
                path.unlink(missing_ok=True)

    def buckets(self) -> list[str]:
        return sorted(p.name for p in self.directory.iterdir() if p.is_dir()) if self.directory.is_dir() else []

    def objects(self, bucket: str) -> Iterator[tuple[str, bytes, str | None, dict]]:
        """(key, bytes, content type, user metadata) of every object saved in a bucket."""
        for path in sorted((self.directory / bucket).glob("*" + SUFFIX)):
            header, _, data = path.read_bytes().partition(b"\n")
            meta = json.loads(header)
            yield meta["key"], data, meta["content_type"], meta["metadata"]


def bucket_and_key(environ: dict) -> tuple[str | None, str]:
    """The bucket and key an S3 request addresses: path-style on an IP address or a dotless host (what boto3 sends
    to an ``endpoint_url``), virtual-hosted otherwise (``<bucket>.<host>``), as moto's server reads them."""
    host = (environ.get("HTTP_HOST") or "").rsplit(":", 1)[0].strip("[]")
    path = unquote(environ.get("PATH_INFO") or "/").lstrip("/")
    try:
        ipaddress.ip_address(host)
        path_style = True
    except ValueError:
        path_style = "." not in host
    if path_style:
        bucket, _, key = path.partition("/")
        return bucket or None, key
    return host.split(".", 1)[0], path


class WriteThrough:
    """WSGI middleware around moto's S3 server: each write that succeeded is on disk before it is answered."""

    MUTATING = ("PUT", "POST", "DELETE")

    def __init__(self, app: Callable, directory: BucketDirectory):
        self.app = app
        self.directory = directory
        self.buckets = None  # a BucketBackend bound to this server; writes are mirrored once it is set

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        if self.buckets is None or environ.get("REQUEST_METHOD") not in self.MUTATING:
            return self.app(environ, start_response)
        answered: dict = {}

        def remember(status, headers, exc_info=None):
            answered["status"] = int(status.split(" ", 1)[0])
            return start_response(status, headers, exc_info) if exc_info else start_response(status, headers)

        body = list(self.app(environ, remember))  # the write is done once moto's answer is complete
        if 200 <= answered.get("status", 500) < 300:
            self._mirror(environ)
        return body

    def _mirror(self, environ: dict) -> None:
        bucket, key = bucket_and_key(environ)
        if not bucket:
            return
        method, query = environ["REQUEST_METHOD"], parse_qs(environ.get("QUERY_STRING") or "",
                                                            keep_blank_values=True)
        if "uploadId" in query and not (method == "POST" and key):
            return  # a part of a multipart upload: the object appears when the upload completes
        if not key:
            if method == "DELETE" and not query:
                self.directory.remove_bucket(bucket)
            elif method == "POST" and "delete" in query:
                self.directory.keep_only(bucket, self.buckets.object_keys(bucket))
            else:
                self.directory.create_bucket(bucket)
            return
        if method == "DELETE" and not query:
            self.directory.remove_object(bucket, key)
            return
        saved = self.buckets.read_object(bucket, key)
        if saved is None:
            self.directory.remove_object(bucket, key)
        else:
            self.directory.write_object(bucket, key, *saved)
