"""Storage-folder upload jobs through the real SDK: the same engine as dataset uploads, items land in the folder.
This is also the path on which the SDK sends the structured dialect (DataUploadItems)."""

from urllib.parse import parse_qs, urlsplit

import media_factory as mf
import pytest
import requests
from encord.exceptions import AuthorisationError, InvalidArgumentsError, MethodNotAllowedError, ResourceNotFoundError
from encord.orm.dataset import LongPollingStatus, StorageLocation
from encord.orm.storage import (
    CustomerProvidedImageMetadata,
    DataUploadAudio,
    DataUploadDicomSeries,
    DataUploadDicomSeriesDicomFile,
    DataUploadImage,
    DataUploadImageGroup,
    DataUploadImageGroupImage,
    DataUploadItems,
    FoldersSortBy,
    StorageItemType,
)

BUCKET = "folder-bucket"
MISSING = "00000000-0000-0000-0000-000000000000"


@pytest.fixture
def folder_setup(emulator):
    client = emulator.user_client()
    integration = emulator.add_integration("folders", "GCP", [BUCKET])
    folder = client.create_storage_folder("Fruit folder", "for tests")
    return emulator, client, integration["id"], folder


def test_json_spec_uploads_items_into_the_folder(folder_setup):
    emulator, client, integration_id, folder = folder_setup
    emulator.put_object(BUCKET, "a.png", mf.png(30, 20))
    emulator.put_object(BUCKET, "v.mp4", mf.mp4(64, 48, fps=5, frames=10))
    job = folder.add_private_data_to_folder_start(integration_id, {
        "images": [{"objectUrl": f"gs://{BUCKET}/a.png", "title": "a.png", "clientMetadata": {"k": "v"}}],
        "videos": [{"objectUrl": f"https://storage.googleapis.com/{BUCKET}/v.mp4", "title": "v.mp4"}]})
    result = folder.add_private_data_to_folder_get_result(job, timeout_seconds=30)
    assert result.status == LongPollingStatus.DONE
    assert sorted(i.name for i in result.items_with_names) == ["a.png", "v.mp4"]
    items = {i.name: i for i in client.get_storage_folder(folder.uuid).list_items()}
    assert (items["a.png"].width, items["a.png"].height, items["a.png"].mime_type) == (30, 20, "image/png")
    assert items["a.png"].client_metadata == {"k": "v"}
    assert (items["v.mp4"].fps, items["v.mp4"].frame_count) == (5.0, 10)
    assert {i.uuid for i in items.values()} == {i.item_uuid for i in result.items_with_names}


def test_structured_data_items_dialect(folder_setup):
    emulator, client, integration_id, folder = folder_setup
    emulator.put_object(BUCKET, "s.png", mf.png())
    emulator.put_object(BUCKET, "g1.png", mf.png(10, 10))
    emulator.put_object(BUCKET, "g2.png", mf.png(10, 10))
    items = DataUploadItems(
        images=[DataUploadImage(object_url=f"gs://{BUCKET}/s.png", title="structured.png")],
        image_groups=[DataUploadImageGroup(title="group", images=[
            DataUploadImageGroupImage(url=f"gs://{BUCKET}/g1.png", title="g1"),
            DataUploadImageGroupImage(url=f"gs://{BUCKET}/g2.png", title="g2")])])
    job = folder.add_private_data_to_folder_start(integration_id, items)
    result = folder.add_private_data_to_folder_get_result(job, timeout_seconds=30)
    assert (result.status, result.units_done_count) == (LongPollingStatus.DONE, 2)
    types = {i.name: i.item_type.value for i in client.get_storage_folder(folder.uuid).list_items()}
    assert types == {"structured.png": "image", "group": "imageGroup"}


def test_folder_upload_errors_and_skips_are_folder_scoped(folder_setup):
    emulator, client, integration_id, folder = folder_setup
    emulator.put_object(BUCKET, "once.png", mf.png())
    spec = {"images": [{"objectUrl": f"gs://{BUCKET}/once.png"}], "skip_duplicate_urls": True}
    folder.add_private_data_to_folder_get_result(folder.add_private_data_to_folder_start(integration_id, spec), 30)
    again = folder.add_private_data_to_folder_get_result(folder.add_private_data_to_folder_start(integration_id, spec), 30)
    assert again.status == LongPollingStatus.DONE
    assert len(list(client.get_storage_folder(folder.uuid).list_items())) == 1
    other = client.create_storage_folder("Other folder")
    elsewhere = other.add_private_data_to_folder_get_result(other.add_private_data_to_folder_start(integration_id, spec), 30)
    assert len(elsewhere.items_with_names) == 1  # another folder does not hold it yet

    failed = folder.add_private_data_to_folder_get_result(folder.add_private_data_to_folder_start(
        integration_id, {"images": [{"objectUrl": f"gs://{BUCKET}/missing.png"}]}), 30)
    assert failed.status == LongPollingStatus.ERROR
    assert failed.unit_errors[0].error == f"gs://{BUCKET}/missing.png: the object does not exist in bucket '{BUCKET}'."


def test_cancelling_a_folder_job_through_the_sdk(folder_setup):
    emulator, client, integration_id, folder = folder_setup
    emulator.set_job_progression("manual")
    emulator.put_object(BUCKET, "c.png", mf.png())
    job = folder.add_private_data_to_folder_start(integration_id, {"images": [{"objectUrl": f"gs://{BUCKET}/c.png"}] * 2})
    assert folder.add_private_data_to_folder_get_result(job, timeout_seconds=0).status == LongPollingStatus.PENDING
    cancelled = folder.add_data_to_folder_job_cancel(job)
    assert cancelled.units_cancelled_count == 2
    assert folder.add_private_data_to_folder_get_result(job, timeout_seconds=0).status == LongPollingStatus.CANCELLED


def test_a_malformed_structured_spec_names_the_pointer(folder_setup):
    emulator, client, integration_id, folder = folder_setup
    with pytest.raises(InvalidArgumentsError) as e:
        folder.add_private_data_to_folder_start(integration_id, {"images": [{"title": "no url"}]})
    assert e.value.message == "/images/0: 'objectUrl' is a required property"


def counts(result):
    return (result.units_pending_count, result.units_done_count, result.units_error_count,
            result.units_cancelled_count)


def dicom_files(emulator, name, count=2, omit_from_last=()):
    files = []
    for i in range(count):
        key = f"{name}/slice{i}.dcm"
        emulator.put_object(BUCKET, key, mf.dicom(sop_uid=f"1.2.3.{i}", instance_number=i + 1,
                                                  omit=omit_from_last if i == count - 1 else ()))
        files.append(DataUploadDicomSeriesDicomFile(url=f"gs://{BUCKET}/{key}", title=f"slice{i}.dcm"))
    return files


def test_structured_dialect_with_dicom_series_and_audio(folder_setup):
    emulator, client, integration_id, folder = folder_setup
    emulator.put_object(BUCKET, "tone.wav", mf.wav(seconds=1.0, sample_rate=8000))
    series = dicom_files(emulator, "CT", count=3)
    items = DataUploadItems(
        dicom_series=[DataUploadDicomSeries(title="CT series", dicom_files=series, client_metadata={"body": "chest"})],
        audio=[DataUploadAudio(object_url=f"gs://{BUCKET}/tone.wav", title="tone.wav")])
    job = folder.add_private_data_to_folder_start(integration_id, items)
    result = folder.add_private_data_to_folder_get_result(job, timeout_seconds=30)
    assert (result.status, counts(result), result.errors, result.unit_errors) == (
        LongPollingStatus.DONE, (0, 2, 0, 0), [], [])
    assert sorted(i.name for i in result.items_with_names) == ["CT series", "tone.wav"]
    listed = {i.name: i for i in client.get_storage_folder(folder.uuid).list_items()}
    assert sorted(listed) == ["CT series", "tone.wav"]
    assert {i.uuid for i in listed.values()} == {i.item_uuid for i in result.items_with_names}
    ct, tone = listed["CT series"], listed["tone.wav"]
    assert (ct.item_type.value, ct.width, ct.height, ct.mime_type, ct.frame_count, ct.dicom_study_uid,
            ct.dicom_series_uid, ct.client_metadata) == ("dicomSeries", 8, 8, "application/dicom", 3, "1.2.1", "1.2.2",
                                                         {"body": "chest"})
    assert (tone.item_type.value, tone.mime_type, tone.duration, tone.audio_sample_rate, tone.audio_num_channels) == (
        "audio", "audio/wav", 1.0, 8000, 1)


def test_structured_dialect_dicom_series_missing_a_tag_fails_naming_it(folder_setup):
    emulator, client, integration_id, folder = folder_setup
    series = dicom_files(emulator, "bad", count=2, omit_from_last=("PatientID",))
    items = DataUploadItems(dicom_series=[DataUploadDicomSeries(title="bad series", dicom_files=series)])
    job = folder.add_private_data_to_folder_start(integration_id, items)
    result = folder.add_private_data_to_folder_get_result(job, timeout_seconds=30)
    message = f"DICOM file 'slice1.dcm' (gs://{BUCKET}/bad/slice1.dcm): missing required DICOM tag(s): PatientID"
    assert (result.status, counts(result), result.errors, result.items_with_names) == (
        LongPollingStatus.ERROR, (0, 0, 1, 0), [message], [])
    [error] = result.unit_errors
    assert (error.object_urls, error.error, error.action_description) == (
        [f"gs://{BUCKET}/bad/slice0.dcm", f"gs://{BUCKET}/bad/slice1.dcm"], message, "Uploading DICOM series")
    assert list(client.get_storage_folder(folder.uuid).list_items()) == []


def test_structured_dialect_skip_duplicate_urls_and_upsert_metadata(folder_setup):
    emulator, client, integration_id, folder = folder_setup
    emulator.put_object(BUCKET, "tone.wav", mf.wav())
    emulator.put_object(BUCKET, "new.wav", mf.wav())
    series = dicom_files(emulator, "CT", count=2)

    def upload(items):
        job = folder.add_private_data_to_folder_start(integration_id, items)
        return folder.add_private_data_to_folder_get_result(job, timeout_seconds=30)

    first = upload(DataUploadItems(
        dicom_series=[DataUploadDicomSeries(title="CT", dicom_files=series, client_metadata={"v": 1})],
        audio=[DataUploadAudio(object_url=f"gs://{BUCKET}/tone.wav", title="tone.wav", client_metadata={"v": 1})]))
    assert (first.status, counts(first)) == (LongPollingStatus.DONE, (0, 2, 0, 0))
    original = {i.name: i.item_uuid for i in first.items_with_names}

    # skipDuplicateUrls alone: the duplicates are skipped (and reported as the items the folder has), metadata stays.
    skipped = upload(DataUploadItems(
        skip_duplicate_urls=True,
        dicom_series=[DataUploadDicomSeries(title="CT again", dicom_files=series, client_metadata={"v": 2})],
        audio=[DataUploadAudio(object_url=f"gs://{BUCKET}/tone.wav", title="tone again", client_metadata={"v": 2}),
               DataUploadAudio(object_url=f"gs://{BUCKET}/new.wav", title="new.wav")]))
    assert (skipped.status, counts(skipped), skipped.errors) == (LongPollingStatus.DONE, (0, 3, 0, 0), [])
    reported = {i.name: i.item_uuid for i in skipped.items_with_names}
    assert {name: reported[name] for name in original} == original
    metadata = {i.name: i.client_metadata for i in client.get_storage_folder(folder.uuid).list_items()}
    assert metadata == {"CT": {"v": 1}, "tone.wav": {"v": 1}, "new.wav": {}}

    # skipDuplicateUrls with upsertMetadata: the skipped items take the new client metadata.
    upserted = upload(DataUploadItems(
        skip_duplicate_urls=True, upsert_metadata=True,
        dicom_series=[DataUploadDicomSeries(title="CT", dicom_files=series, client_metadata={"v": 3})],
        audio=[DataUploadAudio(object_url=f"gs://{BUCKET}/tone.wav", title="tone.wav", client_metadata={"v": 3})]))
    assert (upserted.status, counts(upserted)) == (LongPollingStatus.DONE, (0, 2, 0, 0))
    assert {i.name: i.item_uuid for i in upserted.items_with_names} == original
    metadata = {i.name: i.client_metadata for i in client.get_storage_folder(folder.uuid).list_items()}
    assert metadata == {"CT": {"v": 3}, "tone.wav": {"v": 3}, "new.wav": {}}

    # Without skipDuplicateUrls the same URLs are added again.
    again = upload(DataUploadItems(audio=[DataUploadAudio(object_url=f"gs://{BUCKET}/tone.wav", title="tone.wav")]))
    assert (again.status, counts(again)) == (LongPollingStatus.DONE, (0, 1, 0, 0))
    assert sorted(i.name for i in client.get_storage_folder(folder.uuid).list_items()) == [
        "CT", "new.wav", "tone.wav", "tone.wav"]


# In-process only: over the socket its calls are those of test_structured_data_items_dialect (an image group) and
# test_folder_upload_errors_and_skips_are_folder_scoped (unit errors, ignore_errors), which run in both modes.
@pytest.mark.parametrize("emulator", ["in-process"], indirect=True)
@pytest.mark.long
def test_image_sequence_of_32767_images_is_accepted_and_one_more_is_refused(folder_setup):
    """With customer-provided image metadata the images are not read, so the limit itself can be exercised."""
    emulator, client, integration_id, folder = folder_setup
    writable = emulator.add_integration("folders (write)", "GCP", [BUCKET], write=True)
    metadata = CustomerProvidedImageMetadata(mime_type="image/png", file_size=100, width=4, height=3)

    def sequence(title, count):
        return DataUploadImageGroup(title=title, create_video=True, images=[
            DataUploadImageGroupImage(url=f"gs://{BUCKET}/frames/{i}.png", image_metadata=metadata)
            for i in range(count)])

    job = folder.add_private_data_to_folder_start(
        writable["id"], DataUploadItems(image_groups=[sequence("at the limit", 32_767), sequence("over it", 32_768)]),
        ignore_errors=True)
    result = folder.add_private_data_to_folder_get_result(job, timeout_seconds=60)
    message = "Image sequence 'over it' has 32,768 images; at most 32,767 are supported."
    assert (result.status, counts(result), result.errors) == (LongPollingStatus.DONE, (0, 1, 1, 0), [message])
    [error] = result.unit_errors
    assert (len(error.object_urls), error.error, error.action_description) == (
        32_768, message, "Uploading image sequence")
    [item] = client.get_storage_folder(folder.uuid).list_items()
    assert (item.name, item.item_type.value, item.frame_count, item.width, item.height) == (
        "at the limit", "imageSequence", 32_767, 4, 3)


# -- listing items ----------------------------------------------------------------------------------------------------

@pytest.fixture
def listed_folder(folder_setup):
    """A folder of three images and two videos, uploaded in that order."""
    emulator, client, integration_id, folder = folder_setup
    spec = {"images": [], "videos": []}
    for name, kind, data in [("b-apple.png", "images", mf.png(8, 8)), ("a-cherry.png", "images", mf.png(9, 9)),
                             ("c-apple.png", "images", mf.png(7, 7)), ("clip-1.mp4", "videos", mf.mp4(frames=3)),
                             ("Apple-clip.mp4", "videos", mf.mp4(frames=3))]:
        emulator.put_object(BUCKET, name, data)
        spec[kind].append({"objectUrl": f"gs://{BUCKET}/{name}", "title": name, "clientMetadata": {"name": name}})
    job = folder.add_private_data_to_folder_start(integration_id, spec)
    assert folder.add_private_data_to_folder_get_result(job, timeout_seconds=30).status == LongPollingStatus.DONE
    return emulator, client.get_storage_folder(folder.uuid)


def names(items) -> list[str]:
    return [i.name for i in items]


def test_items_are_searched_filtered_by_type_and_ordered(listed_folder):
    emulator, folder = listed_folder
    assert names(folder.list_items()) == ["Apple-clip.mp4", "a-cherry.png", "b-apple.png", "c-apple.png",
                                          "clip-1.mp4"]  # by name, as the SDK's default order asks
    assert names(folder.list_items(desc=True)) == ["clip-1.mp4", "c-apple.png", "b-apple.png", "a-cherry.png",
                                                   "Apple-clip.mp4"]
    assert names(folder.list_items(search="APPLE")) == ["Apple-clip.mp4", "b-apple.png", "c-apple.png"]
    assert names(folder.list_items(item_types=[StorageItemType.VIDEO])) == ["Apple-clip.mp4", "clip-1.mp4"]
    assert names(folder.list_items(search="apple", item_types=[StorageItemType.IMAGE])) == ["b-apple.png",
                                                                                          "c-apple.png"]
    by_creation = list(folder.list_items(order=FoldersSortBy.CREATED_AT))
    assert [i.created_at for i in by_creation] == sorted(i.created_at for i in by_creation)
    assert set(names(by_creation[:3])) == {"b-apple.png", "a-cherry.png", "c-apple.png"}  # images land before videos
    newest_first = list(folder.list_items(order=FoldersSortBy.CREATED_AT, desc=True))
    assert [i.created_at for i in newest_first] == sorted((i.created_at for i in newest_first), reverse=True)
    assert names(folder.list_items(is_in_dataset=True)) == []  # no item is linked to a dataset
    assert len(names(folder.list_items(is_in_dataset=False))) == 5


def test_items_come_in_pages_the_sdk_follows(listed_folder, forger):
    emulator, folder = listed_folder
    forger.intercept(lambda prepared: None, path="/items$")
    assert names(folder.list_items(page_size=2)) == ["Apple-clip.mp4", "a-cherry.png", "b-apple.png",
                                                     "c-apple.png", "clip-1.mp4"]
    tokens = [parse_qs(urlsplit(p.url).query).get("pageToken") for p in forger.seen]
    assert tokens == [None, ["2"], ["4"]]  # three pages of at most two


def test_item_links_and_client_metadata_as_the_sdk_asks(listed_folder):
    emulator, folder = listed_folder
    [plain] = folder.list_items(search="a-cherry")
    assert plain.client_metadata == {"name": "a-cherry.png"}
    [signed] = folder.list_items(search="a-cherry", get_signed_urls=True)
    link = signed.get_signed_url()  # what the listing brought: no second request
    assert link.startswith(emulator.url + "/signed/")
    assert requests.get(link, timeout=10).content == mf.png(9, 9)
    [without] = folder.list_items(search="a-cherry", include_client_metadata=False)
    assert without.client_metadata is None
    [resolved] = folder.list_items(search="a-cherry", resolve_client_metadata_locally=True)
    assert resolved.client_metadata == {"name": "a-cherry.png"}  # fetched by the SDK from a signed link


def test_a_page_size_over_the_limit_is_refused(listed_folder):
    emulator, folder = listed_folder
    with pytest.raises(InvalidArgumentsError) as e:
        list(folder.list_items(page_size=1001))
    assert e.value.message == "pageSize: expected a number from 1 to 1000, got '1001'"


# -- a dataset's backing folder -----------------------------------------------------------------------------------------

def test_a_datasets_uploads_are_items_of_its_backing_folder(emulator):
    client = emulator.user_client("backed@example.com")
    integration = emulator.add_integration("backed", "GCP", [BUCKET])
    dataset = client.get_dataset(client.create_dataset("Backed", StorageLocation.GCP).dataset_hash)
    emulator.put_object(BUCKET, "backed.png", mf.png(12, 6))
    dataset.add_private_data_to_dataset(integration["id"], {"images": [
        {"objectUrl": f"gs://{BUCKET}/backed.png", "title": "backed.png", "clientMetadata": {"k": 1}}]})
    [row] = client.get_dataset(dataset.dataset_hash).data_rows
    folder = client.get_storage_folder(dataset.backing_folder_uuid)
    assert folder.name == "Backed"
    [item] = folder.list_items()
    assert (item.uuid, item.name, item.item_type, item.width, item.height) == (
        row.backing_item_uuid, "backed.png", StorageItemType.IMAGE, 12, 6)
    assert item.client_metadata == {"k": 1}
    assert names(folder.list_items(is_in_dataset=True)) == ["backed.png"]
    assert names(folder.list_items(is_in_dataset=False)) == []


def test_a_dataset_made_without_a_backing_folder_has_none(emulator):
    client = emulator.user_client("unbacked@example.com")
    created = client.create_dataset("Unbacked", StorageLocation.AWS, create_backing_folder=False)
    assert created.backing_folder_uuid is None
    assert client.get_dataset(created.dataset_hash).backing_folder_uuid is None


def test_an_item_uploaded_to_a_folder_backs_no_data_unit(folder_setup):
    emulator, client, integration_id, folder = folder_setup
    emulator.put_object(BUCKET, "loose.png", mf.png())
    job = folder.add_private_data_to_folder_start(integration_id, {"images": [{"objectUrl": f"gs://{BUCKET}/loose.png"}]})
    folder.add_private_data_to_folder_get_result(job, timeout_seconds=30)
    assert [i.backed_data_units_count for i in folder.list_items()] == [0]


def test_a_storage_call_this_emulator_does_not_serve_is_method_not_allowed(folder_setup):
    """DELETE on a folder's items path (routed for GET), sent by the SDK's own client, and a path with no route are
    neither a not-found nor Flask's 405 page: the SDK's method-not-allowed error."""
    emulator, _, _, folder = folder_setup
    items_path = f"storage/folders/{folder.uuid}/items"
    unrouted_path = f"storage/folders/{folder.uuid}/items/archive"
    for call in (lambda: folder._api_client.delete(items_path, params=None, result_type=None),
                 lambda: folder._api_client.post(unrouted_path, params=None, payload=None, result_type=None)):
        with pytest.raises(MethodNotAllowedError) as e:
            call()
        assert e.value.message == "HTTP method is not allowed."
    answered = [(r["method"], r["path"], r["status"]) for r in emulator.requests(status=405)]
    assert answered == [("DELETE", f"/v2/public/{items_path}", 405),
                        ("POST", f"/v2/public/{unrouted_path}", 405)]


def test_get_storage_item_its_signed_url_and_refetch(folder_setup):
    emulator, client, integration_id, folder = folder_setup
    emulator.put_object(BUCKET, "item.png", mf.png(12, 8))
    job = folder.add_private_data_to_folder_start(integration_id, {"images": [{"objectUrl": f"gs://{BUCKET}/item.png",
                                                                             "clientMetadata": {"k": 1}}]})
    uuid = folder.add_private_data_to_folder_get_result(job, timeout_seconds=30).items_with_names[0].item_uuid
    item = client.get_storage_item(uuid)
    assert (item.name, item.width, item.height, item.client_metadata) == ("item.png", 12, 8, {"k": 1})
    assert item.parent_folder_uuid == folder.uuid
    assert requests.get(item.get_signed_url()).content == mf.png(12, 8)
    item.refetch_data()
    assert item.uuid == uuid


def test_get_storage_item_unknown_or_of_another_user(folder_setup):
    emulator, client, integration_id, folder = folder_setup
    with pytest.raises(ResourceNotFoundError) as e:
        client.get_storage_item(MISSING)
    assert e.value.message == "The requested resource was not found."
    emulator.put_object(BUCKET, "mine.png", mf.png())
    job = folder.add_private_data_to_folder_start(integration_id, {"images": [{"objectUrl": f"gs://{BUCKET}/mine.png"}]})
    uuid = folder.add_private_data_to_folder_get_result(job, timeout_seconds=30).items_with_names[0].item_uuid
    with pytest.raises(AuthorisationError) as e:
        emulator.user_client("stranger@example.com").get_storage_item(uuid)
    assert e.value.message == f"You are not authorised to access the storage folder {folder.uuid}."
