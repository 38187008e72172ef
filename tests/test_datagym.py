"""DataGym through the real ``datagym==0.7.2`` client (in its own virtual environment) against the emulator served on
a socket under /datagym/. The client cannot create projects or move tasks: the control API does that."""

import media_factory as mf
import pytest
from datagym_client import ensure_client_venv, run_client

BUCKET = "datagym-bucket"
CONFIG = [
    {"entryKey": "car", "entryValue": "Car", "type": "rectangle", "children": [
        {"entryKey": "color", "entryValue": "Color", "type": "select", "required": False,
         "options": {"red": "Red", "blue": "Blue"}, "children": [
             {"entryKey": "shade", "entryValue": "Shade", "type": "select", "options": {"dark": "Dark", "light": "Light"},
              "children": []}]},
        {"entryKey": "wheel", "entryValue": "Wheel", "type": "point", "children": []}]},
    {"entryKey": "road", "entryValue": "Road", "type": "polygon", "children": []},
    {"entryKey": "weather", "entryValue": "Weather", "type": "select",
     "options": {"sunny": "Sunny", "rainy": "Rainy", "snowy": "Snowy"}, "children": []},
    {"entryKey": "daytime", "entryValue": "Daytime", "type": "select",
     "options": {"dawn": "Dawn", "day": "Day", "dusk": "Dusk", "night": "Night"}, "children": []},
]


@pytest.fixture(scope="module")
def client_python():
    return ensure_client_venv()


@pytest.fixture
def gym(encord_server, client_python):
    """A token, a dataset of two real images from a bucket, and a project over it."""
    token = encord_server.control("POST", "datagym/tokens", json={"name": "tester"})["token"]
    encord_server.put_object(BUCKET, "img_001.png", mf.png(64, 48))
    encord_server.put_object(BUCKET, "img_002.png", mf.png(32, 24))
    encord_server.put_object(BUCKET, "notes.txt", b"not an image")
    base = encord_server.url + "/datagym/"
    created = run_client(base, token, f"""
dataset = client.create_dataset("street", "street scenes")
uploaded = client.create_images_from_urls(dataset.id, ["s3://{BUCKET}/img_001.png", "s3://{BUCKET}/img_002.png",
                                                       "s3://{BUCKET}/missing.png", "s3://{BUCKET}/notes.txt"])
result = {{"dataset": dataset.id, "uploaded": uploaded}}
""")
    project = encord_server.control("POST", "datagym/projects", json={
        "name": "cars", "token": token, "media_type": "IMAGE", "label_config": CONFIG,
        "datasets": [created["dataset"]]})
    media = [u["internal_media_ID"] for u in created["uploaded"][:2]]
    return encord_server, base, token, project, media, created


def client(gym, script):
    server, base, token, *_ = gym
    return run_client(base, token, script)


def complete(gym, media_id):
    server, base, token, project, *_ = gym
    server.control("POST", f"datagym/projects/{project['id']}/tasks/{media_id}", json={"state": "COMPLETED"})


def test_media_from_urls_are_read_and_listed(gym):
    server, base, token, project, media, created = gym
    assert [u["mediaUploadStatus"] for u in created["uploaded"]] == ["SUCCESS", "SUCCESS", "FAILED",
                                                                    "UNSUPPORTED_MIME_TYPE"]
    listed = client(gym, """
project = client.get_project_by_name("cars")
result = {"project": project.id, "config": project.label_config_id, "media": [m.id for m in project.get_media()],
          "names": [m.image_name for m in project.get_media()]}
""")
    assert listed == {"project": project["id"], "config": project["labelConfigurationId"], "media": media,
                      "names": ["img_001.png", "img_002.png"]}


def test_bad_and_missing_tokens_are_refused_with_the_clients_messages(gym):
    server, base, *_ = gym
    bad = run_client(base, "not-a-token", "result = attempt(lambda: len(client.get_datasets()))")
    assert bad == {"exception": "ClientException", "message": 'HTTP 403 | Message: "Forbidden. Insufficient permissions."'}
    missing = run_client(base, "", "result = attempt(lambda: len(client.get_datasets()))")
    assert missing["exception"] == "ClientException" and missing["message"].startswith("HTTP 401 | Message: ")


def test_import_then_export_round_trip_with_the_radio_select_rule(gym):
    server, base, token, project, media, created = gym
    labels = [{"internal_media_ID": media[0], "keepData": True,
               "global_classifications": {"weather": ["sunny"], "daytime": ["night"]},
               "labels": {"car": [{"rectangle": [{"x": 10.7, "y": 20, "w": "30", "h": 40}],
                                   "classifications": {"color": ["red", {"shade": ["dark"]}]},
                                   "nested_geometries": {"wheel": [{"point": [{"x": 12, "y": 55}],
                                                                    "classifications": {}}]}}],
                          "road": [{"polygon": [{"x": 0, "y": 0}, {"x": "100", "y": 0}, {"x": 50, "y": 80}]}]}}]
    imported = client(gym, f"result = client.import_label_data('{project['id']}', {labels!r})")
    assert imported == {"errorMessages": ""}
    assert client(gym, f"result = client.export_labels('{project['id']}')") == []  # no task is completed yet
    complete(gym, media[0])
    exported = client(gym, f"result = client.export_labels('{project['id']}')")
    assert exported[0] == {"label_classes": [
        {"class_name": "wheel", "geometry_type": "point"}, {"class_name": "road", "geometry_type": "polygon"},
        {"class_name": "car", "geometry_type": "rectangle"}, {"class_name": "color", "classification_type": "radio"},
        {"class_name": "shade", "classification_type": "radio"}, {"class_name": "weather", "classification_type": "radio"},
        {"class_name": "daytime", "classification_type": "select"}]}
    [task] = exported[1:]
    assert task["internal_media_ID"] == media[0] and task["external_media_ID"] == "img_001.png"
    assert task["status"] == "completed"
    assert task["global_classifications"] == {"weather": ["sunny"], "daytime": ["night"]}
    assert task["labels"]["car"] == [{"rectangle": [{"x": 10, "y": 20, "w": 30, "h": 40}],
                                      "classifications": {"color": ["red", {"shade": ["dark"]}]},
                                      "nested_geometries": {"wheel": [{"point": [{"x": 12, "y": 55}],
                                                                       "classifications": {}}]}}]
    assert task["labels"]["road"][0]["polygon"] == [{"x": 0, "y": 0}, {"x": 100, "y": 0}, {"x": 50, "y": 80}]
    # The export re-imports (label_classes has no internal_media_ID and is skipped).
    assert client(gym, f"result = client.import_label_data('{project['id']}', {exported!r})") == {"errorMessages": ""}


@pytest.mark.parametrize("item, errors", [
    ({"labels": {"car": [{"rectangle": [{"x": 1, "y": 2, "w": 3}]}]}},
     "#/0/labels/car/0/rectangle/0\nrequired key [h] not found\n"),
    ({"labels": {"road": [{"polygon": [{"x": 1, "y": 2}, {"x": 3, "y": 4}]}]}},
     "#/0/labels/road/0/polygon\nexpected minimum item count: 3, found: 2\n"),
    ({"labels": {"car": [{"rectangle": [{"x": -1, "y": 2, "w": 3, "h": 4}]}]}},
     "#/0/labels/car/0/rectangle/0/x\nEither: \n-1 is not greater or equal to 0\n"
     "expected type: String, found: Integer\n"),
    ({"keepData": 1}, "#/0/keepData\nexpected type: Boolean, found: Integer\n"),
    ({"labels": {"car": [{"box": []}]}}, "#/0/labels/car/0\nextraneous key [box] is not permitted\n"),
])
def test_schema_failures_answer_200_with_the_servers_text(gym, item, errors):
    server, base, token, project, media, created = gym
    items = [{"internal_media_ID": media[0], **item}]
    result = client(gym, f"result = client.import_label_data('{project['id']}', {items!r})")
    assert result == {"errorMessages": f"Schema validation failed with 1 error(s)\n\n{errors}\n"}
    complete(gym, media[0])
    exported = client(gym, f"result = client.export_labels('{project['id']}')")
    assert exported[1]["labels"] == {}  # nothing of the failed import was written


@pytest.mark.parametrize("labels, message", [
    ({"truck": [{"rectangle": [{"x": 1, "y": 1, "w": 1, "h": 1}]}]},
     'HTTP 500 | Message: "The key truck, does not match any entry in your label configuration"'),
    ({"car": [{"rectangle": [{"x": 1, "y": 1, "w": 1, "h": 1}], "classifications": {"size": ["big"]}}]},
     'HTTP 500 | Message: "The key size, does not match any entry in your label configuration"'),
])
def test_keys_outside_the_configuration_are_refused(gym, labels, message):
    server, base, token, project, media, created = gym
    result = client(gym, f"result = attempt(lambda: client.import_label_data('{project['id']}', "
                         f"{[{'internal_media_ID': media[0], 'labels': labels}]!r}))")
    assert result == {"exception": "APIException", "message": message}


def test_an_unknown_media_id_is_refused_and_the_request_writes_nothing(gym):
    server, base, token, project, media, created = gym
    items = [{"internal_media_ID": media[0], "global_classifications": {"weather": ["rainy"]}},
             {"internal_media_ID": "no-such-media", "global_classifications": {"weather": ["sunny"]}}]
    result = client(gym, f"result = attempt(lambda: client.import_label_data('{project['id']}', {items!r}))")
    assert result == {"exception": "APIException", "message":
                      'HTTP 500 | Message: "The internal_image_ID you entered does not correspond to an image in your tasks"'}
    complete(gym, media[0])
    assert client(gym, f"result = client.export_labels('{project['id']}')")[1]["global_classifications"]["weather"] == [None]


def test_keep_data_false_replaces_and_true_appends(gym):
    server, base, token, project, media, created = gym
    box = {"rectangle": [{"x": 1, "y": 1, "w": 2, "h": 2}]}
    for keep in (True, True, False, None):
        item = {"internal_media_ID": media[1], "labels": {"car": [box]}}
        if keep is not None:
            item["keepData"] = keep
        assert client(gym, f"result = client.import_label_data('{project['id']}', {[item]!r})") == {"errorMessages": ""}
    complete(gym, media[1])
    [task] = client(gym, f"result = client.export_labels('{project['id']}')")[1:]
    assert len(task["labels"]["car"]) == 2  # two appended, replaced by one, then one appended (keepData absent)


def test_batches_of_120_items_are_sent_50_at_a_time(gym):
    server, base, token, project, media, created = gym
    items = [{"internal_media_ID": media[i % 2], "labels": {"road": [
        {"polygon": [{"x": i, "y": 0}, {"x": i + 1, "y": 0}, {"x": i, "y": 1}]}]}} for i in range(120)]
    result = client(gym, f"result = client.import_label_data('{project['id']}', {items!r})")
    assert result == ["errorMessages"] * 3  # the 0.7.2 client extends a list with each batch's dict
    complete(gym, media[0])
    complete(gym, media[1])
    exported = client(gym, f"result = client.export_labels('{project['id']}')")
    assert sum(len(t["labels"]["road"]) for t in exported[1:]) == 120


def test_label_configuration_upload_and_its_rules(gym):
    server, base, token, project, media, created = gym
    config = [{"entryKey": "bus", "entryValue": "Bus", "type": "rectangle", "children": []}]
    uploaded = client(gym, f"""
from datagym.models.label_config import LabelConfig
project = client.get_project_by_name("cars")
result = attempt(lambda: json.loads(client.upload_label_config(project.label_config_id, {config!r})))
""")
    assert uploaded["value"]["entries"][0]["entryKey"] == "bus"
    imported = client(gym, f"result = client.import_label_data('{project['id']}', "
                           f"{[{'internal_media_ID': media[0], 'labels': {'bus': [{'rectangle': [{'x': 1, 'y': 1, 'w': 1, 'h': 1}]}]}}]!r})")
    assert imported == {"errorMessages": ""}
    reserved = client(gym, """
project = client.get_project_by_name("cars")
result = attempt(lambda: client.upload_label_config(project.label_config_id,
    [{"entryKey": "internal_media_ID", "entryValue": "x", "type": "point", "children": []}]))
""")
    assert reserved == {"exception": "APIException",
                        "message": 'HTTP 500 | Message: ""internal_media_ID" is a forbidden keyword."'}  # the client's text


def test_label_configurations_are_checked_whole_before_anything_is_written(gym):
    server, base, token, project, media, created = gym
    box = {"entryKey": "bus", "entryValue": "Bus", "type": "rectangle", "children": []}
    labels = [{"internal_media_ID": media[0], "labels": {"bus": [{"rectangle": [{"x": 1, "y": 1, "w": 1, "h": 1}]}]}}]
    result = client(gym, f"""
import logging
warnings = []
class Warnings(logging.Handler):
    def emit(self, record):
        warnings.append(record.getMessage())
logging.getLogger().addHandler(Warnings())
config = client.get_project_by_name("cars").label_config_id
upload = lambda entries: attempt(lambda: json.loads(client.upload_label_config(config, entries) or "null"))
result = {{"unknown type": upload([{box!r}, {{**{box!r}, "entryKey": "tram", "type": "circle"}}]),
          "no type": upload([{{"entryKey": "tram", "entryValue": "Tram", "children": []}}]),
          "not an entry": upload([{box!r}, "tram"]),
          "duplicate": upload([{box!r}, {box!r}]), "warnings": warnings,
          "import": attempt(lambda: client.import_label_data({project['id']!r}, {labels!r})),
          "valid": upload([{box!r}])}}
""")
    validation = {"exception": "ClientException", "message": 'HTTP 400 | Message: "Validation error!"'}
    assert result == {
        "unknown type": {"exception": "APIException",
                         "message": 'HTTP 500 | Message: "The type \'circle\' of tram does not exist; types are point, '
                                    'line, polygon, image_segmentation, rectangle, select, checklist, freetext."'},
        "no type": validation, "not an entry": validation,
        "duplicate": {"value": None},  # 412 ex_alreadyexists: the client warns and returns None
        "warnings": ['HTTP 412 | Message: "Label entry with entryKey: bus already exists."'],
        "import": {"exception": "APIException",  # the refused configurations wrote nothing: it is still empty
                   "message": 'HTTP 500 | Message: "The key bus, does not match any entry in your label '
                              'configuration"'},
        "valid": {"value": {"id": project["labelConfigurationId"], "entries": [box]}}}


def test_media_from_a_url_already_in_the_dataset_is_a_duplicate(gym):
    server, base, token, project, media, created = gym
    again = client(gym, f"""
dataset = client.get_dataset_by_name("street")
result = client.create_images_from_urls(dataset.id, ["s3://{BUCKET}/img_001.png"])
""")
    assert again == [{"internal_media_ID": None, "external_media_ID": "img_001.png",
                      "imageUrl": f"s3://{BUCKET}/img_001.png", "mediaUploadStatus": "DUPLICATE"}]


def test_the_export_url_comes_from_a_head_request(gym):
    server, base, token, project, media, created = gym
    url = client(gym, f"result = client.export_labels_url('{project['id']}')")
    assert url == f"{base}api/v1/export/{project['id']}?token={token}"
    complete(gym, media[0])
    import requests

    assert requests.get(url, timeout=10).json()[1]["internal_media_ID"] == media[0]


def test_media_download_upload_and_delete(gym, tmp_path):
    server, base, token, project, media, created = gym
    image = tmp_path / "local.png"
    image.write_bytes(mf.png(10, 10))
    result = client(gym, f"""
import base64
dataset = client.get_dataset_by_name("street")
downloaded = client.download_image_bytes(dataset.images[0])
uploaded = client.upload_image(dataset.id, {str(image)!r}, "local.png")
client.delete_image(dataset.images[1])
after = client.get_dataset_by_name("street")
result = {{"downloaded": base64.b64encode(downloaded).decode(), "uploaded": uploaded.image_name,
          "names": [m.image_name for m in after.images]}}
""")
    import base64

    assert base64.b64decode(result["downloaded"]) == mf.png(64, 48)
    assert result["uploaded"] == "local.png"
    assert result["names"] == ["img_001.png", "local.png"]


def test_unknown_projects_and_routes_answer_errors_the_client_can_read(gym):
    result = client(gym, "result = attempt(lambda: client.export_labels('nope'))")
    assert result == {"exception": "ClientException", "message": 'HTTP 404 | Message: "Project with id nope not found"'}
    server, base, token, *_ = gym
    import requests

    reply = requests.get(base + "api/v1/nothing", params={"token": token}, timeout=10)
    assert reply.status_code == 404 and set(reply.json()) == {"key", "params", "msg", "code", "details"}
    assert len(reply.json()["params"]) == 3


def test_in_process_requests_shaped_like_the_clients_reach_the_emulator(encord_emulator):
    """The client lives in another process, so in-process interception is checked with requests shaped exactly like
    its own: https://app.datagym.ai/ paths, the token as a query parameter, the doubled slash of label configs."""
    import requests

    from emulator import mock_datagym

    with mock_datagym():  # nested in the fixture's mock: the same emulator
        token = encord_emulator.datagym.token()
        base = "https://app.datagym.ai/"
        dataset = requests.post(base + "api/v1/dataset", params={"token": token},
                                json={"name": "in-process", "shortDescription": None}, timeout=10).json()
        encord_emulator.put_object(BUCKET, "p.png", mf.png())
        [media] = requests.post(base + f"api/v1/media/{dataset['id']}/url", params={"token": token},
                                json=[f"s3://{BUCKET}/p.png"], timeout=10).json()
        project = encord_emulator.datagym.project("p", token, CONFIG, [dataset["id"]])
        config = requests.delete(base + f"/api/v1/config/{project['labelConfigurationId']}", params={"token": token},
                                 timeout=10)
        assert config.status_code == 200  # //api/v1/config/… as the client sends it
        assert requests.get(base + "api/v1/project", timeout=10).json()["key"] == "ex_unauthorized"
        encord_emulator.datagym.set_task_state(project["id"], media["internal_media_ID"], "SKIPPED")
        exported = requests.get(base + f"api/v1/export/{project['id']}", params={"token": token}, timeout=10).json()
        assert [t["status"] for t in exported[1:]] == ["skipped"]


def test_datasets_are_added_to_and_removed_from_projects(gym):
    result = client(gym, """
project = client.get_project_by_name("cars")
second = client.create_dataset("second")
again = client.create_dataset("second")        # 412 ex_alreadyexists: a warning, the existing dataset is returned
added = client.add_dataset(second.id, project.id)
twice = client.add_dataset(second.id, project.id)   # 412 ex_already_contains: a warning
with_both = [d.name for d in client.get_project_by_name("cars").datasets]
removed = client.remove_dataset(second.id, project.id)
result = {"same": again.id == second.id, "added": added, "with_both": with_both,
          "after": [d.name for d in client.get_project_by_name("cars").datasets]}
""")
    assert result == {"same": True, "added": True, "with_both": ["street", "second"], "after": ["street"]}
