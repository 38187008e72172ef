"""Ontologies, projects and label rows through the real SDK, on media ingested from moto buckets."""

import json
import uuid
from collections import Counter
from datetime import datetime, timezone

import media_factory as mf
import pytest
import requests
from encord.exceptions import (
    AnswerDictionaryError,
    AuthorisationError,
    CorruptedLabelError,
    FeatureDoesNotExistError,
    InvalidArgumentsError,
    MultiLabelLimitError,
    ResourceExistsError,
    ResourceNotFoundError,
)
from encord.objects import Classification, Object, OntologyStructure, Shape
from encord.objects.attributes import ChecklistAttribute, RadioAttribute, TextAttribute
from encord.objects.coordinates import BoundingBoxCoordinates, PolygonCoordinates, PointCoordinate
from encord.objects.frames import Range
from encord.orm.dataset import StorageLocation
from encord.orm.label_row import AnnotationTaskStatus, LabelStatus, ShadowDataState
from wire_tools import body_bytes, set_body, sign_v1, sign_v2

BUCKET = "label-bucket"
VIDEO_FRAMES = 30


def build_ontology() -> OntologyStructure:
    structure = OntologyStructure()
    box = structure.add_object("Cherry", Shape.BOUNDING_BOX)
    colour = box.add_attribute(RadioAttribute, "Colour", required=True)
    colour.add_option("Red")
    colour.add_option("Dark red")
    structure.add_object("Other type of fruit", Shape.ROTATABLE_BOUNDING_BOX)
    structure.add_object("Persimmon", Shape.POLYGON)
    structure.add_object("Branch", Shape.POLYLINE)
    structure.add_object("Pedicel", Shape.POINT)
    structure.add_object("Blueberry", Shape.BITMASK)
    radio = structure.add_classification().add_attribute(RadioAttribute, "Blueberry or cherry?")
    radio.add_option("Blueberry")
    radio.add_option("Cherry")
    checklist = structure.add_classification().add_attribute(ChecklistAttribute, "Many types of fruit?")
    for fruit in ("apple", "kiwi", "banana"):
        checklist.add_option(fruit)
    structure.add_classification().add_attribute(TextAttribute, "Note")
    return structure


@pytest.fixture
def world(emulator):
    """A user, an ontology of every shape, a dataset of real media ingested from a bucket, and a project."""
    client = emulator.user_client("labeller@example.com")
    integration = emulator.add_integration("labels", "AWS", [BUCKET])
    dataset = client.get_dataset(client.create_dataset("Fruit", StorageLocation.AWS).dataset_hash)
    objects = {"cherry_001.png": mf.png(64, 48), "Cherries_video.mp4": mf.mp4(64, 48, fps=5, frames=VIDEO_FRAMES),
               "g1.png": mf.png(20, 10), "g2.png": mf.png(20, 10)}
    objects.update({f"ct/slice{i}.dcm": mf.dicom(sop_uid=f"1.2.3.{i}", instance_number=i + 1) for i in range(3)})
    for key, data in objects.items():
        emulator.put_object(BUCKET, key, data)
    dataset.add_private_data_to_dataset(integration["id"], {
        "images": [{"objectUrl": f"s3://{BUCKET}/cherry_001.png", "title": "cherry_001.png",
                    "clientMetadata": {"split": "train"}}],
        "videos": [{"objectUrl": f"s3://{BUCKET}/Cherries_video.mp4", "title": "Cherries_video.mp4"}],
        "image_groups": [{"title": "group", "objectUrl_0": f"s3://{BUCKET}/g1.png",
                          "objectUrl_1": f"s3://{BUCKET}/g2.png"}],
        "dicom_series": [{"title": "CT series", **{f"objectUrl_{i}": f"s3://{BUCKET}/ct/slice{i}.dcm" for i in range(3)}}],
    })
    ontology = client.create_ontology("Blueberries and Cherries Ontology", structure=build_ontology())
    project = client.get_project(client.create_project("Blueberries and Cherries", [dataset.dataset_hash],
                                                       ontology_hash=ontology.ontology_hash))
    return emulator, client, dataset, ontology, project


def row(project, title):
    return next(r for r in project.list_label_rows_v2() if r.data_title == title)


def labels_of(label_row) -> dict:
    """What a label row holds, without the fields the server owns (times, status, links)."""
    d = label_row.to_encord_dict()
    return {"objects": {k: u["labels"] for k, u in d["data_units"].items()}, "object_answers": d["object_answers"],
            "classification_answers": d["classification_answers"], "object_actions": d["object_actions"]}


# -- ontologies -------------------------------------------------------------------------------------------------------

def test_ontology_round_trips_and_is_listed(world):
    emulator, client, dataset, ontology, project = world
    fetched = client.get_ontology(ontology.ontology_hash)
    assert fetched.structure.to_dict() == build_ontology_dict(ontology)
    assert [o["ontology"].title for o in client.get_ontologies(title_like="%Cherries%")] == [
        "Blueberries and Cherries Ontology"]
    assert project.ontology_structure.get_child_by_title("Cherry", type_=Object).shape == Shape.BOUNDING_BOX


def build_ontology_dict(ontology):
    return ontology.structure.to_dict()


def test_ontology_save_updates_it(world):
    emulator, client, dataset, ontology, project = world
    ontology.structure.add_object("Strawberry", Shape.POLYGON)
    ontology.save()
    titles = [o.name for o in client.get_ontology(ontology.ontology_hash).structure.objects]
    assert "Strawberry" in titles


@pytest.mark.parametrize("change, message", [
    (lambda e: e["objects"][0].update(shape="hexagon"),
     "/objects/0/shape: 'hexagon' is not one of ['bounding_box', 'polygon', 'point', 'skeleton', 'polyline', "
     "'rotatable_bounding_box', 'bitmask', 'audio', 'time_range', 'text', 'cuboid', 'cuboid_2d', 'circle', "
     "'ellipse', 'segmentation']"),
    (lambda e: e["classifications"][0].update(attributes=[]), "/classifications/0/attributes: [] should be non-empty"),
    (lambda e: e["objects"][1].update(featureNodeHash=e["objects"][0]["featureNodeHash"]), None),
])
def test_malformed_ontologies_are_refused_naming_the_item(emulator, forger, change, message):
    user = emulator.register_user()
    client = emulator.user_client(user.email)

    def forge(req):
        if req.method != "POST":
            return
        body = json.loads(body_bytes(req))
        change(body["editor"])
        set_body(req, json.dumps(body).encode())
        sign_v2(req, user.private_key)

    forger.intercept(forge, path="^/v2/public/ontologies$")
    structure = build_ontology()
    with pytest.raises(InvalidArgumentsError) as e:
        client.create_ontology("bad", structure=structure)
    if message is None:
        first = structure.objects[0].feature_node_hash
        message = (f"editor: feature hash {first} is used by both /objects/0 and /objects/1; feature hashes must be "
                   "unique within an ontology.")
    assert e.value.message == message
    assert client.get_ontologies() == []


def nested_ontology() -> OntologyStructure:
    """Nested radio options (an option with its own attribute), a checklist, and a dynamic attribute."""
    structure = OntologyStructure()
    fruit = structure.add_object("Fruit", Shape.BOUNDING_BOX)
    ripeness = fruit.add_attribute(RadioAttribute, "Ripeness", required=True)
    ripe = ripeness.add_option("Ripe")
    ripeness.add_option("Unripe")
    sweetness = ripe.add_nested_attribute(RadioAttribute, "Sweetness")
    sweetness.add_option("Sweet")
    sweetness.add_option("Sour")
    blemishes = fruit.add_attribute(ChecklistAttribute, "Blemishes")
    for blemish in ("bruise", "spot", "cut"):
        blemishes.add_option(blemish)
    motion = fruit.add_attribute(RadioAttribute, "Motion", dynamic=True)
    motion.add_option("Still")
    motion.add_option("Rolling")
    kind = structure.add_classification().add_attribute(RadioAttribute, "Kind", required=True)
    berry = kind.add_option("Berry")
    kind.add_option("Stone fruit")
    berries = berry.add_nested_attribute(ChecklistAttribute, "Berries")
    for name in ("blueberry", "strawberry"):
        berries.add_option(name)
    return structure


def actions_in_any_order(labels: dict) -> dict:
    for entry in labels["object_actions"].values():
        entry["actions"] = sorted(entry["actions"], key=lambda a: json.dumps(a, sort_keys=True))
    return labels


def test_nested_and_dynamic_answers_on_video_frames_round_trip(world):
    emulator, client, dataset, ontology, project = world
    structure = nested_ontology()
    nested = client.create_ontology("Nested", structure=structure)
    fresh_client = emulator.user_client("labeller@example.com")
    assert fresh_client.get_ontology(nested.ontology_hash).structure.to_dict() == structure.to_dict()
    nested_project = client.get_project(client.create_project("Nested", [dataset.dataset_hash],
                                                              ontology_hash=nested.ontology_hash))
    video = row(nested_project, "Cherries_video.mp4")
    video.initialise_labels()
    ontology_of = video.ontology_structure
    fruit = ontology_of.get_child_by_title("Fruit", type_=Object)
    ripeness = fruit.get_child_by_title("Ripeness", type_=RadioAttribute)
    sweetness = fruit.get_child_by_title("Sweetness", type_=RadioAttribute)
    blemishes = fruit.get_child_by_title("Blemishes", type_=ChecklistAttribute)
    motion = fruit.get_child_by_title("Motion", type_=RadioAttribute)
    instance = fruit.create_instance()
    instance.set_for_frames(BoundingBoxCoordinates(height=0.3, width=0.2, top_left_x=0.1, top_left_y=0.2),
                            frames=Range(2, 6))
    instance.set_answer(ripeness.get_child_by_title("Ripe"), attribute=ripeness)
    instance.set_answer(sweetness.get_child_by_title("Sour"), attribute=sweetness)
    instance.set_answer([blemishes.get_child_by_title("bruise"), blemishes.get_child_by_title("cut")],
                        attribute=blemishes)
    instance.set_answer(motion.get_child_by_title("Still"), attribute=motion, frames=Range(2, 3))
    instance.set_answer(motion.get_child_by_title("Rolling"), attribute=motion, frames=Range(4, 6))
    video.add_object_instance(instance)
    kind_classification = ontology_of.get_child_by_title("Kind", type_=Classification)
    kind = kind_classification.get_child_by_title("Kind", type_=RadioAttribute)
    berries = kind_classification.get_child_by_title("Berries", type_=ChecklistAttribute)
    classification = kind_classification.create_instance()
    classification.set_answer(kind.get_child_by_title("Berry"), attribute=kind)
    classification.set_answer([berries.get_child_by_title("blueberry")], attribute=berries)
    classification.set_for_frames(Range(0, 4))
    video.add_classification_instance(classification)
    video.save(validate_before_saving=True)

    again = row(fresh_client.get_project(nested_project.project_hash), "Cherries_video.mp4")
    again.initialise_labels()
    # The SDK lists an object's dynamic answers in an order of its own after parsing (the stored row keeps the order
    # they were sent in), so they are compared as a set.
    assert actions_in_any_order(labels_of(again)) == actions_in_any_order(labels_of(video))
    [read] = again.get_object_instances()
    assert read.get_answer(sweetness).title == "Sour"
    assert sorted(o.title for o in read.get_answer(blemishes)) == ["bruise", "cut"]
    assert sorted((a.answer.title, a.ranges) for a in read.get_answer(motion)) == [
        ("Rolling", [Range(4, 6)]), ("Still", [Range(2, 3)])]
    [read_classification] = again.get_classification_instances()
    assert [o.title for o in read_classification.get_answer(berries)] == ["blueberry"]


# -- projects ---------------------------------------------------------------------------------------------------------

def test_project_holds_its_datasets_ontology_and_workflow(world):
    emulator, client, dataset, ontology, project = world
    assert project.title == "Blueberries and Cherries"
    assert project.ontology_hash == ontology.ontology_hash
    assert [str(d.dataset_hash) for d in project.list_datasets()] == [dataset.dataset_hash]
    assert [s.title for s in project.workflow.stages] == ["Annotate 1", "Review 1", "Complete"]
    assert [p.title for p in client.list_projects(title_eq="Blueberries and Cherries")] == ["Blueberries and Cherries"]


def test_project_without_ontology_gets_an_empty_one(world):
    emulator, client, dataset, ontology, project = world
    bare = client.get_project(client.create_project("bare", [dataset.dataset_hash]))
    assert bare.ontology_hash != ontology.ontology_hash
    assert bare.ontology_structure.objects == [] and bare.ontology_structure.classifications == []


def test_project_with_unknown_dataset_or_ontology_is_refused(world):
    emulator, client, dataset, ontology, project = world
    missing = str(uuid.uuid4())
    with pytest.raises(ResourceNotFoundError) as e:
        client.create_project("p", [missing])
    assert e.value.message == f"Dataset {missing} does not exist."
    with pytest.raises(ResourceNotFoundError) as e:
        client.create_project("p", [dataset.dataset_hash], ontology_hash=missing)
    assert e.value.message == f"Ontology {missing} does not exist."
    assert [p.title for p in client.list_projects()] == ["Blueberries and Cherries"]
    with pytest.raises(ResourceNotFoundError) as e:
        client.get_project(missing)
    # The v2 API's 404: the SDK replaces whatever the service says with its own sentence.
    assert e.value.message == "The requested resource was not found."


def test_datasets_are_added_and_removed(world):
    emulator, client, dataset, ontology, project = world
    second = client.create_dataset("Second", StorageLocation.AWS)
    project.add_datasets([second.dataset_hash])
    assert sorted(d.title for d in project.list_datasets()) == ["Fruit", "Second"]
    project.remove_datasets([second.dataset_hash])
    assert [d.title for d in project.list_datasets()] == ["Fruit"]


# -- listing ----------------------------------------------------------------------------------------------------------

def test_every_data_unit_is_listed_uninitialised(world):
    emulator, client, dataset, ontology, project = world
    rows = {r.data_title: r for r in project.list_label_rows_v2()}
    assert sorted(rows) == ["CT series", "Cherries_video.mp4", "cherry_001.png", "group"]
    assert rows["CT series"].number_of_frames == 3
    assert all(r.label_hash is None for r in rows.values())
    assert rows["Cherries_video.mp4"].number_of_frames == VIDEO_FRAMES
    assert rows["group"].number_of_frames == 2
    assert {r.workflow_graph_node.title for r in rows.values()} == {"Annotate 1"}


def test_listing_filters(world):
    emulator, client, dataset, ontology, project = world
    cherry = row(project, "cherry_001.png")
    cherry.initialise_labels()

    def titles(**filters):
        return sorted(r.data_title for r in project.list_label_rows_v2(**filters))

    assert titles(data_title_eq="group") == ["group"]
    assert titles(data_title_like="%.mp4") == ["Cherries_video.mp4"]
    assert titles(data_hashes=[cherry.data_hash]) == ["cherry_001.png"]
    assert titles(label_hashes=[cherry.label_hash]) == ["cherry_001.png"]
    assert titles(workflow_graph_node_title_eq="Annotate 1") == ["CT series", "Cherries_video.mp4", "cherry_001.png",
                                                                 "group"]
    assert titles(workflow_graph_node_title_eq="Complete") == []
    assert titles(shadow_data_state=ShadowDataState.SHADOW_DATA) == []  # no benchmark-QA shadow data
    everything = ["CT series", "Cherries_video.mp4", "cherry_001.png", "group"]
    assert titles(shadow_data_state=ShadowDataState.NOT_SHADOW_DATA) == everything
    assert titles(shadow_data_state=ShadowDataState.ALL_DATA) == everything
    with_metadata = {r.data_title: r.client_metadata for r in project.list_label_rows_v2(include_client_metadata=True)}
    assert with_metadata["cherry_001.png"] == {"split": "train"}


def test_listing_filters_by_last_edit_time(world):
    emulator, client, dataset, ontology, project = world
    row(project, "Cherries_video.mp4").initialise_labels()
    cherry = row(project, "cherry_001.png")
    cherry.initialise_labels()
    before_save = datetime.now(timezone.utc)
    cherry.add_object_instance(box(cherry, 0.1))
    cherry.save()
    after_save = datetime.now(timezone.utc)

    def titles(**filters):
        return sorted(r.data_title for r in project.list_label_rows_v2(**filters))

    # Uninitialised rows were never edited, so any time bound leaves them out.
    assert titles(edited_after=before_save) == ["cherry_001.png"]
    assert titles(edited_before=before_save) == ["Cherries_video.mp4"]
    assert titles(edited_after=before_save, edited_before=after_save) == ["cherry_001.png"]
    assert titles(edited_after=after_save) == []
    assert titles(edited_before=after_save) == ["Cherries_video.mp4", "cherry_001.png"]


def test_listing_filters_by_workflow_stage_title_and_task_status(world):
    emulator, client, dataset, ontology, project = world
    cherry = row(project, "cherry_001.png")
    cherry.initialise_labels()
    cherry.workflow_complete()
    annotate = project.workflow.get_stage(name="Annotate 1")
    next(t for t in annotate.get_tasks() if t.data_title == "Cherries_video.mp4").submit()

    def titles(**filters):
        return sorted(r.data_title for r in project.list_label_rows_v2(**filters))

    assert titles(workflow_graph_node_title_like="Rev%") == ["Cherries_video.mp4"]
    assert titles(workflow_graph_node_title_like="% _") == ["CT series", "Cherries_video.mp4", "group"]
    assert titles(workflow_graph_node_title_like="%plete") == ["cherry_001.png"]
    assert titles(workflow_graph_node_title_like="Annotate") == []  # LIKE matches the whole title
    assert titles(label_statuses=[AnnotationTaskStatus.COMPLETED]) == ["cherry_001.png"]
    assert titles(label_statuses=[AnnotationTaskStatus.IN_REVIEW]) == ["Cherries_video.mp4"]
    assert titles(label_statuses=[AnnotationTaskStatus.QUEUED]) == ["CT series", "group"]
    assert titles(label_statuses=[AnnotationTaskStatus.QUEUED, AnnotationTaskStatus.COMPLETED]) == [
        "CT series", "cherry_001.png", "group"]
    assert titles(label_statuses=[AnnotationTaskStatus.RETURNED]) == []


def test_the_deprecated_listing_leaves_out_uninitialised_rows_unless_asked(world):
    """include_uninitialised_labels is reachable only through the deprecated project.list_label_rows() (v2 always
    sends True)."""
    emulator, client, dataset, ontology, project = world
    cherry = row(project, "cherry_001.png")
    cherry.initialise_labels()
    with pytest.deprecated_call():
        initialised = project.list_label_rows()
    with pytest.deprecated_call():
        everything = project.list_label_rows(include_uninitialised_labels=True)
    assert [(m.data_title, m.label_hash) for m in initialised] == [("cherry_001.png", cherry.label_hash)]
    assert sorted(m.data_title for m in everything) == ["CT series", "Cherries_video.mp4", "cherry_001.png", "group"]
    assert sorted(m.data_title for m in everything if m.label_hash is None) == [
        "CT series", "Cherries_video.mp4", "group"]


def test_branch_name_with_all_branches_is_refused(world):
    emulator, client, dataset, ontology, project = world
    with pytest.raises(InvalidArgumentsError) as e:
        project.list_label_rows_v2(branch_name="encord-branch", include_all_label_branches=True)
    assert e.value.message == "A branch name cannot be specified if include_all_label_branches is set to True."


def test_branches_hold_their_own_labels(world):
    emulator, client, dataset, ontology, project = world
    main = row(project, "cherry_001.png")
    main.initialise_labels()
    main.add_object_instance(box(main, 0.1))
    main.save()
    branch = next(r for r in project.list_label_rows_v2(branch_name="encord-consensus-1")
                  if r.data_title == "cherry_001.png")
    assert branch.label_hash is None and branch.branch_name == "encord-consensus-1"
    branch.initialise_labels()
    branch.add_object_instance(box(branch, 0.5))
    branch.save()
    everything = [r for r in project.list_label_rows_v2(include_all_label_branches=True)
                  if r.data_title == "cherry_001.png"]
    assert sorted(r.branch_name for r in everything) == ["encord-consensus-1", "main"]
    for r in everything:
        r.initialise_labels()
    by_branch = {r.branch_name: r.get_object_instances()[0].get_annotation(0).coordinates.top_left_x
                 for r in everything}
    assert by_branch == {"main": 0.1, "encord-consensus-1": 0.5}


# -- initialise and save ----------------------------------------------------------------------------------------------

def box(label_row, x: float, frames=0):
    cherry = label_row.ontology_structure.get_child_by_title("Cherry", type_=Object)
    instance = cherry.create_instance()
    instance.set_for_frames(BoundingBoxCoordinates(height=0.2, width=0.2, top_left_x=x, top_left_y=0.1), frames=frames)
    colour = cherry.get_child_by_title("Colour", type_=RadioAttribute)
    instance.set_answer(colour.get_child_by_title("Red"), attribute=colour)
    return instance


def test_labels_saved_by_one_client_are_read_back_by_another(world):
    emulator, client, dataset, ontology, project = world
    video = row(project, "Cherries_video.mp4")
    video.initialise_labels()
    video.add_object_instance(box(video, 0.1, frames=[Range(3, 5)]))
    persimmon = video.ontology_structure.get_child_by_title("Persimmon", type_=Object).create_instance()
    persimmon.set_for_frames(PolygonCoordinates([PointCoordinate(0.1, 0.1), PointCoordinate(0.3, 0.1),
                                                 PointCoordinate(0.2, 0.3)]), frames=7)
    video.add_object_instance(persimmon)
    radio = video.ontology_structure.get_child_by_title("Blueberry or cherry?", type_=RadioAttribute)
    classification = video.ontology_structure.get_child_by_title("Blueberry or cherry?", type_=Classification)
    instance = classification.create_instance()
    instance.set_answer(radio.get_child_by_title("Cherry"))
    instance.set_for_frames(Range(10, 12))
    video.add_classification_instance(instance)
    video.save()

    fresh = emulator.user_client("labeller@example.com").get_project(project.project_hash)
    again = row(fresh, "Cherries_video.mp4")
    assert again.label_hash == video.label_hash
    again.initialise_labels()
    assert labels_of(again) == labels_of(video)
    assert sorted(again.get_frame_view(4).get_object_instances()[0].object_hash for _ in [0]) == [
        video.get_object_instances(filter_frames=4)[0].object_hash]


def test_image_group_labels_live_in_one_data_unit_per_image(world):
    emulator, client, dataset, ontology, project = world
    group = row(project, "group")
    group.initialise_labels()
    assert len(group.to_encord_dict()["data_units"]) == 2
    group.add_object_instance(box(group, 0.3, frames=1))
    group.save()
    again = row(emulator.user_client("labeller@example.com").get_project(project.project_hash), "group")
    again.initialise_labels()
    assert labels_of(again) == labels_of(group)
    units = again.to_encord_dict()["data_units"]
    by_sequence = {u["data_sequence"]: u["labels"] for u in units.values()}
    assert by_sequence["0"]["objects"] == [] and len(by_sequence["1"]["objects"]) == 1
    assert [i.get_annotations()[0].frame for i in again.get_object_instances()] == [1]


def test_dicom_labels_are_per_slice(world):
    emulator, client, dataset, ontology, project = world
    series = row(project, "CT series")
    series.initialise_labels()
    series.add_object_instance(box(series, 0.1, frames=2))
    series.add_object_instance(box(series, 0.4, frames=[0, 1]))
    series.save()
    again = row(emulator.user_client("labeller@example.com").get_project(project.project_hash), "CT series")
    again.initialise_labels()
    assert labels_of(again) == labels_of(series)
    [unit] = again.to_encord_dict()["data_units"].values()
    assert sorted(unit["labels"]) == ["0", "1", "2"]
    assert (unit["width"], unit["height"]) == (8, 8)


def test_initialising_a_row_that_already_exists_is_refused(world):
    emulator, client, dataset, ontology, project = world
    stale = row(project, "cherry_001.png")
    created = row(project, "cherry_001.png")
    created.initialise_labels()
    with pytest.raises(ResourceExistsError) as e:
        stale.initialise_labels()
    assert e.value.message == ("Trying to create a resource that already exists. Payload for this failure is: "
                               f"label row {created.label_hash} exists for data unit {created.data_hash} on branch "
                               "'main'")
    assert [r.label_hash for r in project.list_label_rows_v2(data_hashes=[created.data_hash])] == [created.label_hash]


def test_initialising_on_a_branch_with_an_invalid_name_is_refused(world):
    emulator, client, dataset, ontology, project = world
    bad = next(r for r in project.list_label_rows_v2(branch_name="bad name!") if r.data_title == "cherry_001.png")
    with pytest.raises(InvalidArgumentsError) as e:
        bad.initialise_labels()
    assert e.value.message == ("branch_name: 'bad name!' may contain only letters, digits, hyphens, underscores and "
                               "periods.")
    assert [r.branch_name for r in project.list_label_rows_v2(include_all_label_branches=True)
            if r.label_hash is not None] == []


def test_label_status_and_last_edited_at_move_with_initialise_and_save(world):
    """NOT_LABELLED -> LABEL_IN_PROGRESS (initialised, or saved empty) -> LABELLED; every save moves last_edited_at.
    A workflow project's LabelRowV2 refuses label_status, so it is read from the (deprecated) metadata listing."""
    emulator, client, dataset, ontology, project = world

    def status():
        with pytest.deprecated_call():
            listed = project.list_label_rows(include_uninitialised_labels=True)
        return next(m.label_status for m in listed if m.data_title == "cherry_001.png")

    cherry = row(project, "cherry_001.png")
    assert (status(), cherry.created_at, cherry.last_edited_at) == (LabelStatus.NOT_LABELLED, None, None)
    cherry.initialise_labels()
    assert status() == LabelStatus.LABEL_IN_PROGRESS
    initialised = row(project, "cherry_001.png")
    assert initialised.created_at is not None and initialised.last_edited_at == initialised.created_at
    cherry.save()
    saved_empty = row(project, "cherry_001.png")
    assert status() == LabelStatus.LABEL_IN_PROGRESS
    assert saved_empty.last_edited_at > initialised.last_edited_at
    cherry.add_object_instance(box(cherry, 0.1))
    cherry.save()
    labelled = row(project, "cherry_001.png")
    assert status() == LabelStatus.LABELLED
    assert labelled.last_edited_at > saved_empty.last_edited_at
    assert labelled.created_at == initialised.created_at


def save_forged(emulator, project_row, forger, change):
    """Save a row after changing the saved body on the wire (the SDK cannot produce such a body itself)."""
    user = emulator._users["labeller@example.com"]

    def forge(req):
        body = json.loads(body_bytes(req))
        change(body["values"])
        set_body(req, json.dumps(body).encode())
        sign_v1(req, user.private_key)

    forger.intercept(forge, path="^/public$")
    project_row.save()


def claim_another_label_hash(values):
    forged = str(uuid.uuid4())
    values["uid"] = [forged]
    values["payload"]["labels"][0]["label_hash"] = forged


def claim(label_hash):
    def change(values):
        values["uid"] = [label_hash]
        values["payload"]["labels"][0]["label_hash"] = label_hash
    return change


def rename_the_data_unit(values):
    units = values["payload"]["labels"][0]["data_units"]
    units["not-a-data-unit"] = units.pop(next(iter(units)))


@pytest.mark.parametrize("change, error, message", [
    (claim_another_label_hash, ResourceNotFoundError, None),
    (lambda v: v.update(uid=[str(uuid.uuid4())]), InvalidArgumentsError, "mismatch"),
    (lambda v: v["payload"]["labels"][0]["object_answers"].clear(), AnswerDictionaryError,
     "An object or classification is missing in the answer dictionaries."),
    (lambda v: next(iter(v["payload"]["labels"][0]["data_units"].values()))["labels"]["objects"][0].update(
        featureHash="deadbeef"), FeatureDoesNotExistError, "The passed feature does not exist in the project ontology."),
    (rename_the_data_unit, CorruptedLabelError,
     "The label blurb is corrupted.\ndata_units: not-a-data-unit is not a data unit of this data row."),
])
def test_saves_the_service_refuses_leave_the_row_as_it_was(world, forger, change, error, message):
    emulator, client, dataset, ontology, project = world
    cherry = row(project, "cherry_001.png")
    cherry.initialise_labels()
    cherry.add_object_instance(box(cherry, 0.1))
    forged_uid = {}

    def remember(v):
        change(v)
        forged_uid["uid"] = v["uid"][0]

    with pytest.raises(error) as e:
        save_forged(emulator, cherry, forger, remember)
    if message is None:
        message = (f"Label row {forged_uid['uid']} was never initialised in project {project.project_hash} on branch "
                   "'main': call initialise_labels() to create it before saving.")
    elif message == "mismatch":
        message = f"labels: the label row saved as {forged_uid['uid']} carries label_hash {cherry.label_hash}."
    assert e.value.message == message
    forger._monkeypatch.undo()
    again = row(project, "cherry_001.png")
    again.initialise_labels()
    assert again.get_object_instances() == []


def never_initialised(label_hash, project, branch="main"):
    return (f"Label row {label_hash} was never initialised in project {project.project_hash} on branch '{branch}': "
            "call initialise_labels() to create it before saving.")


@pytest.mark.parametrize("elsewhere", ["another project", "another branch", "our row claimed for another branch"])
def test_saving_over_a_row_of_another_project_or_branch_is_refused(world, forger, elsewhere):
    """The label hash exists, but not as this project's row on the body's branch: it must be initialised first."""
    emulator, client, dataset, ontology, project = world
    if elsewhere == "another project":
        other = client.get_project(client.create_project("Other", [dataset.dataset_hash],
                                                         ontology_hash=ontology.ontology_hash))

        def theirs():
            return row(other, "cherry_001.png")
    else:
        def theirs():
            return next(r for r in project.list_label_rows_v2(branch_name="encord-consensus-1")
                        if r.data_title == "cherry_001.png")
    foreign = theirs()
    foreign.initialise_labels()
    foreign.add_object_instance(box(foreign, 0.7))
    foreign.save()
    ours = row(project, "cherry_001.png")
    ours.initialise_labels()
    ours.add_object_instance(box(ours, 0.1))
    if elsewhere == "our row claimed for another branch":
        change, message = (lambda v: v["payload"]["labels"][0].update(branch_name="encord-consensus-1"),
                           never_initialised(ours.label_hash, project, "encord-consensus-1"))
    else:
        change, message = claim(foreign.label_hash), never_initialised(foreign.label_hash, project)
    with pytest.raises(ResourceNotFoundError) as e:
        save_forged(emulator, ours, forger, change)
    assert e.value.message == message
    forger._monkeypatch.undo()
    again = theirs()
    again.initialise_labels()
    assert labels_of(again) == labels_of(foreign)
    assert [i.get_annotation(0).coordinates.top_left_x for i in again.get_object_instances()] == [0.7]
    ours_again = row(project, "cherry_001.png")
    ours_again.initialise_labels()
    assert ours_again.get_object_instances() == []


def classified(label_row, frames):
    radio = label_row.ontology_structure.get_child_by_title("Blueberry or cherry?", type_=RadioAttribute)
    instance = label_row.ontology_structure.get_child_by_title("Blueberry or cherry?",
                                                                type_=Classification).create_instance()
    instance.set_answer(radio.get_child_by_title("Cherry"))
    instance.set_for_frames(frames)
    label_row.add_classification_instance(instance)
    return instance


def move_the_classification_to(start, end):
    def change(values):
        answers = values["payload"]["labels"][0]["classification_answers"]
        next(iter(answers.values()))["range"] = [[start, end]]
    return change


@pytest.mark.parametrize("title, frames, change, outside", [
    ("Cherries_video.mp4", Range(10, 12), move_the_classification_to(28, 30),
     f"range [28, 30] is outside the media (frames 0 to {VIDEO_FRAMES - 1})."),
    ("cherry_001.png", 0, move_the_classification_to(1, 1), "range [1, 1] is outside the media (frames 0 to 0)."),
])
def test_classification_ranges_outside_the_media_are_refused(world, forger, title, frames, change, outside):
    emulator, client, dataset, ontology, project = world
    label_row = row(project, title)
    label_row.initialise_labels()
    instance = classified(label_row, frames)
    with pytest.raises(CorruptedLabelError) as e:
        save_forged(emulator, label_row, forger, change)
    assert e.value.message == (f"The label blurb is corrupted.\nclassification_answers/{instance.classification_hash}: "
                               f"{outside}")
    forger._monkeypatch.undo()
    again = row(project, title)
    again.initialise_labels()
    assert again.get_classification_instances() == [] and again.label_hash == label_row.label_hash


def test_an_object_on_frame_1_of_a_single_image_is_refused(world, forger):
    emulator, client, dataset, ontology, project = world
    cherry = row(project, "cherry_001.png")
    cherry.initialise_labels()
    cherry.add_object_instance(box(cherry, 0.1))

    def move_to_frame_1(values):
        unit = values["payload"]["labels"][0]["data_units"][cherry.data_hash]
        unit["labels"] = {"1": unit["labels"]}

    with pytest.raises(CorruptedLabelError) as e:
        save_forged(emulator, cherry, forger, move_to_frame_1)
    assert e.value.message == (f"The label blurb is corrupted.\ndata_units/{cherry.data_hash}/labels: '1' is not a "
                               "label list of an image (expected objects and classifications).")
    forger._monkeypatch.undo()
    again = row(project, "cherry_001.png")
    again.initialise_labels()
    assert again.get_object_instances() == []


def test_labels_outside_the_video_are_corrupted(world, forger):
    emulator, client, dataset, ontology, project = world
    video = row(project, "Cherries_video.mp4")
    video.initialise_labels()
    video.add_object_instance(box(video, 0.1, frames=2))

    def move_to_frame_99(v):
        labels = next(iter(v["payload"]["labels"][0]["data_units"].values()))["labels"]
        labels["99"] = labels.pop("2")

    with pytest.raises(CorruptedLabelError) as e:
        save_forged(emulator, video, forger, move_to_frame_99)
    assert e.value.message == ("The label blurb is corrupted.\ndata_units/" + video.data_hash +
                               f"/labels: frame 99 is outside the media (it has {VIDEO_FRAMES} frames).")
    forger._monkeypatch.undo()
    again = row(project, "Cherries_video.mp4")
    again.initialise_labels()
    assert again.get_object_instances() == []


def test_validate_before_saving_checks_required_attributes(world):
    emulator, client, dataset, ontology, project = world
    cherry = row(project, "cherry_001.png")
    cherry.initialise_labels()
    unanswered = cherry.ontology_structure.get_child_by_title("Cherry", type_=Object).create_instance()
    unanswered.set_for_frames(BoundingBoxCoordinates(height=0.2, width=0.2, top_left_x=0.1, top_left_y=0.1), frames=0)
    cherry.add_object_instance(unanswered)
    with pytest.raises(CorruptedLabelError) as e:
        cherry.save(validate_before_saving=True)
    assert e.value.message == (f"The label blurb is corrupted.\nobject_answers/{unanswered.object_hash}: required "
                               "attribute 'Colour' is not answered.")
    cherry.save()  # without validation the service stores it, and reports it invalid
    cherry = row(project, "cherry_001.png")
    assert cherry.is_valid is False
    assert cherry.get_validation_errors() == [
        f"object_answers/{unanswered.object_hash}: required attribute 'Colour' is not answered."]
    answered = row(project, "cherry_001.png")
    answered.initialise_labels()
    colour = answered.ontology_structure.get_child_by_title("Cherry", type_=Object).get_child_by_title(
        "Colour", type_=RadioAttribute)
    answered.get_object_instances()[0].set_answer(colour.get_child_by_title("Red"), attribute=colour)
    answered.save(validate_before_saving=True)
    assert row(project, "cherry_001.png").is_valid is True


# -- bundles ----------------------------------------------------------------------------------------------------------

def many_images(emulator, client, count):
    """A project over ``count`` images registered with their metadata supplied (strict client-only access)."""
    integration = emulator.add_integration("bulk", "AWS", [BUCKET])
    dataset = client.get_dataset(client.create_dataset("Bulk", StorageLocation.AWS).dataset_hash)
    metadata = {"mimeType": "image/png", "fileSize": 100, "width": 64, "height": 48}
    job = dataset.add_private_data_to_dataset_start(integration["id"], {"images": [
        {"objectUrl": f"s3://{BUCKET}/bulk/{i}.png", "title": f"{i:05}.png", "imageMetadata": metadata}
        for i in range(count)]})
    assert dataset.add_private_data_to_dataset_get_result(job, timeout_seconds=120).units_done_count == count
    ontology = client.create_ontology("bulk", structure=build_ontology())
    return client.get_project(client.create_project("Bulk", [dataset.dataset_hash], ontology_hash=ontology.ontology_hash))


@pytest.mark.long
def test_a_bundle_of_2500_rows_is_sent_in_three_requests(world, forger):
    emulator, client, *_ = world
    project = many_images(emulator, client, 2500)
    rows = project.list_label_rows_v2()
    forger.intercept(lambda req: None, path="^/public$")
    with project.create_bundle() as bundle:
        for r in rows:
            r.initialise_labels(bundle=bundle)
    assert len(forger.seen) == 3
    with project.create_bundle() as bundle:
        for r in rows:
            r.add_object_instance(box(r, 0.2))
            r.save(bundle=bundle)
    assert len(forger.seen) == 6
    forger._monkeypatch.undo()
    fresh = emulator.user_client("labeller@example.com").get_project(project.project_hash)
    stored = fresh.list_label_rows_v2()
    assert all(r.label_hash is not None for r in stored)
    with pytest.deprecated_call():  # a workflow project's LabelRowV2 refuses label_status; the metadata carries it
        assert Counter(m.label_status for m in fresh.list_label_rows()) == {LabelStatus.LABELLED: 2500}
    saved = {r.data_hash: r for r in rows}
    sample = [r for r in stored if r.data_title in ("00000.png", "01001.png", "02499.png")]
    with fresh.create_bundle() as bundle:
        for r in sample:
            r.initialise_labels(bundle=bundle)
    assert len(sample) == 3
    for r in sample:
        assert labels_of(r) == labels_of(saved[r.data_hash]) and len(r.get_object_instances()) == 1


LIMIT_MESSAGE = ("Too many labels were requested. The limit is 1000. Please reduce the amount of requested labels to "
                 "stay under the reported limit.")


def assert_over_the_limit(error: MultiLabelLimitError) -> None:
    assert error.message == LIMIT_MESSAGE
    assert error.maximum_labels_allowed == 1000


@pytest.mark.long
def test_a_bundle_over_1000_rows_is_refused_and_nothing_is_written(world, forger):
    emulator, client, *_ = world
    project = many_images(emulator, client, 1500)
    rows = project.list_label_rows_v2()
    with pytest.raises(MultiLabelLimitError) as e:
        with project.create_bundle(bundle_size=1500) as bundle:
            for r in rows:
                r.initialise_labels(bundle=bundle)
    assert_over_the_limit(e.value)
    assert all(r.label_hash is None for r in project.list_label_rows_v2())

    # A bundled save over the limit: the rows exist (initialised in bundles within the limit), the save writes none.
    rows = project.list_label_rows_v2()
    with project.create_bundle() as bundle:
        for r in rows:
            r.initialise_labels(bundle=bundle)
    for r in rows:
        r.add_object_instance(box(r, 0.2))
    forger.intercept(lambda req: None, path="^/public$")
    with pytest.raises(MultiLabelLimitError) as e:
        with project.create_bundle(bundle_size=1500) as bundle:
            for r in rows:
                r.save(bundle=bundle)
    assert_over_the_limit(e.value)
    [sent] = forger.seen
    assert len(json.loads(body_bytes(sent))["values"]["uid"]) == 1500
    forger._monkeypatch.undo()
    with pytest.deprecated_call():
        assert Counter(m.label_status for m in project.list_label_rows()) == {LabelStatus.LABEL_IN_PROGRESS: 1500}
    first, last = (r for r in project.list_label_rows_v2() if r.data_title in ("00000.png", "01499.png"))
    for r in (first, last):
        r.initialise_labels()
        assert r.get_object_instances() == []


# -- media, workflow --------------------------------------------------------------------------------------------------

def test_signed_links_return_the_objects_bytes_and_refuse_tampering(world):
    emulator, client, dataset, ontology, project = world
    cherry = row(project, "cherry_001.png")
    cherry.initialise_labels(include_signed_url=True)
    link = cherry.data_link
    assert link.startswith(emulator.url + "/signed/")
    assert requests.get(link, timeout=10).content == mf.png(64, 48)
    video = project.get_data(row(project, "Cherries_video.mp4").data_hash, get_signed_url=True)[0]
    # Compared with the bucket's object, not a fresh encoding: x264 output can differ by a byte between encodings.
    stored = emulator.s3.get_object(Bucket=BUCKET, Key="Cherries_video.mp4")["Body"].read()
    assert requests.get(video["file_link"], timeout=10).content == stored
    tampered = link.replace("cherry_001.png", "Cherries_video.mp4")
    refused = requests.get(tampered, timeout=10)
    assert (refused.status_code, refused.json()["message"]) == (403, "The URL signature does not match.")


@pytest.mark.encord_emulator(external_url="http://media.example:9999")
def test_signed_links_use_the_external_url(world):
    """--external-url decides the host of the links handed out; the emulator still serves them where it runs."""
    emulator, client, dataset, ontology, project = world
    cherry = row(project, "cherry_001.png")
    cherry.initialise_labels(include_signed_url=True)
    assert cherry.data_link.startswith("http://media.example:9999/signed/")
    video = project.get_data(row(project, "Cherries_video.mp4").data_hash, get_signed_url=True)[0]
    assert video["file_link"].startswith("http://media.example:9999/signed/")
    served_here = emulator.url + cherry.data_link[len("http://media.example:9999"):]
    assert requests.get(served_here, timeout=10).content == mf.png(64, 48)


@pytest.mark.encord_emulator(signed_url_ttl_seconds=-1)
def test_expired_signed_links_are_refused(world):
    emulator, client, dataset, ontology, project = world
    cherry = row(project, "cherry_001.png")
    cherry.initialise_labels(include_signed_url=True)
    refused = requests.get(cherry.data_link, timeout=10)
    assert refused.status_code == 403 and refused.json()["message"].startswith("The signed URL expired at ")


def test_client_metadata_resolved_locally_is_fetched_by_the_sdk_from_a_signed_link(world, forger):
    emulator, client, dataset, ontology, project = world
    forger.intercept(lambda prepared: None, path="^/signed-client-metadata/")  # watches what the SDK fetches
    listed = {r.data_title: r.client_metadata for r in
              project.list_label_rows_v2(include_client_metadata=True, resolve_client_metadata_locally=True)}
    assert listed["cherry_001.png"] == {"split": "train"}
    assert listed["Cherries_video.mp4"] == {}
    fetched = [prepared.url for prepared in forger.seen]
    assert len(fetched) == len(listed) and all(url.startswith(emulator.url + "/signed-client-metadata/")
                                               for url in fetched)
    cherry = row(project, "cherry_001.png")
    link = next(url for url in fetched if cherry.data_hash in url)
    tampered = link.replace(cherry.data_hash, row(project, "Cherries_video.mp4").data_hash)
    refused = requests.get(tampered, timeout=10)
    assert (refused.status_code, refused.json()["message"]) == (403, "The URL signature does not match.")


@pytest.mark.encord_emulator(signed_url_ttl_seconds=-1)
def test_an_expired_client_metadata_link_leaves_the_sdk_without_metadata(world):
    emulator, client, dataset, ontology, project = world
    listed = project.list_label_rows_v2(include_client_metadata=True, resolve_client_metadata_locally=True)
    assert {r.client_metadata for r in listed} == {None}  # the SDK skips links it cannot fetch


def test_workflow_actions_move_rows_between_stages(world):
    emulator, client, dataset, ontology, project = world
    cherry = row(project, "cherry_001.png")
    cherry.initialise_labels()
    cherry.workflow_complete()
    done = row(project, "cherry_001.png")
    assert done.workflow_graph_node.title == "Complete"
    complete_stage = next(s for s in project.workflow.stages if s.title == "Complete")
    assert sorted(t.data_title for t in project.workflow.get_stage(name="Annotate 1").get_tasks()) == [
        "CT series", "Cherries_video.mp4", "group"]
    done.workflow_reopen()
    assert row(project, "cherry_001.png").workflow_graph_node.title == "Annotate 1"
    assert complete_stage.title == "Complete"


def test_priorities_show_in_the_listing(world):
    emulator, client, dataset, ontology, project = world
    video = row(project, "Cherries_video.mp4")
    video.set_priority(0.9)
    assert row(project, "Cherries_video.mp4").priority == 0.9


def test_task_actions_move_tasks_through_the_workflow(world):
    emulator, client, dataset, ontology, project = world
    annotate = project.workflow.get_stage(name="Annotate 1")
    review = project.workflow.get_stage(name="Review 1")
    task = next(t for t in annotate.get_tasks() if t.data_title == "cherry_001.png")
    task.assign("labeller@example.com")
    assigned = next(t for t in annotate.get_tasks() if t.data_title == "cherry_001.png")
    assert (assigned.status.value, assigned.assignee) == ("ASSIGNED", "labeller@example.com")
    assigned.release()
    assert next(t for t in annotate.get_tasks() if t.data_title == "cherry_001.png").status.value == "RELEASED"
    assigned.submit()
    assert [t.data_title for t in review.get_tasks()] == ["cherry_001.png"]
    assert row(project, "cherry_001.png").workflow_graph_node.title == "Review 1"
    next(review.get_tasks()).approve()
    assert row(project, "cherry_001.png").workflow_graph_node.title == "Complete"


def test_projects_of_other_users_are_refused_until_shared(world):
    emulator, client, dataset, ontology, project = world
    other = emulator.user_client("other@example.com")
    with pytest.raises(AuthorisationError) as e:
        other.get_project(project.project_hash)
    assert e.value.message == f"You are not authorised to access the project {project.project_hash}."
    for resource_type, resource_id in (("project", project.project_hash), ("ontology", ontology.ontology_hash),
                                       ("dataset", dataset.dataset_hash)):
        emulator.share(resource_type, resource_id, "other@example.com")
    shared = other.get_project(project.project_hash)
    assert sorted(r.data_title for r in shared.list_label_rows_v2())[:1] == ["CT series"]


def test_a_user_the_project_is_shared_with_reads_its_ontology(world):
    emulator, client, dataset, ontology, project = world
    other = emulator.user_client("other@example.com")
    with pytest.raises(AuthorisationError) as e:
        other.get_ontology(ontology.ontology_hash)
    assert e.value.message == f"You are not authorised to access the ontology {ontology.ontology_hash}."
    emulator.share("project", project.project_hash, "other@example.com")
    assert other.get_ontology(ontology.ontology_hash).structure.to_dict() == build_ontology_dict(ontology)
    assert other.get_project(project.project_hash).ontology_structure.to_dict() == build_ontology_dict(ontology)


def test_saving_the_same_row_twice_is_idempotent(world):
    """The SDK retries saves, so a repeated save must leave the row as one save would."""
    emulator, client, dataset, ontology, project = world
    cherry = row(project, "cherry_001.png")
    cherry.initialise_labels()
    cherry.add_object_instance(box(cherry, 0.1))
    cherry.save()
    cherry.save()
    again = row(project, "cherry_001.png")
    again.initialise_labels()
    assert labels_of(again) == labels_of(cherry) and len(again.get_object_instances()) == 1


def test_validate_before_saving_checks_required_attributes_nested_under_chosen_options(emulator):
    client = emulator.user_client("nested@example.com")
    integration = emulator.add_integration("nested", "AWS", [BUCKET])
    dataset = client.get_dataset(client.create_dataset("Nested", StorageLocation.AWS).dataset_hash)
    emulator.put_object(BUCKET, "nested.png", mf.png(32, 32))
    dataset.add_private_data_to_dataset(integration["id"], {"images": [{"objectUrl": f"s3://{BUCKET}/nested.png"}]})
    structure = OntologyStructure()
    cherry = structure.add_object("Cherry", Shape.BOUNDING_BOX)
    ripe = cherry.add_attribute(RadioAttribute, "Ripe", required=True)
    ripe_yes = ripe.add_option("Yes")
    how_ripe = ripe_yes.add_nested_attribute(TextAttribute, "How ripe", required=True)
    ripe.add_option("No")
    kind = structure.add_classification().add_attribute(RadioAttribute, "Kind", required=True)
    kind_sweet = kind.add_option("Sweet")
    sweetness = kind_sweet.add_nested_attribute(RadioAttribute, "Sweetness", required=True)
    sweetness_high = sweetness.add_option("High")
    ontology = client.create_ontology("Nested", structure=structure)
    project = client.get_project(client.create_project("Nested", [dataset.dataset_hash],
                                                       ontology_hash=ontology.ontology_hash))
    label_row = project.list_label_rows_v2()[0]
    label_row.initialise_labels()
    box_instance = label_row.ontology_structure.get_child_by_title("Cherry", type_=Object).create_instance()
    box_instance.set_for_frames(BoundingBoxCoordinates(height=0.2, width=0.2, top_left_x=0.1, top_left_y=0.1), frames=0)
    box_instance.set_answer(ripe_yes, attribute=ripe)  # "Yes" nests a required text left unanswered
    label_row.add_object_instance(box_instance)
    with pytest.raises(CorruptedLabelError) as e:
        label_row.save(validate_before_saving=True)
    assert e.value.message == (f"The label blurb is corrupted.\nobject_answers/{box_instance.object_hash}: required "
                               "attribute 'How ripe' is not answered.")

    box_instance.set_answer("very", attribute=how_ripe)
    kind_instance = next(c for c in label_row.ontology_structure.classifications
                         if c.attributes[0].name == "Kind").create_instance()
    kind_instance.set_for_frames(frames=0)
    kind_instance.set_answer(kind_sweet, attribute=kind)  # "Sweet" nests a required radio left unanswered
    label_row.add_classification_instance(kind_instance)
    with pytest.raises(CorruptedLabelError) as e:
        label_row.save(validate_before_saving=True)
    assert e.value.message == (f"The label blurb is corrupted.\nclassification_answers/"
                               f"{kind_instance.classification_hash}: required attribute 'Sweetness' is not answered.")

    kind_instance.set_answer(sweetness_high, attribute=sweetness)
    label_row.save(validate_before_saving=True)
    assert project.list_label_rows_v2()[0].is_valid is True
