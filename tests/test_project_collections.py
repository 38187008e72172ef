"""A project's collections of frames and labels, and its filter presets (Active), through the real SDK."""

import copy
from uuid import UUID

import media_factory as mf
import pytest
from encord.exceptions import AuthorisationError, InvalidArgumentsError, ResourceNotFoundError
from encord.objects import Classification, Object, OntologyStructure, Shape
from encord.objects.attributes import RadioAttribute
from encord.objects.coordinates import BoundingBoxCoordinates
from encord.orm.collection import (
    ProjectCollectionType,
    ProjectDataCollectionInstance,
    ProjectDataCollectionItemRequest as Frame,
    ProjectLabelCollectionInstance,
    ProjectLabelCollectionItemRequest as Annotation,
)
from encord.orm.active import ActiveProjectMode
from encord.orm.dataset import StorageLocation
from encord.orm.filter_preset import ActiveFilterPresetDefinition, FilterDefinition
from encord.project import Project
from encord.utilities.project_user import ProjectUserRole

BUCKET = "active-bucket"
MISSING = "00000000-0000-0000-0000-000000000001"
NOT_FOUND = "The requested resource was not found."
FILTERS = ActiveFilterPresetDefinition(global_filters=FilterDefinition(filters=[{"key": "frame"}]))


def build_project(emulator):
    """A project of one image (one frame, camera north) and an image group (two frames, camera south), the image's
    labels saved: a box; the group's: a classification on its second frame."""
    client = emulator.user_client("active@example.com")
    integration = emulator.add_integration("active", "GCP", [BUCKET])
    dataset = client.get_dataset(client.create_dataset("Active", StorageLocation.GCP).dataset_hash)
    for key in ("one.png", "g1.png", "g2.png"):
        emulator.put_object(BUCKET, key, mf.png())
    dataset.add_private_data_to_dataset(integration["id"], {
        "images": [{"objectUrl": f"gs://{BUCKET}/one.png", "title": "one.png", "clientMetadata": {"camera": "north"}}],
        "image_groups": [{"title": "group", "objectUrl_0": f"gs://{BUCKET}/g1.png",
                          "objectUrl_1": f"gs://{BUCKET}/g2.png", "clientMetadata": {"camera": "south"}}]})
    structure = OntologyStructure()
    structure.add_object("Box", Shape.BOUNDING_BOX)
    structure.add_classification().add_attribute(RadioAttribute, "Sharp?").add_option("Yes")
    ontology = client.create_ontology("Active ontology", structure=structure)
    project = client.get_project(client.create_project("Active project", [dataset.dataset_hash],
                                                       ontology_hash=ontology.ontology_hash))
    rows = {r.data_title: r for r in project.list_label_rows_v2()}
    image = rows["one.png"]
    image.initialise_labels()
    box = image.ontology_structure.get_child_by_title("Box", type_=Object).create_instance()
    box.set_for_frames(BoundingBoxCoordinates(height=0.2, width=0.2, top_left_x=0.1, top_left_y=0.1), frames=0)
    image.add_object_instance(box)
    image.save()
    group = rows["group"]
    group.initialise_labels()
    sharp = group.ontology_structure.get_child_by_title("Sharp?", type_=Classification).create_instance()
    sharp.set_answer(group.ontology_structure.get_child_by_title("Yes"))
    sharp.set_for_frames(1)
    group.add_classification_instance(sharp)
    group.save()
    return emulator, client, project, image, group, box.object_hash, sharp.classification_hash


@pytest.fixture
def active(encord_emulator):
    return build_project(encord_emulator)


@pytest.fixture
def active_both_modes(emulator):
    return build_project(emulator)


def as_stranger(emulator, project: Project) -> Project:
    """The project object as held by a user who is not one of its members."""
    stranger = emulator.user_client("stranger@example.com")
    project_client = copy.copy(project._client)
    project_client._api_client = stranger._api_client
    return Project(project_client, project._project_instance, project._ontology_internal, stranger._api_client)


def test_project_collections_are_created_got_listed_updated_and_deleted(active_both_modes):
    emulator, client, project, *_ = active_both_modes
    frames = project.create_collection("Frames", "frames to review")
    labels = project.create_collection("Labels", collection_type=ProjectCollectionType.LABEL)
    assert (frames.name, frames.description, frames.collection_type) == (
        "Frames", "frames to review", ProjectCollectionType.FRAME)
    assert (labels.collection_type, str(labels.project_hash)) == (ProjectCollectionType.LABEL, project.project_hash)
    assert [c.name for c in project.list_collections()] == ["Frames", "Labels"]
    assert [c.name for c in project.list_collections(collection_uuids=[labels.uuid])] == ["Labels"]
    frames.update_collection(description="reviewed")
    again = project.get_collection(str(frames.uuid))
    assert (again.name, again.description) == ("Frames", "reviewed")
    project.delete_collection(labels.uuid)
    assert [c.name for c in project.list_collections()] == ["Frames"]
    with pytest.raises(AuthorisationError) as e:
        project.get_collection(labels.uuid)
    assert e.value.message == "No collection found"


def test_frames_are_collected_listed_and_removed(active_both_modes):
    emulator, client, project, image, group, *_ = active_both_modes
    frames = project.create_collection("Frames")
    result = frames.add_items([Frame(data_uuid=image.data_hash, frame=0), Frame(data_uuid=group.data_hash, frame=1),
                               Frame(data_uuid=image.data_hash, frame=1), Frame(data_uuid=MISSING, frame=0)])
    assert [(i.data_uuid, i.frame) for i in result.failed_items] == [
        (image.data_hash, 1), (MISSING, 0)]  # the image has one frame; no such data unit
    listed = list(frames.list_frames())
    assert [(row.data_title, instances) for row, instances in listed] == [
        ("one.png", [ProjectDataCollectionInstance(frame=0)]), ("group", [ProjectDataCollectionInstance(frame=1)])]
    assert listed[0][0].label_hash == image.label_hash
    assert frames.remove_items([Frame(data_uuid=image.data_hash, frame=0),
                                Frame(data_uuid=group.data_hash, frame=0)]).failed_items == [
        Frame(data_uuid=group.data_hash, frame=0)]
    assert [row.data_title for row, _ in frames.list_frames()] == ["group"]
    with pytest.raises(InvalidArgumentsError) as e:
        list(frames.list_annotations())
    assert e.value.message == f"getLabels: collection {frames.uuid} is a frame collection; it holds no labels."


def test_annotations_are_collected_from_the_saved_labels(active):
    emulator, client, project, image, group, box_hash, sharp_hash = active
    labels = project.create_collection("Labels", collection_type=ProjectCollectionType.LABEL)
    result = labels.add_items([Annotation(data_uuid=image.data_hash, frame=0, annotation_id=box_hash),
                               Annotation(data_uuid=group.data_hash, frame=1, annotation_id=sharp_hash),
                               Annotation(data_uuid=group.data_hash, frame=0, annotation_id=sharp_hash),
                               Annotation(data_uuid=image.data_hash, frame=0, annotation_id="notthere"),
                               Frame(data_uuid=image.data_hash, frame=0)])
    assert [(i.frame, getattr(i, "annotation_id", None)) for i in result.failed_items] == [
        (0, sharp_hash), (0, "notthere"), (0, None)]  # not on that frame, no such annotation, a frame alone
    assert [(row.data_title, instances) for row, instances in labels.list_annotations()] == [
        ("one.png", [ProjectLabelCollectionInstance(frame=0, annotation_id=box_hash)]),
        ("group", [ProjectLabelCollectionInstance(frame=1, annotation_id=sharp_hash)])]
    assert [instances for _, instances in labels.list_frames()] == [
        [ProjectDataCollectionInstance(frame=0)], [ProjectDataCollectionInstance(frame=1)]]
    frames = project.create_collection("Frames")
    assert len(frames.add_items([Annotation(data_uuid=image.data_hash, frame=0, annotation_id=box_hash)]).failed_items
               ) == 1  # a frame collection holds frames, not labels
    assert list(frames.list_frames()) == []


def test_collections_of_another_users_project_or_unknown_are_refused(active):
    emulator, client, project, image, *_ = active
    frames = project.create_collection("Frames")
    stranger_project = as_stranger(emulator, project)
    for act in (lambda: list(stranger_project.list_collections()), lambda: stranger_project.create_collection("X"),
                lambda: stranger_project.delete_collection(frames.uuid),
                lambda: list(stranger_project.list_filter_presets())):
        with pytest.raises(AuthorisationError) as e:
            act()
        assert e.value.message == f"You are not authorised to access the project {project.project_hash}."
    with pytest.raises(ResourceNotFoundError) as e:
        project.delete_collection(MISSING)
    assert e.value.message == NOT_FOUND
    other = client.get_project(client.create_project("Other", [], ontology_hash=project.ontology_hash))
    with pytest.raises(ResourceNotFoundError):
        other.delete_collection(frames.uuid)  # a collection is its own project's
    assert [c.name for c in project.list_collections()] == ["Frames"]


def camera(include: bool, *values: str) -> ActiveFilterPresetDefinition:
    """A preset of one client metadata filter, in the form Encord's documentation shows."""
    return ActiveFilterPresetDefinition(global_filters=FilterDefinition(filters=[
        {"key": "camera", "include": include, "values": list(values), "type": "string"}]))


def test_a_presets_client_metadata_filter_collects_the_frames_and_labels_of_matching_units(active_both_modes):
    emulator, client, project, image, group, box_hash, sharp_hash = active_both_modes
    south = project.create_filter_preset("South", camera(True, "south"))
    frames = project.create_collection("Frames")
    frames.add_preset_items(south.uuid)
    assert [(row.data_title, instances) for row, instances in frames.list_frames()] == [
        ("group", [ProjectDataCollectionInstance(frame=0), ProjectDataCollectionInstance(frame=1)])]
    labels = project.create_collection("Labels", collection_type=ProjectCollectionType.LABEL)
    labels.add_preset_items(project.create_filter_preset("Not south", camera(False, "south")).uuid)
    assert [(row.data_title, instances) for row, instances in labels.list_annotations()] == [
        ("one.png", [ProjectLabelCollectionInstance(frame=0, annotation_id=box_hash)])]
    frames.remove_preset_items(south.uuid)
    assert list(frames.list_frames()) == []


def test_a_project_preset_filter_of_an_unpublished_form_is_refused(active):
    emulator, client, project, *_ = active
    frames = project.create_collection("Frames")
    with pytest.raises(InvalidArgumentsError) as e:
        frames.add_preset_items(project.create_filter_preset("By frame", FILTERS).uuid)
    assert e.value.message == (
        'filter 0 of the preset, {"key": "frame"}, is not one the emulator applies: it applies client metadata '
        'filters ({"key", "include", "values", "type"}, as Encord\'s documentation shows them); the rest of the '
        "filter language is not published.")
    assert list(frames.list_frames()) == []


def test_project_filter_presets_are_created_got_listed_updated_and_deleted(active_both_modes):
    emulator, client, project, *_ = active_both_modes
    preset = project.create_filter_preset("Frames", FILTERS)
    other = project.create_filter_preset("Other", FILTERS)
    assert (preset.name, str(preset.project_hash)) == ("Frames", project.project_hash)
    assert [p.name for p in project.list_filter_presets()] == ["Frames", "Other"]
    assert [p.name for p in project.list_filter_presets(filter_preset_uuids=[other.uuid])] == ["Other"]
    assert preset.get_filter_preset_json() == FILTERS
    wider = ActiveFilterPresetDefinition(local_filters={}, global_filters=FilterDefinition(filters=[{"key": "w"}]))
    preset.update_preset(name="Wide frames", filter_preset=wider)
    again = project.get_filter_preset(preset.uuid)
    assert (again.name, again.get_filter_preset_json()) == ("Wide frames", wider)
    project.delete_filter_preset(other.uuid)
    assert [p.name for p in project.list_filter_presets()] == ["Wide frames"]
    with pytest.raises(AuthorisationError) as e:
        project.get_filter_preset(other.uuid)
    assert e.value.message == "No Project preset found"
    with pytest.raises(ResourceNotFoundError) as e:
        project.delete_filter_preset(UUID(MISSING))
    assert e.value.message == NOT_FOUND


def test_a_project_is_imported_into_active_and_synced(active_both_modes):
    emulator, client, project, *_ = active_both_modes
    with pytest.raises(InvalidArgumentsError) as e:
        project.active_sync()
    assert e.value.message == (f"Project {project.project_hash} has not been imported into Active; import it first "
                               "(Project.active_import).")
    project.active_import(ActiveProjectMode.METRIC, video_sampling_rate=2.0)
    imported = emulator.state()["tables"]["active_import"][project.project_hash]
    assert (imported["project_mode"], imported["video_sampling_rate"], imported["imported_by"],
            imported["synced_at"]) == ("metric", 2.0, "active@example.com", None)
    project.active_sync()
    assert emulator.state()["tables"]["active_import"][project.project_hash]["synced_at"] is not None


def test_only_an_admin_imports_a_project_into_active(active):
    emulator, client, project, *_ = active
    annotator = emulator.user_client("annotator@example.com")
    project.add_users(["annotator@example.com"], ProjectUserRole.ANNOTATOR)
    theirs = annotator.get_project(project.project_hash)
    for act in (lambda: theirs.active_import(ActiveProjectMode.DATA), theirs.active_sync):
        with pytest.raises(AuthorisationError) as e:
            act()
        assert e.value.message == (f"Only an admin of project {project.project_hash} may import it into Active "
                                   "or sync it.")
    assert project.project_hash not in emulator.state()["tables"].get("active_import", {})
