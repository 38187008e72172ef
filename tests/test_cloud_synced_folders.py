"""Cloud-synced folders through the real SDK: a folder mounted on a bucket prefix of an integration, and its sync,
which adds the new objects as items, tombstones the items whose objects left and restores those that came back."""

import media_factory as mf
import pytest
from encord.exceptions import AuthorisationError, InvalidArgumentsError, ResourceNotFoundError
from encord.orm.storage import CloudSyncedFolderParams, StorageFolderType, SyncPrivateDataWithCloudSyncedFolderStatus

BUCKET = "synced"


def synced_folder(emulator, client, remote_url=f"s3://{BUCKET}/camera/"):
    integration = emulator.add_integration("synced", "AWS", [BUCKET])
    folder = client.create_storage_folder("Camera", "mounted", cloud_synced_folder_params=CloudSyncedFolderParams(
        integration_uuid=integration["id"], remote_url=remote_url))
    return folder, integration


def sync(folder):
    return folder.sync_private_data_with_cloud_synced_folder_get_result(
        folder.sync_private_data_with_cloud_synced_folder_start(), timeout_seconds=30)


def items(client, folder):
    return {i.name: i for i in client.get_storage_folder(folder.uuid).list_items()}


def test_a_sync_adds_the_prefixs_new_objects_and_tombstones_the_ones_gone(emulator):
    client = emulator.user_client()
    folder, integration = synced_folder(emulator, client)
    assert folder.is_cloud_synced and str(folder.integration_hash) == integration["id"]
    emulator.put_object(BUCKET, "camera/a.png", mf.png(30, 20))
    emulator.put_object(BUCKET, "camera/day2/b.png", mf.png(10, 10))
    emulator.put_object(BUCKET, "camera/notes.bin", b"not data")
    emulator.put_object(BUCKET, "elsewhere/c.png", mf.png())
    result = sync(folder)
    assert result.status == SyncPrivateDataWithCloudSyncedFolderStatus.DONE
    assert (result.upload_jobs_done, result.upload_jobs_units_done, result.upload_jobs_units_error) == (1, 2, 0)
    found = items(client, folder)
    assert sorted(found) == ["a.png", "day2/b.png"]
    assert (found["a.png"].width, found["a.png"].height, folder.get_summary().tombstones) == (30, 20, 0)
    emulator.s3.delete_object(Bucket=BUCKET, Key="camera/a.png")
    again = sync(folder)
    assert (again.status, again.upload_jobs_done, again.upload_jobs_units_done) == (
        SyncPrivateDataWithCloudSyncedFolderStatus.DONE, 0, 0)
    assert sorted(items(client, folder)) == ["a.png", "day2/b.png"]  # a tombstone is kept, its labels linked
    assert folder.get_summary().tombstones == 1
    emulator.put_object(BUCKET, "camera/a.png", mf.png(30, 20))
    sync(folder)
    assert (folder.get_summary().tombstones, len(items(client, folder))) == (0, 2)


def test_a_file_that_cannot_be_read_is_an_error_of_the_sync_and_the_rest_land(encord_emulator):
    client = encord_emulator.user_client()
    folder, _ = synced_folder(encord_emulator, client)
    encord_emulator.put_object(BUCKET, "camera/a.png", mf.png())
    encord_emulator.put_object(BUCKET, "camera/broken.png", b"not a png")
    result = sync(folder)
    assert (result.status, result.upload_jobs_units_done, result.upload_jobs_units_error) == (
        SyncPrivateDataWithCloudSyncedFolderStatus.DONE, 1, 1)
    assert sorted(items(client, folder)) == ["a.png"]


def test_a_generic_folder_is_created_without_a_link(encord_emulator):
    folder = encord_emulator.user_client().create_storage_folder("Plain", "d")
    assert (folder.folder_type, folder.integration_hash) == (StorageFolderType.GENERIC, None)


def test_refusals(encord_emulator):
    client = encord_emulator.user_client()
    integration = encord_emulator.add_integration("synced", "AWS", [BUCKET])
    with pytest.raises(InvalidArgumentsError) as e:
        client.create_storage_folder("F", "d", cloud_synced_folder_params=CloudSyncedFolderParams(
            integration_uuid=integration["id"], remote_url="s3://elsewhere/camera/"))
    assert e.value.message == ("remoteUrl: s3://elsewhere/camera/ is not a bucket or folder of a bucket integration "
                               "'synced' has access to.")
    with pytest.raises(ResourceNotFoundError) as e:
        client.create_storage_folder("F", "d", cloud_synced_folder_params=CloudSyncedFolderParams(
            integration_uuid="00000000-0000-0000-0000-000000000000", remote_url=f"s3://{BUCKET}/"))
    assert e.value.message == "The requested resource was not found."
    plain = client.create_storage_folder("Plain", "d")
    with pytest.raises(InvalidArgumentsError) as e:
        plain.sync_private_data_with_cloud_synced_folder_start()
    assert e.value.message == (f"Storage folder {plain.uuid} is not a cloud-synced folder: only folders created "
                               "with cloud_synced_folder_params sync with a bucket.")
    folder = client.create_storage_folder("Camera", "d", cloud_synced_folder_params=CloudSyncedFolderParams(
        integration_uuid=integration["id"], remote_url=f"s3://{BUCKET}"))
    missing = "00000000-0000-0000-0000-000000000000"
    with pytest.raises(InvalidArgumentsError) as e:
        folder.sync_private_data_with_cloud_synced_folder_get_result(missing, timeout_seconds=1)
    assert e.value.message == f"Cloud sync {missing} is not a sync of storage folder {folder.uuid}."
    member = encord_emulator.user_client("member@example.com")
    encord_emulator.share("storage_folder", str(folder.uuid), "member@example.com")
    with pytest.raises(AuthorisationError) as e:
        member.get_storage_folder(folder.uuid).sync_private_data_with_cloud_synced_folder_start()
    assert e.value.message == f"Only an admin of the storage folder {folder.uuid} may sync it with its bucket."
    stranger = encord_emulator.user_client("stranger@example.com")
    with pytest.raises(AuthorisationError) as e:
        stranger.get_storage_folder(folder.uuid)
    assert e.value.message == f"You are not authorised to access the storage folder {folder.uuid}."
