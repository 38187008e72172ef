"""Managing storage through the real SDK: listing top-level folders and subfolders, updating
and deleting folders and items, getting items in bulk."""

from urllib.parse import parse_qs, urlsplit
from uuid import UUID

import media_factory as mf
import pytest
import requests
from encord.exceptions import AuthorisationError, InvalidArgumentsError, ResourceNotFoundError
from encord.orm.dataset import StorageLocation
from encord.orm.storage import FoldersSortBy
from encord.storage import StorageFolder, StorageItem

MISSING = "00000000-0000-0000-0000-000000000000"
NAME_EMPTY = "/name: '' should be non-empty"


def names(folders) -> list[str]:
    return [f.name for f in folders]


@pytest.fixture
def tree(emulator):
    """Top level: Beta, alpha (with sub-a, sub-b; sub-a holds deep-a), Gamma; and a dataset's backing folder."""
    client = emulator.user_client("tree@example.com")
    beta = client.create_storage_folder("Beta")
    alpha = client.create_storage_folder("alpha")
    client.create_storage_folder("Gamma")
    sub_b = alpha.create_subfolder("sub-b")
    sub_a = alpha.create_subfolder("sub-a")
    sub_a.create_subfolder("deep-a")
    client.create_dataset("Synced", StorageLocation.GCP)
    return emulator, client, alpha, beta, sub_a, sub_b


def test_list_storage_folders_lists_the_users_top_level_folders(tree):
    emulator, client, alpha, beta, *_ = tree
    emulator.user_client("someone-else@example.com").create_storage_folder("Not mine")
    assert names(client.list_storage_folders()) == ["Beta", "Gamma", "Synced", "alpha"]  # by name, as items are
    assert names(client.list_storage_folders(desc=True)) == ["alpha", "Synced", "Gamma", "Beta"]
    assert names(client.list_storage_folders(search="A")) == ["Beta", "Gamma", "alpha"]  # a search ignores case
    assert names(client.list_storage_folders(order=FoldersSortBy.CREATED_AT)) == ["Beta", "alpha", "Gamma", "Synced"]
    assert names(client.list_storage_folders(order=FoldersSortBy.CREATED_AT, desc=True)) == [
        "Synced", "Gamma", "alpha", "Beta"]
    assert names(client.list_storage_folders(dataset_synced=True)) == ["Synced"]
    assert names(client.list_storage_folders(dataset_synced=False)) == ["Beta", "Gamma", "alpha"]
    [listed] = client.list_storage_folders(search="alpha")
    assert (listed.uuid, listed.parent_uuid) == (alpha.uuid, None)


def test_list_subfolders_lists_direct_children_and_find_subfolders_searches_below(tree):
    emulator, client, alpha, beta, sub_a, sub_b = tree
    assert names(alpha.list_subfolders()) == ["sub-a", "sub-b"]
    assert names(alpha.list_subfolders(desc=True)) == ["sub-b", "sub-a"]
    assert names(alpha.list_subfolders(search="-B")) == ["sub-b"]
    assert names(alpha.find_subfolders()) == ["deep-a", "sub-a", "sub-b"]
    assert names(alpha.find_subfolders(search="-a")) == ["deep-a", "sub-a"]
    assert [f.parent_uuid for f in alpha.find_subfolders(search="deep")] == [sub_a.uuid]
    assert names(beta.list_subfolders()) == []
    assert names(alpha.list_subfolders(dataset_synced=True)) == []


def test_folders_come_in_pages_the_sdk_follows(tree, forger):
    emulator, client, alpha, *_ = tree
    forger.intercept(lambda prepared: None, path="/storage/folders$")
    assert names(client.list_storage_folders(page_size=3)) == ["Beta", "Gamma", "Synced", "alpha"]
    tokens = [parse_qs(urlsplit(p.url).query).get("pageToken") for p in forger.seen]
    assert tokens == [None, ["3"]]


def test_listing_subfolders_of_an_unknown_or_anothers_folder_is_refused(tree):
    """A StorageFolder object held by a user who may not see the folder (or after it is gone) is refused."""
    emulator, client, alpha, *_ = tree
    stranger = emulator.user_client("stranger@example.com")
    with pytest.raises(AuthorisationError) as e:
        list(StorageFolder(stranger._api_client, alpha._orm_folder).list_subfolders())
    assert e.value.message == f"You are not authorised to access the storage folder {alpha.uuid}."
    gone = alpha._orm_folder.model_copy(update={"uuid": UUID(MISSING)})
    with pytest.raises(ResourceNotFoundError) as e:
        list(StorageFolder(client._api_client, gone).find_subfolders())
    assert e.value.message == "The requested resource was not found."
    assert names(stranger.list_storage_folders()) == []


def test_a_bad_page_size_is_refused_by_the_sdk(tree):
    emulator, client, *_ = tree
    with pytest.raises(ValueError) as e:
        list(client.list_storage_folders(page_size=1001))
    assert str(e.value) == "page_size should be between 1 and 1000"


def test_org_wide_listing_is_refused_as_not_emulated(tree):
    emulator, client, *_ = tree
    with pytest.raises(InvalidArgumentsError) as e:
        list(client.list_storage_folders(org_access=True))
    assert e.value.message == "includeOrgAccess: organisation-wide access is not emulated"


# -- updating folders and items -----------------------------------------------------------------------------------------

BUCKET = "management-bucket"


@pytest.fixture
def item_setup(emulator):
    client = emulator.user_client("items@example.com")
    integration = emulator.add_integration("management", "GCP", [BUCKET])
    folder = client.create_storage_folder("Items", "holds one image", client_metadata={"team": "a"})
    emulator.put_object(BUCKET, "one.png", mf.png(8, 4))
    job = folder.add_private_data_to_folder_start(integration["id"], {"images": [
        {"objectUrl": f"gs://{BUCKET}/one.png", "title": "one.png", "clientMetadata": {"k": 1}}]})
    [landed] = folder.add_private_data_to_folder_get_result(job, timeout_seconds=30).items_with_names
    return emulator, client, folder, client.get_storage_item(landed.item_uuid)


def test_folder_update_changes_only_what_is_given_and_persists(item_setup):
    emulator, client, folder, _ = item_setup
    folder.update(name="Renamed")
    assert (folder.name, folder.description, folder.client_metadata) == ("Renamed", "holds one image", {"team": "a"})
    folder.update(description="new words", client_metadata={"team": "b", "n": 2})
    again = client.get_storage_folder(folder.uuid)
    assert (again.name, again.description, again.client_metadata) == ("Renamed", "new words", {"team": "b", "n": 2})
    assert names(client.list_storage_folders(search="renamed")) == ["Renamed"]


def test_item_update_changes_only_what_is_given_and_persists(item_setup):
    emulator, client, folder, item = item_setup
    item.update(name="renamed.png")
    assert (item.name, item.client_metadata) == ("renamed.png", {"k": 1})
    item.update(description="an image", client_metadata={"k": 2})
    again = client.get_storage_item(item.uuid)
    assert (again.name, again.description, again.client_metadata) == ("renamed.png", "an image", {"k": 2})
    assert [i.name for i in folder.list_items()] == ["renamed.png"]


def test_updates_with_a_bad_name_or_by_another_user_are_refused(item_setup):
    emulator, client, folder, item = item_setup
    with pytest.raises(InvalidArgumentsError) as e:
        folder.update(name="")
    assert e.value.message == NAME_EMPTY
    with pytest.raises(InvalidArgumentsError) as e:
        item.update(name="")
    assert e.value.message == NAME_EMPTY
    assert (client.get_storage_folder(folder.uuid).name, client.get_storage_item(item.uuid).name) == ("Items", "one.png")
    stranger = emulator.user_client("stranger@example.com")
    with pytest.raises(AuthorisationError) as e:
        StorageFolder(stranger._api_client, folder._orm_folder).update(name="Mine now")
    assert e.value.message == f"You are not authorised to access the storage folder {folder.uuid}."
    with pytest.raises(AuthorisationError) as e:
        StorageItem(stranger._api_client, item._orm_item).update(name="mine.png")
    assert e.value.message == f"You are not authorised to access the storage folder {folder.uuid}."


def test_updating_an_unknown_folder_or_item_is_not_found(item_setup):
    emulator, client, folder, item = item_setup
    with pytest.raises(ResourceNotFoundError) as e:
        StorageFolder(client._api_client, folder._orm_folder.model_copy(update={"uuid": UUID(MISSING)})).update(name="x")
    assert e.value.message == "The requested resource was not found."
    with pytest.raises(ResourceNotFoundError) as e:
        StorageItem(client._api_client, item._orm_item.model_copy(update={"uuid": UUID(MISSING)})).update(name="x")
    assert e.value.message == "The requested resource was not found."
    other = client.create_storage_folder("Other")
    elsewhere = item._orm_item.model_copy(update={"parent": other.uuid})
    with pytest.raises(ResourceNotFoundError) as e:
        StorageItem(client._api_client, elsewhere).update(name="x")  # an item is addressed through its own folder
    assert e.value.message == "The requested resource was not found."


# -- deleting items -----------------------------------------------------------------------------------------------------

def test_item_delete_and_delete_storage_items_remove_items_from_the_folder(item_setup):
    emulator, client, folder, item = item_setup
    emulator.put_object(BUCKET, "two.png", mf.png())
    emulator.put_object(BUCKET, "three.png", mf.png())
    job = folder.add_private_data_to_folder_start(str(item.integration_hash),
                                                  {"images": [{"objectUrl": f"gs://{BUCKET}/two.png"},
                                                              {"objectUrl": f"gs://{BUCKET}/three.png"}]})
    landed = folder.add_private_data_to_folder_get_result(job, timeout_seconds=30).items_with_names
    item.delete()
    assert sorted(i.name for i in folder.list_items()) == ["three.png", "two.png"]
    with pytest.raises(ResourceNotFoundError):
        client.get_storage_item(item.uuid)
    folder.delete_storage_items([i.item_uuid for i in landed], remove_unused_frames=False)
    assert list(folder.list_items()) == []


def test_deleting_unknown_elsewhere_or_anothers_items_is_refused_and_deletes_none(item_setup):
    emulator, client, folder, item = item_setup
    with pytest.raises(ResourceNotFoundError) as e:
        folder.delete_storage_items([item.uuid, UUID(MISSING)])
    assert e.value.message == "The requested resource was not found."
    other = client.create_storage_folder("Other")
    with pytest.raises(ResourceNotFoundError) as e:
        other.delete_storage_items([item.uuid])  # the items must be the folder's own children
    assert e.value.message == "The requested resource was not found."
    with pytest.raises(AuthorisationError) as e:
        StorageItem(emulator.user_client("stranger@example.com")._api_client, item._orm_item).delete()
    assert e.value.message == f"You are not authorised to access the storage folder {folder.uuid}."
    assert [i.uuid for i in folder.list_items()] == [item.uuid]


def test_an_item_backing_a_datasets_data_is_not_deleted(emulator):
    client = emulator.user_client("backed@example.com")
    integration = emulator.add_integration("backed", "GCP", [BUCKET])
    dataset = client.get_dataset(client.create_dataset("Backed", StorageLocation.GCP).dataset_hash)
    emulator.put_object(BUCKET, "backed.png", mf.png())
    dataset.add_private_data_to_dataset(integration["id"], {"images": [{"objectUrl": f"gs://{BUCKET}/backed.png"}]})
    [row] = client.get_dataset(dataset.dataset_hash).data_rows
    item = client.get_storage_item(row.backing_item_uuid)
    with pytest.raises(InvalidArgumentsError) as e:
        item.delete()
    assert e.value.message == (f"Storage item {item.uuid} backs data units of dataset {dataset.dataset_hash}; remove "
                               f"them from the dataset before deleting the item.")
    assert [r.uid for r in client.get_dataset(dataset.dataset_hash).data_rows] == [row.uid]


# -- deleting folders ---------------------------------------------------------------------------------------------------

def test_folder_delete_removes_an_empty_folder(tree):
    emulator, client, alpha, beta, sub_a, sub_b = tree
    sub_b.delete()
    assert names(alpha.list_subfolders()) == ["sub-a"]
    beta.delete()
    assert "Beta" not in names(client.list_storage_folders())
    with pytest.raises(ResourceNotFoundError) as e:
        client.get_storage_folder(beta.uuid)
    assert e.value.message == "The requested resource was not found."


def test_deleting_a_folder_that_holds_something_backs_a_dataset_or_is_anothers_is_refused(tree, item_setup):
    emulator, client, alpha, beta, sub_a, sub_b = tree
    with pytest.raises(InvalidArgumentsError) as e:
        alpha.delete()
    assert e.value.message == (f"Storage folder {alpha.uuid} is not empty: it holds 0 items and 2 folders; "
                               f"delete them first.")
    _, items_client, items_folder, _ = item_setup
    with pytest.raises(InvalidArgumentsError) as e:
        items_folder.delete()
    assert e.value.message == (f"Storage folder {items_folder.uuid} is not empty: it holds 1 items and 0 folders; "
                               f"delete them first.")
    [synced] = client.list_storage_folders(dataset_synced=True)
    with pytest.raises(InvalidArgumentsError) as e:
        synced.delete()
    assert e.value.message.startswith(f"Storage folder {synced.uuid} backs dataset ")
    with pytest.raises(AuthorisationError) as e:
        StorageFolder(items_client._api_client, beta._orm_folder).delete()
    assert e.value.message == f"You are not authorised to access the storage folder {beta.uuid}."
    assert names(client.list_storage_folders()) == ["Beta", "Gamma", "Synced", "alpha"]


# -- getting items in bulk ----------------------------------------------------------------------------------------------

def test_get_storage_items_returns_the_items_asked_and_refuses_unknown_or_anothers(item_setup):
    emulator, client, folder, item = item_setup
    [got] = client.get_storage_items([item.uuid], sign_url=True)
    assert (got.uuid, got.name, got.client_metadata) == (item.uuid, "one.png", {"k": 1})
    assert requests.get(got.get_signed_url(), timeout=10).content == mf.png(8, 4)
    with pytest.raises(AuthorisationError) as e:
        client.get_storage_items([item.uuid, MISSING])
    assert e.value.message == f"You are not authorised to access the storage item {MISSING}."
    with pytest.raises(AuthorisationError) as e:
        emulator.user_client("stranger@example.com").get_storage_items([item.uuid])
    assert e.value.message == f"You are not authorised to access the storage folder {folder.uuid}."
