"""The request journal: what the SDK sent, as the emulator parsed it, for a test to assert on (both modes)."""

import pytest
from encord.exceptions import RequestException, ResourceNotFoundError
from encord.http.constants import RequestsSettings
from encord.orm.dataset import StorageLocation
from encord.user_client import EncordUserClient

from emulator.core import contracts
from emulator.testing import ControlError

CREATE_DATASET = "POST /v2/public/datasets"
GET_DATASET = "legacy dataset dataset.GET"


def journal(emulator, **filters) -> list[dict]:
    answer = emulator.control("GET", "requests", params=filters)
    contracts.validate("control-requests-response", answer)
    return answer["requests"]


def test_what_the_sdk_sent_is_journalled_with_its_operation_user_and_status(emulator):
    client = emulator.user_client("journal@example.com")
    user = emulator.control("GET", "users")["users"][0]
    emulator.clear_requests()  # what user_client's own requests were
    dataset_hash = client.create_dataset("Journalled", StorageLocation.AWS, "described").dataset_hash
    client.get_dataset(dataset_hash)
    created, got = journal(emulator)
    assert created["id"] < got["id"]
    who = {"email": "journal@example.com", "user_hash": user["user_hash"]}
    assert {k: created[k] for k in ("method", "path", "operation", "user", "status", "error", "body", "args")} == {
        "method": "POST", "path": "/v2/public/datasets", "operation": CREATE_DATASET, "user": who, "status": 200,
        "error": None, "body": {"title": "Journalled", "description": "described", "createBackingFolder": True,
                                "legacyCall": False}, "args": {}}
    assert {k: got[k] for k in ("path", "operation", "user", "status", "resource_id", "uid", "payload")} == {
        "path": "/public", "operation": GET_DATASET, "user": who, "status": 200, "resource_id": dataset_hash,
        "uid": None, "payload": {"dataset_access_settings": {"fetch_client_metadata": False, "fetch_rows": True}}}
    assert created["duration_ms"] >= 0 and (created["uid"], got["body"]) == (None, None)
    assert emulator.requests(operation=GET_DATASET) == [got]


def test_a_refused_request_shows_its_error_and_filters_keep_what_matches(emulator):
    client = emulator.user_client()
    with pytest.raises(ResourceNotFoundError):
        client.get_dataset("no-such-dataset")
    [refused] = emulator.requests(status=404)
    assert (refused["operation"], refused["resource_id"], refused["error"]) == (
        GET_DATASET, "no-such-dataset",
        {"code": "RESOURCE_NOT_FOUND_ERROR", "message": "Dataset no-such-dataset does not exist."})
    assert emulator.requests(operation="GET /v2/public/datasets/list") == []
    with pytest.raises(ControlError) as e:
        emulator.requests(status="teapot")
    assert (e.value.status, e.value.message) == (400, "status: 'teapot' is not an HTTP status")


def test_a_dropped_connection_is_journalled_unanswered_and_its_retry_answered(emulator):
    user = emulator.register_user()
    client = EncordUserClient.create_with_ssh_private_key(
        ssh_private_key=user.private_key, domain=emulator.url,
        requests_settings=RequestsSettings(max_retries=1, backoff_factor=0))
    emulator.inject_fault(connection="drop", operation="GET /v2/public/datasets/list")
    assert client.get_datasets() == []
    dropped, retried = emulator.requests(operation="GET /v2/public/datasets/list")
    assert (dropped["status"], dropped["error"]["code"], retried["status"]) == (None, "CONNECTION_DROPPED", 200)


def test_a_request_the_sdk_does_not_retry_is_journalled_once_unanswered(emulator):
    client = emulator.user_client()
    emulator.inject_fault(connection="drop", operation=CREATE_DATASET)
    with pytest.raises(RequestException):
        client.create_dataset("Fruit", StorageLocation.AWS)
    [dropped] = emulator.requests(operation=CREATE_DATASET)
    assert (dropped["status"], dropped["body"]["title"]) == (None, "Fruit")
    assert client.get_datasets() == []  # a dropped request never reaches its operation


@pytest.mark.encord_emulator(request_journal_size=2)
def test_the_journal_keeps_the_last_n_requests_and_goes_with_a_reset(emulator):
    client = emulator.user_client()
    for title in ("one", "two", "three"):
        client.create_dataset(title, StorageLocation.AWS)
    assert [r["body"]["title"] for r in journal(emulator)] == ["two", "three"]
    emulator.reset()
    assert journal(emulator) == []


@pytest.mark.encord_emulator(request_journal_size=0)
def test_a_journal_of_size_0_keeps_nothing(emulator):
    emulator.user_client().create_dataset("unjournalled", StorageLocation.AWS)
    assert journal(emulator) == []
