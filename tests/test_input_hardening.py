"""Input that once crashed a handler (issue 10's fuzzing: ~300 answers of 500) is refused with a clear message
naming the field, in the wire family's own error format; the request size is bounded. Through the SDK where the SDK
can send it, else as raw requests signed like the SDK's."""

import json

import pytest
import requests
from encord.exceptions import InvalidArgumentsError, PayloadTooLargeError
from encord.http.constants import RequestsSettings
from encord.objects import Object
from encord.objects.coordinates import BoundingBoxCoordinates
from encord.user_client import EncordUserClient

from emulator.core.contracts import MAX_JSON_DEPTH
from emulator.testing import ControlError
from wire_tools import sign_v1, sign_v2

SEED = "blueberries-and-cherries"
PROJECT = "7d4ead9c-4087-4832-a301-eb2545e7d43b"
TOO_DEEP = b"[" * 100_000 + b"]" * 100_000
DEPTH_MESSAGE = f"The request body is not valid JSON: it nests deeper than {MAX_JSON_DEPTH} levels: line 1 column 65 (char 64)"


def signed(emulator, user, method: str, path: str, body: bytes, headers: dict | None = None) -> requests.Response:
    prepared = requests.Request(method, emulator.url + path, data=body, headers=headers or {}).prepare()
    (sign_v1 if path.startswith("/public") else sign_v2)(prepared, user.private_key)
    with requests.Session() as session:
        return session.send(prepared, timeout=60)


def legacy(emulator, user, resource_type: str, resource_id: str, query: str, uid, payload) -> requests.Response:
    query_type, query_method = query.split(".")
    body = json.dumps({"query_type": query_type, "query_method": query_method,
                       "values": {"uid": uid, "payload": payload}}).encode()
    return signed(emulator, user, "POST", "/public", body, {"ResourceType": resource_type, "ResourceID": resource_id})


def refused(reply: requests.Response, message: str) -> None:
    assert (reply.status_code, reply.json()) == (400, {"status": 400, "response": ["INVALID_ARGUMENTS_ERROR"],
                                                       "payload": message})


@pytest.fixture
def seeded(emulator):
    user = emulator.register_user()
    return emulator, user, emulator.seed(SEED, user.email)


# -- JSON nested too deep: every parser ----------------------------------------------------------------------------

def test_deeply_nested_json_is_refused_on_the_legacy_api(seeded):
    emulator, user, _ = seeded
    reply = signed(emulator, user, "POST", "/public", TOO_DEEP, {"ResourceType": "project", "ResourceID": PROJECT})
    refused(reply, DEPTH_MESSAGE)


def test_deeply_nested_json_is_refused_on_the_v2_api(seeded):
    emulator, user, _ = seeded
    reply = signed(emulator, user, "POST", "/v2/public/datasets", TOO_DEEP)
    assert (reply.status_code, reply.json()) == (400, {"message": DEPTH_MESSAGE})


def test_deeply_nested_json_is_refused_on_the_control_api(emulator):
    reply = requests.post(emulator.url + "/_emulator/users", data=TOO_DEEP, timeout=60)
    assert (reply.status_code, reply.json()) == (400, {"code": "INVALID_ARGUMENTS_ERROR", "message": DEPTH_MESSAGE})


def test_deeply_nested_json_is_refused_by_datagym(emulator):
    token = emulator.datagym.token()
    reply = requests.post(emulator.url + "/datagym/api/v1/dataset", params={"token": token}, data=TOO_DEEP,
                          timeout=60)
    assert (reply.status_code, reply.json()) == (400, {
        "key": "ex_validation", "params": [], "msg": "Validation failed", "code": 400,
        "details": [{"name": DEPTH_MESSAGE, "key": "ex_val_invalid", "params": []}]})


def test_a_deeply_nested_datagym_import_is_an_unreadable_import(emulator):
    token = emulator.datagym.token()
    project = emulator.datagym.project("p", token, [])
    reply = requests.post(emulator.url + f"/datagym/api/v1/project/{project['id']}/prediction",
                          params={"token": token}, data=TOO_DEEP, timeout=60)
    assert (reply.status_code, reply.json()) == (200, {
        "errorMessages": f"line: 1, column: 65\nit nests deeper than {MAX_JSON_DEPTH} levels"})


def test_brackets_inside_strings_are_not_nesting(seeded):
    emulator, user, _ = seeded
    client = emulator.user_client(user.email)
    description = '\\"' + "[{" * 100 + '\\\\"' + "]" * 3 + '"'
    dataset = client.get_dataset(client.create_dataset("brackets", "AWS", description).dataset_hash)
    assert dataset.description == description


def test_nesting_after_an_escaped_quote_is_still_counted(emulator):
    body = b'{"email": "a\\"@b.c\\\\", "x": ' + b"[" * 100 + b"]" * 100 + b"}"
    reply = requests.post(emulator.url + "/_emulator/users", data=body, timeout=60)
    assert (reply.status_code, reply.json()) == (400, {"code": "INVALID_ARGUMENTS_ERROR", "message": (
        f"The request body is not valid JSON: it nests deeper than {MAX_JSON_DEPTH} levels: line 1 column 92 "
        "(char 91)")})


# -- legacy uid and payload of the wrong JSON type ---------------------------------------------------------------------

def test_a_dataset_payload_that_is_not_an_object_is_refused(seeded):
    emulator, user, seed = seeded
    reply = legacy(emulator, user, "dataset", seed["dataset_hash"], "dataset.GET", None, "fetch everything")
    refused(reply, "/payload: 'fetch everything' is not of type 'object', 'null'")


def test_a_label_listing_payload_that_is_not_an_object_is_refused(seeded):
    emulator, user, _ = seeded
    reply = legacy(emulator, user, "project", PROJECT, "labelrowmetadata.GET", None, ["main"])
    refused(reply, "/payload: ['main'] is not of type 'object', 'null'")


def test_malformed_labels_are_refused_before_the_save_rules_read_them(seeded):
    emulator, user, _ = seeded
    project = emulator.user_client(user.email).get_project(PROJECT)
    [row] = project.list_label_rows_v2(data_title_eq="cherry_001.png")
    row.initialise_labels()
    body = row.to_encord_dict()
    [unit] = body["data_units"].values()
    unit["labels"] = {"objects": [{"objectHash": ["not", "a", "hash"]}], "classifications": []}
    reply = legacy(emulator, user, "project", PROJECT, "labelrow.POST", [row.label_hash],
                   {"multi_request": True, "labels": [body]})
    refused(reply, f"/payload/labels/0/data_units/{unit['data_hash']}/labels/objects/0/objectHash: "
                   "['not', 'a', 'hash'] is not of type 'string'")
    reply = legacy(emulator, user, "project", PROJECT, "labelrow.POST", [row.label_hash],
                   {"multi_request": True, "labels": "all of them"})
    refused(reply, "/payload/labels: 'all of them' is not of type 'array'")


# -- ids that are not strings --------------------------------------------------------------------------------------

@pytest.mark.parametrize("data_hash, message", [
    (None, "/uid/data_hash: None is not of type 'string'"),
    (7, "/uid/data_hash: 7 is not of type 'string'"),
])
def test_a_data_hash_that_is_not_a_string_is_refused(seeded, data_hash, message):
    emulator, user, _ = seeded
    project = emulator.user_client(user.email).get_project(PROJECT)
    with pytest.raises(InvalidArgumentsError) as e:
        project.get_data(data_hash)
    assert e.value.message == message


def test_an_id_with_a_lone_surrogate_is_refused(seeded):
    emulator, user, _ = seeded
    project = emulator.user_client(user.email).get_project(PROJECT)
    with pytest.raises(InvalidArgumentsError) as e:
        project.get_data("\ud800")
    assert e.value.message == ("The request body is not valid JSON: a string holds the lone surrogate '\\ud800', "
                               "which is not a character: line 1 column 87 (char 86)")


def test_label_hashes_that_are_not_strings_are_refused(seeded):
    emulator, user, _ = seeded
    reply = legacy(emulator, user, "project", PROJECT, "labelrow.GET", [None, 3], {"multi_request": True})
    refused(reply, "/uid: [None, 3] is not valid under any of the given schemas")


# -- the state document is checked for meaning ---------------------------------------------------------------------

def test_a_state_whose_documents_lack_their_fields_is_refused_and_changes_nothing(seeded):
    """Accepted, this document made every later listing answer 500 (KeyError: 'user_hash')."""
    emulator, user, seed = seeded
    state = emulator.state()
    broken = json.loads(json.dumps(state))
    user_hash = broken["tables"]["user"][user.public_key_hex].pop("user_hash")
    with pytest.raises(ControlError) as e:
        emulator.load_state(broken)
    assert e.value.message == ("The state document does not hold a state this emulator can serve: "
                               f"/tables/dataset/{seed['dataset_hash']}/members: {user_hash!r} is the user_hash of no "
                               "user of this state (and 5 more)")
    assert emulator.state() == state
    assert [p.project_hash for p in emulator.user_client(user.email).list_projects()] == [PROJECT]


def test_a_state_whose_references_do_not_resolve_is_refused(seeded):
    emulator, _, seed = seeded
    state = emulator.state()
    state["tables"]["label_row"] = {"lr": {
        "label_hash": "lr", "project_hash": "no-such-project", "data_hash": "no-such-row", "dataset_hash":
        seed["dataset_hash"], "branch_name": "main", "created_at": "", "last_edited_at": "", "label_status": "",
        "unit_labels": {}, "object_answers": {}, "classification_answers": {}, "object_actions": {}}}
    with pytest.raises(ControlError) as e:
        emulator.load_state(state)
    assert e.value.message == ("The state document does not hold a state this emulator can serve: "
                               "/tables/label_row/lr/data_hash: 'no-such-row' is no data_row of this state "
                               "(and 1 more)")


# -- a workflow action in the final stage -----------------------------------------------------------------------------

def test_submitting_a_task_in_the_final_stage_is_refused(seeded):
    emulator, user, _ = seeded
    project = emulator.user_client(user.email).get_project(PROJECT)
    [row] = project.list_label_rows_v2(data_title_eq="cherry_001.png")
    row.initialise_labels()
    row.workflow_complete()
    final = project.workflow.stages[-1]
    [task] = [t for t in final.get_tasks() if t.data_title == "cherry_001.png"]
    path = f"/v2/public/projects/{PROJECT}/workflow/stages/{final.uuid}/actions"
    reply = signed(emulator, user, "POST", path, json.dumps([{"action": "SUBMIT", "taskUuid": str(task.uuid)}]).encode(),
                   {"Content-Type": "application/json"})
    assert (reply.status_code, reply.json()) == (400, {
        "message": f"taskUuid: task {task.uuid} is in the final stage 'Complete'; there is no stage to move it to."})


# -- request size ----------------------------------------------------------------------------------------------------

LIMIT = 20_000
TOO_LARGE = (f"The request body is larger than the {LIMIT:,} bytes this emulator takes (its max_request_bytes, set "
             "with --max-request-bytes).")


@pytest.mark.encord_emulator(max_request_bytes=LIMIT)
def test_a_label_row_save_over_the_size_limit_raises_the_sdks_payload_too_large_error(seeded):
    """The SDK retries a 413 (here without back-off) and then shows the emulator's message."""
    emulator, user, _ = seeded
    client = EncordUserClient.create_with_ssh_private_key(
        ssh_private_key=user.private_key, domain=emulator.url,
        requests_settings=RequestsSettings(max_retries=2, backoff_factor=0))
    project = client.get_project(PROJECT)
    [row] = project.list_label_rows_v2(data_title_eq="cherry_001.png")
    row.initialise_labels()
    cherry = project.ontology_structure.get_child_by_title("Cherry", type_=Object)
    for _ in range(100):
        instance = cherry.create_instance()
        instance.set_for_frames(BoundingBoxCoordinates(height=0.1, width=0.1, top_left_x=0.1, top_left_y=0.1))
        row.add_object_instance(instance)
    with pytest.raises(PayloadTooLargeError) as e:
        row.save()
    assert e.value.message == TOO_LARGE


@pytest.mark.encord_emulator(max_request_bytes=LIMIT)
def test_the_control_api_answers_a_body_over_the_limit_with_413(emulator):
    reply = requests.put(emulator.url + "/_emulator/buckets/big/object", data=b"x" * (LIMIT + 1), timeout=60)
    assert (reply.status_code, reply.json()) == (413, {"code": "PAYLOAD_TOO_LARGE", "message": TOO_LARGE})


@pytest.mark.encord_emulator(max_request_bytes=LIMIT)
def test_datagym_answers_a_body_over_the_limit_with_its_error(emulator):
    token = emulator.datagym.token()
    reply = requests.post(emulator.url + "/datagym/api/v1/dataset", params={"token": token},
                          data=b"x" * (LIMIT + 1), timeout=60)
    assert (reply.status_code, reply.json()) == (413, {"key": "ex_payload_too_large", "params": [], "msg": TOO_LARGE,
                                                       "code": 413, "details": []})


@pytest.mark.encord_emulator(max_request_bytes=LIMIT)
def test_a_chunked_body_over_the_limit_is_refused_too(encord_server):
    chunks = (b"x" * 1000 for _ in range(LIMIT // 1000 + 1))  # a generator: sent chunked, with no Content-Length
    reply = requests.put(encord_server.url + "/_emulator/buckets/big/object", data=chunks, timeout=60)
    assert (reply.status_code, reply.json()) == (413, {"code": "PAYLOAD_TOO_LARGE", "message": TOO_LARGE})


def test_every_sdk_route_declares_request_contracts_that_exist():
    from emulator.app import all_routes
    from emulator.core import contracts

    routes = all_routes()
    declared = [c for r in routes.legacy.values() for c in (r.uid_contract, r.payload_contract)]
    declared += [r.body_contract for r in routes.rest]
    assert len(declared) == 2 * len(routes.legacy) + len(routes.rest)
    assert set(declared) <= set(contracts.names())


def test_a_data_row_registered_with_only_its_title_and_type_is_listed(seeded):
    """Found by the fuzz test: a row registered without a file link made the project's listing answer 500."""
    emulator, user, seed = seeded
    emulator.register_data_rows(seed["dataset_hash"], [{"data_title": "scene", "data_type": "SCENE"}])
    project = emulator.user_client(user.email).get_project(PROJECT)
    [row] = project.list_label_rows_v2(data_title_eq="scene")
    assert (row.data_type.value, row.data_link) == ("scene", None)
