"""Local files uploaded to Encord storage through the real SDK: the SDK asks for signed upload URLs, PUTs the bytes
to them (the emulator serves them), then registers the files; they read back as data rows and storage items whose
signed links return the same bytes."""

import re

import media_factory as mf
import pytest
import requests
from encord.exceptions import AuthorisationError, CloudUploadError, EncordException
from encord.orm.dataset import ImagesDataFetchOptions, StorageLocation
from encord.orm.storage import StorageItemType, StorageLocationName
from wire_tools import body_bytes, set_body, sign_v1, sign_v2

from emulator import EmulatorConfig, mock_encord
from emulator.testing import EmulatorHandle

PNG = mf.png(30, 20)


@pytest.fixture
def files(tmp_path):
    """Local files: a tiny PNG, a second PNG and a text file that is no image."""
    (tmp_path / "apple.png").write_bytes(PNG)
    (tmp_path / "pear.png").write_bytes(mf.png(30, 20, color=(0, 255, 0)))
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


def test_a_refetched_data_row_carries_a_signed_link_to_its_media_when_asked(emulator, files):
    dataset = local_dataset(emulator.user_client())
    dataset.upload_image(files / "apple.png", title="Apple")
    [row] = dataset.list_data_rows()
    row.refetch_data()
    assert row.signed_url is None
    row.refetch_data(signed_url=True)
    assert row.signed_url.startswith(emulator.url + "/signed/")
    assert requests.get(row.signed_url, timeout=10).content == PNG


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
    (files / "clip.mp4").write_bytes(mf.mp4(64, 48, fps=5, frames=10))
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


def test_a_dataset_upload_of_a_file_that_is_no_image_fails_whole(encord_emulator, files):
    dataset = local_dataset(encord_emulator.user_client())
    with pytest.raises(EncordException) as e:
        dataset.upload_image(files / "notes.png")
    [job] = encord_emulator.control("GET", "upload-jobs")["upload_jobs"]
    [url] = job["units"][0]["object_urls"]
    assert e.value.message == (
        f"An error has occurred during the image upload. res.errors=['{url}: the file cannot be read as an image: it "
        f"is a file of type text/plain, not an image'], upload_job_id='{job['id']}'")
    assert dataset.list_data_rows() == []


def test_a_tampered_upload_url_is_refused_and_nothing_is_registered(encord_emulator, files, forger):
    dataset = local_dataset(encord_emulator.user_client())
    handed_out = []

    def tamper_signature(req):
        handed_out.append(req.url)
        req.url = req.url.replace("signature=", "signature=0")

    forger.intercept(tamper_signature, path="^/signed/")
    with pytest.raises(CloudUploadError) as e:
        dataset.upload_image(files / "apple.png")
    assert e.value.message.startswith(f"Error uploading file 'apple.png' to signed url: '{handed_out[0]}'.\nResponse "
                                      "data:\n\tstatus code: '403'")
    assert e.value.message.endswith("The URL signature does not match.\"}'")
    assert dataset.list_data_rows() == []


@pytest.mark.encord_emulator(signed_url_ttl_seconds=-1)
def test_an_expired_upload_url_is_refused(encord_emulator, files):
    folder = encord_emulator.user_client().create_storage_folder("Late")
    with pytest.raises(CloudUploadError) as e:
        folder.upload_image(files / "apple.png")
    assert "\n\tstatus code: '403'" in e.value.message and "The signed URL expired at " in e.value.message
    assert list(folder.list_items()) == []


def test_upload_urls_for_another_users_folder_are_refused(encord_emulator, files, forger):
    theirs = encord_emulator.user_client().create_storage_folder("Owner's")
    stranger = encord_emulator.register_user("stranger@example.com")
    mine = encord_emulator.user_client(stranger.email).create_storage_folder("Stranger's")

    def into_their_folder(req):
        req.url = req.url.replace(str(mine.uuid), str(theirs.uuid))
        sign_v2(req, stranger.private_key)

    forger.intercept(into_their_folder, path="/upload-signed-urls$")
    with pytest.raises(AuthorisationError) as e:
        mine.upload_image(files / "apple.png")
    assert e.value.message == f"You are not authorised to access the storage folder {theirs.uuid}."


def test_uploads_into_another_users_dataset_are_refused(encord_emulator, files, forger):
    theirs = local_dataset(encord_emulator.user_client(), "Owner's")
    stranger = encord_emulator.register_user("stranger@example.com")
    mine = local_dataset(encord_emulator.user_client(stranger.email), "Stranger's")

    def into_their_dataset(req):
        if mine.dataset_hash.encode() not in body_bytes(req):
            return
        set_body(req, body_bytes(req).replace(mine.dataset_hash.encode(), theirs.dataset_hash.encode()))
        req.headers["ResourceID"] = theirs.dataset_hash
        sign_v1(req, stranger.private_key)

    forger.intercept(into_their_dataset, path="^/public$")
    with pytest.raises(AuthorisationError) as e:
        mine.upload_image(files / "apple.png")
    assert e.value.message == "You are not authorised to access this asset."
    assert theirs.list_data_rows() == []


def test_a_file_someone_else_uploaded_is_not_registered(encord_emulator, files, forger):
    owner = encord_emulator.user_client()
    uploaded = owner.get_storage_item(owner.create_storage_folder("Owner's").upload_image(files / "apple.png"))
    stranger = encord_emulator.register_user("stranger@example.com")
    mine = encord_emulator.user_client(stranger.email).create_storage_folder("Stranger's")

    def registering_their_file(req):
        set_body(req, re.sub(rb'"objectUrl": ?"[^"]*"', f'"objectUrl": "{uploaded.url}"'.encode(), body_bytes(req)))
        sign_v2(req, stranger.private_key)

    forger.intercept(registering_their_file, path="/data-upload-jobs$")
    with pytest.raises(EncordException) as e:
        mine.upload_image(files / "pear.png")
    assert e.value.message == (f"folder.add_data errors occurred ['{uploaded.url}: no file of yours was uploaded to "
                               "Encord storage at this URL.']")
    assert list(mine.list_items()) == []


def test_audio_pdf_text_nifti_and_dicom_series_uploaded_to_a_folder(encord_emulator, tmp_path):
    client = encord_emulator.user_client()
    folder = client.create_storage_folder("Media")
    for name, data in [("a.wav", mf.wav()), ("d.pdf", mf.pdf(pages=2)), ("n.txt", mf.text()),
                       ("v.nii", mf.nifti(shape=(4, 4, 3))), ("s1.dcm", mf.dicom(sop_uid="1.1")),
                       ("s2.dcm", mf.dicom(sop_uid="1.2"))]:
        (tmp_path / name).write_bytes(data)
    uploaded = [folder.upload_audio(tmp_path / "a.wav"), folder.upload_pdf(tmp_path / "d.pdf"),
                folder.upload_text(tmp_path / "n.txt"), folder.upload_nifti(tmp_path / "v.nii"),
                folder.create_dicom_series([tmp_path / "s1.dcm", tmp_path / "s2.dcm"], title="Scan")]
    assert [(i.name, i.item_type, i.frame_count) for i in client.get_storage_items(uploaded)] == [
        ("a.wav", StorageItemType.AUDIO, 1), ("d.pdf", StorageItemType.PDF, 2),
        ("n.txt", StorageItemType.PLAIN_TEXT, 1), ("v.nii", StorageItemType.NIFTI, 3),
        ("Scan", StorageItemType.DICOM_SERIES, 2)]


def test_create_dicom_series_in_a_dataset(encord_emulator, tmp_path):
    dataset = local_dataset(encord_emulator.user_client())
    (tmp_path / "s1.dcm").write_bytes(mf.dicom(sop_uid="1.1"))
    (tmp_path / "s2.dcm").write_bytes(mf.dicom(sop_uid="1.1"))
    with pytest.raises(EncordException) as e:
        dataset.create_dicom_series([tmp_path / "s1.dcm", tmp_path / "s2.dcm"], title="Scan")
    [job] = encord_emulator.control("GET", "upload-jobs")["upload_jobs"]
    errors = ["The DICOM tag 'SOPInstanceUID' must be unique within a series: [1.1] is in both 's1.dcm' and 's2.dcm'."]
    assert e.value.message == (f"An error has occurred during the DICOM series creation. res.errors={errors!r}, "
                               f"upload_job_id='{job['id']}'")
    (tmp_path / "s2.dcm").write_bytes(mf.dicom(sop_uid="1.2"))
    series = dataset.create_dicom_series([tmp_path / "s1.dcm", tmp_path / "s2.dcm"], title="Scan")
    [row] = dataset.list_data_rows()
    assert (row.uid, row.title, row.data_type.value) == (series["data_hash"], "Scan", "dicom")


def test_uploaded_files_survive_a_restart_of_a_persistent_emulator(tmp_path, files):
    config = EmulatorConfig(data_dir=str(tmp_path / "data"), validate_responses=True)
    with mock_encord(config) as mock:
        client = EmulatorHandle(mock.url, None, mock.backend).user_client()
        item_uuid = client.create_storage_folder("Kept").upload_image(files / "apple.png")
    with mock_encord(config):
        assert requests.get(client.get_storage_item(item_uuid).get_signed_url(), timeout=10).content == PNG


def test_a_download_link_is_no_upload_link(encord_emulator, files):
    client = encord_emulator.user_client()
    item = client.get_storage_item(client.create_storage_folder("Kept").upload_image(files / "apple.png"))
    refused = requests.put(item.get_signed_url(), data=b"not the apple", timeout=10)
    assert (refused.status_code, refused.json()["message"]) == (403, "The URL signature does not match.")
    assert requests.get(item.get_signed_url(), timeout=10).content == PNG


def test_a_state_with_local_uploads_exports_and_imports(encord_emulator, files):
    client = encord_emulator.user_client()
    dataset = local_dataset(client)
    image = dataset.upload_image(files / "apple.png", title="Apple")
    folder = client.create_storage_folder("Local folder")
    item_uuid = folder.upload_image(files / "pear.png")
    encord_emulator.load_state(encord_emulator.state())
    assert [row.uid for row in client.get_dataset(dataset.dataset_hash).list_data_rows()] == [image["data_hash"]]
    assert [item.uuid for item in client.get_storage_folder(folder.uuid).list_items()] == [item_uuid]
