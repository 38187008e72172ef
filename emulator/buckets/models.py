"""Buckets and objects, kept by moto and reached only through boto3.

In-process, ``mock_aws`` is active and boto3 is intercepted; in server mode the emulator runs moto's S3 server in a
thread and points boto3 at it, so the buckets the emulator reads are the ones users create with ``endpoint_url``.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from urllib.parse import quote, urlencode

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, hmac
from moto.core import DEFAULT_ACCOUNT_ID
from moto.s3.models import s3_backends
from moto.utilities.utils import get_partition

from emulator.buckets import exceptions as exc
from emulator.buckets.object_urls import UnparseableObjectUrl, resolve_object_url
from emulator.buckets.persistence import BucketDirectory

REGION = "us-east-1"
FAKE_CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


def s3_client(endpoint_url: str | None = None, access_key_id: str | None = None):
    """A boto3 S3 client for the emulator's buckets (path-style, fake credentials, never real AWS); the access key id
    is the control token when the emulator has one (its S3 port's writes require it)."""
    return boto3.client(
        "s3", region_name=REGION, endpoint_url=endpoint_url,
        config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}),
        aws_access_key_id=access_key_id or FAKE_CREDENTIALS["aws_access_key_id"],
        aws_secret_access_key=FAKE_CREDENTIALS["aws_secret_access_key"],
    )


class BucketBackend:
    def __init__(self, endpoint_url: str | None = None, access_key_id: str | None = None):
        self.endpoint_url = endpoint_url
        self.client = s3_client(endpoint_url, access_key_id)

    def put_object(self, bucket: str, key: str, data: bytes) -> dict:
        self._ensure_bucket(bucket)
        self.client.put_object(Bucket=bucket, Key=key, Body=data)
        return {"bucket": bucket, "key": key, "size": len(data)}

    def get_object(self, bucket: str, key: str) -> bytes:
        try:
            return self.client.get_object(Bucket=bucket, Key=key)["Body"].read()
        except ClientError as e:
            if e.response["Error"]["Code"] in ("NoSuchKey", "NoSuchBucket", "404"):
                raise exc.ObjectNotFound(bucket, key) from None
            raise

    def bucket_names(self) -> list[str]:
        return [b["Name"] for b in self.client.list_buckets().get("Buckets", [])]

    def reset(self) -> None:
        for bucket in self.bucket_names():
            paginator = self.client.get_paginator("list_object_versions")
            for page in paginator.paginate(Bucket=bucket):
                doomed = [{"Key": v["Key"], "VersionId": v["VersionId"]}
                          for v in page.get("Versions", []) + page.get("DeleteMarkers", [])]
                if doomed:
                    self.client.delete_objects(Bucket=bucket, Delete={"Objects": doomed, "Quiet": True})
            self.client.delete_bucket(Bucket=bucket)

    def forget_process_buckets(self) -> None:
        """Empty moto's buckets straight in moto, as mock_aws does on entry: while a served emulator starts, its S3
        server answers no one, itself included."""
        moto_s3().reset()

    def read_object(self, bucket: str, key: str) -> tuple[bytes, str | None, dict] | None:
        """An object's bytes, content type and user metadata, or None if it does not exist."""
        try:
            reply = self.client.get_object(Bucket=bucket, Key=key)
        except ClientError as e:
            if e.response["Error"]["Code"] in ("NoSuchKey", "NoSuchBucket", "404"):
                return None
            raise
        return reply["Body"].read(), reply.get("ContentType"), reply.get("Metadata", {})

    def object_keys(self, bucket: str) -> list[str]:
        return [entry["Key"] for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=bucket)
                for entry in page.get("Contents", [])]

    def save_to(self, directory: BucketDirectory) -> None:
        """Write every bucket's objects to the directory, and remove what it holds of objects and buckets gone."""
        names = self.bucket_names()
        for bucket in set(directory.buckets()) - set(names):
            directory.remove_bucket(bucket)
        for bucket in names:
            directory.create_bucket(bucket)
            keys = self.object_keys(bucket)
            for key in keys:
                saved = self.read_object(bucket, key)
                if saved is not None:
                    directory.write_object(bucket, key, *saved)
            directory.keep_only(bucket, keys)

    def load_from(self, directory: BucketDirectory) -> int:
        """Put back the objects a previous run saved; returns how many. They go straight into moto (a put through
        boto3 and the S3 server cost ~10 ms, which made a restart take 10 s per thousand saved objects)."""
        s3 = moto_s3()
        count = 0
        for bucket in directory.buckets():
            if bucket not in s3.buckets:
                s3.create_bucket(bucket, REGION)
            for key, data, content_type, metadata in directory.objects(bucket):
                stored = s3.put_object(bucket, key, data, disable_notification=True)
                headers = {"Content-Type": content_type} if content_type else {}
                stored.set_metadata({**headers, **{f"x-amz-meta-{name}": value for name, value in metadata.items()}})
                count += 1
        return count

    def _ensure_bucket(self, bucket: str) -> None:
        try:
            self.client.head_bucket(Bucket=bucket)
        except ClientError:
            try:
                self.client.create_bucket(Bucket=bucket)
            except ClientError as e:
                raise exc.InvalidBucketName(bucket, e.response["Error"]["Message"]) from None


def moto_s3():
    """moto's S3 backend of the process, the one mock_aws and the S3 server both serve (the fake credentials'
    account)."""
    return s3_backends[DEFAULT_ACCOUNT_ID][get_partition(REGION)]


class MediaSigner:
    """Signed URLs served by the emulator: an HMAC-SHA256 over the URL's path and its expiry, so a link works
    without credentials until it expires and a changed path, expiry or signature is refused."""

    def __init__(self, secret: bytes, external_url: str | None, ttl_seconds: int = 3600):
        self.secret = secret
        self.external_url = external_url.rstrip("/") if external_url else None
        self.ttl_seconds = ttl_seconds

    def served_at(self, url: str) -> None:
        """Where the emulator is reached, unless an --external-url was configured."""
        self.external_url = self.external_url or url.rstrip("/")

    def _mac(self, path: str, expires: str) -> hmac.HMAC:
        mac = hmac.HMAC(self.secret, hashes.SHA256())
        mac.update(f"{path}\n{expires}".encode("utf-8"))
        return mac

    def sign(self, path: str) -> str:
        expires = str(int(time.time()) + self.ttl_seconds)
        signature = self._mac(path, expires).finalize().hex()
        return f"{self.external_url}{path}?{urlencode({'expires': expires, 'signature': signature})}"

    def sign_object(self, bucket: str, key: str) -> str:
        return self.sign(object_path(bucket, key))

    def sign_object_url(self, url: str | None) -> str | None:
        """A signed emulator link to the object an object URL names (a URL that names none is kept as it is)."""
        try:
            location = resolve_object_url(url or "")
        except UnparseableObjectUrl:
            return url
        return self.sign_object(location.bucket, location.key)

    def verify(self, path: str, query: Mapping[str, str]) -> None:
        """Refuse a link to ``path`` whose query (``expires``, ``signature``) is missing, altered or expired."""
        expires, signature = query.get("expires"), query.get("signature")
        if not expires or not signature or not expires.isdigit():
            raise exc.InvalidSignedUrl("The signed URL lacks its expires or signature parameter.")
        try:
            self._mac(path, expires).verify(bytes.fromhex(signature))
        except (InvalidSignature, ValueError):
            raise exc.InvalidSignedUrl("The URL signature does not match.") from None
        if int(expires) < time.time():
            raise exc.InvalidSignedUrl(f"The signed URL expired at {int(expires)} (Unix time).")


def object_path(bucket: str, key: str) -> str:
    """Where the emulator serves an object behind a signed URL (the route in buckets/urls.py)."""
    return f"/signed/{quote(bucket)}/{quote(key)}"
