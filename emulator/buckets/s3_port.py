"""The emulator's S3 port: moto's S3 server, behind what the emulator adds to it.

* With a control token, writes need it (``s3_write_allowed``); reads stay open, as moto's are.
* moto's own control routes (``/moto-api/...``) are refused: a reset there would empty the buckets behind the
  emulator's back, leaving their copies on disk and the store that names them.
* The bucket and key a request addresses are read as moto reads them (the bucket as it is in the path, or the host's
  first label; the key percent-decoded once) and checked with S3's naming rules before moto sees the request.
* With a data directory, each write is mirrored on disk before it is answered: after moto answers, the files of what
  the request addressed are made to match what moto then holds.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Callable, Iterable
from urllib.parse import parse_qs, unquote
from xml.sax.saxutils import escape

from moto.core.request import Request
from moto.s3.responses import S3Response, parse_key_name
from moto.s3.utils import bucket_name_from_url
from moto.s3bucket_path.utils import bucket_name_from_url as path_style_bucket
from moto.s3bucket_path.utils import parse_key_name as path_style_key

from emulator.buckets import exceptions as exc
from emulator.buckets.models import BucketBackend, check_bucket_name, check_object_key
from emulator.buckets.persistence import BucketDirectory
from emulator.control.access import s3_write_allowed
from emulator.core.errors import EmulatorError

MOTO_API_PREFIX = "/moto-api"  # what moto's dispatcher routes to its own control API
WRITES = ("PUT", "POST", "DELETE", "PATCH")
REFUSALS = (exc.S3WriteNeedsControlToken, exc.MotoApiNotServed, exc.UnreadableHost, exc.InvalidBucketName, exc.InvalidObjectKey)


def addressed(environ: dict) -> tuple[str | None, str]:
    """The bucket (None for the service itself) and key (empty for a bucket) an S3 request addresses, with moto's
    own parsing: the mirror must name on disk exactly what moto stored."""
    request = Request(environ, populate_request=False)
    path = unquote(request.raw_path)
    if S3Response.subdomain_based_buckets(request):
        return bucket_name_from_url(request.raw_url), parse_key_name(path)
    return path_style_bucket(request.raw_url), path_style_key(path)


def check_request(environ: dict, control_token: str | None) -> tuple[str | None, str]:
    """Refuse what the S3 port does not serve; otherwise the bucket and key the request addresses."""
    if environ.get("REQUEST_METHOD") in WRITES and not s3_write_allowed(
            control_token, environ.get("HTTP_AUTHORIZATION", ""), environ.get("QUERY_STRING", "")):
        raise exc.S3WriteNeedsControlToken()
    if (environ.get("PATH_INFO") or "").startswith(MOTO_API_PREFIX):
        raise exc.MotoApiNotServed(environ["PATH_INFO"])
    try:
        bucket, key = addressed(environ)
    except UnicodeError:  # a Host header that is not IDNA, which moto would answer with a 500
        raise exc.UnreadableHost(environ.get("HTTP_HOST", "")) from None
    if bucket is not None:
        check_bucket_name(bucket)
    if key:
        check_object_key(key)
    return bucket, key


def s3_error(error: EmulatorError, start_response: Callable) -> list[bytes]:
    """An error as S3 answers one: its XML body, with the code S3 gives the condition."""
    body = (f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{error.s3_code}</Code>'
            f"<Message>{escape(error.message)}</Message></Error>").encode("utf-8")
    start_response(f"{error.http_status} {HTTPStatus(error.http_status).phrase}",
                   [("Content-Type", "application/xml"), ("Content-Length", str(len(body)))])
    return [body]


class S3Port:
    """WSGI middleware around moto's S3 server (see the module's docstring)."""

    def __init__(self, app: Callable, directory: BucketDirectory | None, control_token: str | None = None):
        self.app = app
        self.directory = directory
        self.control_token = control_token
        self.buckets: BucketBackend | None = None  # bound to this server; writes are mirrored once it is set

    def mirror_to(self, buckets: BucketBackend) -> None:
        self.buckets = buckets

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        try:
            bucket, key = check_request(environ, self.control_token)
        except REFUSALS as e:
            return s3_error(e, start_response)
        if (self.directory is None or self.buckets is None or bucket is None
                or environ.get("REQUEST_METHOD") not in WRITES):
            return self.app(environ, start_response)
        body = list(self.app(environ, start_response))  # the write is done once moto's answer is complete
        self._mirror(environ, bucket, key)
        return body

    def _mirror(self, environ: dict, bucket: str, key: str) -> None:
        """Make the files of what the request addressed match what moto holds now, whatever it answered."""
        method = environ["REQUEST_METHOD"]
        query = parse_qs(environ.get("QUERY_STRING") or "", keep_blank_values=True)
        if "uploadId" in query and not (method == "POST" and key):
            return  # a part of a multipart upload: the object appears when the upload completes
        if key:
            saved = self.buckets.read_object(bucket, key)
            if saved is None:
                self.directory.remove_object(bucket, key)
            else:
                self.directory.write_object(bucket, key, *saved)
        elif not self.buckets.bucket_exists(bucket):
            self.directory.remove_bucket(bucket)
        elif method == "POST" and "delete" in query:
            self.directory.keep_only(bucket, self.buckets.object_keys(bucket))
        elif method == "POST":  # a browser form upload: its key is in the form, which moto has read
            self.buckets.save_bucket(bucket, self.directory)
        else:
            self.directory.create_bucket(bucket)
