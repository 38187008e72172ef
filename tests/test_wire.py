"""The wire envelopes themselves: unknown operations, unknown routes, bodies that are not JSON. Never an HTML page."""

import json

import pytest
import requests
from encord.exceptions import MethodNotAllowedError
from encord.orm.dataset import StorageLocation
from wire_tools import body_bytes, set_body, sign_v1, sign_v2

from emulator.core import contracts


def signed(emulator, user, method, path, body: bytes = b"", family="v2", headers=None):
    prepared = requests.Request(method, emulator.url + path, data=body or None, headers=headers or {}).prepare()
    (sign_v2 if family == "v2" else sign_v1)(prepared, user.private_key)
    with requests.Session() as session:
        return session.send(prepared, timeout=30)


def legacy_body(query_type, query_method="GET", uid=None, payload=None) -> bytes:
    return json.dumps({"query_type": query_type, "query_method": query_method,
                       "values": {"uid": uid, "payload": payload}}).encode()


def test_unknown_query_type_answers_method_not_allowed_naming_it(emulator):
    user = emulator.register_user()
    reply = signed(emulator, user, "POST", "/public", legacy_body("teleport"), family="v1",
                   headers={"ResourceType": "dataset", "ResourceID": "x", "Content-Type": "application/json"})
    assert reply.headers["Content-Type"] == "application/json"
    assert reply.json() == {"status": 405, "response": ["METHOD_NOT_ALLOWED_ERROR"],
                            "payload": "No operation teleport.GET on resource type 'dataset'."}
    assert contracts.violations("legacy-response", reply.json()) == []


def test_unknown_query_type_through_the_sdk_raises_method_not_allowed(emulator, forger):
    user = emulator.register_user()
    client = emulator.user_client(user.email)
    dataset = client.create_dataset("x", StorageLocation.AWS)

    def rename(req):
        set_body(req, body_bytes(req).replace(b'"query_type": "dataset"', b'"query_type": "teleport"'))
        sign_v1(req, user.private_key)

    forger.intercept(rename, path="^/public$")
    with pytest.raises(MethodNotAllowedError) as e:
        client.get_dataset(dataset.dataset_hash)
    assert e.value.message == "HTTP method is not allowed."


def test_legacy_envelope_missing_values_names_the_field(emulator):
    user = emulator.register_user()
    reply = signed(emulator, user, "POST", "/public", b'{"query_type": "dataset", "query_method": "GET"}', family="v1")
    assert reply.json() == {"status": 400, "response": ["INVALID_ARGUMENTS_ERROR"],
                            "payload": "/: 'values' is a required property"}


def test_unknown_v2_route_answers_method_not_allowed_naming_the_call(emulator):
    user = emulator.register_user()
    reply = signed(emulator, user, "GET", "/v2/public/teleporters?x=1")
    assert reply.status_code == 405  # the SDK's MethodNotAllowedError, not a missing resource
    assert reply.json() == {"message": "No operation GET /v2/public/teleporters."}
    assert contracts.violations("v2-error", reply.json()) == []


def test_wrong_method_on_a_v2_route_answers_405_with_a_message(emulator):
    user = emulator.register_user()
    reply = signed(emulator, user, "DELETE", "/v2/public/datasets")
    assert reply.status_code == 405
    assert reply.json() == {"message": "No operation DELETE /v2/public/datasets."}


def test_v2_body_that_is_not_json_answers_400_with_the_parsers_message(emulator):
    user = emulator.register_user()
    reply = signed(emulator, user, "POST", "/v2/public/datasets", b"title=x")
    assert reply.status_code == 400
    assert reply.json() == {"message": "The request body is not valid JSON: Expecting value: line 1 column 1 (char 0)"}


def test_get_on_the_legacy_endpoint_is_a_json_envelope(emulator):
    reply = requests.get(emulator.url + "/public", timeout=30)
    assert reply.status_code == 405
    assert reply.json()["response"] == ["METHOD_NOT_ALLOWED_ERROR"]


def test_urls_are_built_from_the_apps_rules_each_time_the_same():
    """The rules' URL builders are compiled on first use (emulator.app.RuleBuiltOnFirstUse): the first URL built
    and every later one come out right, extra values as the query string."""
    from flask import url_for

    from emulator.app import create_app
    from emulator.mock import mock_encord

    with mock_encord() as mocked:
        app = create_app(mocked.config, mocked.backend)
        with app.test_request_context():
            built = [url_for("dashboard.label_row", project_hash=f"p{n}", label_hash="l 1", page=n) for n in range(3)]
            assert url_for("dashboard.overview") == "/_emulator/ui/"
    assert built == [f"/_emulator/ui/projects/p{n}/label-rows/l%201?page={n}" for n in range(3)]
