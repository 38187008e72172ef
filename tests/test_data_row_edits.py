"""Editing a dataset's data through the real SDK, in both modes: ``DataRow.save`` (title, client metadata) and
``Dataset.update_data_item`` (a new title), by a dataset admin only."""

import pytest
from encord.exceptions import AuthorisationError, InvalidArgumentsError, ResourceNotFoundError
from encord.orm.dataset import DatasetAccessSettings, StorageLocation

MISSING = "00000000-0000-0000-0000-000000000000"
WITH_METADATA = DatasetAccessSettings(fetch_client_metadata=True)


def image(title, **extra):
    return {"data_title": title, "data_type": "IMAGE", "width": 64, "height": 48, "file_type": "image/jpeg",
            "file_link": f"s3://bucket/{title}", **extra}


@pytest.fixture
def dataset(emulator):
    client = emulator.user_client("owner@example.com")
    created = client.create_dataset("Edits", StorageLocation.AWS)
    emulator.register_data_rows(created.dataset_hash, [image("a.jpg", client_metadata={"split": "train"}),
                                                       image("b.jpg")])
    return client.get_dataset(created.dataset_hash, dataset_access_settings=WITH_METADATA)


def rows(client, dataset_hash):
    return {r.title: r for r in client.get_dataset(dataset_hash, dataset_access_settings=WITH_METADATA).data_rows}


def test_data_row_save_stores_the_changed_title_and_metadata(emulator, dataset):
    row = next(r for r in dataset.data_rows if r.title == "a.jpg")
    row.title = "renamed.jpg"
    row.client_metadata = {"split": "val", "reviewed": True}
    row.save()
    assert (row.title, row.client_metadata) == ("renamed.jpg", {"split": "val", "reviewed": True})
    client = emulator.user_client("owner@example.com")
    stored = rows(client, dataset.dataset_hash)
    assert set(stored) == {"renamed.jpg", "b.jpg"}
    assert stored["renamed.jpg"].client_metadata == {"split": "val", "reviewed": True}
    # The backing storage item carries the same client metadata.
    item = client.get_storage_item(stored["renamed.jpg"].backing_item_uuid)
    assert item.client_metadata == {"split": "val", "reviewed": True}


def test_update_data_item_renames_the_data_unit(emulator, dataset):
    b = next(r for r in dataset.data_rows if r.title == "b.jpg")
    assert dataset.update_data_item(b.uid, "cherry.jpg") is True
    assert set(rows(emulator.user_client("owner@example.com"), dataset.dataset_hash)) == {"a.jpg", "cherry.jpg"}


def test_an_unknown_data_unit_is_not_found_and_nothing_is_renamed(emulator, dataset):
    with pytest.raises(ResourceNotFoundError) as e:
        dataset.update_data_item(MISSING, "x.jpg")
    assert e.value.message == f"Data row {MISSING} does not exist in this dataset."
    assert set(rows(emulator.user_client("owner@example.com"), dataset.dataset_hash)) == {"a.jpg", "b.jpg"}


def test_a_title_over_300_characters_is_refused_and_the_row_kept(emulator, dataset):
    row = next(r for r in dataset.data_rows if r.title == "a.jpg")
    row.title = "t" * 301
    with pytest.raises(InvalidArgumentsError) as e:
        row.save()
    assert e.value.message == f"title: '{'t' * 40}…' is 301 characters long; at most 300 are supported."
    assert set(rows(emulator.user_client("owner@example.com"), dataset.dataset_hash)) == {"a.jpg", "b.jpg"}


def test_a_dataset_user_who_is_not_admin_may_not_edit(emulator, dataset):
    emulator.register_user("reader@example.com")
    emulator.share("dataset", dataset.dataset_hash, "reader@example.com", role="user")
    as_reader = emulator.user_client("reader@example.com").get_dataset(dataset.dataset_hash)
    with pytest.raises(AuthorisationError) as e:
        as_reader.update_data_item(as_reader.data_rows[0].uid, "x.jpg")
    assert e.value.message == "You are not authorised to access this asset."  # the SDK's own words for the code
    assert set(rows(emulator.user_client("owner@example.com"), dataset.dataset_hash)) == {"a.jpg", "b.jpg"}

