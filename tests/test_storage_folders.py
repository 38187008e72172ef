"""Storage-folder upload jobs through the real SDK: the same engine as dataset uploads, items land in the folder.
This is also the path on which the SDK sends the structured dialect (DataUploadItems)."""

import media_factory as mf
import pytest
from encord.exceptions import InvalidArgumentsError
from encord.orm.dataset import LongPollingStatus
from encord.orm.storage import DataUploadImage, DataUploadImageGroup, DataUploadImageGroupImage, DataUploadItems

BUCKET = "folder-bucket"


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
