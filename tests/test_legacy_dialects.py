"""The calls older SDK releases send (COVERAGE.md's "sent by"), as raw signed requests in the shape those releases
send, and get_projects (deprecated, sent by every release) through the SDK. The releases themselves run in
tests/test_sdk_release_*.py; these run in the suite's own environment."""

import json
from datetime import datetime, timedelta, timezone
from uuid import UUID

import media_factory as mf
import pytest
import requests
from encord.exceptions import MethodNotAllowedError
from encord.objects import Shape
from encord.objects.ontology_structure import OntologyStructure
from encord.orm.dataset import StorageLocation
from wire_tools import sign_v1, sign_v2

from emulator.core import contracts

pytestmark = pytest.mark.filterwarnings("ignore:get_projects is deprecated:DeprecationWarning")

OTC = 4  # StorageLocation.OTC of releases up to 0.1.121, S3_COMPATIBLE's code since


def legacy(emulator, user, query_type, query_method, uid=None, payload=None, resource_type=None, resource_id=None,
           release="0.1.121"):
    """One legacy RPC call as the SDK sends it: /public/user for the user's own calls, /public with the resource's
    type and id otherwise. Returns the envelope."""
    body = json.dumps({"query_type": query_type, "query_method": query_method,
                       "values": {"uid": uid, "payload": payload}})
    path = "/public" if resource_type else "/public/user"
    headers = {"Content-Type": "application/json", "ResourceType": resource_type or "", "ResourceID": resource_id or "",
               "User-Agent": f"encord-sdk-python/{release} python/3.11.7"}
    prepared = requests.Request("POST", emulator.url + path, data=body, headers=headers).prepare()
    sign_v1(prepared, user.private_key)
    with requests.Session() as session:
        reply = session.send(prepared, timeout=30)
    assert contracts.violations("legacy-response", reply.json()) == []
    return reply.json()


def v2(emulator, user, method, path, body=None):
    prepared = requests.Request(method, emulator.url + "/v2/public" + path, json=body).prepare()
    sign_v2(prepared, user.private_key)
    with requests.Session() as session:
        return session.send(prepared, timeout=30)


@pytest.fixture
def user(emulator):
    return emulator.register_user("owner@example.com")


@pytest.fixture
def client(emulator, user):
    return emulator.user_client(user.email)


def no_filter(**clauses):
    return {"filter": clauses}


# -- datasets and integrations (up to 0.1.152 / 0.1.145) ---------------------------------------------------------------

def test_create_dataset_of_releases_up_to_0_1_152_takes_the_otc_code(emulator, user, client):
    answer = legacy(emulator, user, "dataset", "POST",
                    payload={"title": "Training Data Dataset 1", "type": OTC, "create_backing_folder": True})
    created = answer["response"]
    assert answer["status"] == 200
    assert (created["title"], created["type"], created["user_hash"]) == (
        "Training Data Dataset 1", OTC, "fields withdrawn for compliance reasons")
    dataset = client.get_dataset(created["dataset_hash"])
    assert (dataset.title, str(dataset.backing_folder_uuid)) == ("Training Data Dataset 1", created["backing_folder_uuid"])


def test_create_dataset_of_an_unknown_storage_location_is_refused_naming_the_field(emulator, user, client):
    answer = legacy(emulator, user, "dataset", "POST", payload={"title": "x", "type": 5})
    assert (answer["status"], answer["response"]) == (400, ["INVALID_ARGUMENTS_ERROR"])
    assert answer["payload"].startswith("/payload/type: 5 is not one of [0, 1, 2, 3, 4, -99]")
    assert client.get_datasets() == []


@pytest.mark.parametrize("release, name", [("0.1.121", "OTC_STR"), ("0.1.122", "S3_COMPATIBLE_STR")])
def test_s3_compatible_storage_bears_otcs_name_for_releases_up_to_0_1_121(emulator, user, client, release, name):
    dataset = client.create_dataset("d", StorageLocation.S3_COMPATIBLE)
    integration = emulator.add_integration("OTC", provider="OTC", buckets=["b"])
    emulator.register_data_rows(dataset.dataset_hash, [{"data_title": "a.jpg", "data_type": "IMAGE"}], integration["id"])
    read = legacy(emulator, user, "dataset", "GET", payload={"dataset_access_settings": {"fetch_rows": False}},
                  resource_type="dataset", resource_id=dataset.dataset_hash, release=release)["response"]
    assert read["dataset_type"] == name  # StorageLocation.from_str of that release


def test_get_datasets_of_releases_up_to_0_1_152_filters_and_answers_dataset_info(emulator, user, client):
    apples = client.create_dataset("Apples", StorageLocation.AWS, dataset_description="red")
    client.create_dataset("Bananas", StorageLocation.AWS, dataset_description="yellow")
    listed = legacy(emulator, user, "datasetwithuserrole", "GET",
                    payload={"filter": {"title_like": "App%"}, "enable_storage_api": True})["response"]
    assert [(d["user_role"], d["dataset"]["dataset_hash"], d["dataset"]["type"]) for d in listed] == [
        (0, apples.dataset_hash, 0)]
    assert set(listed[0]["dataset"]) == {"dataset_hash", "user_hash", "title", "description", "type", "created_at",
                                         "last_edited_at", "backing_folder_uuid"}  # DatasetInfo(**dataset)
    described = legacy(emulator, user, "datasetwithuserrole", "GET", payload=no_filter(desc_eq="yellow"))["response"]
    assert [d["dataset"]["title"] for d in described] == ["Bananas"]


def test_cloud_integrations_of_releases_up_to_0_1_145(emulator, user, client):
    integration = emulator.add_integration("OTC", provider="OTC", buckets=["b"])
    expected = [{"id": integration["id"], "title": "OTC"}]
    assert legacy(emulator, user, "cloudintegration", "GET")["response"] == expected
    dataset = client.create_dataset("d", StorageLocation.S3_COMPATIBLE)
    assert legacy(emulator, user, "cloudintegration", "GET", resource_type="dataset",
                  resource_id=dataset.dataset_hash)["response"] == expected


def test_upload_start_in_the_snake_case_of_releases_up_to_0_1_137(emulator, user, client):
    integration = emulator.add_integration("fruit", provider="AWS", buckets=["fruit"])
    emulator.s3.create_bucket(Bucket="fruit")
    dataset = client.create_dataset("d", StorageLocation.AWS)
    started = legacy(emulator, user, "datasetdatalongpolling", "POST", uid=dataset.dataset_hash,
                     payload={"files": {"images": [{"objectUrl": "s3://fruit/missing.png"}]},
                              "integration_id": integration["id"], "ignore_errors": True},
                     resource_type="dataset", resource_id=dataset.dataset_hash)["response"]
    result = client.get_dataset(dataset.dataset_hash).add_private_data_to_dataset_get_result(
        started["process_hash"], timeout_seconds=30)
    assert (result.status.value, result.units_error_count) == ("DONE", 1)  # ignore_errors was read


def test_signed_upload_urls_of_releases_up_to_0_1_165_register_local_files(emulator, user, client):
    dataset = client.create_dataset("Local", StorageLocation.CORD_STORAGE)
    signed = legacy(emulator, user, "signedimagesurl", "GET", uid=["apple.png", "pear.png"], resource_type="dataset",
                    resource_id=dataset.dataset_hash, release="0.1.165")["response"]
    assert [s["title"] for s in signed] == ["apple.png", "pear.png"]
    assert requests.put(signed[0]["signed_url"], data=mf.png(30, 20), timeout=10).status_code == 200
    started = legacy(emulator, user, "datasetdatalongpolling", "POST", uid=dataset.dataset_hash,
                     payload={"dataItems": {"images": [{"objectUrl": signed[0]["file_link"], "title": "apple.png"}]},
                              "ignoreErrors": False},
                     resource_type="dataset", resource_id=dataset.dataset_hash, release="0.1.165")["response"]
    result = client.get_dataset(dataset.dataset_hash).add_private_data_to_dataset_get_result(
        started["process_hash"], timeout_seconds=30)
    # The data hash the signed URL named is the data row's (and its item's uuid), as those releases assume.
    assert [(d.title, d.data_hash, d.backing_item_uuid) for d in result.data_hashes_with_titles] == [
        ("apple.png", signed[0]["data_hash"], UUID(signed[0]["data_hash"]))]


def test_a_file_registered_twice_in_one_job_is_its_reserved_row_once_and_then_a_new_one(emulator, user, client):
    dataset = client.create_dataset("Local", StorageLocation.CORD_STORAGE)
    [signed] = uploaded(emulator, user, dataset.dataset_hash, "signedimagesurl", {"apple.png": mf.png(30, 20)},
                        release="0.1.165")
    images = [{"objectUrl": signed["file_link"], "title": title} for title in ("apple.png", "apple again.png")]
    started = legacy(emulator, user, "datasetdatalongpolling", "POST", uid=dataset.dataset_hash,
                     payload={"dataItems": {"images": images}, "ignoreErrors": False},
                     resource_type="dataset", resource_id=dataset.dataset_hash, release="0.1.165")["response"]
    result = client.get_dataset(dataset.dataset_hash).add_private_data_to_dataset_get_result(
        started["process_hash"], timeout_seconds=30)
    first, second = result.data_hashes_with_titles
    assert (first.data_hash, first.backing_item_uuid) == (signed["data_hash"], UUID(signed["data_hash"]))
    assert second.data_hash != first.data_hash and second.backing_item_uuid != first.backing_item_uuid
    assert sorted(r.uid for r in client.get_dataset(dataset.dataset_hash).list_data_rows()) == sorted(
        [first.data_hash, second.data_hash])


def test_an_image_registered_by_single_image_of_releases_up_to_0_1_137_becomes_a_data_row(emulator, user, client):
    dataset = client.create_dataset("Local", StorageLocation.CORD_STORAGE)
    signed = legacy(emulator, user, "signedimagesurl", "GET", uid=["apple.png", "note.png"], resource_type="dataset",
                    resource_id=dataset.dataset_hash, release="0.1.135")["response"]
    for upload, data in zip(signed, (mf.png(30, 20), b"not an image")):
        assert requests.put(upload["signed_url"], data=data, timeout=10).status_code == 200
    registered = [legacy(emulator, user, "singleimage", "POST", payload={**upload, "title": title},
                         resource_type="dataset", resource_id=dataset.dataset_hash, release="0.1.135")["response"]
                  for upload, title in zip(signed, ("Apple", "Note"))]
    assert registered == [{"success": True}, {"success": False}]  # the SDK raises "Image upload failed." on False
    rows = client.get_dataset(dataset.dataset_hash).list_data_rows()
    assert [(r.title, r.width, r.height, r.backing_item_uuid) for r in rows] == [
        ("Apple", 30, 20, UUID(signed[0]["data_hash"]))]


def uploaded(emulator, user, dataset_hash, query_type, files, release="0.1.135"):
    """Signed upload URLs of a legacy ``query_type`` (a list of file names, or one for signedvideourl and
    signedaudiourl), each file's bytes put at its URL; the signed URLs."""
    names = list(files)
    one = query_type in ("signedvideourl", "signedaudiourl")
    signed = [legacy(emulator, user, query_type, "GET", uid=name if one else [name], resource_type="dataset",
                     resource_id=dataset_hash, release=release)["response"] for name in names]
    signed = signed if one else [answer[0] for answer in signed]
    for upload, name in zip(signed, names):
        assert upload["title"] == name
        assert requests.put(upload["signed_url"], data=files[name], timeout=10).status_code == 200
    return signed


def test_a_video_and_an_audio_file_registered_by_video_put_of_releases_up_to_0_1_137(emulator, user, client):
    dataset = client.create_dataset("Local", StorageLocation.CORD_STORAGE)
    [video] = uploaded(emulator, user, dataset.dataset_hash, "signedvideourl", {"clip.mp4": mf.mp4(32, 24)})
    [audio] = uploaded(emulator, user, dataset.dataset_hash, "signedaudiourl", {"tone.wav": mf.wav()})
    answers = [legacy(emulator, user, "video", "PUT", uid=upload["data_hash"], payload={**upload, "video_title": title},
                      resource_type="dataset", resource_id=dataset.dataset_hash, release="0.1.135")["response"]
               for upload, title in ((video, "Clip"), (audio, None))]
    assert answers == [
        {"data_hash": video["data_hash"], "title": "Clip", "file_link": video["file_link"],
         "backing_item_uuid": video["data_hash"]},
        {"data_hash": audio["data_hash"], "title": "tone.wav", "file_link": audio["file_link"],
         "backing_item_uuid": audio["data_hash"]}]
    rows = client.get_dataset(dataset.dataset_hash).list_data_rows()
    assert sorted((r.title, r.data_type.name, r.uid) for r in rows) == [
        ("Clip", "VIDEO", video["data_hash"]), ("tone.wav", "AUDIO", audio["data_hash"])]


def test_video_put_of_a_file_never_uploaded_or_unreadable_is_refused_and_adds_no_row(emulator, user, client):
    dataset = client.create_dataset("Local", StorageLocation.CORD_STORAGE)
    [broken] = uploaded(emulator, user, dataset.dataset_hash, "signedvideourl", {"broken.mp4": b"not a video"})
    unknown = legacy(emulator, user, "video", "PUT", uid="d0e5", payload={**broken, "data_hash": "d0e5"},
                     resource_type="dataset", resource_id=dataset.dataset_hash, release="0.1.135")
    assert (unknown["status"], unknown["response"], unknown["payload"]) == (
        404, ["RESOURCE_NOT_FOUND_ERROR"], "No file of yours was uploaded to Encord storage with data hash d0e5: ask "
                                           "for a signed upload URL and upload the file first.")
    unreadable = legacy(emulator, user, "video", "PUT", uid=broken["data_hash"], payload=broken,
                        resource_type="dataset", resource_id=dataset.dataset_hash, release="0.1.135")
    assert (unreadable["status"], unreadable["response"]) == (400, ["INVALID_ARGUMENTS_ERROR"])
    assert unreadable["payload"] == (f"The uploaded file did not become a data row: {broken['file_link']}: Expected a "
                                     "video, got a file of type text/plain")
    assert client.get_dataset(dataset.dataset_hash).list_data_rows() == []


def test_an_image_group_and_a_dicom_series_of_uploaded_files_of_releases_up_to_0_1_137(emulator, user, client):
    dataset = client.create_dataset("Local", StorageLocation.CORD_STORAGE)
    images = uploaded(emulator, user, dataset.dataset_hash, "signedimagesurl",
                      {"a.png": mf.png(16, 12), "b.png": mf.png(16, 12)})
    titled = legacy(emulator, user, "images", "PUT", payload=images, resource_type="dataset",
                    resource_id=dataset.dataset_hash, release="0.1.135")
    assert titled["status"] == 200
    group = legacy(emulator, user, "imagegroup", "POST", uid=[i["data_hash"] for i in images],
                   payload={"image_group_title": None, "create_video": False}, resource_type="dataset",
                   resource_id=dataset.dataset_hash, release="0.1.135")["response"]
    assert [g["title"] for g in group] == ["a.png"]  # untitled: by its first image
    slices = uploaded(emulator, user, dataset.dataset_hash, "signeddicomsurl",
                      {"ct-1.dcm": mf.dicom(instance_number=1), "ct-2.dcm": mf.dicom(instance_number=2)})
    series = legacy(emulator, user, "dicomseries", "POST",
                    uid=[{"id": s["data_hash"], "uri": s["file_link"], "title": s["title"]} for s in slices],
                    payload={"title": "CT"}, resource_type="dataset", resource_id=dataset.dataset_hash,
                    release="0.1.135")["response"]
    assert series["title"] == "CT"
    rows = client.get_dataset(dataset.dataset_hash).list_data_rows()
    assert sorted((r.title, r.data_type.name, r.uid) for r in rows) == sorted(
        [("a.png", "IMG_GROUP", group[0]["data_hash"]), ("CT", "DICOM", series["data_hash"])])


def test_an_image_group_of_data_hashes_no_upload_named_is_refused(emulator, user, client):
    dataset = client.create_dataset("Local", StorageLocation.CORD_STORAGE)
    other = emulator.register_user("other@example.com")
    [theirs] = uploaded(emulator, other, emulator.user_client(other.email).create_dataset(
        "Theirs", StorageLocation.CORD_STORAGE).dataset_hash, "signedimagesurl", {"a.png": mf.png()})
    refused = legacy(emulator, user, "imagegroup", "POST", uid=[theirs["data_hash"]], payload={},
                     resource_type="dataset", resource_id=dataset.dataset_hash, release="0.1.135")
    assert (refused["status"], refused["payload"]) == (
        404, f"No file of yours was uploaded to Encord storage with data hash {theirs['data_hash']}: ask for a "
             "signed upload URL and upload the file first.")
    assert client.get_dataset(dataset.dataset_hash).list_data_rows() == []


def test_one_data_group_a_call_of_releases_0_1_169_to_0_1_184(emulator, user, client):
    integration = emulator.add_integration("groups", "AWS", ["groups"])
    emulator.s3.create_bucket(Bucket="groups")
    emulator.put_object("groups", "a.png", mf.png(16, 12))
    folder = client.create_storage_folder("groups")
    job = folder.add_private_data_to_folder_start(integration["id"], {"images": [{"objectUrl": "s3://groups/a.png"}]})
    [image] = folder.add_private_data_to_folder_get_result(job, timeout_seconds=30).items_with_names
    path = f"/storage/folders/{folder.uuid}/create-group-item"
    body = {"itemType": "GROUP", "params": {"layoutType": "default-grid", "layoutContents": [str(image.item_uuid)]}}
    reply = v2(emulator, user, "POST", path, body)
    assert reply.status_code == 200
    group = client.get_storage_item(UUID(reply.json()))
    assert [child.uuid for child in group.get_child_items()] == [image.item_uuid]
    refused = v2(emulator, user, "POST", path, {**body, "itemType": "IMAGE"})
    assert (refused.status_code, refused.json()) == (400, {"message": "/itemType: 'GROUP' was expected"})


def test_bearer_token_on_the_path_of_releases_up_to_0_1_143(emulator, user):
    reply = v2(emulator, user, "GET", "/user/bearer_token")
    assert reply.status_code == 200 and reply.json()["token"]


# -- ontologies (up to 0.1.152) ------------------------------------------------------------------------------------------

def editor():
    structure = OntologyStructure()
    structure.add_object("Box", Shape.BOUNDING_BOX)
    return structure.to_dict()


def test_ontology_calls_of_releases_up_to_0_1_152(emulator, user, client):
    created = legacy(emulator, user, "ontology", "POST",
                     payload={"title": "Fruit", "description": "d", "editor": editor()})["response"]
    ontology_hash = created["ontology_hash"]
    read = legacy(emulator, user, "ontology", "GET", uid=ontology_hash, resource_type="ontology",
                  resource_id=ontology_hash)["response"]
    assert read == created and read["editor"]["objects"][0]["name"] == "Box"
    assert len(read["created_at"]) == len("2026-01-01 00:00:00")
    saved = legacy(emulator, user, "ontology", "PUT", uid=ontology_hash, payload={**read, "title": "Fruit 2"},
                   resource_type="ontology", resource_id=ontology_hash)
    assert saved["response"] is True
    assert client.get_ontology(ontology_hash).title == "Fruit 2"
    listed = legacy(emulator, user, "ontologywithuserrole", "GET", payload=no_filter(title_eq="Fruit 2"))["response"]
    assert [(o["user_role"], o["user_email"], o["ontology"]["ontology_hash"]) for o in listed] == [
        (0, "owner@example.com", ontology_hash)]


def test_a_project_reads_its_ontology_in_its_own_scope_up_to_0_1_152(emulator, user, client):
    dataset = client.create_dataset("d", StorageLocation.AWS)
    ontology = client.create_ontology("O", structure=OntologyStructure())
    project_hash = client.create_project("P", [dataset.dataset_hash], ontology_hash=ontology.ontology_hash)
    read = legacy(emulator, user, "ontology", "GET", uid=ontology.ontology_hash, resource_type="project",
                  resource_id=project_hash)
    assert read["response"]["ontology_hash"] == ontology.ontology_hash
    other = client.create_ontology("Other")
    refused = legacy(emulator, user, "ontology", "GET", uid=other.ontology_hash, resource_type="project",
                     resource_id=project_hash)
    assert refused == {"status": 404, "response": ["RESOURCE_NOT_FOUND_ERROR"],
                       "payload": f"Ontology {other.ontology_hash} does not exist."}


# -- get_projects (every release) ----------------------------------------------------------------------------------------

def test_get_projects_with_every_filter(emulator, client):
    dataset = client.create_dataset("d", StorageLocation.AWS)
    apples = client.create_project("Apples", [dataset.dataset_hash], project_description="red fruit")
    client.create_project("Apricots", [dataset.dataset_hash], project_description="orange fruit")
    client.create_project("Bananas", [dataset.dataset_hash], project_description="yellow fruit")

    def titles(**filters):
        return [p["project"].title for p in client.get_projects(**filters)]

    later = datetime.now(timezone.utc) + timedelta(minutes=1)
    earlier = datetime.now(timezone.utc) - timedelta(minutes=1)
    assert titles() == ["Apples", "Apricots", "Bananas"]
    assert titles(title_eq="Apples") == ["Apples"]
    assert titles(title_like="Ap%") == ["Apples", "Apricots"]
    assert titles(desc_eq="yellow fruit") == ["Bananas"]
    assert titles(desc_like="%r%d%") == ["Apples"]
    assert titles(created_before=later, created_after=earlier) == ["Apples", "Apricots", "Bananas"]
    assert titles(created_after=later) == []
    assert titles(edited_before=earlier) == []
    assert titles(edited_after=earlier.isoformat()) == ["Apples", "Apricots", "Bananas"]
    [listed] = client.get_projects(title_eq="Apples")
    assert (listed["project"].project_hash, listed["user_role"].name) == (apples, "ADMIN")
    assert listed["project"].created_at.date() == datetime.now(timezone.utc).date()  # parsed by the legacy ORM


def test_get_projects_lists_only_the_users_projects(emulator, client):
    dataset = client.create_dataset("d", StorageLocation.AWS)
    client.create_project("Mine", [dataset.dataset_hash])
    other = emulator.user_client("other@example.com")
    other.create_project("Theirs", [other.create_dataset("o", StorageLocation.AWS).dataset_hash])
    assert [p["project"].title for p in client.get_projects()] == ["Mine"]


# -- the legacy project read (get_project before 0.1.118; Project.get_project in every release) --------------------------

def test_project_get_project_reads_the_legacy_project_with_its_label_rows_on_request(emulator, client):
    dataset = client.create_dataset("Fruit", StorageLocation.AWS, dataset_description="red")
    integration = emulator.add_integration("fruit", provider="AWS", buckets=["b"])
    emulator.register_data_rows(dataset.dataset_hash, [{"data_title": "a.jpg", "data_type": "IMAGE"}], integration["id"])
    project = client.get_project(client.create_project("Apples", [dataset.dataset_hash], project_description="x"))
    read = project.get_project()
    assert (read.project_hash, read.title, read.description, read.ontology_hash) == (
        project.project_hash, "Apples", "x", project.ontology_hash)
    assert read.datasets == [{"dataset_hash": dataset.dataset_hash, "title": "Fruit", "description": "red",
                              "dataset_type": "AWS_S3"}]
    assert [(r["data_title"], r["label_hash"]) for r in read.label_rows] == [("a.jpg", None)]


def test_the_legacy_project_read_lists_label_rows_only_on_request_and_only_to_its_users(emulator, user, client):
    dataset = client.create_dataset("Fruit", StorageLocation.AWS)
    integration = emulator.add_integration("fruit", provider="AWS", buckets=["b"])
    emulator.register_data_rows(dataset.dataset_hash, [{"data_title": "a.jpg", "data_type": "IMAGE"}], integration["id"])
    project_hash = client.create_project("Mine", [dataset.dataset_hash])

    def read(reader, include):
        return legacy(emulator, reader, "project", "GET", payload={"include_labels_metadata": include},
                      resource_type="project", resource_id=project_hash, release="0.1.110")

    assert read(user, False)["response"]["label_rows"] == []
    assert [r["data_title"] for r in read(user, True)["response"]["label_rows"]] == ["a.jpg"]
    refused = read(emulator.register_user("stranger@example.com"), False)
    assert (refused["status"], refused["response"]) == (403, ["AUTHORISATION_ERROR"])


# -- what is not served --------------------------------------------------------------------------------------------------

def test_a_v2_call_without_a_route_raises_method_not_allowed_in_the_sdk(emulator, user, client, forger):
    def elsewhere(prepared):
        prepared.prepare_url(prepared.url.replace("/v2/public/datasets/list", "/v2/public/datasets/everything"), None)
        sign_v2(prepared, user.private_key)

    forger.intercept(elsewhere, path="^/v2/public/datasets/list")
    with pytest.raises(MethodNotAllowedError) as e:
        client.get_datasets()
    assert e.value.message == "HTTP method is not allowed."
    [call] = emulator.requests(status=405)
    assert call["path"] == "/v2/public/datasets/everything"


def test_an_empty_v2_answer_is_200_and_null(emulator, user, client):
    dataset = client.create_dataset("d", StorageLocation.AWS)
    emulator.register_data_rows(dataset.dataset_hash, [{"data_title": "a.jpg", "data_type": "IMAGE"}])
    project = client.get_project(client.create_project("P", [dataset.dataset_hash]))
    [row] = project.list_label_rows_v2()
    row.set_priority(0.5)
    [call] = emulator.requests(operation="POST /v2/public/projects/<project_hash>/priorities")
    assert call["status"] == 200  # releases up to 0.1.147 raise on a 204


def test_a_storage_call_on_a_routed_path_with_another_method_raises_method_not_allowed(emulator, client):
    folder = client.create_storage_folder("F", "d")
    items_path = f"storage/folders/{folder.uuid}/items"
    with pytest.raises(MethodNotAllowedError):
        folder._api_client.delete(items_path, params=None, result_type=None)  # not served, though GET of it is
    [call] = emulator.requests(status=405)
    assert (call["method"], call["path"]) == ("DELETE", f"/v2/public/{items_path}")
    assert client.get_storage_folder(folder.uuid).name == "F"


# -- DICOM de-identification (up to 0.1.151: one request, answered with the files' URLs) -------------------------------

def test_deidentify_dicom_files_of_releases_up_to_0_1_151_answers_in_one_request(emulator, user):
    integration = emulator.add_integration("scans", "AWS", ["scans"], write=True)
    emulator.put_object("scans", "a.dcm", mf.dicom(patient_id="P-42"))
    emulator.put_object("scans", "notes.dcm", b"not DICOM")
    answer = legacy(emulator, user, "dicomdeidentifytask", "POST", uid=integration["id"],
                    payload={"dicom_urls": ["s3://scans/a.dcm"], "redact_dicom_tags": True,
                             "redact_pixels_mode": "REDACT_NO_TEXT", "save_conditions": [], "upload_dir": None})
    [url] = answer["response"]
    key = url.removeprefix("s3://scans/")
    assert key.startswith("deid_") and key.endswith("_a.dcm")
    assert b"P-42" not in emulator.s3.get_object(Bucket="scans", Key=key)["Body"].read()
    failed = legacy(emulator, user, "dicomdeidentifytask", "POST", uid=integration["id"],
                    payload={"dicom_urls": ["s3://scans/notes.dcm"]})
    assert (failed["status"], failed["response"], failed["payload"]) == (
        400, ["INVALID_ARGUMENTS_ERROR"], "s3://scans/notes.dcm: the file is not DICOM.")


def test_the_metadata_schema_on_the_organisations_path_of_releases_0_1_113_to_0_1_116(emulator, user, client):
    path = "/organisation/1/client-metadata-schema"
    assert v2(emulator, user, "GET", path).json() is None  # no schema saved yet
    assert v2(emulator, user, "POST", path, {"score": "number", "notes": "string"}).status_code == 200
    read = v2(emulator, user, "GET", path).json()
    assert (read["metadataSchema"], read["organisationId"]) == ({"score": "number", "notes": "string"}, 1)
    assert client.metadata_schema().get_key_type("score") == "number"  # the organisation's one schema
    refused = v2(emulator, user, "GET", "/organisation/7/client-metadata-schema")
    assert (refused.status_code, refused.json()) == (
        404, {"message": "Organisation 7 does not exist: the emulator's one organisation is 1."})
