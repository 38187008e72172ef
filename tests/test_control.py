"""The control API under /_emulator/, in both modes."""

import errno
import os

import pytest
import requests
from encord.exceptions import UnknownException
from encord.orm.dataset import StorageLocation

from emulator import EmulatorConfig, mock_encord
from emulator.core.store import JOURNAL_FILE

from emulator.core import contracts
from emulator.testing import ControlError, EmulatorHandle, new_ssh_key


def test_health_reports_real_readiness(emulator):
    health = emulator.health()
    assert contracts.violations("control-health-response", health) == []
    assert health["status"] == "ok" and health["buckets"]["up"] is True
    assert health["store"]["counts"] == {}
    emulator.user_client().create_dataset("counted", StorageLocation.AWS)
    emulator.put_object("bucket-one", "a.txt", b"a")
    health = emulator.health()
    # the dataset's backing folder too, and the user's membership of the organisation
    assert health["store"]["counts"] == {"dataset": 1, "organisation_member": 1, "storage_folder": 1, "user": 1}
    assert health["buckets"]["count"] == 1


def test_health_is_degraded_while_writes_cannot_be_saved(tmp_path, monkeypatch):
    with mock_encord(EmulatorConfig(data_dir=str(tmp_path))) as mock:
        emulator = EmulatorHandle(mock.url, None, mock.backend)
        client = emulator.user_client("disk@example.com")
        real_fsync = os.fsync

        def failing_fsync(fd):
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(os, "fsync", failing_fsync)
        with pytest.raises(UnknownException):
            client.create_dataset("not saved", StorageLocation.AWS)
        reply = requests.get(f"{mock.url}/_emulator/health", timeout=10)
        assert reply.status_code == 503
        assert reply.json()["status"] == "degraded"
        assert reply.json()["store"]["write_error"] == f"{tmp_path / JOURNAL_FILE}: No space left on device"
        assert contracts.violations("control-health-response", reply.json()) == []

        monkeypatch.setattr(os, "fsync", real_fsync)
        client.create_dataset("saved", StorageLocation.AWS)
        health = emulator.health()
        assert (health["status"], health["store"]["write_error"]) == ("ok", None)
        assert [d["dataset"].title for d in client.get_datasets()] == ["saved"]


def test_reset_empties_the_store_and_the_buckets(emulator):
    emulator.user_client().create_dataset("gone", StorageLocation.AWS)
    emulator.put_object("bucket", "k", b"v")
    emulator.reset()
    assert emulator.health()["store"]["counts"] == {}
    assert emulator.s3.list_buckets()["Buckets"] == []


def test_users_register_with_an_openssh_line_or_hex(emulator):
    _, public = new_ssh_key()
    created = emulator.control("POST", "users", json={"email": "a@example.com", "public_key": public})
    assert len(created["public_key_hex"]) == 64
    again = emulator.control("POST", "users", json={"email": "b@example.com", "public_key": "ab" * 32})
    assert again["public_key_hex"] == "ab" * 32
    assert sorted(u["email"] for u in emulator.control("GET", "users")["users"]) == ["a@example.com", "b@example.com"]


@pytest.mark.parametrize("body, message", [
    ({"email": "a@example.com", "public_key": "ssh-rsa AAAAB3NzaC1yc2E"},
     "public_key: expected an OpenSSH 'ssh-ed25519 AAAA…' line or 64 hexadecimal characters"),
    ({"email": "a@example.com", "public_key": "ssh-ed25519 AAAA"},
     "public_key: not a valid OpenSSH public key line"),
    ({"email": "not-an-email", "public_key": "ab" * 32}, "/email: 'not-an-email' does not match '^[^@\\\\s]+@[^@\\\\s]+$'"),
    ({"public_key": "ab" * 32}, "/: 'email' is a required property"),
])
def test_bad_user_registration_names_the_field(emulator, body, message):
    with pytest.raises(ControlError) as e:
        emulator.control("POST", "users", json=body)
    assert (e.value.status, e.value.code, e.value.message) == (400, "INVALID_ARGUMENTS_ERROR", message)
    assert emulator.control("GET", "users")["users"] == []


def test_duplicate_users_are_refused(emulator):
    emulator.control("POST", "users", json={"email": "a@example.com", "public_key": "ab" * 32})
    with pytest.raises(ControlError) as e:
        emulator.control("POST", "users", json={"email": "a@example.com", "public_key": "cd" * 32})
    assert e.value.message == "email: a user with email a@example.com already exists."
    with pytest.raises(ControlError) as e:
        emulator.control("POST", "users", json={"email": "c@example.com", "public_key": "ab" * 32})
    assert e.value.message == f"public_key: a user with public_key {'ab' * 32} already exists."


def test_objects_put_through_the_control_api_are_in_the_boto3_buckets(emulator):
    emulator.put_object("fruit-bucket", "images/cherry_001.png", b"\x89PNG")
    assert emulator.s3.get_object(Bucket="fruit-bucket", Key="images/cherry_001.png")["Body"].read() == b"\x89PNG"
    emulator.s3.put_object(Bucket="fruit-bucket", Key="from-boto3.txt", Body=b"hello")
    assert emulator.backend.buckets.get_object("fruit-bucket", "from-boto3.txt") == b"hello"


def test_state_round_trips_and_other_versions_are_refused(emulator):
    client = emulator.user_client("keeper@example.com")
    client.create_dataset("kept", StorageLocation.AWS)
    state = emulator.state()
    assert (state["format"], state["version"]) == ("encord-emulator-state", 1)
    assert contracts.violations("state-document", state) == []

    with pytest.raises(ControlError) as e:
        emulator.load_state({**state, "version": 99, "tables": {}})
    assert e.value.message == "State document version 99 is not supported; this emulator reads version 1."
    with pytest.raises(ControlError) as e:
        emulator.load_state({"something": "else"})
    assert e.value.message == 'Not an encord-emulator state document (expected "format": "encord-emulator-state").'
    assert emulator.state() == state  # refused documents changed nothing

    emulator.reset()
    assert emulator.load_state(state)["counts"] == {"dataset": 1, "organisation_member": 1, "storage_folder": 1,
                                                    "user": 1}
    assert [d["dataset"].title for d in client.get_datasets()] == ["kept"]


def test_a_state_document_of_an_earlier_build_still_reports_each_datasets_storage(emulator):
    client = emulator.user_client("earlier@example.com")
    integration = emulator.add_integration("gcp", "GCP", ["earlier"])
    dataset_hash = client.create_dataset("Earlier", StorageLocation.GCP).dataset_hash
    emulator.register_data_rows(dataset_hash, [{"data_title": "a.png", "data_type": "IMAGE"}], integration["id"])
    state = emulator.state()
    del state["tables"]["dataset"][dataset_hash]["storage"]  # datasets did not keep it before 2026-12-01
    emulator.load_state(state)
    assert client.get_dataset(dataset_hash).storage_location == StorageLocation.GCP
    assert client.get_datasets()[0]["dataset"].type == StorageLocation.GCP


def test_sharing_an_unknown_kind_of_resource_is_refused(emulator):
    emulator.register_user("a@example.com")
    with pytest.raises(ControlError) as e:
        emulator.share("spaceship", "x", "a@example.com")
    assert e.value.message == ("resource_type: unknown resource type 'spaceship'; expected one of dataset, ontology, "
                               "project, storage_folder, workflow_template, integration.")


def test_registering_rows_in_an_unknown_dataset_is_refused(emulator):
    with pytest.raises(ControlError) as e:
        emulator.register_data_rows("nope", [{"data_title": "a.jpg", "data_type": "IMAGE"}])
    assert (e.value.status, e.value.message) == (404, "Dataset nope does not exist.")


def test_unknown_control_route_is_json(emulator):
    with pytest.raises(ControlError) as e:
        emulator.control("GET", "nothing-here")
    assert (e.value.status, e.value.message) == (404, "No route for GET /_emulator/nothing-here.")


def test_the_last_admin_of_a_dataset_cannot_be_made_a_user(emulator):
    """Found by the fuzz test: a share demoting the owner left a dataset no control upload job could start on."""
    owner = emulator.register_user("owner@example.com")
    emulator.register_user("second@example.com")
    dataset = emulator.user_client(owner.email).create_dataset("kept", StorageLocation.AWS)
    with pytest.raises(ControlError) as e:
        emulator.share("dataset", dataset.dataset_hash, owner.email, "user")
    assert (e.value.status, e.value.code, e.value.message) == (
        400, "INVALID_ARGUMENTS_ERROR", f"role: owner@example.com is the only admin of dataset {dataset.dataset_hash}, "
        "which must keep one; share it with another admin first.")
    emulator.share("dataset", dataset.dataset_hash, "second@example.com", "admin")
    emulator.share("dataset", dataset.dataset_hash, owner.email, "user")  # another admin remains
    integration = emulator.add_integration("i", buckets=["b"])
    job = emulator.upload(dataset.dataset_hash, integration["id"], spec={"images": [{"objectUrl": "s3://b/a.png"}]})
    assert len(job["units"]) == 1  # started on the remaining admin's behalf
