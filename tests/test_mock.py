"""mock_encord's entry points, nesting, isolation, persistence, and its guard against reaching the real service."""

import errno
import gc
import socket

import boto3
import pytest
import requests
from encord.exceptions import RequestException
from encord.orm.dataset import StorageLocation
from encord.user_client import EncordUserClient

from emulator import EmulatorConfig, ThreadedEncordServer, mock_encord
from emulator.backend import DataDirectoryInUse, EmulatorBackend
from emulator.testing import EmulatorHandle


def handle(mock) -> EmulatorHandle:
    return EmulatorHandle(mock.url, None, mock.backend)


def test_context_manager_decorator_and_start_stop_share_one_behaviour():
    with mock_encord() as mock:
        assert handle(mock).user_client().create_dataset("cm", StorageLocation.AWS).title == "cm"

    @mock_encord()
    def decorated():
        return requests.get("https://api.encord.com/_emulator/health", timeout=5).json()["status"]

    assert decorated() == "ok"

    mock = mock_encord()
    mock.start()
    try:
        assert handle(mock).health()["store"]["counts"] == {}  # each outermost start begins empty
    finally:
        mock.stop()


def test_a_long_test_of_sdk_calls_keeps_nothing_of_them_alive():
    """Without a request journal, what 500 calls asked and were answered is garbage once answered: a suite of
    thousands of calls neither grows nor makes the garbage collector walk them all again and again."""
    with mock_encord(EmulatorConfig(request_journal_size=0)) as mock:
        client = handle(mock).user_client()
        dataset_hash = client.create_dataset("kept", StorageLocation.AWS).dataset_hash
        for _ in range(50):
            client.get_dataset(dataset_hash, include_data_rows=False)
        gc.collect()
        before = len(gc.get_objects())
        for _ in range(500):
            client.get_dataset(dataset_hash, include_data_rows=False)
        gc.collect()
        assert len(gc.get_objects()) - before < 500  # less than one object per call (responses kept ~75)


def test_nested_mocks_share_the_outer_state_until_the_outermost_exits():
    with mock_encord() as outer:
        client = handle(outer).user_client()
        dataset = client.create_dataset("outer", StorageLocation.AWS)
        with mock_encord() as inner:
            assert inner.backend is outer.backend
            assert client.get_dataset(dataset.dataset_hash).title == "outer"
        assert client.get_dataset(dataset.dataset_hash).title == "outer"  # the inner exit stopped nothing
    with pytest.raises(RuntimeError, match="not started"):
        outer.backend


def test_a_nested_mock_with_another_configuration_is_refused_not_ignored():
    with mock_encord(EmulatorConfig(strict_auth=False)) as outer:
        with mock_encord(EmulatorConfig(strict_auth=False)):  # the same settings: shared, as any nested use
            pass
        with pytest.raises(RuntimeError) as e:
            mock_encord(EmulatorConfig(strict_auth=True)).start()
        assert str(e.value) == ("mock_encord is already active with another configuration or domain; nested uses "
                                "share the outermost emulator, so configure that one (or stop it first).")
        assert handle(outer).health()["status"] == "ok"  # the refused start changed nothing


def test_a_threaded_server_says_when_it_is_not_started_and_leaves_nothing_running_when_it_cannot_start(tmp_path):
    server = ThreadedEncordServer(config=EmulatorConfig(data_dir=str(tmp_path)))
    with pytest.raises(RuntimeError) as e:
        server.url
    assert str(e.value) == "ThreadedEncordServer is not started; call start() or use it as a context manager"
    with server:
        first = EmulatorHandle(server.url, server.s3.url, server.backend)
        first.put_object("kept", "k", b"v")
        second = ThreadedEncordServer(config=EmulatorConfig(data_dir=str(tmp_path)))
        with pytest.raises(DataDirectoryInUse):
            second.start()
        with pytest.raises(requests.ConnectionError):  # its S3 server was stopped again
            requests.get(second.s3.url, timeout=5)
        assert first.s3.get_object(Bucket="kept", Key="k")["Body"].read() == b"v"  # the refused start took nothing
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    try:
        busy = ThreadedEncordServer(port=taken.getsockname()[1], config=EmulatorConfig(data_dir=str(tmp_path)))
        with pytest.raises(OSError) as e:
            busy.start()
        assert str(e.value) == (f"[Errno {errno.EADDRINUSE}] cannot listen on 127.0.0.1:{taken.getsockname()[1]}: "
                                "Address already in use")
    finally:
        taken.close()
    with ThreadedEncordServer(config=EmulatorConfig(data_dir=str(tmp_path))) as again:  # the data dir was freed
        assert requests.get(f"{again.url}/_emulator/health", timeout=10).json()["status"] == "ok"


def test_a_nested_decorator_given_no_configuration_joins_the_active_mock():
    @mock_encord()
    def nested_test():
        return mock_encord._active.config.strict_auth

    with mock_encord(EmulatorConfig(strict_auth=True)):
        assert nested_test() is True  # as a plain nested `with mock_encord():` does


def test_a_new_threaded_server_starts_with_no_buckets():
    with ThreadedEncordServer() as first:
        EmulatorHandle(first.url, first.s3.url, first.backend).put_object("left-behind", "k", b"v")
    with ThreadedEncordServer() as second:
        assert EmulatorHandle(second.url, second.s3.url, second.backend).s3.list_buckets()["Buckets"] == []


def test_a_data_directory_serves_one_emulator_at_a_time(tmp_path):
    with mock_encord(EmulatorConfig(data_dir=str(tmp_path))) as first:
        handle(first).register_user("first@example.com")
        with pytest.raises(DataDirectoryInUse) as e:
            EmulatorBackend(EmulatorConfig(data_dir=str(tmp_path)))
        assert str(e.value) == (f"The data directory {tmp_path} is in use by another emulator; stop it or choose "
                                "another data directory.")
    with mock_encord(EmulatorConfig(data_dir=str(tmp_path))) as second:  # free again once the first stopped
        assert handle(second).health()["store"]["counts"] == {"organisation_member": 1, "user": 1}


def test_requests_to_other_encord_hosts_are_blocked():
    with mock_encord() as mock:
        user = handle(mock).register_user()
        elsewhere = EncordUserClient.create_with_ssh_private_key(ssh_private_key=user.private_key,
                                                                 domain="https://api.us.encord.com")
        with pytest.raises(RequestException) as e:
            elsewhere.get_datasets()
        assert isinstance(e.value.__cause__, ConnectionRefusedError)
        assert str(e.value.__cause__) == (
            "encord-emulator blocks https://api.us.encord.com/v2/public/datasets/list?includeOrgAccess=False: only "
            "https://api.encord.com is emulated, and no request may reach the real Encord service. Pass that domain "
            "to the SDK.")


def test_test_code_boto3_reaches_the_same_buckets_as_the_emulator():
    with mock_encord() as mock:
        s3 = boto3.client("s3", region_name="us-east-1")  # the test's own client, created inside the mock
        s3.create_bucket(Bucket="made-by-test")
        s3.put_object(Bucket="made-by-test", Key="k", Body=b"v")
        assert mock.backend.buckets.get_object("made-by-test", "k") == b"v"


def test_a_presigned_s3_url_is_answered_from_the_same_buckets():
    with mock_encord() as mock:
        emulator = handle(mock)
        emulator.put_object("presigned", "a.bin", b"bytes")
        url = emulator.s3.generate_presigned_url("get_object", Params={"Bucket": "presigned", "Key": "a.bin"})
        reply = requests.get(url, timeout=10)
        assert (reply.status_code, reply.content) == (200, b"bytes")


def test_other_hosts_pass_through_while_mocked():
    with ThreadedEncordServer() as server, mock_encord():
        assert requests.get(server.url + "/_emulator/health", timeout=10).json()["status"] == "ok"


def test_state_in_a_data_dir_survives_a_restart(tmp_path):
    config = EmulatorConfig(data_dir=str(tmp_path))
    with mock_encord(config) as mock:
        emulator = handle(mock)
        user = emulator.register_user("keeps@example.com")
        client = emulator.user_client("keeps@example.com")
        dataset = client.create_dataset("durable", StorageLocation.AWS)
        emulator.put_object("kept-bucket", "nested/key.bin", b"\x00bytes")
    with mock_encord(EmulatorConfig(data_dir=str(tmp_path))) as mock:
        again = EncordUserClient.create_with_ssh_private_key(ssh_private_key=user.private_key)
        assert again.get_dataset(dataset.dataset_hash).title == "durable"
        assert handle(mock).s3.get_object(Bucket="kept-bucket", Key="nested/key.bin")["Body"].read() == b"\x00bytes"
