"""Searching storage, moving folders and items, folder and item summaries and bundled updates, through the real
SDK."""

from uuid import UUID

import media_factory as mf
import pytest
from encord.exceptions import AuthorisationError, InvalidArgumentsError, ResourceNotFoundError
from encord.http.bundle import Bundle
from encord.orm.dataset import StorageLocation
from encord.orm.storage import FoldersSortBy, StorageItemType
from encord.storage import StorageFolder, StorageItem

BUCKET = "search-bucket"
MISSING = "00000000-0000-0000-0000-000000000000"
NOT_FOUND = "The requested resource was not found."


def names(listed) -> list[str]:
    return [x.name for x in listed]


def upload(folder: StorageFolder, integration: dict, *keys: str) -> list[StorageItem]:
    job = folder.add_private_data_to_folder_start(integration["id"], {"images": [
        {"objectUrl": f"gs://{BUCKET}/{key}", "title": key} for key in keys]})
    landed = folder.add_private_data_to_folder_get_result(job, timeout_seconds=30).items_with_names
    return [StorageItem._get_item(folder._api_client, UUID(str(i.item_uuid)), False) for i in landed]


@pytest.fixture
def shelves(encord_emulator):
    """Top: Shelf (cat.png, dog.png; Lower holds cow.png) and Other (cat-2.png)."""
    return build_shelves(encord_emulator)


@pytest.fixture
def shelves_both_modes(emulator):
    return build_shelves(emulator)


def build_shelves(emulator):
    client = emulator.user_client("shelves@example.com")
    integration = emulator.add_integration("shelves", "GCP", [BUCKET])
    for key, size in (("cat.png", 4), ("dog.png", 6), ("cow.png", 8), ("cat-2.png", 10)):
        emulator.put_object(BUCKET, key, mf.png(size, size))
    shelf = client.create_storage_folder("Shelf")
    lower = shelf.create_subfolder("Lower")
    other = client.create_storage_folder("Other")
    cat, dog = upload(shelf, integration, "cat.png", "dog.png")
    [cow] = upload(lower, integration, "cow.png")
    [cat2] = upload(other, integration, "cat-2.png")
    return emulator, client, integration, shelf, lower, other, {i.name: i for i in (cat, dog, cow, cat2)}


# -- searching ----------------------------------------------------------------------------------------------------------

def test_find_storage_folders_searches_every_level(shelves_both_modes):
    emulator, client, _, shelf, lower, *_ = shelves_both_modes
    emulator.user_client("stranger@example.com").create_storage_folder("Lower shelf of a stranger")
    assert names(client.find_storage_folders()) == ["Lower", "Other", "Shelf"]
    [found] = client.find_storage_folders(search="low")
    assert (found.uuid, found.parent_uuid) == (lower.uuid, shelf.uuid)
    assert names(client.find_storage_folders(order=FoldersSortBy.CREATED_AT, desc=True)) == ["Other", "Lower", "Shelf"]


@pytest.mark.filterwarnings("ignore:find_storage_items is deprecated")
def test_find_storage_items_searches_every_folder_the_user_may_see(shelves_both_modes):
    emulator, client, *_ = shelves_both_modes
    with pytest.warns(DeprecationWarning, match="find_storage_items is deprecated"):
        found = names(client.find_storage_items(search="C"))
    assert found == ["cat-2.png", "cat.png", "cow.png"]
    assert names(client.find_storage_items(item_types=[StorageItemType.IMAGE], desc=True)) == [
        "dog.png", "cow.png", "cat.png", "cat-2.png"]
    assert names(client.find_storage_items(item_types=[StorageItemType.VIDEO])) == []
    assert names(emulator.user_client("stranger@example.com").find_storage_items(search="cat")) == []
    with pytest.raises(ValueError) as e:
        list(client.find_storage_items())
    assert str(e.value) == "At least one of 'search' or 'item_types' must be provided."


def test_find_items_searches_a_folder_and_its_subfolders(shelves):
    emulator, client, _, shelf, lower, other, items = shelves
    assert names(shelf.find_items(search="c")) == ["cat.png", "cow.png"]
    assert names(shelf.list_items(search="c")) == ["cat.png"]  # listing stays in the folder
    assert names(lower.find_items(item_types=[StorageItemType.IMAGE])) == ["cow.png"]
    assert names(shelf.find_items(search="c", is_in_dataset=True)) == []


@pytest.mark.filterwarnings("ignore:find_storage_items is deprecated")
def test_searching_with_org_access_is_refused_as_not_emulated(shelves):
    emulator, client, *_ = shelves
    with pytest.raises(InvalidArgumentsError) as e:
        list(client.find_storage_items(search="cat", org_access=True))
    assert e.value.message == "includeOrgAccess: organisation-wide access is not emulated"


# -- moving items -------------------------------------------------------------------------------------------------------

def test_move_items_to_folder_and_item_move_to_folder_move_items(shelves_both_modes):
    emulator, client, _, shelf, lower, other, items = shelves_both_modes
    shelf.move_items_to_folder(other, [items["cat.png"], items["dog.png"].uuid])
    assert names(shelf.list_items()) == []
    assert names(other.list_items()) == ["cat-2.png", "cat.png", "dog.png"]
    cow = items["cow.png"]
    cow.move_to_folder(shelf.uuid)
    assert cow.parent_folder_uuid == shelf.uuid  # the SDK refetches the item after the move
    assert names(shelf.list_items()) == ["cow.png"] and names(lower.list_items()) == []


def test_moving_items_that_are_not_the_folders_unknown_or_anothers_is_refused_and_moves_none(shelves):
    emulator, client, _, shelf, lower, other, items = shelves
    with pytest.raises(ResourceNotFoundError) as e:
        shelf.move_items_to_folder(other, [items["cat.png"].uuid, items["cow.png"].uuid])  # cow is Lower's
    assert e.value.message == NOT_FOUND
    with pytest.raises(ResourceNotFoundError) as e:
        shelf.move_items_to_folder(UUID(MISSING), [items["cat.png"].uuid])
    assert e.value.message == NOT_FOUND
    stranger = emulator.user_client("stranger@example.com")
    theirs = stranger.create_storage_folder("Theirs")
    with pytest.raises(AuthorisationError) as e:
        shelf.move_items_to_folder(theirs.uuid, [items["cat.png"].uuid])
    assert e.value.message == f"You are not authorised to access the storage folder {theirs.uuid}."
    with pytest.raises(AuthorisationError) as e:
        StorageItem(stranger._api_client, items["cat.png"]._orm_item).move_to_folder(theirs.uuid)
    assert e.value.message == f"You are not authorised to access the storage folder {shelf.uuid}."
    assert names(shelf.list_items()) == ["cat.png", "dog.png"]


def test_items_of_a_mirror_dataset_do_not_move_unless_allowed(encord_emulator):
    client = encord_emulator.user_client("mirror@example.com")
    integration = encord_emulator.add_integration("mirror", "GCP", [BUCKET])
    dataset = client.get_dataset(client.create_dataset("Mirror", StorageLocation.GCP).dataset_hash)
    encord_emulator.put_object(BUCKET, "m.png", mf.png())
    dataset.add_private_data_to_dataset(integration["id"], {"images": [{"objectUrl": f"gs://{BUCKET}/m.png"}]})
    [row] = client.get_dataset(dataset.dataset_hash).data_rows
    item = client.get_storage_item(row.backing_item_uuid)
    mirror = item.parent_folder()
    elsewhere = client.create_storage_folder("Elsewhere")
    with pytest.raises(InvalidArgumentsError) as e:
        item.move_to_folder(elsewhere)
    assert e.value.message == (f"Storage folder {mirror.uuid} is mirrored by dataset {dataset.dataset_hash}: moving "
                               f"items out of or into it changes the dataset's data units; allow mirror dataset "
                               f"changes to move them.")
    with pytest.raises(InvalidArgumentsError) as e:
        item.move_to_folder(elsewhere, allow_mirror_dataset_changes=True)
    assert e.value.message == (f"allowSyncedDatasetMove: changing the data units of mirror dataset "
                               f"{dataset.dataset_hash} by a move is not emulated.")
    assert client.get_storage_item(item.uuid).parent_folder_uuid == mirror.uuid


# -- moving folders -----------------------------------------------------------------------------------------------------

def test_folder_move_to_folder_moves_it_and_back_to_the_top_level(shelves_both_modes):
    emulator, client, _, shelf, lower, other, items = shelves_both_modes
    lower.move_to_folder(other)
    assert (lower.parent_uuid, [p.name for p in lower.path_to_root]) == (other.uuid, ["Other", "Lower"])
    assert names(shelf.list_subfolders()) == [] and names(other.list_subfolders()) == ["Lower"]
    assert names(lower.list_items()) == ["cow.png"]  # its items go with it
    lower.move_to_folder(None)
    assert lower.parent_uuid is None
    assert names(client.list_storage_folders()) == ["Lower", "Other", "Shelf"]


def test_a_folder_is_not_moved_into_itself_below_itself_or_into_anothers(shelves):
    emulator, client, _, shelf, lower, other, items = shelves
    with pytest.raises(InvalidArgumentsError) as e:
        shelf.move_to_folder(lower)
    assert e.value.message == (f"Storage folder {shelf.uuid} cannot be moved into {lower.uuid}: that is the folder "
                               f"itself or one of its subfolders.")
    with pytest.raises(InvalidArgumentsError):
        shelf.move_to_folder(shelf.uuid)
    theirs = emulator.user_client("stranger@example.com").create_storage_folder("Theirs")
    with pytest.raises(AuthorisationError) as e:
        shelf.move_to_folder(theirs.uuid)
    assert e.value.message == f"You are not authorised to access the storage folder {theirs.uuid}."
    with pytest.raises(ResourceNotFoundError) as e:
        shelf.move_to_folder(UUID(MISSING))
    assert e.value.message == NOT_FOUND
    assert client.get_storage_folder(shelf.uuid).parent_uuid is None


# -- summaries ----------------------------------------------------------------------------------------------------------

def test_folder_get_summary_counts_what_the_folder_holds(shelves_both_modes):
    emulator, client, _, shelf, lower, other, items = shelves_both_modes
    summary = shelf.get_summary()
    assert (summary.files, summary.folders, summary.images, summary.videos, summary.upload_jobs) == (2, 1, 2, 0, 1)
    assert summary.total_size == items["cat.png"].file_size + items["dog.png"].file_size
    assert (client.create_storage_folder("Empty").get_summary().files, lower.get_summary().folders) == (0, 0)


def test_item_get_summary_names_the_datasets_it_backs(encord_emulator):
    client = encord_emulator.user_client("summary@example.com")
    integration = encord_emulator.add_integration("summary", "GCP", [BUCKET])
    dataset = client.get_dataset(client.create_dataset("Backed", StorageLocation.GCP).dataset_hash)
    encord_emulator.put_object(BUCKET, "s.png", mf.png())
    dataset.add_private_data_to_dataset(integration["id"], {"images": [{"objectUrl": f"gs://{BUCKET}/s.png"}]})
    [row] = client.get_dataset(dataset.dataset_hash).data_rows
    item = client.get_storage_item(row.backing_item_uuid)
    summary = item.get_summary()
    assert (summary.used_in_datasets, summary.frame_in_groups, summary.accessible_group_items) == (1, 0, [])
    [used] = summary.accessible_datasets
    assert (used.dataset_hash, used.title, used.data_hashes) == (dataset.dataset_hash, "Backed", [UUID(row.uid)])
    assert used.backing_folder_uuid == item.parent_folder_uuid


def test_summaries_of_unknown_or_anothers_folders_and_items_are_refused(shelves):
    emulator, client, _, shelf, lower, other, items = shelves
    stranger = emulator.user_client("stranger@example.com")
    with pytest.raises(AuthorisationError) as e:
        StorageFolder(stranger._api_client, shelf._orm_folder).get_summary()
    assert e.value.message == f"You are not authorised to access the storage folder {shelf.uuid}."
    with pytest.raises(AuthorisationError) as e:
        StorageItem(stranger._api_client, items["cat.png"]._orm_item).get_summary()
    assert e.value.message == f"You are not authorised to access the storage folder {shelf.uuid}."
    with pytest.raises(ResourceNotFoundError) as e:
        gone = items["cat.png"]._orm_item.model_copy(update={"uuid": UUID(MISSING)})
        StorageItem(client._api_client, gone).get_summary()
    assert e.value.message == NOT_FOUND
    summary = items["cat.png"].get_summary()
    assert (summary.used_in_datasets, summary.accessible_datasets) == (0, [])


# -- bundled updates ----------------------------------------------------------------------------------------------------

def test_bundled_folder_and_item_updates_change_each_in_one_call(shelves_both_modes):
    emulator, client, _, shelf, lower, other, items = shelves_both_modes
    with Bundle() as bundle:
        shelf.update(name="Top shelf", bundle=bundle)
        other.update(description="the other one", client_metadata={"k": 1}, bundle=bundle)
    assert (shelf.name, other.description, other.client_metadata) == ("Top shelf", "the other one", {"k": 1})
    with Bundle() as bundle:
        items["cat.png"].update(name="kitten.png", bundle=bundle)
        items["cow.png"].update(client_metadata={"moo": True}, bundle=bundle)
    assert items["cat.png"].name == "kitten.png"
    assert names(shelf.find_items(search="kitten")) == ["kitten.png"]
    assert client.get_storage_item(items["cow.png"].uuid).client_metadata == {"moo": True}
    assert names(client.list_storage_folders()) == ["Other", "Top shelf"]


def test_a_bundle_touching_anothers_folder_or_item_changes_none(shelves):
    emulator, client, _, shelf, lower, other, items = shelves
    theirs = emulator.user_client("stranger@example.com").create_storage_folder("Theirs")
    with pytest.raises(AuthorisationError) as e:
        with Bundle() as bundle:
            shelf.update(name="Renamed", bundle=bundle)
            StorageFolder(client._api_client, theirs._orm_folder).update(name="Mine", bundle=bundle)
    assert e.value.message == f"You are not authorised to access the storage folder {theirs.uuid}."
    with pytest.raises(ResourceNotFoundError):
        with Bundle() as bundle:
            items["cat.png"].update(name="renamed.png", bundle=bundle)
            StorageItem(client._api_client, items["dog.png"]._orm_item.model_copy(
                update={"uuid": UUID(MISSING)})).update(name="x", bundle=bundle)
    assert client.get_storage_folder(shelf.uuid).name == "Shelf"
    assert client.get_storage_item(items["cat.png"].uuid).name == "cat.png"
