"""Local files uploaded to Encord storage through the real SDK: the SDK asks for signed upload URLs, PUTs the bytes
to them (the emulator serves them), then registers the files; they read back as data rows and storage items whose
signed links return the same bytes."""

import media_factory as mf
import pytest
import requests
from encord.exceptions import AuthorisationError, CloudUploadError, EncordException
from encord.orm.dataset import ImagesDataFetchOptions, StorageLocation
from encord.orm.storage import StorageItemType, StorageLocationName
from wire_tools import body_bytes, set_body, sign_v1, sign_v2

PNG = mf.png(30, 20)


@pytest.fixture
def files(tmp_path):
    """Local files: a tiny PNG, a second PNG, a video and a text file that is no image."""
    (tmp_path / "apple.png").write_bytes(PNG)
    (tmp_path / "pear.png").write_bytes(mf.png(30, 20, color=(0, 255, 0)))
    (tmp_path / "clip.mp4").write_bytes(mf.mp4(64, 48, fps=5, frames=10))
    (tmp_path / "notes.png").write_bytes(b"these are notes, not an image")
    return tmp_path


def local_dataset(client, title="Local files"):
    return client.get_dataset(client.create_dataset(title, StorageLocation.CORD_STORAGE).dataset_hash)


def test_dataset_upload_image_reads_back_with_its_bytes(emulator, files):
    client = emulator.user_client()
    dataset = local_dataset(client)
    image = dataset.upload_image(files / "apple.png", title="Apple")
    assert image["title"] == "Apple"
    [row] = dataset.list_data_rows()
    assert (row.uid, row.title, row.data_type.value, row.width, row.height) == (image["data_hash"], "Apple", "image",
                                                                                  30, 20)
    assert row.file_link == image["file_link"]
    link = client.get_storage_item(row.backing_item_uuid).get_signed_url()
    assert link.startswith(emulator.url + "/signed/")
    assert requests.get(link, timeout=10).content == PNG
    assert client.get_dataset(dataset.dataset_hash).storage_location == StorageLocation.CORD_STORAGE


def test_folder_upload_image_becomes_the_item_its_upload_reserved(emulator, files):
    client = emulator.user_client()
    folder = client.create_storage_folder("Local folder")
    item_uuid = folder.upload_image(files / "apple.png", client_metadata={"orchard": "north"})
    [item] = folder.list_items()
    assert (item.uuid, item.name, item.item_type, item.width, item.height, item.mime_type) == (
        item_uuid, "apple.png", StorageItemType.IMAGE, 30, 20, "image/png")
    assert (item.client_metadata, item.storage_location) == ({"orchard": "north"}, StorageLocationName.ENCORD)
    assert requests.get(client.get_storage_item(item_uuid).get_signed_url(), timeout=10).content == PNG


def test_upload_video_to_a_dataset_and_a_folder(encord_emulator, files):
    client = encord_emulator.user_client()
    dataset = local_dataset(client)
    video = dataset.upload_video(files / "clip.mp4")
    [row] = dataset.list_data_rows()
    assert (row.uid, row.title, row.data_type.value, row.frames_per_second, row.width) == (
        video["data_hash"], "clip.mp4", "video", 5, 64)
    folder = client.create_storage_folder("Videos")
    item = client.get_storage_item(folder.upload_video(files / "clip.mp4", title="Clip"))
    assert (item.name, item.item_type, item.fps, item.frame_count) == ("Clip", StorageItemType.VIDEO, 5.0, 10)
    assert requests.get(item.get_signed_url(), timeout=10).content == (files / "clip.mp4").read_bytes()


def test_create_image_group_in_a_dataset(encord_emulator, files):
    client = encord_emulator.user_client()
    dataset = local_dataset(client)
    [group] = dataset.create_image_group([files / "apple.png", files / "pear.png"], title="Fruit", create_video=False)
    [row] = dataset.list_data_rows()
    assert (row.uid, row.title, row.data_type.value) == (group["data_hash"], "Fruit", "img_group")
    row.refetch_data(images_data_fetch_options=ImagesDataFetchOptions())
    assert [(i.title, i.width) for i in row.images_data] == [("apple.png", 30), ("pear.png", 30)]
    assert client.get_storage_item(row.backing_item_uuid).item_type == StorageItemType.IMAGE_GROUP


def test_create_image_group_and_sequence_in_a_folder(encord_emulator, files):
    client = encord_emulator.user_client()
    folder = client.create_storage_folder("Groups")
    group = client.get_storage_item(folder.create_image_group([files / "apple.png", files / "pear.png"], "Group"))
    sequence = client.get_storage_item(folder.create_image_sequence([files / "apple.png", files / "pear.png"], "Seq"))
    assert (group.name, group.item_type, group.frame_count) == ("Group", StorageItemType.IMAGE_GROUP, 2)
    assert (sequence.name, sequence.item_type, sequence.frame_count) == ("Seq", StorageItemType.IMAGE_SEQUENCE, 2)


def test_a_file_that_is_no_image_fails_as_ingestion_fails(encord_emulator, files):
    client = encord_emulator.user_client()
    folder = client.create_storage_folder("Broken")
    with pytest.raises(EncordException) as e:
        folder.upload_image(files / "notes.png")
    [job] = encord_emulator.control("GET", "upload-jobs")["upload_jobs"]
    [url] = job["units"][0]["object_urls"]
    assert e.value.message == (f"folder.add_data errors occurred ['{url}: the file cannot be read as an image: it is "
                               "a file of type text/plain, not an image']")
    assert list(folder.list_items()) == []
