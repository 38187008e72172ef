"""Ontologies, projects and label rows through the real SDK, on media ingested from moto buckets."""

import json
import uuid

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
from encord.orm.label_row import ShadowDataState
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
        first, second = structure.objects[0].feature_node_hash, structure.objects[1]
        message = (f"editor: feature hash {first} is used by both /objects/0 and /objects/1; feature hashes must be "
                   "unique within an ontology.")
    assert e.value.message == message
    assert client.get_ontologies() == []


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
    with pytest.raises(ResourceNotFoundError):
        client.get_project(missing)


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
    row(project, "cherry_001.png").initialise_labels()
    with pytest.raises(ResourceExistsError) as e:
        stale.initialise_labels()
    assert e.value.message.startswith("Trying to create a resource that already exists. Payload for this failure is: "
                                      "label row ")


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


@pytest.mark.parametrize("change, error, message", [
    (claim_another_label_hash, ResourceNotFoundError, None),
    (lambda v: v.update(uid=[str(uuid.uuid4())]), InvalidArgumentsError, "mismatch"),
    (lambda v: v["payload"]["labels"][0]["object_answers"].clear(), AnswerDictionaryError,
     "An object or classification is missing in the answer dictionaries."),
    (lambda v: next(iter(v["payload"]["labels"][0]["data_units"].values()))["labels"]["objects"][0].update(
        featureHash="deadbeef"), FeatureDoesNotExistError, "The passed feature does not exist in the project ontology."),
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
    stored = project.list_label_rows_v2()
    assert all(r.label_hash is not None for r in stored)


def test_a_bundle_over_1000_rows_is_refused_and_nothing_is_written(world):
    emulator, client, *_ = world
    project = many_images(emulator, client, 1500)
    rows = project.list_label_rows_v2()
    with pytest.raises(MultiLabelLimitError) as e:
        with project.create_bundle(bundle_size=1500) as bundle:
            for r in rows:
                r.initialise_labels(bundle=bundle)
    assert e.value.maximum_labels_allowed == 1000
    assert all(r.label_hash is None for r in project.list_label_rows_v2())


# -- media, workflow --------------------------------------------------------------------------------------------------

def test_signed_links_return_the_objects_bytes_and_refuse_tampering(world):
    emulator, client, dataset, ontology, project = world
    cherry = row(project, "cherry_001.png")
    cherry.initialise_labels(include_signed_url=True)
    link = cherry.data_link
    assert link.startswith(emulator.url + "/signed/")
    assert requests.get(link, timeout=10).content == mf.png(64, 48)
    video = project.get_data(row(project, "Cherries_video.mp4").data_hash, get_signed_url=True)[0]
    assert requests.get(video["file_link"], timeout=10).content == mf.mp4(64, 48, fps=5, frames=VIDEO_FRAMES)
    tampered = link.replace("cherry_001.png", "Cherries_video.mp4")
    refused = requests.get(tampered, timeout=10)
    assert (refused.status_code, refused.json()["message"]) == (403, "The URL signature does not match.")


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
