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
    {"entryKey": "s", "entryValue": "S", "type": "select", "options": {"x": "X", "y": "Y"}, "children": []},
    {"entryKey": "t", "entryValue": "T", "type": "freetext", "maxLength": 5, "children": []},
]
UNANSWERED = {"c": [None, {"why": [None]}], "s": [None], "t": [None]}


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


def failed(pointer: str, *messages: str) -> str:
    """The server's text for violations at one pointer (several messages, in its order, follow "Either: ")."""
    either = "Either: \n" if len(messages) > 1 else ""
    return f"Schema validation failed with 1 error(s)\n\n{pointer}\n{either}" + "".join(f"{m}\n" for m in messages) \
        + "\n"


def exported_task(gym) -> dict:
    """The export of the gym's media, once reviewed."""
    emulator, token, project, media, dataset = gym
    emulator.datagym.set_task_state(project["id"], media, "REVIEWED")
    exported = requests.get(BASE + f"api/v1/export/{project['id']}", params={"token": token}, timeout=10).json()
    [task] = exported[1:]
    return task


@pytest.mark.parametrize("labels, expected", [
    ({"car": [{"rectangle": [R, R]}]},
     failed("#/0/labels/car/0/rectangle", "expected maximum item count: 1, found: 2")),
    ({"car": [{"rectangle": []}]}, failed("#/0/labels/car/0/rectangle", "expected minimum item count: 1, found: 0")),
    ({"car": [{"rectangle": [{"x": 1, "y": 1, "w": 1}]}]},
     failed("#/0/labels/car/0/rectangle/0", "required key [h] not found")),
    ({"car": [{"rectangle": [{}]}]},
     failed("#/0/labels/car/0/rectangle/0", "required key [h] not found", "required key [x] not found",
            "required key [w] not found", "required key [y] not found")),
    ({"g": [{"polygon": [P(1, 1), P(2, 2)]}]},
     failed("#/0/labels/g/0/polygon", "expected minimum item count: 3, found: 2")),
    ({"lane": [{"line": [P(1, 1)]}]}, failed("#/0/labels/lane/0/line", "expected minimum item count: 2, found: 1")),
    ({"p": [{"point": [P(1, 1), P(2, 2)]}]},
     failed("#/0/labels/p/0/point", "expected maximum item count: 1, found: 2")),
    ({"p": [{"point": [{"x": 1, "y": 1, "z": 1}]}]}, failed("#/0/labels/p/0/point/0", "maximum size: [2], found: [3]")),
    ({"p": [{"point": [{"x": 1}]}]},
     failed("#/0/labels/p/0/point/0", "minimum size: [2], found: [1]", "required key [y] not found")),
    ({"p": [{"point": [P(-1, 1)]}]},
     failed("#/0/labels/p/0/point/0/x", "-1 is not greater or equal to 0", "expected type: String, found: Integer")),
    ({"p": [{"point": [P("1.5", 1)]}]},
     failed("#/0/labels/p/0/point/0/x", "string [1.5] does not match pattern ^[0-9]+$",
            "expected type: Number, found: String")),
    ({"g": [{"geometry": [{"x": 1}]}]},  # neither {x, y} nor {x, y, w, h}: each alternative's violations
     failed("#/0/labels/g/0/geometry/0", "required key [h] not found", "minimum size: [2], found: [1]",
            "required key [w] not found", "required key [y] not found")),
    ({"car": [{"rectangle": [R], "nested_geometries": {"wheel": [5]}}]},
     failed("#/0/labels/car/0/nested_geometries/wheel/0", "expected type: JSONObject, found: Integer")),
    ({"car": [{"rectangle": [R], "nested_geometries": {"wheel": [{"point": []}]}}]},
     failed("#/0/labels/car/0/nested_geometries/wheel/0/point", "expected minimum item count: 1, found: 0")),
    ({"car": [{"rectangle": [R], "classifications": []}]},
     failed("#/0/labels/car/0/classifications", "expected type: JSONObject, found: JSONArray")),
    ({"seg": [{"image_segmentation": {}}]},
     failed("#/0/labels/seg/0/image_segmentation", "expected type: JSONArray, found: JSONObject")),
    ({"p": [{"box": []}]}, failed("#/0/labels/p/0", "extraneous key [box] is not permitted")),
])
def test_each_geometry_rule_refuses_with_its_pointer(gym, labels, expected):
    emulator, token, project, media, dataset = gym
    reply = post_import(gym, [{"internal_media_ID": media, "labels": labels}])
    assert (reply.status_code, reply.json()) == (200, {"errorMessages": expected})


@pytest.mark.parametrize("classification, expected", [
    (["a", "b", {"why": ["x"]}], failed("#/0/global_classifications/c/2", "expected type: String, found: JSONObject")),
    ([1], failed("#/0/global_classifications/c/0", "expected: null, found: Integer",
                 "expected type: String, found: Integer")),
    (["a", 5], failed("#/0/global_classifications/c/1", "expected type: JSONObject, found: Integer",
                      "expected type: String, found: Integer")),
])
def test_classification_array_rules(gym, classification, expected):
    emulator, token, project, media, dataset = gym
    reply = post_import(gym, [{"internal_media_ID": media, "global_classifications": {"c": classification}}])
    assert reply.json() == {"errorMessages": expected}


@pytest.mark.parametrize("item, expected", [
    ({"internal_media_ID": 5}, failed("#/0/internal_media_ID", "expected type: String, found: Integer")),
    ({"keepData": 1.5}, failed("#/0/keepData", "expected type: Boolean, found: BigDecimal")),
    ({"global_classifications": []},
     failed("#/0/global_classifications", "expected type: JSONObject, found: JSONArray")),
    ({"labels": "car"}, failed("#/0/labels", "expected type: JSONObject, found: String")),
    ({"labels": {"car": [None]}}, failed("#/0/labels/car/0", "expected type: JSONObject, found: Null")),
])
def test_item_rules(gym, item, expected):
    emulator, token, project, media, dataset = gym
    assert post_import(gym, [{"internal_media_ID": media, **item}]).json() == {"errorMessages": expected}


@pytest.mark.parametrize("document, expected", [
    ([], failed("#", "expected minimum item count: 1, found: 0")),
    ([5], failed("#/0", "expected type: JSONObject, found: Integer")),
])
def test_document_rules(gym, document, expected):
    assert post_import(gym, document).json() == {"errorMessages": expected}


def test_violations_are_grouped_by_pointer_sorted_by_length_then_name(gym):
    emulator, token, project, media, dataset = gym
    document = [{"internal_media_ID": 5, "keepData": "yes",
                 "labels": {"car": [{"rectangle": [{"x": -1, "y": 1, "w": 1}]}], "g": [{"polygon": [P(1, 1)]}]}}, 7]
    assert post_import(gym, document).json() == {"errorMessages": (
        "Schema validation failed with 6 error(s)\n\n"
        "#/1\nexpected type: JSONObject, found: Integer\n\n"
        "#/0/keepData\nexpected type: Boolean, found: String\n\n"
        "#/0/internal_media_ID\nexpected type: String, found: Integer\n\n"
        "#/0/labels/g/0/polygon\nexpected minimum item count: 3, found: 1\n\n"
        "#/0/labels/car/0/rectangle/0\nrequired key [h] not found\n\n"
        "#/0/labels/car/0/rectangle/0/x\nEither: \n-1 is not greater or equal to 0\n"
        "expected type: String, found: Integer\n\n")}


def test_a_root_that_is_not_an_array_is_unreadable(gym):
    reply = post_import(gym, {"internal_media_ID": "m"})
    assert (reply.status_code, reply.json()) == (500, {
        "key": "ex_gen_error_messages", "params": ["A JSONArray text must start with '[' at 1 [character 2 line 1]"],
        "msg": "A JSONArray text must start with '[' at 1 [character 2 line 1]", "code": 500, "details": []})


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


def test_an_image_segmentation_label_keeps_no_segmentation_and_refuses_geometry_keys(gym):
    """Protocol notes §6.3: image_segmentation is ignored (such labels are kept, without points); a geometry key on an
    image segmentation class is refused."""
    emulator, token, project, media, dataset = gym
    ignored = post_import(gym, [{"internal_media_ID": media, "labels": {
        "seg": [{"image_segmentation": [[P(1, 1)]]}], "car": [{"image_segmentation": [], "rectangle": [R]}]}}])
    assert (ignored.status_code, ignored.json()) == (200, {"errorMessages": ""})
    refused = post_import(gym, [{"internal_media_ID": media, "labels": {"seg": [{"polygon": [P(1, 1)] * 3}]}}])
    assert (refused.status_code, refused.json()) == (500, {
        "key": "ex_gen_entry_type_not_found", "params": ["IMAGE_SEGMENTATION"], "code": 500, "details": [],
        "msg": "seg is an image segmentation, which cannot be imported; its labels take no geometry keys."})
    assert exported_task(gym)["labels"] == {
        "seg": [{"image_segmentation": [], "classifications": {}, "nested_geometries": {}}],
        "car": [{"rectangle": [{"x": 1, "y": 1, "w": 1, "h": 1}], "classifications": {}, "nested_geometries": {}}]}


NULL_RECTANGLE = [{"x": None, "y": None, "w": None, "h": None}]


@pytest.mark.parametrize("labels, exported", [
    ({"car": [{"classifications": {}}]},
     {"car": [{"rectangle": NULL_RECTANGLE, "classifications": {}, "nested_geometries": {}}]}),
    ({"car": [{"polygon": [P(1, 2), P(3, 4), P(5, 6)]}]},  # x and y from the last point, no w or h
     {"car": [{"rectangle": NULL_RECTANGLE, "classifications": {}, "nested_geometries": {}}]}),
    ({"car": [{"geometry": [P(1, 2)]}]},
     {"car": [{"rectangle": NULL_RECTANGLE, "classifications": {}, "nested_geometries": {}}]}),
    ({"car": [{"point": [P(7, 8)], "geometry": [{"x": 1, "y": "2", "w": 3.9, "h": 4}]}]},  # read in turn
     {"car": [{"rectangle": [{"x": 1, "y": 2, "w": 3, "h": 4}], "classifications": {}, "nested_geometries": {}}]}),
    ({"car": [{"rectangle": [R],
               "nested_geometries": {"wheel": [{"classifications": {}}, {"line": [P(1, 1), P(2, 2)]}]}}]},
     {"car": [{"rectangle": [{"x": 1, "y": 1, "w": 1, "h": 1}], "classifications": {}, "nested_geometries": {
         "wheel": [{"point": [{"x": None, "y": None}], "classifications": {}},
                   {"point": [{"x": 2, "y": 2}], "classifications": {}}]}}]}),
    ({"p": [{"polygon": [P(1, 1), P(2, 2), P(3, 3)]}]},
     {"p": [{"point": [{"x": 3, "y": 3}], "classifications": {}, "nested_geometries": {}}]}),
    ({"g": [{"line": [P(0, 0), P(1, 1)]}, {"point": [P(5, 5)], "geometry": []}]},  # too few points: only invalid
     {"g": [{"polygon": [{"x": 0, "y": 0}, {"x": 1, "y": 1}], "classifications": {}, "nested_geometries": {}},
            {"polygon": [{"x": 5, "y": 5}], "classifications": {}, "nested_geometries": {}}]}),
    ({"lane": [{"classifications": {}}]}, {"lane": [{"line": [], "classifications": {}, "nested_geometries": {}}]}),
])
def test_every_geometry_key_is_read_and_the_type_decides_the_value(gym, labels, exported):
    """Protocol notes §6.3 and §7: a key that does not fit the class's type gives an invalid value, exported with
    null coordinates (a rectangle's all four), not an error."""
    emulator, token, project, media, dataset = gym
    assert post_import(gym, [{"internal_media_ID": media, "labels": labels}]).json() == {"errorMessages": ""}
    assert exported_task(gym)["labels"] == exported


@pytest.mark.parametrize("labels, error", [
    ({"g": [{"rectangle": [R]}]}, {"key": "ex_gen_entry_value_validation", "params": ["POLYGON"],
                                   "msg": "Validation of entry value of type POLYGON failed."}),
    ({"p": [{"geometry": [R]}]}, {"key": "ex_gen_entry_value_validation", "params": ["POINT"],
                                  "msg": "Validation of entry value of type POINT failed."}),
    ({"car": [{"rectangle": [{**R, "z": 1}]}]}, {"key": "ex_gen_entry_type_not_found", "params": ["RECTANGLE"],
                                               "msg": "A rectangle of car has x, y, w and h, not z."}),
])
def test_coordinates_a_type_cannot_take_are_refused(gym, labels, error):
    emulator, token, project, media, dataset = gym
    reply = post_import(gym, [{"internal_media_ID": media, "labels": labels}])
    assert (reply.status_code, reply.json()) == (500, {**error, "code": 500, "details": []})


@pytest.mark.parametrize("answers, exported", [
    ({"s": ["x"]}, {"s": ["x"]}),
    ({"s": ["x", "y"]}, {}),  # a select takes exactly one string
    ({"s": [None]}, {}),
    ({"s": ["z"]}, {}),  # an option the select does not have is stored as null
    ({"t": ["longer than five"]}, {"t": ["longer than five"]}),  # over maxLength: only invalid
    ({"t": ["a", "b"]}, {}),
    ({"c": ["b", "a", "zz"]}, {"c": ["b", "a", "zz", {"why": [None]}]}),  # a checklist takes one string or more
    ({"c": [None, {"why": ["because"]}]}, {"c": [None, {"why": ["because"]}]}),
])
def test_classification_answers_follow_the_value_rules(gym, answers, exported):
    emulator, token, project, media, dataset = gym
    assert post_import(gym, [{"internal_media_ID": media, "global_classifications": answers}]).json() == {
        "errorMessages": ""}
    assert exported_task(gym)["global_classifications"] == {**UNANSWERED, **exported}


def test_geometry_classifications_are_exported_whole(gym):
    """Every classification child of a label is exported, answered or not, as the server creates the value tree."""
    config = [{"entryKey": "box", "entryValue": "Box", "type": "rectangle", "children": [
        {"entryKey": "kind", "entryValue": "Kind", "type": "select", "options": {"a": "A"}, "children": [
            {"entryKey": "note", "entryValue": "Note", "type": "freetext", "children": []}]},
        {"entryKey": "tags", "entryValue": "Tags", "type": "checklist", "options": {}, "children": []}]}]
    emulator, token, project, media, dataset = gym
    project = emulator.datagym.project("whole", token, config, [dataset["id"]])
    reply = requests.post(BASE + f"api/v1/project/{project['id']}/prediction", params={"token": token}, timeout=10,
                          json=[{"internal_media_ID": media, "labels": {"box": [
                              {"rectangle": [R]}, {"rectangle": [R], "classifications": {"kind": ["a"]}}]}}])
    assert reply.json() == {"errorMessages": ""}
    emulator.datagym.set_task_state(project["id"], media, "COMPLETED")
    exported = requests.get(BASE + f"api/v1/export/{project['id']}", params={"token": token}, timeout=10).json()
    assert [label["classifications"] for label in exported[1]["labels"]["box"]] == [
        {"kind": [None, {"note": [None]}], "tags": [None]}, {"kind": ["a", {"note": [None]}], "tags": [None]}]


def test_global_answers_are_kept_until_keep_data_false_clears_them(gym):
    emulator, token, project, media, dataset = gym
    post_import(gym, [{"internal_media_ID": media, "global_classifications": {"s": ["x"], "c": ["a"]}}])
    post_import(gym, [{"internal_media_ID": media, "global_classifications": {"s": ["y", "x"], "t": ["hi"]}}])
    assert exported_task(gym)["global_classifications"] == {**UNANSWERED, "s": ["x"], "c": ["a", {"why": [None]}],
                                                            "t": ["hi"]}
    post_import(gym, [{"internal_media_ID": media, "keepData": False, "labels": {"p": [{"point": [P(1, 1)]}]}}])
    task = exported_task(gym)
    assert task["global_classifications"] == UNANSWERED
    assert task["labels"] == {"p": [{"point": [{"x": 1, "y": 1}], "classifications": {}, "nested_geometries": {}}]}


def test_an_export_without_exportable_tasks_is_empty(gym):
    emulator, token, project, media, dataset = gym
    post_import(gym, [{"internal_media_ID": media, "labels": {"p": [{"point": [P(1, 1)]}]}}])
    for state in ("WAITING", "IN_PROGRESS", "WAITING_CHANGED"):
        emulator.datagym.set_task_state(project["id"], media, state)
        reply = requests.get(BASE + f"api/v1/export/{project['id']}", params={"token": token}, timeout=10)
        assert (reply.status_code, reply.json()) == (200, [])


def test_head_on_the_export_answers_its_headers_only(gym):
    emulator, token, project, media, dataset = gym
    reply = requests.head(BASE + f"api/v1/export/{project['id']}", params={"token": token}, timeout=10)
    assert (reply.status_code, reply.content, reply.headers["Content-Type"]) == (200, b"", "application/json")
    assert reply.headers["Content-Disposition"].startswith('attachment; filename="datagym_export_')
    missing = requests.head(BASE + "api/v1/export/nope", params={"token": token}, timeout=10)
    assert (missing.status_code, missing.content) == (404, b"")  # HEAD errors have no body, as the server's


def test_clearing_the_configuration_sends_completed_and_reviewed_tasks_back_to_waiting(gym):
    emulator, token, project, media, dataset = gym
    emulator.put_object("rules-bucket", "b.png", mf.png(8, 8))
    emulator.put_object("rules-bucket", "c.png", mf.png(9, 9))
    more = requests.post(BASE + f"api/v1/media/{dataset['id']}/url", params={"token": token},
                         json=["s3://rules-bucket/b.png", "s3://rules-bucket/c.png"], timeout=10).json()
    states = dict(zip([media] + [m["internal_media_ID"] for m in more], ("COMPLETED", "REVIEWED", "SKIPPED")))
    for media_id, state in states.items():
        post_import(gym, [{"internal_media_ID": media_id, "labels": {"p": [{"point": [P(1, 1)]}]}}])
        emulator.datagym.set_task_state(project["id"], media_id, state)
    cleared = requests.delete(BASE + f"/api/v1/config/{project['labelConfigurationId']}", params={"token": token},
                              timeout=10)
    assert cleared.json() == {"configId": project["labelConfigurationId"]}
    exported = requests.get(BASE + f"api/v1/export/{project['id']}", params={"token": token}, timeout=10).json()
    assert exported == [{"label_classes": []}, {  # only the skipped task is left; its labels went with the entries
        "internal_media_ID": more[1]["internal_media_ID"], "external_media_ID": "c.png", "labeler": None,
        "status": "skipped", "global_classifications": {}, "labels": {}}]


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
    assert (empty.status_code, empty.json()["key"], empty.json()["params"]) == (
        500, "ex_gen_error_messages", ["Unable to parse the content. No data available?"])


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


def entry(key: str, kind: str = "point", *children, **fields) -> dict:
    return {"entryKey": key, "entryValue": key.upper()[:56] or "X", "type": kind, **fields, "children": list(children)}


def refused(*details: str) -> tuple:
    return 400, {"key": "ex_validation", "params": [], "msg": "Validation failed", "code": 400,
                 "details": [{"name": detail, "key": "ex_val_invalid", "params": []} for detail in details]}


def failing(status: int, key: str, params: list, msg: str) -> tuple:
    return status, {"key": key, "params": params, "msg": msg, "code": status, "details": []}


ALREADY_EXISTS = failing(412, "ex_alreadyexists", ["Label entry", "entryKey:", "a"],
                         "Label entry with entryKey: a already exists.")


@pytest.mark.parametrize("entries, answer", [
    ([entry("bad/key")], refused("entries[0].entryKey 'bad/key' must be 1-56 letters, digits, '_', '-' or spaces.")),
    ([entry("a" * 57)], refused(f"entries[0].entryKey '{'a' * 57}' must be 1-56 letters, digits, '_', '-' or spaces.")),
    ([{**entry("a"), "entryValue": ""}], refused("entries[0].entryValue '' must be 1-56 characters long.")),
    ([{"entryKey": "a", "entryValue": "A", "children": []}], refused("entries[0].type None must be a type name.")),
    (["car", entry("a", "rectangle", 5, {"entryKey": "b"})], refused(
        "entries[0]: expected an entry object", "entries[1].children[0]: expected an entry object",
        "entries[1].children[1].entryValue None must be 1-56 characters long.",
        "entries[1].children[1].type None must be a type name.")),
    ([{**entry("a"), "children": "b"}], refused("entries[0].children: expected a list of entries")),
    ([entry("a", "rectangle", entry("b", "select", entry("c", "select", entry("d", "select"))))],
     failing(500, "ex_gen_config_depth", [], "A label configuration may nest at most 3 levels.")),
    ([entry("global_classifications")], failing(500, "ex_gen_forbidden_keyword", ["global_classifications"],
                                                "The key global_classifications is reserved and cannot be used.")),
    ([entry("a", "circle")], failing(500, "ex_gen_entry_type_not_found", ["entry type"],
                                     "The type 'circle' of a does not exist; types are point, line, polygon, "
                                     "image_segmentation, rectangle, select, checklist, freetext.")),
    ([entry("a"), entry("b", "rectangle", entry("c", "select")), entry("a", "line")],
     ALREADY_EXISTS),
    ([entry("a", "rectangle", entry("b", "select", entry("a", "select")))],
     ALREADY_EXISTS),
])
def test_label_configuration_rules(gym, entries, answer):
    """Every entry is checked before anything is written: after a refusal the configuration is still empty."""
    emulator, token, project, media, dataset = gym
    url = BASE + f"/api/v1/config/{project['labelConfigurationId']}"
    assert requests.delete(url, params={"token": token}, timeout=10).status_code == 200
    reply = requests.put(url, params={"token": token}, json=entries, timeout=10)
    assert (reply.status_code, reply.json()) == answer
    again = requests.put(url, params={"token": token}, json=[entry("p")], timeout=10)
    assert (again.status_code, again.json()) == (200, {"id": project["labelConfigurationId"], "entries": [entry("p")]})


@pytest.mark.parametrize("entries, stored", [
    ([entry("a" * 56)], [entry("a" * 56)]),
    ([entry("a", "RECTANGLE", entry("b", "Select"))], [entry("a", "rectangle", entry("b", "select"))]),
    ([entry("a", "rectangle", entry("c")), entry("b", "rectangle", entry("c"))],  # unique within a root's tree
     [entry("a", "rectangle", entry("c")), entry("b", "rectangle", entry("c"))]),
    ([{"entryKey": "a", "entryValue": "A", "type": "line"}], [entry("a", "line")]),
])
def test_label_configurations_the_server_accepts(gym, entries, stored):
    emulator, token, project, media, dataset = gym
    url = BASE + f"/api/v1/config/{project['labelConfigurationId']}"
    requests.delete(url, params={"token": token}, timeout=10)
    reply = requests.put(url, params={"token": token}, json=entries, timeout=10)
    assert (reply.status_code, reply.json()) == (200, {"id": project["labelConfigurationId"], "entries": stored})


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


@pytest.mark.parametrize("method, path", [
    ("PATCH", "api/v1/dataset"),
    ("PUT", "api/v1/project"),
    ("GET", "api/v1/project/p/prediction"),
    ("POST", "/api/v1/config/c"),
])
def test_another_method_on_a_route_is_a_validation_error(gym, method, path):
    """The server's exception converter turns Spring's 405 into its ValidationException: 400 ex_validation."""
    emulator, token, project, media, dataset = gym
    reply = requests.request(method, BASE + path, params={"token": token}, timeout=10)
    assert (reply.status_code, reply.json()) == (400, {
        "key": "ex_validation", "params": [], "msg": "Validation failed", "code": 400,
        "details": [{"name": f"Request method '{method}' not supported", "key": "ex_val_invalid", "params": []}]})


def test_mock_datagym_alone_answers_requests_shaped_like_the_clients():
    """No fixture: mock_datagym() as a context manager is the whole emulator, its control API included."""
    with mock_datagym() as mock:
        control = mock.url + "/_emulator/"
        token = requests.post(control + "datagym/tokens", json={"name": "alone"}, timeout=10).json()["token"]
        requests.put(control + "buckets/alone-bucket/a.png", data=mf.png(), timeout=10).raise_for_status()
        dataset = requests.post(BASE + "api/v1/dataset", params={"token": token},
                                json={"name": "alone", "shortDescription": None}, timeout=10).json()
        [media] = requests.post(BASE + f"api/v1/media/{dataset['id']}/url", params={"token": token},
                                json=["s3://alone-bucket/a.png"], timeout=10).json()
        media_id = media["internal_media_ID"]
        project = requests.post(control + "datagym/projects", json={
            "name": "alone", "token": token, "label_config": CONFIG, "datasets": [dataset["id"]]}, timeout=10).json()
        imported = requests.post(BASE + f"api/v1/project/{project['id']}/prediction", params={"token": token},
                                 json=[{"internal_media_ID": media_id, "labels": {"p": [{"point": [P(3, 4)]}]}}],
                                 timeout=10)
        assert imported.json() == {"errorMessages": ""}
        requests.post(control + f"datagym/projects/{project['id']}/tasks/{media_id}", json={"state": "COMPLETED"},
                      timeout=10).raise_for_status()
        exported = requests.get(BASE + f"api/v1/export/{project['id']}", params={"token": token}, timeout=10).json()
        assert exported[1:] == [{"internal_media_ID": media_id, "external_media_ID": "a.png", "labeler": None,
                                 "status": "completed", "global_classifications": UNANSWERED,
                                 "labels": {"p": [{"point": [{"x": 3, "y": 4}], "classifications": {},
                                                   "nested_geometries": {}}]}}]
