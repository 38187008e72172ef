"""Injected faults: every exception class of the SDK is reachable, through the real SDK, in both modes."""

import os
import signal
import socket
import subprocess
import sys
import time

import encord.exceptions as sdk
import pytest
import requests
from encord.http.constants import RequestsSettings
from encord.orm.dataset import StorageLocation
from encord.user_client import EncordUserClient
from urllib3.exceptions import ProtocolError, ReadTimeoutError

from emulator.testing import ControlError, new_ssh_key

GET_DATASET = "legacy dataset dataset.GET"
LIST_DATASETS = "GET /v2/public/datasets/list"


def client_without_retries(emulator, email):
    """The SDK retries 413, 429 and 5xx answers; a client that does not shows each fault exactly once."""
    user = emulator.register_user(email)
    return EncordUserClient.create_with_ssh_private_key(ssh_private_key=user.private_key, domain=emulator.url,
                                                        requests_settings=RequestsSettings(max_retries=0))


@pytest.fixture
def owner(emulator):
    client = client_without_retries(emulator, "faults@example.com")
    dataset = client.create_dataset("Faulty", StorageLocation.AWS)
    return client, dataset.dataset_hash


@pytest.mark.parametrize("code, exception", [
    ("AUTHENTICATION_ERROR", sdk.AuthenticationError),
    ("AUTHORISATION_ERROR", sdk.AuthorisationError),
    ("RESOURCE_NOT_FOUND_ERROR", sdk.ResourceNotFoundError),
    ("SSH_KEY_NOT_FOUND_ERROR", sdk.SshKeyNotFound),
    ("DUPLICATE_SSH_KEY_ERROR", sdk.DuplicateSshKeyError),
    ("INVALID_ARGUMENTS_ERROR", sdk.InvalidArgumentsError),
    ("RESOURCE_EXISTS_ERROR", sdk.ResourceExistsError),
    ("CORRUPTED_LABEL_ERROR", sdk.CorruptedLabelError),
    ("ANSWER_DICTIONARY_ERROR", sdk.AnswerDictionaryError),
    ("FEATURE_DOES_NOT_EXIST_ERROR", sdk.FeatureDoesNotExistError),
    ("OPERATION_NOT_ALLOWED", sdk.OperationNotAllowed),
    ("METHOD_NOT_ALLOWED_ERROR", sdk.MethodNotAllowedError),
    ("UNKNOWN_ERROR", sdk.UnknownException),
    ("MULTI_LABEL_LIMIT_ERROR", sdk.MultiLabelLimitError),
    ("WRONG_PROJECT_TYPE_ERROR", sdk.WrongProjectTypeError),
    ("FILE_TYPE_NOT_SUPPORTED_ERROR", sdk.FileTypeNotSupportedError),
    ("FILE_SIZE_NOT_SUPPORTED_ERROR", sdk.FileSizeNotSupportedError),
    ("UPLOAD_OPERATION_NOT_SUPPORTED_ERROR", sdk.UploadOperationNotSupportedError),
    ("DETECTION_RANGE_INVALID_ERROR", sdk.DetectionRangeInvalidError),
    ("INVALID_DATE_FORMAT_ERROR", sdk.InvalidDateFormatError),
    ("MODEL_WEIGHTS_INCONSISTENT_ERROR", sdk.ModelWeightsInconsistentError),
    ("MODEL_FEATURES_INCONSISTENT_ERROR", sdk.ModelFeaturesInconsistentError),
    ("PAYLOAD_TOO_LARGE", sdk.PayloadTooLargeError),
])
def test_every_error_code_reaches_its_sdk_exception_once(emulator, owner, code, exception):
    client, dataset_hash = owner
    emulator.inject_fault(code, operation=GET_DATASET)
    with pytest.raises(exception) as e:
        client.get_dataset(dataset_hash)
    assert type(e.value) is exception
    assert client.get_dataset(dataset_hash).title == "Faulty"  # answered once, then gone


def test_a_fault_answers_the_operation_it_names_for_as_many_requests_as_asked(emulator, owner):
    client, dataset_hash = owner
    fault = emulator.inject_fault("AUTHORISATION_ERROR", operation=LIST_DATASETS, times=2,
                                  message="Your organisation is suspended.")
    assert (fault["operation"], fault["remaining"]) == (LIST_DATASETS, 2)
    assert client.get_dataset(dataset_hash).title == "Faulty"  # another operation: untouched
    for _ in range(2):
        with pytest.raises(sdk.AuthorisationError) as e:
            client.get_datasets()
        assert e.value.message == "Your organisation is suspended."
    assert [d["dataset"].title for d in client.get_datasets()] == ["Faulty"]
    assert emulator.control("GET", "faults") == {"faults": []}


def test_a_multi_label_limit_fault_carries_the_limit_the_sdk_reads(emulator, owner):
    client, dataset_hash = owner
    emulator.inject_fault("MULTI_LABEL_LIMIT_ERROR")
    with pytest.raises(sdk.MultiLabelLimitError) as e:
        client.get_dataset(dataset_hash)
    assert e.value.maximum_labels_allowed == 1000


def test_a_rate_limit_is_retried_by_the_sdk_and_raised_once_its_retries_are_spent(emulator, owner):
    user = emulator.register_user("patient@example.com")
    client = EncordUserClient.create_with_ssh_private_key(
        ssh_private_key=user.private_key, domain=emulator.url,
        requests_settings=RequestsSettings(max_retries=2, backoff_factor=0))
    emulator.inject_fault("RATE_LIMIT_ERROR", operation=LIST_DATASETS, retry_after=0)
    assert client.get_datasets() == []  # one 429, absorbed by the SDK's retry
    emulator.inject_fault("RATE_LIMIT_ERROR", operation=LIST_DATASETS, times=3, retry_after=0)
    with pytest.raises(sdk.RateLimitExceededError) as e:
        client.get_datasets()
    assert e.value.retry_after == 0
    assert emulator.control("GET", "faults") == {"faults": []}  # the first try and both retries took one each


def test_faults_go_with_a_reset_and_can_be_cleared(emulator, owner):
    client, dataset_hash = owner
    emulator.inject_fault("UNKNOWN_ERROR", times=5)
    emulator.clear_faults()
    assert client.get_dataset(dataset_hash).title == "Faulty"
    emulator.inject_fault("UNKNOWN_ERROR", times=5)
    emulator.reset()
    assert emulator.control("GET", "faults") == {"faults": []}


def test_a_fault_for_an_operation_or_code_that_does_not_exist_is_refused(emulator):
    with pytest.raises(ControlError) as e:
        emulator.inject_fault("UNKNOWN_ERROR", operation="legacy dataset nothing.GET")
    assert (e.value.status, e.value.message) == (400, "operation: 'legacy dataset nothing.GET' is not an operation "
                                                      "the emulator serves; use '*' or a wire name from COVERAGE.md, "
                                                      "e.g. 'legacy dataset dataset.GET'.")
    with pytest.raises(ControlError) as e:
        emulator.inject_fault("SERVER_ON_FIRE")
    assert e.value.message.startswith("error: 'SERVER_ON_FIRE' is not an error code of the SDK; expected one of "
                                      "ANSWER_DICTIONARY_ERROR, AUTHENTICATION_ERROR,")
    assert emulator.control("GET", "faults") == {"faults": []}


def patient_client(emulator, email, **settings):
    """A client that retries without waiting between tries (the SDK's backoff would only slow the test)."""
    user = emulator.register_user(email)
    return EncordUserClient.create_with_ssh_private_key(
        ssh_private_key=user.private_key, domain=emulator.url,
        requests_settings=RequestsSettings(**{"max_retries": 2, "backoff_factor": 0, **settings}))


def test_a_connection_dropped_once_is_absorbed_by_the_sdks_retry(emulator, owner):
    _, dataset_hash = owner
    client = patient_client(emulator, "patient@example.com")
    emulator.share("dataset", dataset_hash, "patient@example.com")
    fault = emulator.inject_fault(connection="drop", operation=GET_DATASET)
    assert (fault["connection"], fault["error"], fault["remaining"]) == ("drop", None, 1)
    assert client.get_dataset(dataset_hash).title == "Faulty"
    assert emulator.control("GET", "faults") == {"faults": []}


def test_a_connection_always_dropped_raises_once_the_retries_are_spent(emulator, owner):
    _, dataset_hash = owner
    client = patient_client(emulator, "patient@example.com")
    emulator.share("dataset", dataset_hash, "patient@example.com")
    emulator.inject_fault(connection="drop", operation=GET_DATASET, times=3)
    with pytest.raises(sdk.RequestException) as e:
        client.get_dataset(dataset_hash)
    assert e.value.message == f"Request session.send failed req.method='POST' req.url='{emulator.url}/public'"
    assert type(e.value.__cause__) is requests.exceptions.ConnectionError
    assert isinstance(e.value.__cause__.args[0].reason, ProtocolError)
    assert emulator.control("GET", "faults") == {"faults": []}  # the first try and both retries took one each


def test_a_delay_answers_normally_after_it(emulator, owner):
    client, dataset_hash = owner
    emulator.inject_fault(delay_ms=300, operation=GET_DATASET)
    started = time.monotonic()
    assert client.get_dataset(dataset_hash).title == "Faulty"
    assert time.monotonic() - started >= 0.3
    emulator.inject_fault("RESOURCE_NOT_FOUND_ERROR", operation=GET_DATASET, delay_ms=300)
    started = time.monotonic()
    with pytest.raises(sdk.ResourceNotFoundError):
        client.get_dataset(dataset_hash)
    assert time.monotonic() - started >= 0.3


def test_a_timeout_is_the_clients_read_timeout_and_the_next_request_is_answered(emulator, owner):
    _, dataset_hash = owner
    client = patient_client(emulator, "hasty@example.com", max_retries=0, read_timeout=1)
    emulator.share("dataset", dataset_hash, "hasty@example.com")
    emulator.inject_fault(connection="timeout", operation=GET_DATASET)
    with pytest.raises(sdk.RequestException) as e:
        client.get_dataset(dataset_hash)
    assert isinstance(e.value.__cause__.args[0].reason, ReadTimeoutError)
    assert client.get_dataset(dataset_hash).title == "Faulty"


def test_a_fault_with_both_an_error_and_a_connection_fault_or_with_neither_is_refused(emulator):
    with pytest.raises(ControlError) as e:
        emulator.inject_fault("UNKNOWN_ERROR", connection="drop")
    assert (e.value.status, e.value.message) == (
        400, "error, connection: a request gets an error or a connection fault, not both.")
    with pytest.raises(ControlError) as e:
        emulator.inject_fault()
    assert e.value.message == "A fault needs an error, a connection fault (drop, timeout) or a delay_ms."
    with pytest.raises(ControlError) as e:
        emulator.inject_fault(connection="reset")
    assert e.value.message.startswith("/connection: 'reset' is not one of ['drop', 'timeout']")
    assert emulator.control("GET", "faults") == {"faults": []}


@pytest.fixture
def waitress_url(tmp_path):
    """``encord-emulator serve`` (waitress) in a process of its own, with one worker thread."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("ENCORD_EMULATOR_")}
    log = tmp_path / "serve.log"
    process = subprocess.Popen([sys.executable, "-m", "emulator.cli", "serve", "--port", str(port), "--threads", "1"],
                               env=env, stdout=subprocess.DEVNULL, stderr=open(log, "w"))
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                requests.get(f"{url}/_emulator/health", timeout=1).raise_for_status()
                break
            except requests.RequestException:
                assert process.poll() is None, log.read_text()
                time.sleep(0.1)
        yield url
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


def test_waitress_drops_the_connection_and_frees_its_thread_when_the_client_gives_up(waitress_url):
    private_key, _ = new_ssh_key()  # open auth: an unknown key becomes a user
    client = EncordUserClient.create_with_ssh_private_key(
        ssh_private_key=private_key, domain=waitress_url,
        requests_settings=RequestsSettings(max_retries=2, backoff_factor=0, read_timeout=2))

    def inject(**fault):
        requests.post(f"{waitress_url}/_emulator/faults", json={"operation": GET_DATASET, **fault},
                      timeout=10).raise_for_status()

    dataset_hash = client.create_dataset("Served", StorageLocation.AWS).dataset_hash
    inject(connection="drop")
    assert client.get_dataset(dataset_hash).title == "Served"  # the SDK's retry absorbs it
    inject(connection="drop", times=3)
    with pytest.raises(sdk.RequestException) as e:
        client.get_dataset(dataset_hash)
    assert isinstance(e.value.__cause__.args[0].reason, ProtocolError)
    # Held, the one worker thread answers nothing else: the next request is answered because it was let go.
    inject(connection="timeout")
    assert client.get_dataset(dataset_hash).title == "Served"
