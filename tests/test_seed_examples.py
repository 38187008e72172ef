"""Every label example of seed 000, and every export script of seed 001, on the seeds' own project.

``encord_emulator.seed("blueberries-and-cherries")`` creates the documentation's project (hash
7d4ead9c-4087-4832-a301-eb2545e7d43b), its ontology and its media, so the documented scripts run as written. Each
example is labelled by one client, saved, and read back equal by a fresh client.
"""

import io
import json
from fractions import Fraction

import av
import media_factory as mf
import numpy as np
import pytest
from encord.objects import Classification, Object
from encord.objects.attributes import ChecklistAttribute, RadioAttribute
from encord.objects.bitmask import BitmaskCoordinates
from encord.objects.coordinates import (
    BoundingBoxCoordinates,
    PointCoordinate,
    PolygonCoordinates,
    PolylineCoordinates,
    RotatableBoundingBoxCoordinates,
    SkeletonCoordinate,
)
from encord.objects.frames import Range

from emulator.seeds.blueberries_and_cherries import BUCKET as SEED_BUCKET
from emulator.seeds.blueberries_and_cherries import VIDEOS as SEED_VIDEOS

PROJECT_HASH = "7d4ead9c-4087-4832-a301-eb2545e7d43b"
SIZES = {"blueberry_003.jpg": (1254, 836), "Blueberries_video.mp4": (1920, 1080)}


@pytest.fixture
def seeded(emulator):
    info = emulator.seed("blueberries-and-cherries")
    client = emulator.user_client(info["email"])
    return emulator, info, client, client.get_project(PROJECT_HASH)


def coordinates(shape: str, title: str, n: int, ontology=None):
    """The n-th instance's coordinates for an object of the seed's ontology."""
    offset = 0.05 * n
    if shape == "Cherry":
        return BoundingBoxCoordinates(height=0.2, width=0.2, top_left_x=0.1 + offset, top_left_y=0.1)
    if shape == "Other type of fruit":
        return RotatableBoundingBoxCoordinates(height=0.2, width=0.3, top_left_x=0.1 + offset, top_left_y=0.2,
                                               theta=30)
    if shape == "Persimmon":
        return PolygonCoordinates([PointCoordinate(0.1 + offset, 0.1), PointCoordinate(0.4, 0.1),
                                   PointCoordinate(0.3, 0.4)])
    if shape == "Branch":
        return PolylineCoordinates([PointCoordinate(0.1 + offset, 0.1), PointCoordinate(0.5, 0.5)])
    if shape == "Pedicel":
        return PointCoordinate(0.3 + offset, 0.3)
    if shape == "Blueberry":  # the examples' bitmasks cover the whole image or frame
        width, height = SIZES[title]
        return BitmaskCoordinates(np.ones((height, width), dtype=bool))
    if shape == "Strawberry":  # as the SDK documents it: the template aligns the vertices and their feature hashes
        return ontology.skeleton_templates["Triangle"].create_instance([
            SkeletonCoordinate(x=0.2 + offset, y=0.1, name="Top"), SkeletonCoordinate(x=0.1 + offset, y=0.3, name="Left"),
            SkeletonCoordinate(x=0.3 + offset, y=0.3, name="Right")])
    raise AssertionError(shape)


# (example, ontology object, data unit, frames of each instance; None = a single image)
OBJECT_EXAMPLES = [
    ("bounding box 1", "Cherry", "cherry_001.png", [None]),
    ("bounding box 2", "Cherry", "Cherries_video.mp4", [[103, 104, 105]]),
    ("bounding box 3", "Cherry", "cherry_001.png", [None, None, None]),
    ("bounding box 4", "Cherry", "Cherries_video.mp4", [[103, 104, 105], [206, 207, 208], [313, 315, 317]]),
    ("rotatable bounding box 1", "Other type of fruit", "apple_001.png", [None]),
    ("rotatable bounding box 2", "Other type of fruit", "Cherries_video.mp4", [[120, 121, 122]]),
    ("rotatable bounding box 3", "Other type of fruit", "apple_001.png", [None, None, None]),
    ("rotatable bounding box 4", "Other type of fruit", "Cherries_video.mp4",
     [[120, 121, 122], [222, 224, 226], [321, 323, 325]]),
    ("polygon 1", "Persimmon", "persimmon_001.jpg", [None]),
    ("polygon 2", "Persimmon", "Cherries_video.mp4", [[143, 144, 145]]),
    ("polygon 3", "Persimmon", "persimmon_001.jpg", [None, None, None]),
    ("polygon 4", "Persimmon", "Cherries_video.mp4", [[153, 154, 155], [242, 244, 246], [343, 345, 347]]),
    ("polyline 1", "Branch", "persimmon_001.jpg", [None]),
    ("polyline 2", "Branch", "Cherries_video.mp4", [[146, 147, 148]]),
    ("polyline 3", "Branch", "persimmon_001.jpg", [None, None, None]),
    ("polyline 4", "Branch", "Cherries_video.mp4", [[246, 247, 248], [346, 347, 348], [446, 447, 448]]),
    # The seed names the keypoint examples' image blueberry_003.png and the bitmask examples' blueberry_003.jpg;
    # the media list has only the .jpg, so the keypoint examples use it.
    ("keypoint 1 (seed says blueberry_003.png)", "Pedicel", "blueberry_003.jpg", [None]),
    ("keypoint 2", "Pedicel", "Blueberries_video.mp4", [[143, 144, 145]]),
    ("keypoint 3 (seed says blueberry_003.png)", "Pedicel", "blueberry_003.jpg", [None, None, None]),
    ("keypoint 4", "Pedicel", "Blueberries_video.mp4", [[143, 144, 145], [242, 244, 246], [343, 345, 347]]),
    ("bitmask 1", "Blueberry", "blueberry_003.jpg", [None]),
    ("bitmask 2", "Blueberry", "Blueberries_video.mp4", [[156, 157, 159]]),
    ("bitmask 3", "Blueberry", "blueberry_003.jpg", [None, None, None]),
    ("bitmask 4", "Blueberry", "Blueberries_video.mp4", [[156, 157, 158], [256, 258, 259], [355, 357, 359]]),
    ("object primitive 1", "Strawberry", "strawberries_10.jpg", [None]),
    ("object primitive 2", "Strawberry", "Cherries_video.mp4", [[163, 164, 165]]),
    ("object primitive 3", "Strawberry", "strawberries_10.jpg", [None, None, None]),
    ("object primitive 4", "Strawberry", "Cherries_video.mp4", [[173, 174, 175], [183, 184, 185], [193, 194, 195]]),
]


def fresh_row(emulator, info, title):
    """The row as a new client (a new session) sees it."""
    project = emulator.user_client(info["email"]).get_project(PROJECT_HASH)
    label_row = project.list_label_rows_v2(data_title_eq=title)[0]
    label_row.initialise_labels()
    return label_row


def saved_labels(label_row) -> dict:
    d = label_row.to_encord_dict()
    return {"units": {k: u["labels"] for k, u in d["data_units"].items()}, "object_answers": d["object_answers"],
            "classification_answers": d["classification_answers"], "object_actions": d["object_actions"]}


@pytest.mark.parametrize("example, name, title, instances", OBJECT_EXAMPLES, ids=[e[0] for e in OBJECT_EXAMPLES])
def test_object_example_round_trips(seeded, example, name, title, instances):
    emulator, info, client, project = seeded
    label_row = project.list_label_rows_v2(data_title_eq=title)[0]
    label_row.initialise_labels()
    ontology_object = project.ontology_structure.get_child_by_title(name, type_=Object)
    for n, frames in enumerate(instances):
        instance = ontology_object.create_instance()
        for frame in frames or [0]:
            instance.set_for_frames(coordinates(name, title, n, project.ontology_structure), frames=frame)
        label_row.add_object_instance(instance)
    label_row.save()

    again = fresh_row(emulator, info, title)
    assert saved_labels(again) == saved_labels(label_row)
    assert len(again.get_object_instances()) == len(instances)
    for instance, frames in zip(sorted(again.get_object_instances(), key=lambda i: min(a.frame for a in i.get_annotations())),
                                instances):
        assert [a.frame for a in instance.get_annotations()] == (frames or [0])


@pytest.mark.parametrize("title, frames", [("blueberry_003.jpg", None), ("Blueberries_video.mp4", Range(193, 197))],
                         ids=["radio 1 (image)", "radio 2 (frames 193 to 197)"])
def test_radio_example_round_trips(seeded, title, frames):
    emulator, info, client, project = seeded
    label_row = project.list_label_rows_v2(data_title_eq=title)[0]
    label_row.initialise_labels()
    classification = project.ontology_structure.get_child_by_title("Blueberry or cherry?", type_=Classification)
    radio = project.ontology_structure.get_child_by_title("Blueberry or cherry?", type_=RadioAttribute)
    instance = classification.create_instance()
    instance.set_answer(radio.get_child_by_title("Blueberry"))
    instance.set_for_frames(frames or 0)
    label_row.add_classification_instance(instance)
    label_row.save()
    again = fresh_row(emulator, info, title)
    assert saved_labels(again) == saved_labels(label_row)
    [read] = again.get_classification_instances()
    assert read.get_answer().title == "Blueberry"
    assert [a.frame for a in read.get_annotations()] == ([0] if frames is None else [193, 194, 195, 196, 197])


@pytest.mark.parametrize("title, frames", [("apple_003.jpg", None), ("Blueberries_video.mp4", Range(193, 197))],
                         ids=["checklist 1 (image)", "checklist 2 (frames 193 to 197)"])
def test_checklist_example_round_trips(seeded, title, frames):
    emulator, info, client, project = seeded
    label_row = project.list_label_rows_v2(data_title_eq=title)[0]
    label_row.initialise_labels()
    classification = project.ontology_structure.get_child_by_title("Many types of fruit?", type_=Classification)
    checklist = project.ontology_structure.get_child_by_title("Many types of fruit?", type_=ChecklistAttribute)
    instance = classification.create_instance()
    instance.set_answer([checklist.get_child_by_title("Apple"), checklist.get_child_by_title("Kiwi")])
    instance.set_for_frames(frames or 0)
    label_row.add_classification_instance(instance)
    label_row.save()
    again = fresh_row(emulator, info, title)
    assert saved_labels(again) == saved_labels(label_row)
    assert sorted(o.title for o in again.get_classification_instances()[0].get_answer()) == ["Apple", "Kiwi"]


def test_image_groups_and_dicom_series_round_trip_on_the_seeds_project(seeded):
    """Seed 000's examples cover images and videos; an image group (a data unit per image) and a DICOM series
    (labels per slice) added to the seed's dataset round-trip with its ontology too."""
    emulator, info, client, project = seeded
    emulator.put_object(SEED_BUCKET, "group/1.png", mf.png(40, 30))
    emulator.put_object(SEED_BUCKET, "group/2.png", mf.png(40, 30))
    for i in range(3):
        emulator.put_object(SEED_BUCKET, f"ct/{i}.dcm", mf.dicom(sop_uid=f"1.2.3.{i}", instance_number=i + 1))
    dataset = client.get_dataset(info["dataset_hash"])
    dataset.add_private_data_to_dataset(info["integration_id"], {
        "image_groups": [{"title": "Cherry group", "createVideo": False,
                          "objectUrl_0": f"s3://{SEED_BUCKET}/group/1.png", "objectUrl_1": f"s3://{SEED_BUCKET}/group/2.png"}],
        "dicom_series": [{"title": "Cherry CT", **{f"objectUrl_{i}": f"s3://{SEED_BUCKET}/ct/{i}.dcm" for i in range(3)}}],
    })
    cherry = project.ontology_structure.get_child_by_title("Cherry", type_=Object)
    for title, frames_of_instances in (("Cherry group", [[1]]), ("Cherry CT", [[2], [0, 1]])):
        label_row = project.list_label_rows_v2(data_title_eq=title)[0]
        label_row.initialise_labels()
        for n, frames in enumerate(frames_of_instances):
            instance = cherry.create_instance()
            for frame in frames:
                instance.set_for_frames(coordinates("Cherry", title, n), frames=frame)
            label_row.add_object_instance(instance)
        label_row.save()
        again = fresh_row(emulator, info, title)
        assert saved_labels(again) == saved_labels(label_row)
    group_units = fresh_row(emulator, info, "Cherry group").to_encord_dict()["data_units"]
    assert sorted(len(u["labels"]["objects"]) for u in group_units.values()) == [0, 1]  # one unit per image
    [series_unit] = fresh_row(emulator, info, "Cherry CT").to_encord_dict()["data_units"].values()
    assert sorted(series_unit["labels"]) == ["0", "1", "2"]  # labels per slice


def label_video(project, boxes_on: list[int]):
    """Cherries on given frames of Cherries_video.mp4, answered for export."""
    label_row = project.list_label_rows_v2(data_title_eq="Cherries_video.mp4")[0]
    label_row.initialise_labels()
    cherry = project.ontology_structure.get_child_by_title("Cherry", type_=Object)
    instance = cherry.create_instance()
    for frame in boxes_on:
        instance.set_for_frames(coordinates("Cherry", "Cherries_video.mp4", 0), frames=frame)
    label_row.add_object_instance(instance)
    label_row.save()
    return instance.object_hash


def test_export_labels_as_json(seeded, tmp_path):
    emulator, info, client, project = seeded
    label_video(project, [10, 11])
    # The seed's script: every label row of the project, initialised, written as JSON.
    rows = project.list_label_rows_v2()
    for label_row in rows:
        label_row.initialise_labels()
    path = tmp_path / "labels.json"
    path.write_text(json.dumps([r.to_encord_dict() for r in rows]))
    exported = json.loads(path.read_text())
    assert len(exported) == 8
    video = next(r for r in exported if r["data_title"] == "Cherries_video.mp4")
    assert sorted(video["data_units"][video["data_hash"]]["labels"]) == ["10", "11"]


def test_export_attributes_with_their_frames(seeded):
    emulator, info, client, project = seeded
    object_hash = label_video(project, [5, 6, 7])
    [label_row] = project.list_label_rows_v2(data_title_eq="Cherries_video.mp4")
    label_row.initialise_labels()
    exported = [(i.object_hash, i.object_name, i.feature_hash, [a.frame for a in i.get_annotations()])
                for i in label_row.get_object_instances()]
    cherry = project.ontology_structure.get_child_by_title("Cherry", type_=Object)
    assert exported == [(object_hash, "Cherry", cherry.feature_node_hash, [5, 6, 7])]


def test_export_a_range_of_consecutive_frames(seeded):
    emulator, info, client, project = seeded
    label_video(project, [3, 20, 21, 40])
    [label_row] = project.list_label_rows_v2(data_title_eq="Cherries_video.mp4")
    label_row.initialise_labels()
    start, end = 15, 30
    labelled = [frame for frame in range(start, end + 1) if label_row.get_frame_view(frame).get_object_instances()]
    assert labelled == [20, 21]


def test_export_a_list_of_non_consecutive_frames(seeded):
    emulator, info, client, project = seeded
    label_video(project, [10, 20, 25, 40])
    [label_row] = project.list_label_rows_v2(data_title_eq="Cherries_video.mp4")
    label_row.initialise_labels()
    by_frame = {frame: [o.object_name for o in label_row.get_frame_view(frame).get_object_instances()]
                for frame in [10, 20, 30, 40]}
    assert by_frame == {10: ["Cherry"], 20: ["Cherry"], 30: [], 40: ["Cherry"]}


def test_export_all_consensus_branches(seeded):
    """Seed 001 says include_all_branches=True; the SDK's parameter is include_all_label_branches."""
    emulator, info, client, project = seeded
    for branch in ("encord-annotator-1", "encord-annotator-2"):
        label_row = project.list_label_rows_v2(data_title_eq="cherry_001.png", branch_name=branch)[0]
        label_row.initialise_labels()
        instance = project.ontology_structure.get_child_by_title("Cherry", type_=Object).create_instance()
        instance.set_for_frames(coordinates("Cherry", "cherry_001.png", 0), frames=0)
        label_row.add_object_instance(instance)
        label_row.save()
    rows = project.list_label_rows_v2(data_title_eq="cherry_001.png", include_all_label_branches=True)
    assert sorted(r.branch_name for r in rows) == ["encord-annotator-1", "encord-annotator-2"]
    main_only = project.list_label_rows_v2(data_title_eq="cherry_001.png")
    assert [(r.branch_name, r.label_hash) for r in main_only] == [("main", None)]  # main stays empty


def test_bulk_export_with_bundles(seeded):
    emulator, info, client, project = seeded
    label_video(project, [1])
    rows = project.list_label_rows_v2()
    with project.create_bundle(bundle_size=3) as bundle:
        for label_row in rows:
            label_row.initialise_labels(bundle=bundle)
    exported = {r.data_title: len(r.get_object_instances()) for r in rows}
    assert exported["Cherries_video.mp4"] == 1 and sum(exported.values()) == 1


def test_seeding_twice_is_refused(seeded):
    emulator, info, client, project = seeded
    from emulator.testing import ControlError

    with pytest.raises(ControlError) as e:
        emulator.seed("blueberries-and-cherries", info["email"])
    assert (e.value.status, e.value.message) == (409, f"Project {PROJECT_HASH} already exists.")


@pytest.mark.parametrize("title", sorted(SEED_VIDEOS))
def test_seeded_videos_decode_to_their_documented_frames(seeded, title):
    emulator, info, client, project = seeded
    width, height, frames = SEED_VIDEOS[title]
    data = emulator.s3.get_object(Bucket=SEED_BUCKET, Key=title)["Body"].read()
    with av.open(io.BytesIO(data)) as container:
        stream = container.streams.video[0]
        decoded = [(frame.width, frame.height, frame.pts * frame.time_base) for frame in container.decode(stream)]
        assert (container.format.name.split(",")[0], stream.average_rate) == ("mov", 30)
    assert decoded == [(width, height, Fraction(index, 30)) for index in range(frames)]
    row = project.list_label_rows_v2(data_title_eq=title)[0]
    assert (row.number_of_frames, row.duration) == (frames, frames / 30)
