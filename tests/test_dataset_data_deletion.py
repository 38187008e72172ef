"""Removing data units from a dataset through the SDK (``Dataset.delete_data``), as Encord's "Remove Data from
Datasets" page shows: a dataset admin deletes data units by hash, all or none; they leave the projects that hold the
dataset with their label rows; a file Encord hosts is deleted with them, a cloud integration's item stays."""

import pytest
from encord.exceptions import AuthorisationError, ResourceNotFoundError
from encord.orm.dataset import DatasetUserRole, StorageLocation
from encord.orm.project import CopyDatasetAction, CopyDatasetOptions

MISSING = "00000000-0000-0000-0000-000000000000"


def image(title):
    return {"data_title": title, "data_type": "IMAGE", "width": 32, "height": 32}


@pytest.fixture
def labelled(encord_emulator):
    return labelled_dataset(encord_emulator)


def labelled_dataset(emulator):
    """A dataset of a.png and b.png (Encord-hosted) in a project where both have label rows."""
    client = emulator.user_client("admin@example.com")
    created = client.create_dataset("removals", StorageLocation.CORD_STORAGE)
    emulator.register_data_rows(created.dataset_hash, [image("a.png"), image("b.png")])
    project = client.get_project(client.create_project("removals", [created.dataset_hash]))
    for row in project.list_label_rows_v2():
        row.initialise_labels()
        row.save()
    return client, client.get_dataset(created.dataset_hash), project


def rows_by_title(dataset):
    return {r.title: r for r in dataset.data_rows}


def test_deleted_data_leaves_the_dataset_its_projects_and_encord_storage(emulator):
    client, dataset, project = labelled_dataset(emulator)
    a = rows_by_title(dataset)["a.png"]
    dataset.delete_data([a.uid])
    assert set(rows_by_title(client.get_dataset(dataset.dataset_hash))) == {"b.png"}
    [left] = project.list_label_rows_v2()
    assert (left.data_title, left.label_hash is not None) == ("b.png", True)
    with pytest.raises(ResourceNotFoundError) as e:
        client.get_storage_item(a.backing_item_uuid)
    assert e.value.message == "The requested resource was not found."  # the SDK's words for a v2 404


def test_one_hash_is_taken_and_a_cloud_item_stays_in_its_folder(encord_emulator):
    client = encord_emulator.user_client("admin@example.com")
    created = client.create_dataset("on GCP", StorageLocation.GCP)
    integration = encord_emulator.add_integration("gcp", "GCP", ["bucket"])
    encord_emulator.register_data_rows(created.dataset_hash, [image("a.png")], integration["id"])
    dataset = client.get_dataset(created.dataset_hash)
    [a] = dataset.data_rows
    dataset.delete_data(a.uid)
    assert client.get_dataset(created.dataset_hash).data_rows == []
    item = client.get_storage_item(a.backing_item_uuid)
    assert item.name == "a.png"


def test_a_data_unit_a_cloned_copy_still_uses_keeps_its_item(encord_emulator, labelled):
    client, dataset, project = labelled
    a = rows_by_title(dataset)["a.png"]
    copy = client.get_project(project.copy_project(copy_datasets=CopyDatasetOptions(action=CopyDatasetAction.CLONE)))
    dataset.delete_data([a.uid])
    assert client.get_storage_item(a.backing_item_uuid).name == "a.png"
    assert {r.data_title for r in copy.list_label_rows_v2()} == {"a.png", "b.png"}


def test_an_unknown_data_unit_is_not_found_and_nothing_is_deleted(labelled):
    client, dataset, project = labelled
    a = rows_by_title(dataset)["a.png"]
    with pytest.raises(ResourceNotFoundError) as e:
        dataset.delete_data([a.uid, MISSING])
    assert e.value.message == f"Data row {MISSING} does not exist in this dataset."
    assert set(rows_by_title(client.get_dataset(dataset.dataset_hash))) == {"a.png", "b.png"}
    assert sum(r.label_hash is not None for r in project.list_label_rows_v2()) == 2


def test_only_a_dataset_admin_deletes_data(encord_emulator, labelled):
    client, dataset, _ = labelled
    encord_emulator.register_user("reader@example.com")
    dataset.add_users(["reader@example.com"], DatasetUserRole.USER)
    theirs = encord_emulator.user_client("reader@example.com").get_dataset(dataset.dataset_hash)
    with pytest.raises(AuthorisationError) as e:
        theirs.delete_data([rows_by_title(dataset)["a.png"].uid])
    # The SDK shows a legacy call's authorisation error in words of its own.
    assert e.value.message == "You are not authorised to access this asset."
    assert set(rows_by_title(client.get_dataset(dataset.dataset_hash))) == {"a.png", "b.png"}
    outsider = encord_emulator.user_client("outsider@example.com")
    with pytest.raises(AuthorisationError) as e:
        outsider.get_dataset(dataset.dataset_hash)
    assert e.value.message == "You are not authorised to access this asset."
