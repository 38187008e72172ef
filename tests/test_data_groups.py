"""Data groups through the real SDK, as Encord's Data Groups documentation walks a user through them: items of a
folder grouped with a grid, carousel or custom layout, the groups' child items and layouts read back, the groups
linked to a dataset as data rows."""

import json
from uuid import UUID

import media_factory as mf
import pytest
from encord.constants.enums import DataType
from encord.exceptions import AuthorisationError, CorruptedLabelError, InvalidArgumentsError, ResourceNotFoundError
from encord.objects import Object, OntologyStructure, Shape
from encord.objects.coordinates import BoundingBoxCoordinates
from encord.orm.dataset import DataLinkDuplicatesBehavior, DatasetUserRole, StorageLocation
from encord.orm.group_layout import DataUnitTile, LayoutGrid, LayoutSettings, TileSettings
from encord.orm.storage import (DataGroupCarousel, DataGroupCustom, DataGroupGrid, JobStatus, SidecarMatcherSuffix,
                                StorageItemType)
from wire_tools import body_bytes, set_body, sign_v1

BUCKET = "group-bucket"
MISSING = UUID("00000000-0000-0000-0000-000000000000")
OWNER = "grouper@example.com"


@pytest.fixture
def grouped(emulator):
    return _setup(emulator)


@pytest.fixture
def grouped_in_process(encord_emulator):
    return _setup(encord_emulator)


def _setup(emulator):
    """A folder holding three images (their item uuids by name)."""
    client = emulator.user_client(OWNER)
    integration = emulator.add_integration("groups", "GCP", [BUCKET])
    folder = client.create_storage_folder("Group folder")
    for name in ("a.png", "b.png", "c.png"):
        emulator.put_object(BUCKET, name, mf.png(16, 12))
    job = folder.add_private_data_to_folder_start(
        integration["id"], {"images": [{"objectUrl": f"gs://{BUCKET}/{n}", "title": n} for n in ("a.png", "b.png", "c.png")]})
    result = folder.add_private_data_to_folder_get_result(job, timeout_seconds=30)
    return emulator, client, folder, {i.name: i.item_uuid for i in result.items_with_names}


def test_a_grid_data_group_holds_its_items_in_order(grouped):
    emulator, client, folder, uuids = grouped
    group_uuid = folder.create_data_group(DataGroupGrid(layout_contents=[uuids["b.png"], uuids["a.png"]],
                                                        name="pair", client_metadata={"site": "north"}))
    group = client.get_storage_item(group_uuid)
    assert (group.item_type, group.name, group.client_metadata) == (StorageItemType.GROUP, "pair", {"site": "north"})
    assert group.parent_folder_uuid == folder.uuid
    assert [c.name for c in group.get_child_items()] == ["b.png", "a.png"]
    contents = group.get_summary().data_group.layout_contents
    assert {key: child.uuid for key, child in contents.items()} == {"0": uuids["b.png"], "1": uuids["a.png"]}
    assert [i.name for i in folder.list_items(item_types=[StorageItemType.GROUP])] == ["pair"]


def test_many_groups_at_once_and_a_custom_layout_kept_as_sent(grouped_in_process):
    emulator, client, folder, uuids = grouped_in_process
    layout = LayoutGrid(direction="row", first=DataUnitTile(key="left"), second=DataUnitTile(key="right"),
                        split_percentage=30)
    settings = LayoutSettings(fixed_layout=True, tile_settings={"left": TileSettings(title="Before")})
    carousel, custom = folder.create_data_groups([
        [uuids["a.png"], uuids["b.png"], uuids["c.png"]],
        DataGroupCustom(layout_contents={"left": uuids["a.png"], "right": uuids["c.png"]}, layout=layout,
                        timeline=["left"], settings=settings, name="custom")])
    assert [c.name for c in client.get_storage_item(carousel).get_child_items()] == ["a.png", "b.png", "c.png"]
    info = client.get_storage_item(custom).get_summary().data_group
    assert info.layout == layout
    assert info.layout_settings == settings
    assert info.timeline == ["left"]
    assert {k: v.uuid for k, v in info.layout_contents.items()} == {"left": uuids["a.png"], "right": uuids["c.png"]}
    assert client.get_storage_item(uuids["a.png"]).get_child_items() == []


def test_a_group_refused_creates_none_of_the_groups_asked(grouped_in_process):
    emulator, client, folder, uuids = grouped_in_process
    with pytest.raises(ResourceNotFoundError) as e:
        folder.create_data_groups([[uuids["a.png"]], [uuids["b.png"], MISSING]])
    assert e.value.message == "The requested resource was not found."
    with pytest.raises(InvalidArgumentsError) as e:
        folder.create_data_group(DataGroupCarousel(layout_contents=[]))
    assert e.value.message == "Data group 0: layoutContents holds 0 items; a data group holds 1 to 50 items."
    with pytest.raises(InvalidArgumentsError) as e:
        folder.create_data_group([uuids["a.png"]] * 51)
    assert e.value.message == "Data group 0: layoutContents holds 51 items; a data group holds 1 to 50 items."
    with pytest.raises(InvalidArgumentsError) as e:
        folder.create_data_groups([[uuids["a.png"]], DataGroupCustom(
            layout_contents={"left": uuids["a.png"]}, layout=DataUnitTile(key="right"))])
    assert e.value.message == "Data group 1: layout names key 'right', which layoutContents does not hold."
    assert list(folder.list_items(item_types=[StorageItemType.GROUP])) == []
    group_uuid = folder.create_data_group([uuids["a.png"]])
    with pytest.raises(InvalidArgumentsError) as e:
        folder.create_data_group([uuids["b.png"], group_uuid])
    assert e.value.message == f"Storage item {group_uuid} is a data group; a data group cannot hold another one."


def test_another_users_items_cannot_be_grouped(grouped_in_process):
    emulator, client, folder, uuids = grouped_in_process
    stranger_folder = emulator.user_client("stranger@example.com").create_storage_folder("Theirs")
    with pytest.raises(AuthorisationError) as e:
        stranger_folder.create_data_group([uuids["a.png"]])
    assert e.value.message == f"You are not authorised to access the storage folder {folder.uuid}."
    with pytest.raises(AuthorisationError) as e:
        emulator.user_client("stranger@example.com").get_storage_folder(folder.uuid)
    assert e.value.message == f"You are not authorised to access the storage folder {folder.uuid}."


def test_groups_and_items_link_to_a_dataset_as_data_rows(grouped):
    emulator, client, folder, uuids = grouped
    group_uuid = folder.create_data_group(DataGroupGrid(layout_contents=[uuids["a.png"], uuids["b.png"]], name="g"))
    dataset = client.get_dataset(client.create_dataset("Grouped", StorageLocation.GCP).dataset_hash)
    rows = dataset.link_items([group_uuid, uuids["c.png"]])
    assert [(r.title, r.data_type.value, r.backing_item_uuid) for r in rows] == [
        ("g", "group", group_uuid), ("c.png", "image", uuids["c.png"])]
    assert client.get_storage_item(group_uuid).get_summary().used_in_datasets == 1
    assert dataset.link_items([group_uuid]) == []  # SKIP: already in the dataset
    again = dataset.link_items([group_uuid], DataLinkDuplicatesBehavior.DUPLICATE)
    assert len(again) == 1 and again[0].uid != rows[0].uid
    with pytest.raises(InvalidArgumentsError) as e:
        dataset.link_items([uuids["a.png"], group_uuid], DataLinkDuplicatesBehavior.FAIL)
    assert e.value.message == (f"Storage item {group_uuid} is already linked to dataset {dataset.dataset_hash}; link "
                               f"it with the DUPLICATE or SKIP behaviour to add it again or leave it.")
    dataset.refetch_data()
    assert sorted(r.title for r in dataset.data_rows) == ["c.png", "g", "g"]
    assert [i.name for i in folder.list_items(is_in_dataset=True)] == ["c.png", "g"]


def test_linking_unknown_or_another_users_items_adds_nothing(grouped_in_process):
    emulator, client, folder, uuids = grouped_in_process
    dataset = client.get_dataset(client.create_dataset("Grouped", StorageLocation.GCP).dataset_hash)
    with pytest.raises(AuthorisationError) as e:
        dataset.link_items([uuids["a.png"], MISSING])
    assert e.value.message == "You are not authorised to access this asset."
    stranger = emulator.user_client("stranger@example.com")
    theirs = stranger.get_dataset(stranger.create_dataset("Theirs", StorageLocation.GCP).dataset_hash)
    with pytest.raises(AuthorisationError) as e:
        theirs.link_items([uuids["a.png"]])
    assert e.value.message == "You are not authorised to access this asset."
    dataset.refetch_data()
    assert dataset.data_rows == []


def _grouped_project(emulator, client, folder, uuids):
    """A data group of two images, linked to a dataset of a project whose ontology has a bounding box."""
    structure = OntologyStructure()
    structure.add_object("Cherry", Shape.BOUNDING_BOX)
    group_uuid = folder.create_data_group(DataGroupCustom(
        layout_contents={"left": uuids["a.png"], "right": uuids["b.png"]},
        layout=LayoutGrid(direction="row", first=DataUnitTile(key="left"), second=DataUnitTile(key="right"),
                          split_percentage=50), name="pair"))
    dataset = client.get_dataset(client.create_dataset("Grouped", StorageLocation.GCP).dataset_hash)
    dataset.link_items([group_uuid])
    ontology = client.create_ontology("Fruit", structure=structure)
    project = client.get_project(client.create_project("Grouped", [dataset.dataset_hash],
                                                       ontology_hash=ontology.ontology_hash))
    return project, structure.get_child_by_title("Cherry", type_=Object)


def test_a_data_groups_label_row_labels_its_children_and_saves(grouped):
    emulator, client, folder, uuids = grouped
    project, cherry = _grouped_project(emulator, client, folder, uuids)
    [label_row] = project.list_label_rows_v2()
    assert (label_row.data_title, label_row.data_type) == ("pair", DataType.GROUP)
    label_row.initialise_labels()
    right = label_row.get_space(layout_key="right", type_="image")
    instance = cherry.create_instance()
    right.put_object_instance(instance, coordinates=BoundingBoxCoordinates(height=0.5, width=0.5, top_left_x=0.1,
                                                                            top_left_y=0.2))
    label_row.save()
    [again] = project.list_label_rows_v2()
    again.initialise_labels()
    assert [o.object_hash for o in again.get_space(layout_key="right", type_="image").get_object_instances()] == [
        instance.object_hash]
    assert again.get_space(layout_key="left", type_="image").get_object_instances() == []


def test_a_data_groups_labels_outside_its_spaces_are_refused(grouped_in_process, forger):
    emulator, client, folder, uuids = grouped_in_process
    project, cherry = _grouped_project(emulator, client, folder, uuids)
    [label_row] = project.list_label_rows_v2()
    label_row.initialise_labels()
    label_row.get_space(layout_key="left", type_="image").put_object_instance(
        cherry.create_instance(), coordinates=BoundingBoxCoordinates(height=0.5, width=0.5, top_left_x=0, top_left_y=0))
    user = emulator._users[OWNER]

    def forge(change):
        def send(req):
            body = json.loads(body_bytes(req))
            change(body["values"]["payload"]["labels"][0]["spaces"])
            set_body(req, json.dumps(body).encode())
            sign_v1(req, user.private_key)
        return send

    forger.intercept(forge(lambda spaces: spaces.update({str(MISSING): spaces.pop(str(uuids["a.png"]))})),
                     path="^/public$")
    with pytest.raises(CorruptedLabelError) as e:
        label_row.save()
    assert e.value.message == f"The label blurb is corrupted.\nspaces: {MISSING} is not a space of this data row."
    forger._monkeypatch.undo()
    forger.intercept(forge(lambda spaces: spaces[str(uuids["a.png"])]["labels"].update(
        {"1": spaces[str(uuids["a.png"])]["labels"].pop("0")})), path="^/public$")
    with pytest.raises(CorruptedLabelError) as e:
        label_row.save()
    assert e.value.message == (f"The label blurb is corrupted.\nspaces/{uuids['a.png']}/labels: frame 1 is outside "
                               f"the media (it has 1 frames).")
    forger._monkeypatch.undo()
    [again] = project.list_label_rows_v2()
    again.initialise_labels()
    assert again.get_space(layout_key="left", type_="image").get_object_instances() == []


def test_metadata_ingestion_is_enabled_in_the_folder_config_by_its_admins(grouped):
    emulator, client, folder, uuids = grouped
    assert folder.get_folder_config().metadata_ingestion is None
    folder.enable_metadata_ingestion(SidecarMatcherSuffix(suffix=".meta.json"), paused=True)
    config = client.get_storage_folder(folder.uuid).get_folder_config().metadata_ingestion
    assert (config.matcher.suffix, config.paused) == (".meta.json", True)
    reader = emulator.user_client("reader@example.com")
    dataset = client.get_dataset(client.create_dataset("Shared", StorageLocation.GCP).dataset_hash)
    dataset.add_users(["reader@example.com"], DatasetUserRole.USER)
    shared = reader.get_storage_folder(dataset.backing_folder_uuid)
    assert shared.get_folder_config().metadata_ingestion is None
    with pytest.raises(AuthorisationError) as e:
        shared.enable_metadata_ingestion()
    assert e.value.message == (f"Only an admin of the storage folder {dataset.backing_folder_uuid} may change its "
                               f"configuration.")


def test_videos_are_re_encoded_at_once_and_other_items_are_refused(grouped_in_process):
    emulator, client, folder, uuids = grouped_in_process
    emulator.put_object(BUCKET, "v.mp4", mf.mp4(32, 24, fps=5, frames=5))
    job = folder.add_private_data_to_folder_start(emulator.add_integration("videos", "GCP", [BUCKET])["id"], {
        "videos": [{"objectUrl": f"gs://{BUCKET}/v.mp4", "title": "v.mp4"}]})
    video_uuid = folder.add_private_data_to_folder_get_result(job, timeout_seconds=30).items_with_names[0].item_uuid
    process = folder.re_encode_videos([video_uuid], "nightly", force_full_reencoding=False)
    assert folder.get_re_encoding_status(process).status == JobStatus.DONE
    with pytest.raises(InvalidArgumentsError) as e:
        folder.re_encode_videos([video_uuid, uuids["a.png"]], "nightly", force_full_reencoding=True)
    assert e.value.message == f"Storage item {uuids['a.png']} is of type image; only videos are re-encoded."
    stranger = emulator.user_client("stranger@example.com").create_storage_folder("Theirs")
    with pytest.raises(ResourceNotFoundError) as e:
        stranger.get_re_encoding_status(process)
    assert e.value.message == "The requested resource was not found."


def test_a_datasets_videos_are_re_encoded_at_once(grouped_in_process):
    emulator, client, folder, uuids = grouped_in_process
    emulator.put_object(BUCKET, "v.mp4", mf.mp4(32, 24, fps=5, frames=5))
    dataset = client.get_dataset(client.create_dataset("Videos", StorageLocation.GCP).dataset_hash)
    dataset.add_private_data_to_dataset(emulator.add_integration("videos", "GCP", [BUCKET])["id"], {
        "videos": [{"objectUrl": f"gs://{BUCKET}/v.mp4", "title": "v.mp4"}],
        "images": [{"objectUrl": f"gs://{BUCKET}/a.png", "title": "a.png"}]})
    rows = {r.title: r.uid for r in dataset.list_data_rows()}
    job_id = dataset.re_encode_data([rows["v.mp4"]])
    task = dataset.re_encode_data_status(job_id)
    assert task.status == "DONE"
    assert [(r.data_hash, r.bucket_path, r.signed_url) for r in task.result] == [
        (rows["v.mp4"], f"gs://{BUCKET}/v.mp4", None)]
    with pytest.raises(InvalidArgumentsError) as e:
        dataset.re_encode_data([rows["v.mp4"], rows["a.png"]])
    assert e.value.message == f"Data row {rows['a.png']} is of type IMAGE; only videos are re-encoded."
    with pytest.raises(ResourceNotFoundError) as e:
        dataset.re_encode_data_status(job_id + 1)
    assert e.value.message == f"Re-encoding task {job_id + 1} does not exist in this dataset."
