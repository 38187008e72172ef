"""Data groups through the real SDK, as Encord's Data Groups documentation walks a user through them: items of a
folder grouped with a grid, carousel or custom layout, the groups' child items and layouts read back, the groups
linked to a dataset as data rows."""

from uuid import UUID

import media_factory as mf
import pytest
from encord.exceptions import AuthorisationError, InvalidArgumentsError, ResourceNotFoundError
from encord.orm.dataset import DataLinkDuplicatesBehavior, StorageLocation
from encord.orm.group_layout import DataUnitTile, LayoutGrid, LayoutSettings, TileSettings
from encord.orm.storage import DataGroupCarousel, DataGroupCustom, DataGroupGrid, StorageItemType

BUCKET = "group-bucket"
MISSING = UUID("00000000-0000-0000-0000-000000000000")


@pytest.fixture
def grouped(emulator):
    return _setup(emulator)


@pytest.fixture
def grouped_in_process(encord_emulator):
    return _setup(encord_emulator)


def _setup(emulator):
    """A folder holding three images (their item uuids by name)."""
    client = emulator.user_client()
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
