"""Buckets and objects, kept by moto and reached only through boto3.

In-process, ``mock_aws`` is active and boto3 is intercepted; in server mode the emulator runs moto's S3 server in a
thread and points boto3 at it, so the buckets the emulator reads are the ones users create with ``endpoint_url``.
"""

from __future__ import annotations

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from emulator.buckets import exceptions as exc

REGION = "us-east-1"
FAKE_CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


def s3_client(endpoint_url: str | None = None):
    """A boto3 S3 client for the emulator's buckets (path-style, fake credentials, never real AWS)."""
    return boto3.client(
        "s3", region_name=REGION, endpoint_url=endpoint_url,
        config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}), **FAKE_CREDENTIALS,
    )


class BucketBackend:
    def __init__(self, endpoint_url: str | None = None):
        self.endpoint_url = endpoint_url
        self.client = s3_client(endpoint_url)

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

    def _ensure_bucket(self, bucket: str) -> None:
        try:
            self.client.head_bucket(Bucket=bucket)
        except ClientError:
            try:
                self.client.create_bucket(Bucket=bucket)
            except ClientError as e:
                raise exc.InvalidBucketName(bucket, e.response["Error"]["Message"]) from None
