"""Object URLs in every form users write, resolved to the bucket and key of the emulator's (moto) buckets."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit


@dataclass(frozen=True)
class ObjectLocation:
    url: str
    bucket: str
    key: str
    style: str


class UnparseableObjectUrl(ValueError):
    pass


# (style, host pattern, where the bucket is: "host" = the named group, "path" = the first path segment)
HOST_FORMS = (
    ("s3-virtual-hosted", re.compile(r"^(?P<bucket>[^.]+(?:\.[^.]+)*?)\.s3[.-](?:[a-z0-9-]+\.)*amazonaws\.com$"), "host"),
    ("s3-virtual-hosted", re.compile(r"^(?P<bucket>.+)\.s3\.amazonaws\.com$"), "host"),
    ("s3-path", re.compile(r"^s3(?:[.-][a-z0-9-]+)*\.amazonaws\.com$"), "path"),
    ("otc-virtual-hosted", re.compile(r"^(?P<bucket>.+)\.obs(?:\.[a-z0-9-]+)?\.otc\.t-systems\.com$"), "host"),
    ("otc-path", re.compile(r"^obs(?:\.[a-z0-9-]+)?\.otc\.t-systems\.com$"), "path"),
    ("gcs-https", re.compile(r"^storage\.(?:googleapis|cloud\.google)\.com$"), "path"),
    ("gcs-virtual-hosted", re.compile(r"^(?P<bucket>.+)\.storage\.googleapis\.com$"), "host"),
    ("azure-blob", re.compile(r"^[a-z0-9]+\.blob\.core\.windows\.net$"), "path"),
    ("wasabi", re.compile(r"^(?P<bucket>.+)\.s3(?:\.[a-z0-9-]+)?\.wasabisys\.com$"), "host"),
    ("wasabi", re.compile(r"^s3(?:\.[a-z0-9-]+)?\.wasabisys\.com$"), "path"),
)
SCHEMES = {"s3": "s3", "gs": "gcs"}
# Encord's own storage (StorageLocation.CORD_STORAGE), a bucket of the emulator's: its files are linked by their
# internal path, ``<bucket>/<key>`` without a scheme, as the SDK documents a data row's file_link there.
ENCORD_STORAGE_BUCKET = "encord-storage"


def resolve_object_url(url: str) -> ObjectLocation:
    if url.startswith("<") or url.endswith(">"):  # documentation placeholders, and a copy-paste bug of its examples
        raise UnparseableObjectUrl(f"The object URL {url} is wrapped in angle brackets; remove the < and >.")
    if re.search(r"\s", url):
        raise UnparseableObjectUrl(f"The object URL {url!r} contains whitespace.")
    parts = urlsplit(url)
    if not parts.scheme and url.startswith(ENCORD_STORAGE_BUCKET + "/"):
        return _location(url, ENCORD_STORAGE_BUCKET, url[len(ENCORD_STORAGE_BUCKET) + 1:], "encord-storage")
    if parts.scheme in SCHEMES:
        return _location(url, parts.netloc, parts.path.lstrip("/"), SCHEMES[parts.scheme])
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnparseableObjectUrl(f"The object URL {url} is not an s3://, gs:// or http(s):// URL of an object.")
    host = parts.hostname
    for style, pattern, bucket_in in HOST_FORMS:
        match = pattern.match(host)
        if match:
            if bucket_in == "host":
                return _location(url, match["bucket"], parts.path.lstrip("/"), style)
            bucket, _, key = parts.path.lstrip("/").partition("/")
            return _location(url, bucket, key, style)
    bucket, _, key = parts.path.lstrip("/").partition("/")  # any other endpoint: S3-compatible, path-style
    return _location(url, bucket, key, "path-style")


def _location(url: str, bucket: str, key: str, style: str) -> ObjectLocation:
    if not bucket:
        raise UnparseableObjectUrl(f"The object URL {url} names no bucket.")
    if not key:
        raise UnparseableObjectUrl(f"The object URL {url} names no object in bucket '{bucket}'.")
    return ObjectLocation(url=url, bucket=bucket, key=unquote(key), style=style)
