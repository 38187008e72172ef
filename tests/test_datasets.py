"""Datasets and data rows through the real SDK, in both modes."""

from datetime import datetime, timedelta, timezone
from uuid import UUID

import pytest
from encord.constants.enums import DataType
from encord.exceptions import AuthorisationError, InvalidArgumentsError, ResourceNotFoundError
from encord.orm.dataset import DatasetAccessSettings, StorageLocation
from wire_tools import body_bytes, set_body, sign_v1

MISSING = "00000000-0000-0000-0000-000000000000"


def image(title, **extra):
    return {"data_title": title, "data_type": "IMAGE", "width": 64, "height": 48, "file_type": "image/jpeg",
            "file_link": f"s3://bucket/{title}", **extra}


@pytest.fixture
def client(emulator):
    return emulator.user_client("owner@example.com")


def test_create_and_get_dataset(emulator, client):
    created = client.create_dataset("Fruit", StorageLocation.AWS, dataset_description="all the fruit")
    assert created.title == "Fruit" and created.storage_location == StorageLocation.AWS
    dataset = client.get_dataset(created.dataset_hash)
    assert (dataset.dataset_hash, dataset.title, dataset.description) == (created.dataset_hash, "Fruit", "all the fruit")
    assert dataset.storage_location == StorageLocation.CORD_STORAGE  # no data yet: the location is not sent on create
    assert dataset.data_rows == []
    assert dataset.backing_folder_uuid is not None


def test_dataset_reports_the_storage_of_its_data(emulator, client):
    created = client.create_dataset("On GCP", StorageLocation.GCP)
    integration = emulator.add_integration("gcp", "GCP", ["bucket"])
    emulator.register_data_rows(created.dataset_hash, [image("a.jpg")], integration["id"])
    assert client.get_dataset(created.dataset_hash).storage_location == StorageLocation.GCP
    assert client.get_datasets()[0]["dataset"].type == StorageLocation.GCP


def test_get_dataset_without_rows(emulator, client):
    created = client.create_dataset("Rows", StorageLocation.AWS)
    emulator.register_data_rows(created.dataset_hash, [image("a.jpg")])
    dataset = client.get_dataset(created.dataset_hash, include_data_rows=False)
    assert dataset.title == "Rows"
    assert [r.title for r in client.get_dataset(created.dataset_hash).data_rows] == ["a.jpg"]


def test_unknown_dataset_is_not_found(client):
    with pytest.raises(ResourceNotFoundError) as e:
        client.get_dataset(MISSING)
    assert e.value.message == f"Dataset {MISSING} does not exist."


def test_create_dataset_with_an_empty_title_is_refused(client):
    with pytest.raises(InvalidArgumentsError) as e:
        client.create_dataset("", StorageLocation.AWS)
    assert e.value.message == "/title: '' should be non-empty"
    assert client.get_datasets() == []


def test_get_datasets_filters(emulator, client):
    first = client.create_dataset("Apples", StorageLocation.AWS, dataset_description="red fruit")
    client.create_dataset("Apricots", StorageLocation.AWS, dataset_description="orange fruit")
    client.create_dataset("Bananas", StorageLocation.AWS, dataset_description="yellow fruit")

    def titles(**filters):
        return [d["dataset"].title for d in client.get_datasets(**filters)]

    assert titles() == ["Apples", "Apricots", "Bananas"]
    assert titles(title_eq="Apples") == ["Apples"]
    assert titles(title_like="Ap%") == ["Apples", "Apricots"]
    assert titles(title_like="%an_nas") == ["Bananas"]
    assert titles(desc_eq="yellow fruit") == ["Bananas"]
    assert titles(desc_like="%red%") == ["Apples"]
    later = datetime.now(timezone.utc) + timedelta(minutes=1)
    earlier = datetime.now(timezone.utc) - timedelta(minutes=1)
    assert titles(created_before=later) == ["Apples", "Apricots", "Bananas"]
    assert titles(created_after=later) == []
    assert titles(edited_after=earlier, edited_before=later) == ["Apples", "Apricots", "Bananas"]
    listed = client.get_datasets(title_eq="Apples")[0]
    assert listed["dataset"].dataset_hash == first.dataset_hash
    assert listed["user_role"].name == "ADMIN"


def test_datasets_of_other_users_are_not_listed(emulator, client):
    client.create_dataset("Mine", StorageLocation.AWS)
    other = emulator.user_client("other@example.com")
    theirs = other.create_dataset("Theirs", StorageLocation.AWS)
    assert [d["dataset"].title for d in client.get_datasets()] == ["Mine"]
    with pytest.raises(AuthorisationError):
        client.get_dataset(theirs.dataset_hash)


def test_data_rows_carry_their_metadata(emulator, client):
    created = client.create_dataset("Media", StorageLocation.AWS)
    emulator.register_data_rows(created.dataset_hash, [
        image("a.jpg", client_metadata={"split": "train"}, file_size=1234),
        {"data_title": "clip.mp4", "data_type": "VIDEO", "width": 640, "height": 480, "file_type": "video/mp4",
         "frames_per_second": 25.0, "duration": 4.0, "file_link": "s3://bucket/clip.mp4"},
    ])
    rows = {r.title: r for r in client.get_dataset(created.dataset_hash).data_rows}
    assert rows["a.jpg"].data_type == DataType.IMAGE
    assert (rows["a.jpg"].width, rows["a.jpg"].height, rows["a.jpg"].file_size) == (64, 48, 1234)
    assert rows["a.jpg"].client_metadata is None  # only fetched when asked
    assert rows["clip.mp4"].data_type == DataType.VIDEO
    assert (rows["clip.mp4"].frames_per_second, rows["clip.mp4"].duration) == (25.0, 4.0)
    assert rows["clip.mp4"].file_link == "s3://bucket/clip.mp4"
    assert rows["clip.mp4"].backing_item_uuid is not None

    with_metadata = client.get_dataset(created.dataset_hash,
                                       dataset_access_settings=DatasetAccessSettings(fetch_client_metadata=True))
    assert {r.title: r.client_metadata for r in with_metadata.data_rows} == {"a.jpg": {"split": "train"},
                                                                             "clip.mp4": {}}


def test_list_data_rows_filters(emulator, client):
    created = client.create_dataset("Filtered", StorageLocation.AWS)
    registered = emulator.register_data_rows(created.dataset_hash, [
        image("cherry_001.png"), image("apple_001.png"), image("apple_003.jpg"),
        {"data_title": "Cherries_video.mp4", "data_type": "VIDEO", "file_link": "s3://bucket/Cherries_video.mp4"},
    ])
    dataset = client.get_dataset(created.dataset_hash)

    def titles(**filters):
        return sorted(r.title for r in dataset.list_data_rows(**filters))

    assert titles() == ["Cherries_video.mp4", "apple_001.png", "apple_003.jpg", "cherry_001.png"]
    assert titles(title_eq="apple_001.png") == ["apple_001.png"]
    assert titles(title_like="apple%") == ["apple_001.png", "apple_003.jpg"]
    assert titles(title_like="%.png") == ["apple_001.png", "cherry_001.png"]
    assert titles(data_types=[DataType.VIDEO]) == ["Cherries_video.mp4"]
    assert titles(data_types=[DataType.IMAGE, DataType.VIDEO]) == titles()
    assert titles(data_hashes=[registered[0]["data_hash"]]) == ["cherry_001.png"]
    later = (datetime.now(timezone.utc) + timedelta(minutes=1)).isoformat()
    assert titles(created_after=later) == []
    assert len(titles(created_before=later)) == 4


def test_list_data_rows_with_a_bad_date_on_the_wire_names_the_field(emulator, forger):
    # The SDK parses dates itself; another client may not.
    user = emulator.register_user()
    client = emulator.user_client(user.email)
    created = client.create_dataset("Dates", StorageLocation.AWS)
    dataset = client.get_dataset(created.dataset_hash)

    def send_a_bad_date(req):
        set_body(req, body_bytes(req).replace(b'"created_after": null', b'"created_after": "yesterday"'))
        sign_v1(req, user.private_key)

    forger.intercept(send_a_bad_date, path="^/public$")
    with pytest.raises(InvalidArgumentsError) as e:
        dataset.list_data_rows()
    assert e.value.message == "created_after: 'yesterday' is not an ISO-8601 date and time"


def test_refetch_data_row(emulator, client):
    created = client.create_dataset("Refetch", StorageLocation.AWS)
    emulator.register_data_rows(created.dataset_hash, [image("a.jpg", client_metadata={"k": 1})])
    row = client.get_dataset(created.dataset_hash).data_rows[0]
    row.refetch_data(signed_url=False)
    assert row.title == "a.jpg" and row.width == 64


def test_each_item_of_a_datasets_backing_folder_backs_its_data_row(emulator, client):
    created = client.create_dataset("Backed", StorageLocation.AWS)
    emulator.register_data_rows(created.dataset_hash, [image("a.jpg"), image("b.jpg")])
    rows = {r.backing_item_uuid: r for r in client.get_dataset(created.dataset_hash).data_rows}
    items = list(client.get_storage_folder(created.backing_folder_uuid).list_items())
    assert {i.uuid for i in items} == {UUID(str(u)) for u in rows}
    assert [i.backed_data_units_count for i in items] == [1, 1]
