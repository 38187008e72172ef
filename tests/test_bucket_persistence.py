"""Buckets in a data directory: each write through the S3 API is on disk before it is answered, and comes back."""

import requests

from emulator import EmulatorConfig, ThreadedEncordServer, mock_encord
from emulator.buckets.models import s3_client
from emulator.buckets.persistence import BucketDirectory, bucket_directory
from emulator.testing import EmulatorHandle


def on_disk(directory: BucketDirectory) -> dict:
    return {(bucket, key): (data, content_type, metadata)
            for bucket in directory.buckets() for key, data, content_type, metadata in directory.objects(bucket)}


def test_every_acknowledged_write_is_on_disk_while_the_server_runs(tmp_path):
    directory = bucket_directory(tmp_path)
    with ThreadedEncordServer(config=EmulatorConfig(data_dir=str(tmp_path))) as server:
        s3 = s3_client(server.s3.url)
        s3.create_bucket(Bucket="kept")
        s3.put_object(Bucket="kept", Key="a/b.png", Body=b"png", ContentType="image/png", Metadata={"who": "me"})
        s3.put_object(Bucket="kept", Key="a/", Body=b"")  # a folder marker beside a key below it
        s3.copy_object(Bucket="kept", Key="copy.png", CopySource={"Bucket": "kept", "Key": "a/b.png"})
        s3.put_object(Bucket="kept", Key="gone", Body=b"x")
        s3.delete_object(Bucket="kept", Key="gone")
        for key in ("batch-1", "batch-2"):
            s3.put_object(Bucket="kept", Key=key, Body=key.encode())
        s3.delete_objects(Bucket="kept", Delete={"Objects": [{"Key": "batch-1"}]})
        upload = s3.create_multipart_upload(Bucket="kept", Key="multi", ContentType="video/mp4")
        part = s3.upload_part(Bucket="kept", Key="multi", UploadId=upload["UploadId"], PartNumber=1, Body=b"mp4")
        assert ("kept", "multi") not in on_disk(directory)  # a part alone is no object yet
        s3.complete_multipart_upload(Bucket="kept", Key="multi", UploadId=upload["UploadId"],
                                     MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": part["ETag"]}]})
        s3.create_bucket(Bucket="dropped")
        s3.delete_bucket(Bucket="dropped")
        form = s3.generate_presigned_post("kept", "from-a-form.txt")  # a browser upload: the key is in the form
        assert requests.post(form["url"], data=form["fields"], files={"file": b"posted"}, timeout=30).ok
        EmulatorHandle(server.url, server.s3.url, server.backend).put_object("control-api", "k.txt",
                                                                            b"through the emulator")

        # Read while the server still runs: what a kill -9 now would leave behind.
        assert on_disk(directory) == {
            ("kept", "a/b.png"): (b"png", "image/png", {"who": "me"}),
            ("kept", "a/"): (b"", "binary/octet-stream", {}),
            ("kept", "copy.png"): (b"png", "image/png", {"who": "me"}),
            ("kept", "batch-2"): (b"batch-2", "binary/octet-stream", {}),
            ("kept", "multi"): (b"mp4", "video/mp4", {}),
            ("kept", "from-a-form.txt"): (b"posted", "binary/octet-stream", {}),
            ("control-api", "k.txt"): (b"through the emulator", "binary/octet-stream", {}),
        }
        assert directory.buckets() == ["control-api", "kept"]


def test_saved_objects_come_back_with_their_content_type_and_metadata(tmp_path):
    bucket_directory(tmp_path).write_object("back", "x/y.png", b"png", "image/png", {"who": "me"})
    with mock_encord(EmulatorConfig(data_dir=str(tmp_path))) as mock:
        reply = EmulatorHandle(mock.url, None, mock.backend).s3.get_object(Bucket="back", Key="x/y.png")
        assert (reply["Body"].read(), reply["ContentType"], reply["Metadata"]) == (b"png", "image/png", {"who": "me"})
        mock.backend.buckets.put_object("back", "new.txt", b"new")
        mock.backend.buckets.client.delete_object(Bucket="back", Key="x/y.png")
    # In-process there is no server to mirror each write: the objects are written out when the mock ends.
    assert on_disk(bucket_directory(tmp_path)) == {("back", "new.txt"): (b"new", "binary/octet-stream", {})}


def test_a_reset_empties_the_saved_buckets(tmp_path):
    with ThreadedEncordServer(config=EmulatorConfig(data_dir=str(tmp_path))) as server:
        handle = EmulatorHandle(server.url, server.s3.url, server.backend)
        handle.put_object("to-reset", "k", b"v")
        assert on_disk(bucket_directory(tmp_path)) == {("to-reset", "k"): (b"v", "binary/octet-stream", {})}
        handle.reset()
        assert on_disk(bucket_directory(tmp_path)) == {}
        assert bucket_directory(tmp_path).buckets() == []
