"""Exports (seed 003): a project labelled through the real SDK, exported as JSON and COCO from the control API, the
fixtures' handle and the CLI; label versions and the export history the SDK's label-row reads carry."""

import json

import media_factory as mf
import numpy as np
import pytest
import requests
from encord.objects import Classification, Object, OntologyStructure, Shape
from encord.objects.attributes import RadioAttribute
from encord.objects.bitmask import BitmaskCoordinates
from encord.objects.coordinates import (
    BoundingBoxCoordinates,
    PointCoordinate,
    PolygonCoordinates,
    PolylineCoordinates,
    RotatableBoundingBoxCoordinates,
    SkeletonCoordinate,
)
from encord.orm.dataset import StorageLocation
from pycocotools.coco import COCO

from emulator.cli import main
from emulator.core import contracts
from emulator.seeds.blueberries_and_cherries import ontology_editor
from emulator.testing import ControlError

BUCKET = "export-bucket"
IMAGE = (64, 48)
VIDEO_FRAMES = 10

# Seed 003's keys, in its order: a data unit of a JSON export (annotation_task_status: manual-QA projects only) …
ROW_KEYS = ["label_hash", "created_at", "last_edited_at", "dataset_hash", "dataset_title", "data_title", "data_hash",
            "data_type", "is_image_sequence", "video_link", "data_units", "object_answers", "classification_answers",
            "object_actions", "label_status", "export_history", "export_hash", "exported_at"]
# … a file of it, by data type (video: fps and duration; DICOM: the series' metadata and every slice's link) …
UNIT_KEYS = ["data_hash", "data_title", "data_type", "data_sequence", "labels", "data_link", "width", "height"]
EXTRA_UNIT_KEYS = {"image": [], "img_group": [], "video": ["data_fps", "data_duration"],
                   "dicom": ["metadata", "data_links"]}
# … an object, each shape's geometry, a frame classification, an export history entry.
OBJECT_KEYS = {"name", "color", "shape", "value", "createdAt", "createdBy", "confidence", "objectHash", "featureHash",
               "manualAnnotation"}
GEOMETRY = {"bounding_box": ("boundingBox", {"h", "w", "x", "y"}),
            "rotatable_bounding_box": ("rotatableBoundingBox", {"h", "w", "x", "y", "theta"}),
            "polygon": ("polygon", None), "polyline": ("polyline", None), "point": ("point", None),
            "bitmask": ("bitmask", {"rleString", "top", "left", "width", "height"}), "skeleton": ("skeleton", None)}
CLASSIFICATION_KEYS = {"name", "value", "createdAt", "createdBy", "confidence", "featureHash", "lastEditedAt",
                       "classificationHash", "manualAnnotation"}
HISTORY_KEYS = ["export_hash", "exported_at", "user_email"]
SLICE_METADATA_KEYS = ["dicom_instance_uid", "multiframe_frame_number", "file_uri", "width", "height"]


def checked(document, export_format="json"):
    """Every export a test makes is checked against its contract."""
    assert contracts.violations(f"export-{export_format}", document) == []
    return document


def structure() -> OntologyStructure:
    """Seed 000's ontology (every shape, a skeleton template), its Cherry with a radio attribute."""
    ontology = OntologyStructure.from_dict(ontology_editor())
    colour = ontology.get_child_by_title("Cherry", type_=Object).add_attribute(RadioAttribute, "Colour")
    colour.add_option("Red")
    colour.add_option("Dark red")
    return ontology


def bitmask() -> np.ndarray:
    mask = np.zeros((IMAGE[1], IMAGE[0]), dtype=bool)
    mask[10:20, 30:50] = True
    return mask


def coordinates(ontology, name: str):
    return {
        "Cherry": BoundingBoxCoordinates(height=0.25, width=0.5, top_left_x=0.1, top_left_y=0.2),
        "Other type of fruit": RotatableBoundingBoxCoordinates(height=0.2, width=0.3, top_left_x=0.1, top_left_y=0.2,
                                                               theta=30),
        "Persimmon": PolygonCoordinates([PointCoordinate(0.1, 0.1), PointCoordinate(0.5, 0.1),
                                         PointCoordinate(0.5, 0.5)]),
        "Branch": PolylineCoordinates([PointCoordinate(0.1, 0.1), PointCoordinate(0.5, 0.5)]),
        "Pedicel": PointCoordinate(0.25, 0.5),
        "Blueberry": BitmaskCoordinates(bitmask()),
        "Strawberry": None,
    }[name] or ontology.skeleton_templates["Triangle"].create_instance([
        SkeletonCoordinate(x=0.2, y=0.1, name="Top"), SkeletonCoordinate(x=0.1, y=0.3, name="Left"),
        SkeletonCoordinate(x=0.3, y=0.3, name="Right")])


def add(label_row, ontology, name: str, frames=0, coords=None):
    instance = ontology.get_child_by_title(name, type_=Object).create_instance()
    instance.set_for_frames(coords or coordinates(ontology, name), frames=frames)
    if name == "Cherry":
        colour = ontology.get_child_by_title("Colour", type_=RadioAttribute)
        instance.set_answer(colour.options[0], attribute=colour)
    label_row.add_object_instance(instance)
    return instance


def row_of(project, title):
    label_row = next(r for r in project.list_label_rows_v2() if r.data_title == title)
    label_row.initialise_labels()
    return label_row


@pytest.fixture
def labelled(emulator):
    """A workflow project over an image (one object of every shape and a radio classification), a video (a box on
    two frames), an image group (a polygon on its second image) and a DICOM series (a box on its second slice)."""
    client = emulator.user_client("exporter@example.com")
    integration = emulator.add_integration("export", "AWS", [BUCKET])
    objects = {"cherry.png": mf.png(*IMAGE), "clip.mp4": mf.mp4(64, 48, fps=5, frames=VIDEO_FRAMES),
               "g1.png": mf.png(20, 10), "g2.png": mf.png(20, 10)}
    objects.update({f"ct/slice{i}.dcm": mf.dicom(sop_uid=f"1.2.3.{i}", instance_number=i + 1) for i in range(3)})
    for key, data in objects.items():
        emulator.put_object(BUCKET, key, data)
    dataset = client.get_dataset(client.create_dataset("Fruit exports", StorageLocation.AWS).dataset_hash)
    dataset.add_private_data_to_dataset(integration["id"], {
        "images": [{"objectUrl": f"s3://{BUCKET}/cherry.png", "title": "cherry.png"}],
        "videos": [{"objectUrl": f"s3://{BUCKET}/clip.mp4", "title": "clip.mp4"}],
        "image_groups": [{"title": "group", "objectUrl_0": f"s3://{BUCKET}/g1.png",
                          "objectUrl_1": f"s3://{BUCKET}/g2.png"}],
        "dicom_series": [{"title": "CT series", **{f"objectUrl_{i}": f"s3://{BUCKET}/ct/slice{i}.dcm"
                                                   for i in range(3)}}],
    })
    ontology_hash = client.create_ontology("Fruit", structure=structure()).ontology_hash
    project = client.get_project(client.create_project("Fruit exports", [dataset.dataset_hash],
                                                       ontology_hash=ontology_hash))
    ontology = project.ontology_structure
    image = row_of(project, "cherry.png")
    for name in ("Cherry", "Other type of fruit", "Persimmon", "Branch", "Pedicel", "Blueberry", "Strawberry"):
        add(image, ontology, name)
    radio = ontology.get_child_by_title("Blueberry or cherry?", type_=RadioAttribute)
    classification = ontology.get_child_by_title("Blueberry or cherry?", type_=Classification).create_instance()
    classification.set_answer(radio.options[1], attribute=radio)
    classification.set_for_frames(frames=0)
    image.add_classification_instance(classification)
    image.save()
    video = row_of(project, "clip.mp4")
    add(video, ontology, "Cherry", frames=[0, 3])
    video.save()
    group = row_of(project, "group")
    add(group, ontology, "Persimmon", frames=1)
    group.save()
    series = row_of(project, "CT series")
    add(series, ontology, "Cherry", frames=1)
    series.save()
    return emulator, client, project


def by_title(document) -> dict:
    return {entry["data_title"]: entry for entry in document}


def objects_of(entry) -> list[dict]:
    return [obj for unit in entry["data_units"].values() for frame in unit["labels"].values()
            for obj in frame["objects"]]


def feature(project, name, type_=Object) -> str:
    return project.ontology_structure.get_child_by_title(name, type_=type_).feature_node_hash


# -- the JSON format ---------------------------------------------------------------------------------------------------

def test_a_json_export_has_every_key_of_seed_003_for_every_data_type(labelled):
    emulator, client, project = labelled
    exported = by_title(checked(emulator.export(project.project_hash)))
    assert sorted(exported) == ["CT series", "cherry.png", "clip.mp4", "group"]
    for title, data_type in [("cherry.png", "image"), ("clip.mp4", "video"), ("group", "img_group"),
                             ("CT series", "dicom")]:
        entry = exported[title]
        assert list(entry) == ROW_KEYS  # a workflow project: no annotation_task_status
        assert entry["data_type"] == data_type
        for unit in entry["data_units"].values():
            assert list(unit) == UNIT_KEYS + EXTRA_UNIT_KEYS[data_type]
        assert [list(h) for h in entry["export_history"]] == [HISTORY_KEYS]
        assert entry["export_history"][0]["export_hash"] == entry["export_hash"]
        assert entry["export_history"][0]["user_email"] == "exporter@example.com"
    image, video, group, series = (exported[t] for t in ("cherry.png", "clip.mp4", "group", "CT series"))
    assert (image["is_image_sequence"], image["video_link"]) == (None, None)
    assert (group["is_image_sequence"], group["video_link"]) == (False, None)
    assert video["video_link"] == f"s3://{BUCKET}/clip.mp4"
    assert [u["data_sequence"] for u in group["data_units"].values()] == [0, 1]
    [video_unit] = video["data_units"].values()
    assert (video_unit["data_fps"], video_unit["data_duration"], sorted(video_unit["labels"])) == (5.0, 2.0, ["0", "3"])
    [dicom_unit] = series["data_units"].values()
    assert set(dicom_unit["metadata"]) == {"patient_id", "study_uid", "series_uid"}
    assert dicom_unit["data_links"] == [f"s3://{BUCKET}/ct/slice{i}.dcm" for i in range(3)]
    assert [list(dicom_unit["labels"][str(i)]["metadata"]) for i in range(3)] == [SLICE_METADATA_KEYS] * 3
    assert dicom_unit["labels"]["1"]["metadata"]["dicom_instance_uid"] == "1.2.3.1"
    assert [len(dicom_unit["labels"][str(i)]["objects"]) for i in range(3)] == [0, 1, 0]


def test_every_ontology_shape_is_exported_as_seed_003_encodes_it(labelled):
    emulator, client, project = labelled
    image = by_title(checked(emulator.export(project.project_hash)))["cherry.png"]
    objects = {obj["shape"]: obj for obj in objects_of(image)}
    assert sorted(objects) == sorted(GEOMETRY)
    for shape, (key, geometry_keys) in GEOMETRY.items():
        assert OBJECT_KEYS <= set(objects[shape]) and key in objects[shape], shape
        if geometry_keys:
            assert set(objects[shape][key]) == geometry_keys, shape
    assert objects["rotatable_bounding_box"]["rotatableBoundingBox"]["theta"] == 30
    assert objects["point"]["point"] == {"0": {"x": 0.25, "y": 0.5}}
    # Skeleton points carry their template's name, colour and value (the SDK saves name and feature hash only).
    template = project.ontology_structure.skeleton_templates["Triangle"]
    assert [{k: p[k] for k in ("name", "color", "value", "featureHash")}
            for p in objects["skeleton"]["skeleton"].values()] == [
        {"name": v.name, "color": v.color, "value": v.value, "featureHash": v.feature_hash}
        for v in template.skeleton.values()]
    [classification] = image["data_units"][image["data_hash"]]["labels"]["0"]["classifications"]
    assert CLASSIFICATION_KEYS <= set(classification)
    cherry = objects["bounding_box"]["objectHash"]
    [answer] = image["object_answers"][cherry]["classifications"]
    assert (answer["name"], answer["answers"][0]["name"]) == ("Colour", "Red")
    [classified] = image["classification_answers"].values()
    assert classified["classifications"][0]["answers"][0]["name"] == "Cherry"


def test_an_images_labels_are_keyed_by_its_frame_0_as_seed_003_shows_not_bare_as_in_the_label_row_dict(labelled):
    emulator, client, project = labelled
    image = by_title(emulator.export(project.project_hash))["cherry.png"]
    labels = image["data_units"][image["data_hash"]]["labels"]
    assert list(labels) == ["0"] and len(labels["0"]["objects"]) == 7
    assert "objects" in row_of(project, "cherry.png").to_encord_dict()["data_units"][image["data_hash"]]["labels"]


def test_export_history_is_a_list_newest_first_as_sdk_dicts_hold_entries_not_the_seeds_index_keyed_object(labelled):
    emulator, client, project = labelled
    first = emulator.export(project.project_hash)
    second = checked(emulator.export(project.project_hash, version_name="second"))
    for entry in second:
        history = entry["export_history"]
        assert isinstance(history, list)
        assert [h["export_hash"] for h in history] == [second[0]["export_hash"], first[0]["export_hash"]]
        assert history[0]["exported_at"] == entry["exported_at"]


def test_two_exports_show_two_entries_in_the_history_the_sdks_label_row_reads_ask_for(labelled, monkeypatch):
    emulator, client, project = labelled
    first = emulator.export(project.project_hash)
    second = emulator.export(project.project_hash, label_hashes=[by_title(first)["cherry.png"]["label_hash"]])
    label_hash = second[0]["label_hash"]
    answers = []
    send = requests.Session.send

    def recording(session, prepared, **kwargs):
        reply = send(session, prepared, **kwargs)
        answers.append(reply.json())
        return reply

    monkeypatch.setattr(requests.Session, "send", recording)
    read = project._client.get_label_row(label_hash, include_export_history=True)
    [listed] = project._client.get_label_rows([label_hash], include_export_history=True)
    expected = [{"export_hash": second[0]["export_hash"], "exported_at": second[0]["exported_at"],
                 "user_email": "exporter@example.com"},
                {"export_hash": first[0]["export_hash"], "exported_at": first[0]["exported_at"],
                 "user_email": "exporter@example.com"}]
    assert answers[0]["response"]["export_history"] == expected
    assert answers[1]["response"][0]["export_history"] == expected
    # The SDK's LabelRow keeps only the keys it declares (DB_FIELDS, no export_history in any release).
    assert (read.label_hash, listed.label_hash, "export_history" in read) == (label_hash, label_hash, False)
    video = by_title(first)["clip.mp4"]["label_hash"]
    project._client.get_label_row(video, include_export_history=True)
    assert [h["export_hash"] for h in answers[-1]["response"]["export_history"]] == [first[0]["export_hash"]]
    project._client.get_label_row(video)
    assert "export_history" not in answers[-1]["response"]


def test_a_manual_qa_projects_export_carries_each_rows_annotation_task_status(labelled):
    emulator, client, project = labelled
    created = emulator.create_project("Reviewed by hand", [str(project.list_datasets()[0].dataset_hash)],
                                      email="exporter@example.com", ontology_hash=project.ontology_hash)
    qa = client.get_project(created["project_hash"])
    image = row_of(qa, "cherry.png")
    add(image, qa.ontology_structure, "Pedicel")
    image.save()
    emulator.set_task_status(qa.project_hash, image.data_hash, "RETURNED")
    [entry] = checked(emulator.export(qa.project_hash))
    assert list(entry) == [*ROW_KEYS, "annotation_task_status"]
    assert entry["annotation_task_status"] == "RETURNED"


# -- COCO ------------------------------------------------------------------------------------------------------------

def test_a_coco_export_loads_in_pycocotools_with_one_annotation_per_labelled_object(labelled, tmp_path):
    emulator, client, project = labelled
    document = checked(emulator.export(project.project_hash, format="coco"), "coco")
    path = tmp_path / "coco.json"
    path.write_text(json.dumps(document))
    coco = COCO(str(path))
    exported = emulator.export(project.project_hash)
    assert len(coco.getAnnIds()) == sum(len(objects_of(entry)) for entry in exported) == 7 + 2 + 1 + 1
    assert [c["name"] for c in coco.loadCats(coco.getCatIds())] == [o.name for o in project.ontology_structure.objects]
    [image_id] = [i["id"] for i in coco.dataset["images"] if i["file_name"] == "cherry.png"]
    assert len(coco.getAnnIds(imgIds=[image_id])) == 7
    by_category = {coco.loadCats(a["category_id"])[0]["name"]: a for a in coco.loadAnns(coco.getAnnIds([image_id]))}
    assert by_category["Cherry"]["bbox"] == [0.1 * 64, 0.2 * 48, 0.5 * 64, 0.25 * 48]
    assert (coco.annToMask(by_category["Blueberry"]).astype(bool) == bitmask()).all()
    assert by_category["Blueberry"]["area"] == bitmask().sum()
    assert by_category["Pedicel"]["keypoints"] == [16.0, 24.0, 2]
    assert sorted(i["frame"] for i in coco.dataset["images"] if i["file_name"] == "clip.mp4") == [0, 3]


def test_the_sdks_export_coco_labels_works_against_the_emulator(labelled):
    emulator, client, project = labelled
    document = project.export_coco_labels()
    cherry = feature(project, "Cherry")
    boxes = project.export_coco_labels(include_object_feature_hashes={cherry})
    assert len(document["annotations"]) == 7 + 2 + 1 + 1
    assert len(boxes["annotations"]) == 1 + 2 + 1


# -- options ---------------------------------------------------------------------------------------------------------

def test_selected_rows_and_statuses_are_exported_alone(labelled):
    emulator, client, project = labelled
    image = row_of(project, "cherry.png")
    [entry] = checked(emulator.export(project.project_hash, label_hashes=[image.label_hash]))
    assert entry["label_hash"] == image.label_hash
    assert checked(emulator.export(project.project_hash, statuses=["REVIEWED"])) == []
    assert len(emulator.export(project.project_hash, statuses=["LABELLED", "REVIEWED"])) == 4


def test_feature_filters_keep_the_chosen_objects_and_classifications_and_their_answers(labelled):
    emulator, client, project = labelled
    cherry, radio = feature(project, "Cherry"), feature(project, "Blueberry or cherry?", Classification)
    exported = by_title(checked(emulator.export(project.project_hash, object_feature_hashes=[feature(project, "Pedicel")],
                                                classification_feature_hashes=[])))
    image = exported["cherry.png"]
    assert [o["shape"] for o in objects_of(image)] == ["point"]
    assert list(image["object_answers"]) == [objects_of(image)[0]["objectHash"]]
    assert (image["classification_answers"], image["data_units"][image["data_hash"]]["labels"]["0"]["classifications"]) \
        == ({}, [])
    assert objects_of(exported["clip.mp4"]) == []
    kept = by_title(emulator.export(project.project_hash, object_feature_hashes=[cherry],
                                    classification_feature_hashes=[radio]))["cherry.png"]
    assert [o["shape"] for o in objects_of(kept)] == ["bounding_box"]
    assert len(kept["classification_answers"]) == 1


def test_signed_urls_are_links_the_emulator_serves(labelled):
    emulator, client, project = labelled
    exported = by_title(checked(emulator.export(project.project_hash, signed_urls=True)))
    image, video = exported["cherry.png"], exported["clip.mp4"]
    link = image["data_units"][image["data_hash"]]["data_link"]
    assert link.startswith(emulator.url + "/signed/")
    assert requests.get(link, timeout=30).content == mf.png(*IMAGE)
    assert video["video_link"].startswith(emulator.url + "/signed/")
    [dicom_unit] = exported["CT series"]["data_units"].values()
    assert all(u.startswith(emulator.url + "/signed/") for u in dicom_unit["data_links"])


def test_a_branch_is_exported_apart_from_main(labelled):
    emulator, client, project = labelled
    branch = next(r for r in project.list_label_rows_v2(branch_name="review") if r.data_title == "clip.mp4")
    branch.initialise_labels()
    add(branch, project.ontology_structure, "Pedicel", frames=2)
    branch.save()
    [entry] = checked(emulator.export(project.project_hash, branch_name="review"))
    assert (entry["label_hash"], [o["shape"] for o in objects_of(entry)]) == (branch.label_hash, ["point"])
    assert len(emulator.export(project.project_hash)) == 4


# -- label versions --------------------------------------------------------------------------------------------------

def test_label_versions_are_listed_newest_first_and_downloaded_as_they_were_made(labelled):
    emulator, client, project = labelled
    first = emulator.export(project.project_hash, version_name="before review")
    image = row_of(project, "cherry.png")
    add(image, project.ontology_structure, "Pedicel")
    image.save()
    second = emulator.export(project.project_hash, format="coco", user_email="exporter@example.com")
    versions = emulator.label_versions(project.project_hash)
    assert [(v["version_name"], v["format"], v["user_email"]) for v in versions] == [
        ("Label version 2", "coco", "exporter@example.com"), ("before review", "json", "exporter@example.com")]
    assert versions[1]["export_hash"] == first[0]["export_hash"]
    assert versions[0]["export_hash"] == second["info"]["export_hash"]
    assert emulator.download_export(project.project_hash, versions[1]["export_hash"]) == first
    assert len(objects_of(by_title(first)["cherry.png"])) == 7  # the labels as they were when it was made


@pytest.mark.parametrize("options, message", [
    ({"statuses": ["DONE"]}, "statuses: unknown label status 'DONE'; expected one of NOT_LABELLED, LABEL_IN_PROGRESS, "
                             "LABELLED, REVIEW_IN_PROGRESS, REVIEWED, REVIEWED_TWICE."),
    ({"object_feature_hashes": ["nope"]}, "object_feature_hashes: nope is no object of the project's ontology."),
    ({"classification_feature_hashes": ["CHERRY"]},
     "classification_feature_hashes: CHERRY is no classification of the project's ontology."),
    ({"user_email": "nobody@example.com"}, "user_email: no user with email nobody@example.com is registered."),
    ({"format": "csv"}, "/format: 'csv' is not one of ['json', 'coco']"),
])
def test_bad_options_are_refused_naming_the_option_and_nothing_is_recorded(labelled, options, message):
    emulator, client, project = labelled
    if options.get("classification_feature_hashes") == ["CHERRY"]:  # an object's hash is not a classification's
        options = {"classification_feature_hashes": [feature(project, "Cherry")]}
        message = message.replace("CHERRY", options["classification_feature_hashes"][0])
    with pytest.raises(ControlError) as e:
        emulator.export(project.project_hash, **options)
    assert (e.value.status, e.value.code, e.value.message) == (400, "INVALID_ARGUMENTS_ERROR", message)
    assert emulator.label_versions(project.project_hash) == []


def test_a_label_hash_of_another_project_is_refused_and_nothing_is_recorded(labelled):
    emulator, client, project = labelled
    other = client.get_project(client.create_project("Other", [str(project.list_datasets()[0].dataset_hash)]))
    foreign = row_of(other, "cherry.png")
    foreign.save()
    with pytest.raises(ControlError) as e:
        emulator.export(project.project_hash, label_hashes=[foreign.label_hash])
    assert (e.value.status, e.value.message) == (
        400, f"label_hashes: {foreign.label_hash} is no label row of project {project.project_hash} on branch 'main'.")
    assert emulator.label_versions(project.project_hash) == []
    assert "export_history" not in json.dumps(emulator.state()["tables"].get("label_version", {}))


def test_an_unknown_project_or_label_version_is_not_found(labelled):
    emulator, client, project = labelled
    with pytest.raises(ControlError) as e:
        emulator.export("no-such-project")
    assert (e.value.status, e.value.message) == (404, "Project no-such-project does not exist.")
    with pytest.raises(ControlError) as e:
        emulator.download_export(project.project_hash, "no-such-export")
    assert (e.value.status, e.value.message) == (
        404, f"Label version no-such-export does not exist in project {project.project_hash}.")


# -- the CLI ---------------------------------------------------------------------------------------------------------

def test_the_cli_exports_json_and_coco_files_with_a_progress_bar(encord_server, tmp_path, capsys):
    client = encord_server.user_client("cli@example.com")
    boxes = OntologyStructure()
    boxes.add_object("Box", Shape.BOUNDING_BOX)
    integration = encord_server.add_integration("cli", "AWS", [BUCKET])
    encord_server.put_object(BUCKET, "a.png", mf.png(*IMAGE))
    dataset = client.get_dataset(client.create_dataset("CLI", StorageLocation.AWS).dataset_hash)
    dataset.add_private_data_to_dataset(integration["id"], {"images": [{"objectUrl": f"s3://{BUCKET}/a.png"}]})
    ontology_hash = client.create_ontology("CLI", structure=boxes).ontology_hash
    project = client.get_project(client.create_project("CLI", [dataset.dataset_hash], ontology_hash=ontology_hash))
    label_row = project.list_label_rows_v2()[0]
    label_row.initialise_labels()
    add(label_row, project.ontology_structure, "Box", coords=BoundingBoxCoordinates(
        height=0.5, width=0.5, top_left_x=0.1, top_left_y=0.1))
    label_row.save()

    out_json, out_coco = tmp_path / "labels.json", tmp_path / "labels-coco.json"
    assert main(["export", project.project_hash, "--format", "json", "-o", str(out_json), "--url",
                 encord_server.url]) == 0
    out, err = capsys.readouterr()
    [version] = encord_server.label_versions(project.project_hash)
    assert out == (f"label version {version['export_hash']}: json export of project {project.project_hash} written to "
                   f"{out_json}\n")
    assert f"export {project.project_hash[:8]}" in err and "100%" in err
    [entry] = checked(json.loads(out_json.read_text()))
    assert (entry["export_hash"], entry["data_title"]) == (version["export_hash"], "a.png")
    assert main(["export", project.project_hash, "--format", "coco", "-o", str(out_coco), "--url",
                 encord_server.url]) == 0
    assert len(COCO(str(out_coco)).getAnnIds()) == 1
    with pytest.raises(SystemExit) as e:
        main(["export", project.project_hash, "-o", str(out_json), "--status", "DONE", "--url", encord_server.url])
    assert str(e.value).startswith("error: statuses: unknown label status 'DONE'")
    assert len(encord_server.label_versions(project.project_hash)) == 2
