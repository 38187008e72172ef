"""DataGym's import, configuration and auth rules, checked in-process through ``mock_datagym`` with requests shaped
exactly like the datagym client's (https://app.datagym.ai/api/v1/…, ?token=…). tests/test_datagym.py drives the real
client over a socket; these cover every rule without a process per case."""

import media_factory as mf
import pytest
import requests

from emulator import mock_datagym

BASE = "https://app.datagym.ai/"
R = {"x": 1, "y": 1, "w": 1, "h": 1}
CONFIG = [
    {"entryKey": "car", "entryValue": "Car", "type": "rectangle", "children": [
        {"entryKey": "wheel", "entryValue": "Wheel", "type": "point", "children": []}]},
    {"entryKey": "lane", "entryValue": "Lane", "type": "line", "children": []},
    {"entryKey": "p", "entryValue": "P", "type": "point", "children": []},
    {"entryKey": "g", "entryValue": "G", "type": "polygon", "children": []},
    {"entryKey": "seg", "entryValue": "Seg", "type": "image_segmentation", "children": []},
    {"entryKey": "c", "entryValue": "C", "type": "checklist", "options": {"a": "A", "b": "B"}, "children": [
        {"entryKey": "why", "entryValue": "Why", "type": "freetext", "children": []}]},
]


def P(x, y):
    return {"x": x, "y": y}


@pytest.fixture
def gym(encord_emulator):
    with mock_datagym():
        token = encord_emulator.datagym.token()
        dataset = requests.post(BASE + "api/v1/dataset", params={"token": token}, json={"name": "d"}, timeout=10).json()
        encord_emulator.put_object("rules-bucket", "a.png", mf.png())
        [media] = requests.post(BASE + f"api/v1/media/{dataset['id']}/url", params={"token": token},
                                json=["s3://rules-bucket/a.png"], timeout=10).json()
        project = encord_emulator.datagym.project("rules", token, CONFIG, [dataset["id"]])
        yield encord_emulator, token, project, media["internal_media_ID"], dataset


def post_import(gym, items):
    emulator, token, project, media, dataset = gym
    return requests.post(BASE + f"api/v1/project/{project['id']}/prediction", params={"token": token}, json=items,
                         timeout=10)


def failed(pointer: str, message: str) -> str:
    return f"Schema validation failed with 1 error(s)\n\n<{pointer}>\n{message}\n"


@pytest.mark.parametrize("labels, expected", [
    ({"car": [{"rectangle": [R, R]}]},
     failed("#/0/labels/car/0/rectangle", f"[{R}, {R}] is too long")),
    ({"car": [{"rectangle": [{"x": 1, "y": 1, "w": 1}]}]},
     failed("#/0/labels/car/0/rectangle/0", "'h' is a required property")),
    ({"g": [{"polygon": [P(1, 1), P(2, 2)]}]},
     failed("#/0/labels/g/0/polygon", "[{'x': 1, 'y': 1}, {'x': 2, 'y': 2}] is too short")),
    ({"lane": [{"line": [P(1, 1)]}]}, failed("#/0/labels/lane/0/line", "[{'x': 1, 'y': 1}] is too short")),
    ({"p": [{"point": [P(1, 1), P(2, 2)]}]},
     failed("#/0/labels/p/0/point", "[{'x': 1, 'y': 1}, {'x': 2, 'y': 2}] is too long")),
    ({"p": [{"point": [{"x": 1, "y": 1, "z": 1}]}]},
     failed("#/0/labels/p/0/point/0", "{'x': 1, 'y': 1, 'z': 1} has too many properties")),
    ({"p": [{"point": [P(-1, 1)]}]}, failed("#/0/labels/p/0/point/0/x", "-1 is not valid under any of the given schemas")),
    ({"p": [{"point": [P("1.5", 1)]}]},
     failed("#/0/labels/p/0/point/0/x", "'1.5' is not valid under any of the given schemas")),
    ({"p": [{"box": []}]}, failed("#/0/labels/p/0", "Additional properties are not allowed ('box' was unexpected)")),
])
def test_each_geometry_rule_refuses_with_its_pointer(gym, labels, expected):
    emulator, token, project, media, dataset = gym
    reply = post_import(gym, [{"internal_media_ID": media, "labels": labels}])
    assert (reply.status_code, reply.json()) == (200, {"errorMessages": expected})


@pytest.mark.parametrize("classification, expected", [
    (["a", "b", {"why": ["x"]}], failed("#/0/global_classifications/c/2", "{'why': ['x']} is not of type 'string'")),
    ([1], failed("#/0/global_classifications/c/0", "1 is not valid under any of the given schemas")),
])
def test_classification_array_rules(gym, classification, expected):
    emulator, token, project, media, dataset = gym
    reply = post_import(gym, [{"internal_media_ID": media, "global_classifications": {"c": classification}}])
    assert reply.json() == {"errorMessages": expected}


@pytest.mark.parametrize("item", [
    {"labels": {"car": [{"rectangle": [{"x": "10", "y": "20", "w": 3.5, "h": 4}]}]}},
    {"labels": {"g": [{"polygon": [P(0, 0), P(1, 0), P(1, 1)]}]}},
    {"labels": {"lane": [{"line": [P(0, 0), P(1, 1)]}]}},
    {"labels": {"g": [{"geometry": [P(0, 0), P(1, 0), P(1, 1), P(0, 1)]}]}},  # deprecated, no count limits
    {"labels": {"car": [{"rectangle": [R], "nested_geometries": {"wheel": [{"point": [P(1, 1)]}]}}]}},
    {"global_classifications": {"c": ["a", {"why": ["because"]}]}},
    {"image_name": "a.png"},  # other item keys are allowed
])
def test_valid_documents_import(gym, item):
    emulator, token, project, media, dataset = gym
    assert post_import(gym, [{"internal_media_ID": media, **item}]).json() == {"errorMessages": ""}


def test_items_without_a_media_id_are_skipped(gym):
    assert post_import(gym, [{"label_classes": []}]).json() == {"errorMessages": ""}


def test_image_segmentation_cannot_be_imported(gym):
    emulator, token, project, media, dataset = gym
    reply = post_import(gym, [{"internal_media_ID": media, "labels": {"seg": [{"image_segmentation": [[P(1, 1)]]}]}}])
    assert reply.status_code == 500
    assert reply.json() == {"key": "ex_gen_entry_type_not_found", "params": ["seg"], "code": 500, "details": [],
                            "msg": "Labels of the image segmentation class seg cannot be imported."}


def test_nested_geometry_keys_must_be_children(gym):
    emulator, token, project, media, dataset = gym
    reply = post_import(gym, [{"internal_media_ID": media, "labels": {
        "car": [{"rectangle": [R], "nested_geometries": {"lane": [{"line": [P(0, 0), P(1, 1)]}]}}]}}])
    assert (reply.status_code, reply.json()["key"], reply.json()["params"]) == (500, "ex_gen_wrong_entry_id", ["lane"])


def test_malformed_json_and_empty_bodies(gym):
    emulator, token, project, media, dataset = gym
    url = BASE + f"api/v1/project/{project['id']}/prediction"
    syntax = requests.post(url, params={"token": token}, data=b"[{", timeout=10)
    assert (syntax.status_code, syntax.json()) == (
        200, {"errorMessages": "line: 1, column: 3\nExpecting property name enclosed in double quotes"})
    empty = requests.post(url, params={"token": token}, timeout=10)  # what import_label_data(pid, []) sends
    assert (empty.status_code, empty.json()["key"]) == (500, "ex_gen_error_messages")


def test_the_export_of_a_checklist_with_a_nested_child_does_not_re_import(gym):
    """Protocol notes §7: a round-trip break of the real format, reproduced."""
    emulator, token, project, media, dataset = gym
    post_import(gym, [{"internal_media_ID": media, "global_classifications": {"c": ["a", "b"]}}])
    post_import(gym, [{"internal_media_ID": media, "global_classifications": {"c": ["a", {"why": ["x"]}]}}])
    emulator.datagym.set_task_state(project["id"], media, "REVIEWED")
    exported = requests.get(BASE + f"api/v1/export/{project['id']}", params={"token": token}, timeout=10).json()
    exported[1]["global_classifications"]["c"] = ["a", "b", {"why": ["x"]}]  # a checklist answer with its child
    assert post_import(gym, exported).json()["errorMessages"].startswith("Schema validation failed with 1 error(s)")


def test_the_token_may_come_in_an_authorization_header(gym):
    emulator, token, project, media, dataset = gym
    reply = requests.get(BASE + "api/v1/dataset", headers={"Authorization": f"Token {token}"}, timeout=10)
    assert [d["name"] for d in reply.json()] == ["d"]


@pytest.mark.parametrize("entries, status, key", [
    ([{"entryKey": "bad/key", "entryValue": "x", "type": "point", "children": []}], 400, "ex_validation"),
    ([{"entryKey": "a", "entryValue": "", "type": "point", "children": []}], 400, "ex_validation"),
    ([{"entryKey": "a", "entryValue": "A", "type": "rectangle", "children": [
        {"entryKey": "b", "entryValue": "B", "type": "select", "options": {}, "children": [
            {"entryKey": "c", "entryValue": "C", "type": "select", "options": {}, "children": [
                {"entryKey": "d", "entryValue": "D", "type": "select", "options": {}, "children": []}]}]}]}],
     500, "ex_gen_config_depth"),
    ([{"entryKey": "global_classifications", "entryValue": "x", "type": "point", "children": []}], 500,
     "ex_gen_forbidden_keyword"),
])
def test_label_configuration_rules(gym, entries, status, key):
    emulator, token, project, media, dataset = gym
    url = BASE + f"/api/v1/config/{project['labelConfigurationId']}"
    assert requests.delete(url, params={"token": token}, timeout=10).status_code == 200
    reply = requests.put(url, params={"token": token}, json=entries, timeout=10)
    assert (reply.status_code, reply.json()["key"]) == (status, key)


def test_a_configuration_must_be_cleared_before_it_is_replaced(gym):
    emulator, token, project, media, dataset = gym
    url = BASE + f"/api/v1/config/{project['labelConfigurationId']}"
    reply = requests.put(url, params={"token": token}, json=CONFIG, timeout=10)
    assert (reply.status_code, reply.json()["key"], reply.json()["params"]) == (
        500, "ex_gen_config_not_cleared", [project["labelConfigurationId"]])


def test_another_tokens_project_is_forbidden(gym):
    emulator, token, project, media, dataset = gym
    other = emulator.datagym.token("other")
    reply = requests.get(BASE + f"api/v1/export/{project['id']}", params={"token": other}, timeout=10)
    assert (reply.status_code, reply.json()["key"], reply.json()["params"]) == (403, "ex_forbidden", [])


@pytest.mark.parametrize("body, detail", [
    ({"name": ""}, "/name: '' should be non-empty"),
    ({"shortDescription": "no name"}, "/: 'name' is a required property"),
    (["street"], "/: ['street'] is not of type 'object'"),
])
def test_a_dataset_request_is_checked_against_its_contract(gym, body, detail):
    emulator, token, project, media, dataset = gym
    reply = requests.post(BASE + "api/v1/dataset", params={"token": token}, json=body, timeout=10)
    assert reply.status_code == 400
    assert reply.json() == {"key": "ex_validation", "params": [], "msg": "Validation failed", "code": 400,
                            "details": [{"name": detail, "key": "ex_val_invalid", "params": []}]}


def test_an_answer_that_breaks_its_contract_is_an_error_not_a_silent_pass(gym, monkeypatch):
    emulator, token, project, media, dataset = gym
    monkeypatch.setattr(emulator.backend.datagym, "export",
                        lambda owner, project_id: [{"label_classes": []}, {"internal_media_ID": 7}])
    reply = requests.get(BASE + f"api/v1/export/{project['id']}", params={"token": token}, timeout=10)
    assert (reply.status_code, reply.json()["key"]) == (500, "ex_system")
    assert reply.json()["msg"].startswith("datagym-export: /1: 'external_media_ID' is a required property")
