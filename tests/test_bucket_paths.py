"""Bucket and key paths are decoded once and checked with S3's naming rules before anything touches the disk: no
request to the S3 port, the control API or a signed link writes or deletes a file outside its bucket's folder of the
data directory, whatever it encodes, and every object that was acknowledged comes back after a restart."""

import contextlib
import http.client
import json
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import pytest
from botocore.exceptions import ClientError

from emulator import EmulatorConfig, ThreadedEncordServer, mock_encord
from emulator.buckets.exceptions import InvalidBucketName, shown
from emulator.buckets.persistence import bucket_directory
from emulator.core.paths import PathOutsideDirectory, contained
from emulator.testing import ControlError, EmulatorHandle

BUCKET = "kept-bucket"

# Bucket names as they appear in a request's path, raw: each is refused, however many times it is encoded.
BAD_BUCKETS = [
    "..", ".", "...", "%2e%2e", "%2E%2E", "%252E%252E", "%25252E%25252E", "%2e", "..%2F..", "%2e%2e%2f%2e%2e",
    "..%5C..", "%5C", "%00", "a%00b", "%2Fetc", "%2541bc", "%41bc", "Abc", "a_b", "a%20b", "a..b", "-abc", "abc-",
    "a" * 64, "b" * 1000, "%C3%A9t%C3%A9", "192.168.5.4", "xn--abc", "sthree-abc", "abc-s3alias", "ab",
]

# Keys as they appear in a request's path after the bucket, raw. S3 accepts each (a key is any 1-1024 bytes of
# UTF-8 that moto can list, ``..`` and slashes included): it is stored once decoded, in a file named by its hash,
# inside the bucket.
AWKWARD_KEYS = [
    "..", "../..", "%2e%2e/%2e%2e/state.json", "%252E%252E/%252E%252E/journal.jsonl", "%25252E%25252E",
    "/etc/passwd", "%2Fetc%2Fpasswd", "..%5C..%5Cstate.json", "\\..\\..\\beside.txt", "./x", "%2e/x",
    "a%252Fb", "%C3%A9t%C3%A9/%E2%9C%93", "%ED%A0%80", "k" * 1022,
]
# Keys refused, with the code S3 answers: too long, or with a character moto cannot list back (a NUL breaks its
# listing of the bucket, which would stop the emulator from resetting or restarting).
REFUSED_KEYS = {"k" * 1025: "KeyTooLongError", "a%00b": "InvalidArgument", "%01": "InvalidArgument",
                "a%0Db": "InvalidArgument"}


# moto answers unsigned requests as S3 answers anonymous ones (a 403 to overwrite an object), and checks no signature
SIGNED = {"Authorization": "AWS4-HMAC-SHA256 Credential=testing/20250101/us-east-1/s3/aws4_request, "
                           "SignedHeaders=host, Signature=0"}


def raw(url: str, method: str, path: str, body: bytes = b"", headers: dict | None = None):
    """A request whose path is sent exactly as given (``requests`` would remove dot segments first)."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        connection.request(method, path, body=body, headers={**SIGNED, **(headers or {})})
        reply = connection.getresponse()
        return reply.status, reply.getheader("Content-Type") or "", reply.read()
    finally:
        connection.close()


def files_outside(root: Path, folder: Path) -> dict[str, bytes | None]:
    """Every file (with its bytes) and directory under ``root``, except those in ``folder``."""
    return {str(p.relative_to(root)): (p.read_bytes() if p.is_file() else None)
            for p in sorted(root.rglob("*")) if p != folder and folder not in p.parents}


def moto_objects(s3, bucket: str) -> dict[str, bytes]:
    keys = [entry["Key"] for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket)
            for entry in page.get("Contents", [])]
    return {key: s3.get_object(Bucket=bucket, Key=key)["Body"].read() for key in keys}


def saved_objects(data_dir: Path, bucket: str) -> dict[str, bytes]:
    return {key: data for key, data, _, _ in bucket_directory(data_dir).objects(bucket)}


@contextlib.contextmanager
def serving(data_dir: Path):
    with ThreadedEncordServer(config=EmulatorConfig(data_dir=str(data_dir))) as server:
        yield server, EmulatorHandle(server.url, server.s3.url, server.backend)


@pytest.fixture
def sandbox(tmp_path):
    """A data directory holding a user and a bucket, beside a file that is no part of it; the data directory's
    path (the emulator serving it is started with ``serving``)."""
    (tmp_path / "beside.txt").write_bytes(b"not the emulator's")
    data_dir = tmp_path / "data"
    with serving(data_dir) as (_, handle):
        handle.register_user("kept@example.com")
        handle.put_object(BUCKET, "first.txt", b"first")
    return data_dir


def restarted(data_dir: Path) -> tuple[list[str], dict[str, bytes]]:
    """The users and the bucket's objects an emulator started again on the data directory finds."""
    with serving(data_dir) as (_, again):
        return [u["email"] for u in again.control("GET", "users")["users"]], moto_objects(again.s3, BUCKET)


def s3_error_code(body: bytes) -> str:
    """The code of an S3 XML error body ("" for any other body)."""
    return body.partition(b"<Code>")[2].partition(b"</Code>")[0].decode()


def signed_path(signer, bucket: str, key: str) -> str:
    url = urlsplit(signer.sign_object(bucket, key))
    return f"{url.path}?{url.query}"


def test_the_two_requests_that_wiped_the_data_directory_are_refused(sandbox, tmp_path):
    before = files_outside(tmp_path, sandbox / "nothing")
    with serving(sandbox) as (server, _):
        for method in ("PUT", "DELETE"):
            status, content_type, body = raw(server.s3.url, method, "/%252E%252E")
            assert (status, s3_error_code(body)) == (400, "InvalidBucketName")
            assert "xml" in content_type
        assert files_outside(tmp_path, sandbox / "nothing") == before
    assert restarted(sandbox) == (["kept@example.com"], {"first.txt": b"first"})


def test_a_bucket_name_is_not_decoded_twice_on_its_way_to_the_disk(sandbox):
    with serving(sandbox) as (server, handle):
        status, _, body = raw(server.s3.url, "PUT", "/%2541bc")
        assert (status, s3_error_code(body)) == (400, "InvalidBucketName")
        assert bucket_directory(sandbox).buckets() == [BUCKET]
        assert [b["Name"] for b in handle.s3.list_buckets()["Buckets"]] == [BUCKET]


def test_an_object_is_saved_under_the_key_moto_stored(sandbox):
    with serving(sandbox) as (server, handle):
        status, _, _ = raw(server.s3.url, "PUT", f"/{BUCKET}/a%252Fb", b"encoded once")
        assert status == 200
        handle.s3.put_object(Bucket=BUCKET, Key="c%2Fd", Body=b"through boto3")
        expected = {"first.txt": b"first", "a%2Fb": b"encoded once", "c%2Fd": b"through boto3"}
        assert moto_objects(handle.s3, BUCKET) == expected
        assert saved_objects(sandbox, BUCKET) == expected


def test_no_traversal_form_reaches_outside_its_bucket_folder(sandbox, tmp_path):
    folder = sandbox / "buckets" / BUCKET
    before = files_outside(tmp_path, folder)
    unexpected = []

    def expect(what, got, wanted):
        if got != wanted:
            unexpected.append((what, got, wanted))

    with serving(sandbox) as (server, handle):
        s3_url, signer = server.s3.url, server.backend.media_signer
        for bucket in BAD_BUCKETS:
            for method, path in (("PUT", f"/{bucket}"), ("PUT", f"/{bucket}/k"), ("GET", f"/{bucket}/k"),
                                 ("DELETE", f"/{bucket}/k"), ("DELETE", f"/{bucket}"), ("POST", f"/{bucket}?delete")):
                status, _, body = raw(s3_url, method, path, b"x" if path.endswith("/k") else b"")
                expect(f"S3 {method} {path}", (status, s3_error_code(body)), (400, "InvalidBucketName"))
            decoded = unquote(bucket).split("/")[0]  # what the control API's route reads as the bucket
            status, _, body = raw(server.url, "PUT", f"/_emulator/buckets/{bucket}/k", b"x")
            if decoded:
                reply = json.loads(body)
                expect(f"control PUT {bucket}", (status, reply["code"], reply["message"].startswith(
                    f"bucket: {shown(decoded)} is not a valid bucket name (")), (400, "INVALID_ARGUMENTS_ERROR", True))
            else:  # a path with "//" once decoded: werkzeug redirects to the path with the slashes merged
                expect(f"control PUT {bucket}", status, 308)
            if "/" not in unquote(bucket):  # a link the route can address
                status, _, body = raw(server.url, "GET", signed_path(signer, unquote(bucket), "k"))
                expect(f"signed GET {bucket}", (status, json.loads(body)["code"]), (404, "RESOURCE_NOT_FOUND_ERROR"))
        for host, code in (("ab.example.com", "InvalidBucketName"), ("-abc.example.com", "InvalidBucketName"),
                           ("..example.com", "InvalidBucketName"), ("xn--abc.example.com", "InvalidURI")):
            status, _, body = raw(s3_url, "PUT", "/k", b"x", headers={"Host": host})  # the bucket is the first label
            expect(f"S3 PUT host {host}", (status, s3_error_code(body)), (400, code))

        acknowledged = {"first.txt": b"first"}
        for n, key in enumerate(AWKWARD_KEYS):
            data = f"object {n}".encode()
            status, _, _ = raw(s3_url, "PUT", f"/{BUCKET}/{key}", data)
            expect(f"S3 PUT key {key[:40]}", status, 200)
            acknowledged[unquote(key)] = data
            status, _, body = raw(server.url, "PUT", f"/_emulator/buckets/{BUCKET}/c-{key}", data)
            expect(f"control PUT key {key[:40]}", (status, json.loads(body)["key"]), (201, unquote(f"c-{key}")))
            acknowledged[unquote(f"c-{key}")] = data
        for key in AWKWARD_KEYS[::2]:
            status, _, _ = raw(s3_url, "DELETE", f"/{BUCKET}/{key}")
            expect(f"S3 DELETE key {key[:40]}", status, 204)
            acknowledged.pop(unquote(key), None)
        for key, code in REFUSED_KEYS.items():
            status, _, body = raw(s3_url, "PUT", f"/{BUCKET}/{key}", b"x")
            expect(f"S3 PUT key {key[:40]}", (status, s3_error_code(body)), (400, code))
            status, _, body = raw(server.url, "PUT", f"/_emulator/buckets/{BUCKET}/{key}", b"x")
            reply = json.loads(body)
            expect(f"control PUT key {key[:40]}", (status, reply["code"], reply["message"].startswith(
                f"key: {shown(unquote(key))} is not a valid object key (")), (400, "INVALID_ARGUMENTS_ERROR", True))
        for key, data in acknowledged.items():
            status, _, body = raw(server.url, "GET", signed_path(signer, BUCKET, key))
            expect(f"signed GET {key[:40]}", (status, body), (200, data))

        assert not unexpected, "\n".join(map(repr, unexpected))
        assert files_outside(tmp_path, folder) == before  # while serving: what a kill -9 now would leave
        assert moto_objects(handle.s3, BUCKET) == acknowledged
        assert saved_objects(sandbox, BUCKET) == acknowledged
        assert all(p.parent == folder and p.name.endswith(".object") for p in folder.iterdir())
    assert restarted(sandbox) == (["kept@example.com"], acknowledged)
    assert (tmp_path / "beside.txt").read_bytes() == b"not the emulator's"


def test_boto3_objects_with_awkward_keys_are_saved_and_come_back(sandbox):
    keys = ["../../state.json", "/etc/passwd", "a\\..\\b", "./x", "ünïcödé/✓.png", "100%", "a%2Fb", "a+b c",
            "tab\there", ".", "..", "k" * 1024]
    expected = {"first.txt": b"first", **{key: key.encode("utf-8") for key in keys}}
    with serving(sandbox) as (_, handle):
        for key in keys:
            handle.s3.put_object(Bucket=BUCKET, Key=key, Body=key.encode("utf-8"))
        for key, code in (("k" * 1025, "KeyTooLongError"), ("a\x00b", "InvalidArgument"), ("a\rb", "InvalidArgument")):
            with pytest.raises(ClientError) as e:
                handle.s3.put_object(Bucket=BUCKET, Key=key, Body=b"x")
            assert e.value.response["Error"]["Code"] == code
        assert saved_objects(sandbox, BUCKET) == expected
    assert restarted(sandbox) == (["kept@example.com"], expected)


BOTO3_BUCKETS_S3_REFUSES = {  # names boto3 lets through to the S3 port (it checks only [a-zA-Z0-9._-])
    "Abc": "only lowercase letters, digits, dots and hyphens are allowed",
    "a_b": "only lowercase letters, digits, dots and hyphens are allowed",
    "...": "it must begin and end with a letter or a digit",
    "a..b": "it has two adjacent periods",
    "192.168.5.4": "it is formatted as an IP address",
    "xn--abc": "the prefix 'xn--' is reserved",
    "amzn-s3-demo-abc": "the prefix 'amzn-s3-demo-' is reserved",
    "abc-s3alias": "the suffix '-s3alias' is reserved",
    "abc.mrap": "the suffix '.mrap' is reserved",
}


def test_boto3_gets_s3s_error_for_a_bucket_name_s3_refuses(sandbox):
    with serving(sandbox) as (_, handle):
        for bucket, why in BOTO3_BUCKETS_S3_REFUSES.items():
            with pytest.raises(ClientError) as e:
                handle.s3.create_bucket(Bucket=bucket)
            assert (e.value.response["ResponseMetadata"]["HTTPStatusCode"], e.value.response["Error"]["Code"],
                    e.value.response["Error"]["Message"]) == (
                400, "InvalidBucketName", f"bucket: {bucket!r} is not a valid bucket name ({why}).")
        assert bucket_directory(sandbox).buckets() == [BUCKET]


def test_motos_own_control_routes_are_refused_on_the_s3_port(sandbox):
    with serving(sandbox) as (server, handle):
        for path in ("/moto-api/reset", "/moto-api/reset-auth", "/moto-api/seed?a=42", "/moto-api/",
                     "/moto-api/data.json", "/moto%2Dapi/reset"):
            for method in ("POST", "GET"):
                status, content_type, body = raw(server.s3.url, method, path)
                assert (status, s3_error_code(body)) == (403, "AccessDenied")
                assert b"POST /_emulator/reset" in body and "xml" in content_type
        assert moto_objects(handle.s3, BUCKET) == {"first.txt": b"first"}
        assert saved_objects(sandbox, BUCKET) == {"first.txt": b"first"}
        assert handle.health()["status"] == "ok"


@pytest.mark.parametrize("bucket, key, message", [
    ("a b", "k", "bucket: 'a b' is not a valid bucket name (only lowercase letters, digits, dots and hyphens are "
                 "allowed)."),
    ("a+b", "k", "bucket: 'a+b' is not a valid bucket name (only lowercase letters, digits, dots and hyphens are "
                 "allowed)."),
    ("été", "k", "bucket: 'été' is not a valid bucket name (only lowercase letters, digits, dots and hyphens are "
                 "allowed)."),
    ("x" * 300, "k", f"bucket: {'x' * 64!r}… is not a valid bucket name (300 characters; a bucket name has 3 to 63)."),
    ("ab", "k", "bucket: 'ab' is not a valid bucket name (2 characters; a bucket name has 3 to 63)."),
    ("fine-bucket", "k" * 1025, f"key: {'k' * 64!r}… is not a valid object key (1025 bytes of UTF-8; a key has at "
                                "most 1024)."),
    ("fine-bucket", "a\x00b", "key: 'a\\x00b' is not a valid object key (it holds '\\x00', which the emulator's S3 "
                               "cannot list back)."),
])
def test_the_control_api_refuses_a_bad_name_with_a_400_naming_it(emulator, bucket, key, message):
    with pytest.raises(ControlError) as e:
        emulator.control("PUT", f"buckets/{quote(bucket)}/{quote(key)}", data=b"x")
    assert (e.value.status, e.value.code, e.value.message) == (400, "INVALID_ARGUMENTS_ERROR", message)
    assert emulator.s3.list_buckets()["Buckets"] == []


@pytest.mark.parametrize("name", ["..", ".", "", "/etc/passwd", "a/b", "../beside.txt", "a\x00b", "link"])
def test_a_name_that_leads_out_of_its_directory_is_refused_before_any_file_is_touched(tmp_path, name):
    directory = tmp_path / "data"
    directory.mkdir()
    (directory / "link").symlink_to(tmp_path)
    with pytest.raises(PathOutsideDirectory):
        contained(directory, name)
    assert contained(directory, "state.json") == (directory / "state.json").resolve()


def test_the_bucket_directory_touches_only_valid_buckets_folders(tmp_path):
    directory = bucket_directory(tmp_path / "data")
    directory.write_object(BUCKET, "k", b"v", None, {})
    (directory.directory / "Not_A_Bucket").mkdir()
    for bad in ("..", ".", "Not_A_Bucket", "a/b"):
        with pytest.raises(InvalidBucketName):
            directory.remove_bucket(bad)
        with pytest.raises(InvalidBucketName):
            directory.write_object(bad, "k", b"v", None, {})
    (directory.directory / "linked-bucket").symlink_to(tmp_path)  # a folder that leads elsewhere is not followed
    with pytest.raises(PathOutsideDirectory):
        directory.remove_bucket("linked-bucket")
    assert directory.buckets() == [BUCKET]
    assert (tmp_path / "data").exists() and saved_objects(tmp_path / "data", BUCKET) == {"k": b"v"}


def test_in_process_a_bucket_s3_would_refuse_is_not_saved_and_the_rest_is(tmp_path, caplog):
    with mock_encord(EmulatorConfig(data_dir=str(tmp_path))) as mock:
        mock.backend.buckets.put_object(BUCKET, "k", b"v")
        mock.backend.buckets.client.create_bucket(Bucket="Made_Through_Moto")  # moto checks only the length
        mock.backend.buckets.client.put_object(Bucket="Made_Through_Moto", Key="k", Body=b"v")
    assert bucket_directory(tmp_path).buckets() == [BUCKET]
    assert saved_objects(tmp_path, BUCKET) == {"k": b"v"}
    assert ("bucket: 'Made_Through_Moto' is not a valid bucket name (only lowercase letters, digits, dots and hyphens "
            "are allowed). Its objects are not saved in the data directory.") in caplog.messages


def test_user_metadata_keys_with_underscores_survive_the_s3_port(sandbox):
    """S3 keeps ``x-amz-meta-source_id``; a server that drops underscored headers (waitress does, as a guard against
    header spoofing in WSGI) would lose it. The S3 port runs moto's request handler, which keeps them."""
    with serving(sandbox) as (_, handle):
        handle.s3.put_object(Bucket=BUCKET, Key="meta.txt", Body=b"m", Metadata={"source_id": "42", "camera-name": "l"})
        assert handle.s3.head_object(Bucket=BUCKET, Key="meta.txt")["Metadata"] == {"source_id": "42",
                                                                                    "camera-name": "l"}


def test_an_underscored_header_does_not_stand_in_for_a_dashed_one_on_the_s3_port(encord_server):
    """WSGI folds ``Content_Type`` and ``Content-Type`` into one key: the S3 port keeps underscores only in user
    metadata, so a header spelt with one cannot set what its dashed twin says."""
    encord_server.s3.create_bucket(Bucket=BUCKET)
    status, _, _ = raw(encord_server.s3_endpoint_url, "PUT", f"/{BUCKET}/typed.txt", b"t",
                       {"Content-Type": "text/plain", "Content_Type": "text/html", "X-Amz-Meta-Kind": "dashed",
                        "X_Amz_Meta_Kind": "underscored"})
    assert status == 200
    head = encord_server.s3.head_object(Bucket=BUCKET, Key="typed.txt")
    assert (head["ContentType"], head["Metadata"]) == ("text/plain", {"kind": "dashed"})


def test_the_s3_port_keeps_a_clients_connection_open_between_requests(encord_server):
    """boto3 (urllib3's pool) reuses its connections: the S3 port answers in HTTP/1.1 and keeps each one open
    (werkzeug's development server under moto's handler answered in HTTP/1.0 and closed it after each answer)."""
    encord_server.s3.create_bucket(Bucket=BUCKET)
    encord_server.s3.put_object(Bucket=BUCKET, Key="k.txt", Body=b"v")
    parts = urlsplit(encord_server.s3_endpoint_url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        answers, sockets = [], set()
        for _ in range(3):
            connection.request("GET", f"/{BUCKET}/k.txt", headers=SIGNED)
            reply = connection.getresponse()
            answers.append((reply.version, reply.status, reply.read()))
            sockets.add(connection.sock)
    finally:
        connection.close()
    assert answers == [(11, 200, b"v")] * 3
    assert len(sockets) == 1 and None not in sockets
