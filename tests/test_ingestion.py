"""Cloud ingestion through the real SDK: upload jobs open every object in moto's buckets and follow the rules."""

import json
import time
import uuid
from dataclasses import asdict

import media_factory as mf
import pytest
from encord.constants.enums import DataType
from encord.exceptions import EncordException, InvalidArgumentsError, ResourceNotFoundError
from encord.orm.dataset import DatasetAccessSettings, LongPollingStatus, StorageLocation
from encord.user_client import EncordUserClient

from emulator import EmulatorConfig, ThreadedEncordServer, mock_encord
from emulator.core.store import Store
from emulator.ingestion.spec import SourceFile, UploadUnit
from emulator.integrations.models import INTEGRATIONS
from emulator.testing import EmulatorHandle

BUCKET = "fruit-bucket"


@pytest.fixture
def setup(emulator):
    """A user, an integration granting BUCKET, and an empty dataset."""
    client = emulator.user_client("owner@example.com")
    integration = emulator.add_integration("fruit", "OTC", [BUCKET])
    dataset = client.get_dataset(client.create_dataset("Fruit", StorageLocation.S3_COMPATIBLE).dataset_hash)
    return emulator, client, integration["id"], dataset


def eventually(condition, attempts: int = 200) -> None:
    """Wait (bounded) for something a background job does; tests never assert on time."""
    for _ in range(attempts):
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError("the condition did not become true")


def put(emulator, key: str, data: bytes, bucket: str = BUCKET) -> str:
    emulator.put_object(bucket, key, data)
    return f"s3://{bucket}/{key}"


def rows(client, dataset):
    return {r.title: r for r in client.get_dataset(dataset.dataset_hash).data_rows}


def counts(result):
    """(pending, done, error, cancelled): the four unit counts of a job result."""
    return (result.units_pending_count, result.units_done_count, result.units_error_count,
            result.units_cancelled_count)


def unit_errors(result):
    """Each per-unit error as (object URLs, message, action description)."""
    return [(e.object_urls, e.error, e.action_description) for e in result.data_unit_errors]


def run(dataset, integration_id, spec, ignore_errors=False):
    job = dataset.add_private_data_to_dataset_start(integration_id, spec, ignore_errors=ignore_errors)
    return dataset.add_private_data_to_dataset_get_result(job, timeout_seconds=30)


def assert_one_unit_failed_the_job(result, client, dataset, object_urls, message, action):
    """The job's one unit failed (without ignore_errors): ERROR, that unit's error in full, and nothing landed."""
    assert result.status == LongPollingStatus.ERROR
    assert counts(result) == (0, 0, 1, 0)
    assert unit_errors(result) == [(object_urls, message, action)]
    assert result.errors == [message]
    assert result.data_hashes_with_titles == []
    assert rows(client, dataset) == {}


def test_images_and_videos_are_read_and_land_as_data_rows(setup):
    emulator, client, integration_id, dataset = setup
    spec = {
        "images": [{"objectUrl": put(emulator, "cherry_001.png", mf.png(64, 48)), "title": "cherry_001.png",
                    "clientMetadata": {"fruit": "cherry"}},
                   {"objectUrl": put(emulator, "img/apple_001.jpg", mf.jpeg(32, 16))}],
        "videos": [{"objectUrl": put(emulator, "Cherries_video.mp4", mf.mp4(64, 48, fps=5, frames=10)),
                    "title": "Cherries_video.mp4"}],
    }
    result = run(dataset, integration_id, spec)
    assert result.status == LongPollingStatus.DONE
    assert (result.units_done_count, result.units_error_count, result.units_pending_count) == (3, 0, 0)
    assert result.errors == [] and result.data_unit_errors == []
    assert sorted(d.title for d in result.data_hashes_with_titles) == ["Cherries_video.mp4", "cherry_001.png",
                                                                        "img/apple_001.jpg"]
    landed = rows(client, dataset)
    assert {(d.title, d.data_hash, d.backing_item_uuid) for d in result.data_hashes_with_titles} == {
        (t, r.uid, r.backing_item_uuid) for t, r in landed.items()}
    assert len({d.backing_item_uuid for d in result.data_hashes_with_titles}) == 3
    cherry, apple, video = landed["cherry_001.png"], landed["img/apple_001.jpg"], landed["Cherries_video.mp4"]
    assert (cherry.data_type, cherry.width, cherry.height, cherry.file_type) == (DataType.IMAGE, 64, 48, "image/png")
    assert (apple.width, apple.height, apple.file_type) == (32, 16, "image/jpeg")
    assert (video.data_type, video.width, video.height, video.frames_per_second, video.duration) == (
        DataType.VIDEO, 64, 48, 5.0, 2.0)
    assert cherry.file_link == f"s3://{BUCKET}/cherry_001.png"
    with_metadata = client.get_dataset(dataset.dataset_hash,
                                       dataset_access_settings=DatasetAccessSettings(fetch_client_metadata=True))
    assert {r.title: r.client_metadata for r in with_metadata.data_rows}["cherry_001.png"] == {"fruit": "cherry"}
    assert client.get_dataset(dataset.dataset_hash).storage_location == StorageLocation.S3_COMPATIBLE


def test_spec_as_a_path_or_json_text(setup, tmp_path):
    emulator, client, integration_id, dataset = setup
    url = put(emulator, "a.png", mf.png())
    path = tmp_path / "upload_spec.json"
    path.write_text(json.dumps({"images": [{"objectUrl": url, "title": "from-path.png"}]}))
    assert run(dataset, integration_id, str(path)).status == LongPollingStatus.DONE
    text = json.dumps({"images": [{"objectUrl": url, "title": "from-text.png"}]})
    assert run(dataset, integration_id, text).status == LongPollingStatus.DONE
    assert sorted(rows(client, dataset)) == ["from-path.png", "from-text.png"]


def test_blocking_upload_returns_the_data_hashes(setup):
    emulator, client, integration_id, dataset = setup
    response = dataset.add_private_data_to_dataset(
        integration_id, {"images": [{"objectUrl": put(emulator, "b.png", mf.png()), "title": "b.png"}]})
    assert [d.title for d in response.dataset_data_list] == ["b.png"]
    assert response.dataset_data_list[0].data_hash == rows(client, dataset)["b.png"].uid


def test_a_failed_unit_without_ignore_errors_ends_in_error_and_adds_nothing(setup):
    emulator, client, integration_id, dataset = setup
    good = put(emulator, "good.png", mf.png())
    missing = f"s3://{BUCKET}/missing.png"
    result = run(dataset, integration_id, {"images": [{"objectUrl": good}, {"objectUrl": missing}]})
    assert result.status == LongPollingStatus.ERROR
    assert (result.units_done_count, result.units_error_count) == (1, 1)
    assert result.data_hashes_with_titles == []
    message = f"{missing}: the object does not exist in bucket '{BUCKET}'."
    assert result.errors == [message]
    [unit_error] = result.data_unit_errors
    assert (unit_error.object_urls, unit_error.error, unit_error.action_description) == (
        [missing], message, "Uploading image")
    assert rows(client, dataset) == {}


def test_blocking_upload_raises_when_the_job_ends_in_error(setup):
    emulator, client, integration_id, dataset = setup
    with pytest.raises(EncordException):
        dataset.add_private_data_to_dataset(integration_id, {"images": [{"objectUrl": f"s3://{BUCKET}/nope.png"}]})
    assert rows(client, dataset) == {}


def test_ignore_errors_adds_the_good_units_and_reports_the_rest(setup):
    emulator, client, integration_id, dataset = setup
    spec = {"images": [
        {"objectUrl": put(emulator, "ok.png", mf.png()), "title": "ok.png"},
        {"objectUrl": put(emulator, "corrupt.png", mf.corrupt())},
        {"objectUrl": "s3://other-bucket/x.png"},
        {"objectUrl": "<https://fruit-bucket.obs.eu-de.otc.t-systems.com/x.png>"},
    ]}
    job_id = dataset.add_private_data_to_dataset_start(integration_id, spec, ignore_errors=True)
    result = dataset.add_private_data_to_dataset_get_result(job_id, timeout_seconds=30)
    assert result.status == LongPollingStatus.DONE
    assert counts(result) == (0, 1, 3, 0)
    assert [d.title for d in result.data_hashes_with_titles] == ["ok.png"]
    bracketed = "<https://fruit-bucket.obs.eu-de.otc.t-systems.com/x.png>"
    expected = [
        ([f"s3://{BUCKET}/corrupt.png"],
         f"s3://{BUCKET}/corrupt.png: the file cannot be read as an image: its format is not recognised",
         "Uploading image"),
        (["s3://other-bucket/x.png"],
         "s3://other-bucket/x.png: the integration 'fruit' has no access to bucket 'other-bucket'.", "Uploading image"),
        ([bracketed], f"The object URL {bracketed} is wrapped in angle brackets; remove the < and >.",
         "Uploading image"),
    ]
    assert unit_errors(result) == expected
    assert result.errors == [message for _, message, _ in expected]
    landed = rows(client, dataset)
    assert list(landed) == ["ok.png"]
    # Every failed unit has its own subtask id (stable from poll to poll); every landed unit names its backing item.
    subtasks = [e.subtask_uuid for e in result.data_unit_errors]
    assert all(isinstance(s, uuid.UUID) for s in subtasks) and len(set(subtasks)) == 3
    again = dataset.add_private_data_to_dataset_get_result(job_id, timeout_seconds=0)
    assert [e.subtask_uuid for e in again.data_unit_errors] == subtasks
    [info] = result.data_hashes_with_titles
    assert (info.data_hash, info.backing_item_uuid) == (landed["ok.png"].uid, landed["ok.png"].backing_item_uuid)
    assert isinstance(info.backing_item_uuid, uuid.UUID)


def test_a_malformed_spec_fails_at_start_naming_the_pointer_and_queues_nothing(setup):
    emulator, client, integration_id, dataset = setup
    with pytest.raises(InvalidArgumentsError) as e:
        dataset.add_private_data_to_dataset_start(integration_id, {"images": [{"title": "no url"}]})
    assert e.value.message == "/images/0: 'objectUrl' is a required property"
    with pytest.raises(InvalidArgumentsError) as e:
        dataset.add_private_data_to_dataset_start(integration_id, {"image_group": []})
    assert e.value.message == "/: Additional properties are not allowed ('image_group' was unexpected)"
    with pytest.raises(InvalidArgumentsError) as e:
        dataset.add_private_data_to_dataset_start(integration_id, {"image_groups": [{"title": "empty"}]})
    assert e.value.message == "/image_groups/0: needs at least one objectUrl_N key (objectUrl_0, objectUrl_1, …)"
    with pytest.raises(InvalidArgumentsError) as e:
        dataset.add_private_data_to_dataset_start(integration_id, {})
    assert e.value.message.startswith("The upload spec lists no files")
    assert emulator.control("GET", "upload-jobs")["upload_jobs"] == []


def test_unknown_integration_and_unknown_job_are_not_found(setup):
    emulator, client, integration_id, dataset = setup
    unknown = "00000000-0000-0000-0000-000000000000"
    with pytest.raises(ResourceNotFoundError) as e:
        dataset.add_private_data_to_dataset_start(unknown, {"images": [{"objectUrl": "s3://b/k.png"}]})
    assert e.value.message == f"Cloud integration {unknown} does not exist or you may not use it."
    with pytest.raises(ResourceNotFoundError) as e:
        dataset.add_private_data_to_dataset_get_result(unknown, timeout_seconds=1)
    assert e.value.message == f"Upload job {unknown} does not exist."


def test_an_integration_of_other_users_cannot_be_used(setup):
    emulator, client, integration_id, dataset = setup
    private = emulator.add_integration("someone else's", "AWS", [BUCKET], users=["owner@example.com"])
    other = emulator.user_client("other@example.com")
    other_dataset = other.get_dataset(other.create_dataset("theirs", StorageLocation.AWS).dataset_hash)
    with pytest.raises(ResourceNotFoundError):
        other_dataset.add_private_data_to_dataset_start(private["id"], {"images": [{"objectUrl": "s3://b/k.png"}]})


def test_image_groups_read_every_image(setup):
    emulator, client, integration_id, dataset = setup
    spec = {"image_groups": [{"title": "Cherries group", "createVideo": False,
                              "objectUrl_1": put(emulator, "g/2.png", mf.png(20, 10)),
                              "objectUrl_0": put(emulator, "g/1.png", mf.png(20, 10))}]}
    assert run(dataset, integration_id, spec).status == LongPollingStatus.DONE
    group = rows(client, dataset)["Cherries group"]
    assert group.data_type == DataType.IMG_GROUP
    group.refetch_data(images_data_fetch_options=None)
    assert group.is_optimised_image_group is False


def test_image_group_with_a_broken_image_fails_naming_it(setup):
    emulator, client, integration_id, dataset = setup
    spec = {"image_groups": [{"title": "g", "objectUrl_0": put(emulator, "g/1.png", mf.png()),
                              "objectUrl_1": f"s3://{BUCKET}/g/missing.png"}]}
    result = run(dataset, integration_id, spec)
    assert_one_unit_failed_the_job(result, client, dataset, [f"s3://{BUCKET}/g/1.png", f"s3://{BUCKET}/g/missing.png"],
                                   f"s3://{BUCKET}/g/missing.png: the object does not exist in bucket '{BUCKET}'.",
                                   "Uploading image group")


def test_image_sequence_needs_write_access(setup):
    emulator, client, integration_id, dataset = setup
    spec = {"image_groups": [{"title": "Cherries sequence", "createVideo": True,
                              "objectUrl_0": put(emulator, "s/1.png", mf.png())}]}
    result = run(dataset, integration_id, spec)
    assert_one_unit_failed_the_job(result, client, dataset, [f"s3://{BUCKET}/s/1.png"],
                                   "Image sequence 'Cherries sequence' needs an integration with write access; "
                                   "integration 'fruit' is read-only.", "Uploading image sequence")

    writable = emulator.add_integration("fruit (write)", "OTC", [BUCKET], write=True)
    done = run(dataset, writable["id"], spec)
    assert (done.status, counts(done), done.errors, done.data_unit_errors) == (LongPollingStatus.DONE, (0, 1, 0, 0),
                                                                              [], [])
    landed = rows(client, dataset)
    assert list(landed) == ["Cherries sequence"]
    sequence = landed["Cherries sequence"]
    assert (sequence.data_type, sequence.is_image_sequence, sequence.file_type) == (DataType.IMG_GROUP, True,
                                                                                     "video/mp4")


def test_image_sequence_of_mixed_sizes_takes_the_first_images_size(setup):
    emulator, client, integration_id, dataset = setup
    writable = emulator.add_integration("w", "OTC", [BUCKET], write=True)
    spec = {"image_groups": [{"title": "mixed", "createVideo": True,
                              "objectUrl_0": put(emulator, "m/1.png", mf.png(40, 30)),
                              "objectUrl_1": put(emulator, "m/2.png", mf.png(20, 10))}]}
    job_id = dataset.add_private_data_to_dataset_start(writable["id"], spec)
    assert dataset.add_private_data_to_dataset_get_result(job_id, timeout_seconds=30).status == LongPollingStatus.DONE
    sequence = rows(client, dataset)["mixed"]
    assert (sequence.width, sequence.height) == (40, 30)
    assert emulator.upload_job(job_id)["units"][0]["warnings"] == [
        "Image sequence 'mixed': 1 image(s) resized to 40x30 to match the first image: 2.png"]


def dicom_series(emulator, name, count=2, overrides=None):
    """A DICOM series spec item; ``overrides`` maps a slice index to media_factory.dicom arguments."""
    spec = {"title": name}
    for i in range(count):
        params = {"study_uid": "1.2.1", "series_uid": "1.2.2", "sop_uid": f"1.2.3.{i}", "instance_number": i + 1,
                  **(overrides or {}).get(i, {})}
        spec[f"objectUrl_{i}"] = put(emulator, f"{name}/slice{i}.dcm", mf.dicom(**params))
    return spec


def test_dicom_series_lands_with_its_size_and_slices(setup):
    emulator, client, integration_id, dataset = setup
    result = run(dataset, integration_id, {"dicom_series": [dicom_series(emulator, "CT", count=3)]})
    assert result.status == LongPollingStatus.DONE
    series = rows(client, dataset)["CT"]
    assert (series.data_type, series.width, series.height, series.file_type) == (DataType.DICOM, 8, 8,
                                                                                  "application/dicom")


@pytest.mark.parametrize("tag", ["Rows", "Columns", "StudyInstanceUID", "SeriesInstanceUID", "SOPInstanceUID",
                                 "PatientID"])
def test_dicom_file_missing_a_required_tag_fails_naming_tag_and_file(setup, tag):
    emulator, client, integration_id, dataset = setup
    spec = dicom_series(emulator, "CT", count=2, overrides={1: {"omit": (tag,)}})
    result = run(dataset, integration_id, {"dicom_series": [spec]})
    assert_one_unit_failed_the_job(
        result, client, dataset, [spec["objectUrl_0"], spec["objectUrl_1"]],
        f"DICOM file 'slice1.dcm' ({spec['objectUrl_1']}): missing required DICOM tag(s): {tag}",
        "Uploading DICOM series")


def test_dicom_series_must_agree_on_study_and_not_repeat_sop_uids(setup):
    emulator, client, integration_id, dataset = setup
    other_study = dicom_series(emulator, "A", count=2, overrides={1: {"study_uid": "9.9.9"}})
    repeated = dicom_series(emulator, "B", count=2, overrides={1: {"sop_uid": "1.2.3.0"}})
    good = dicom_series(emulator, "C", count=2)
    result = run(dataset, integration_id, {"dicom_series": [other_study, repeated, good]}, ignore_errors=True)
    assert result.status == LongPollingStatus.DONE
    assert counts(result) == (0, 1, 2, 0)
    expected = [
        ([other_study["objectUrl_0"], other_study["objectUrl_1"]],
         "The value of DICOM tag 'StudyInstanceUID' should be consistent across files in a series. Got [9.9.9] from "
         "'slice1.dcm' and [1.2.1] from other files in the series.", "Uploading DICOM series"),
        ([repeated["objectUrl_0"], repeated["objectUrl_1"]],
         "The DICOM tag 'SOPInstanceUID' must be unique within a series: [1.2.3.0] is in both 'slice0.dcm' and "
         "'slice1.dcm'.", "Uploading DICOM series"),
    ]
    assert unit_errors(result) == expected
    assert result.errors == [message for _, message, _ in expected]
    assert [d.title for d in result.data_hashes_with_titles] == ["C"]
    assert list(rows(client, dataset)) == ["C"]


def test_dicom_without_3d_tags_is_imported_and_reported(setup):
    emulator, client, integration_id, dataset = setup
    spec = dicom_series(emulator, "flat", count=1, overrides={0: {"spatial": False}})
    job_id = dataset.add_private_data_to_dataset_start(integration_id, {"dicom_series": [spec]})
    assert dataset.add_private_data_to_dataset_get_result(job_id, timeout_seconds=30).status == LongPollingStatus.DONE
    [warning] = emulator.upload_job(job_id)["units"][0]["warnings"]
    assert warning.startswith(f"DICOM file 'slice0.dcm' ({spec['objectUrl_0']}) has no 3D tag(s) ImagePositionPatient")


def test_audio_text_and_pdf_are_read(setup):
    emulator, client, integration_id, dataset = setup
    spec = {"audio": [{"objectUrl": put(emulator, "a.wav", mf.wav(seconds=1.0)), "title": "a.wav"}],
            "text": [{"objectUrl": put(emulator, "t.txt", mf.text("hello")), "title": "t.txt"}],
            "pdf": [{"objectUrl": put(emulator, "p.pdf", mf.pdf(pages=2)), "title": "p.pdf"}]}
    assert run(dataset, integration_id, spec).status == LongPollingStatus.DONE
    landed = rows(client, dataset)
    assert (landed["a.wav"].data_type, landed["a.wav"].file_type) == (DataType.AUDIO, "audio/wav")
    assert landed["t.txt"].data_type == DataType.PLAIN_TEXT
    assert landed["p.pdf"].data_type == DataType.PDF


def test_a_video_that_is_an_image_is_refused(setup):
    emulator, client, integration_id, dataset = setup
    url = put(emulator, "not-a-video.png", mf.png())
    result = run(dataset, integration_id, {"videos": [{"objectUrl": url}]})
    assert_one_unit_failed_the_job(result, client, dataset, [url],
                                   f"{url}: Expected a video, got a file of type image/png", "Uploading video")


def test_names_and_titles_over_300_characters_are_unit_errors(setup):
    emulator, client, integration_id, dataset = setup
    long_key = "x" * 297 + ".png"
    long_url = put(emulator, long_key, mf.png())
    ok_url = put(emulator, "ok.png", mf.png())
    at_limit_url = put(emulator, "y" * 296 + ".png", mf.png())  # exactly 300 characters: accepted
    spec = {"images": [{"objectUrl": long_url}, {"objectUrl": ok_url, "title": "t" * 301},
                       {"objectUrl": at_limit_url, "title": "u" * 300}]}
    result = run(dataset, integration_id, spec, ignore_errors=True)
    assert result.status == LongPollingStatus.DONE
    assert counts(result) == (0, 1, 2, 0)
    expected = [([long_url], f"{long_url}: the file name is 301 characters long; at most 300 are supported.",
                  "Uploading image"),
                ([ok_url], f"{ok_url}: the title '{'t' * 40}…' is 301 characters long; at most 300 are supported.",
                 "Uploading image")]
    assert unit_errors(result) == expected
    assert result.errors == [message for _, message, _ in expected]
    assert [d.title for d in result.data_hashes_with_titles] == ["u" * 300]
    assert list(rows(client, dataset)) == ["u" * 300]


def test_default_title_is_the_path_in_the_url(setup):
    emulator, client, integration_id, dataset = setup
    run(dataset, integration_id, {"images": [{"objectUrl": put(emulator, "path/to/cherry.png", mf.png())}]})
    assert list(rows(client, dataset)) == ["path/to/cherry.png"]


def test_skip_duplicate_urls_skips_what_the_dataset_has_and_upserts_metadata(setup):
    emulator, client, integration_id, dataset = setup
    url = put(emulator, "dup.png", mf.png())
    first = run(dataset, integration_id, {"images": [{"objectUrl": url, "title": "dup.png", "clientMetadata": {"v": 1}}]})
    spec = {"skip_duplicate_urls": True, "upsert_metadata": True,
            "images": [{"objectUrl": url, "title": "dup.png", "clientMetadata": {"v": 2}},
                       {"objectUrl": put(emulator, "new.png", mf.png()), "title": "new.png"}],
            "videos": [{"objectUrl": url, "title": "same url, other type"}]}
    job_id = dataset.add_private_data_to_dataset_start(integration_id, spec, ignore_errors=True)
    second = dataset.add_private_data_to_dataset_get_result(job_id, timeout_seconds=30)
    assert second.status == LongPollingStatus.DONE
    by_title = {d.title: d.data_hash for d in second.data_hashes_with_titles}
    assert by_title["dup.png"] == first.data_hashes_with_titles[0].data_hash
    assert [u["skipped"] for u in emulator.upload_job(job_id)["units"]] == [True, False, False]
    landed = client.get_dataset(dataset.dataset_hash,
                                dataset_access_settings=DatasetAccessSettings(fetch_client_metadata=True)).data_rows
    assert sorted(r.title for r in landed) == ["dup.png", "new.png"]  # the video of an image failed; no duplicate row
    assert {r.title: r.client_metadata for r in landed}["dup.png"] == {"v": 2}
    backing = client.get_storage_folder(dataset.backing_folder_uuid).list_items(search="dup.png")
    assert [i.client_metadata for i in backing] == [{"v": 2}]  # the row's backing item says the same


def test_without_skip_duplicate_urls_the_same_url_is_added_again(setup):
    emulator, client, integration_id, dataset = setup
    url = put(emulator, "twice.png", mf.png())
    run(dataset, integration_id, {"images": [{"objectUrl": url}]})
    run(dataset, integration_id, {"images": [{"objectUrl": url}]})
    assert len(client.get_dataset(dataset.dataset_hash).data_rows) == 2


def test_customer_provided_image_metadata_is_used_as_given(setup):
    emulator, client, integration_id, dataset = setup
    spec = {"images": [{"objectUrl": f"s3://{BUCKET}/not-read.png", "title": "strict.png",
                        "imageMetadata": {"mimeType": "image/png", "fileSize": 1000, "width": 1920, "height": 1080}}]}
    assert run(dataset, integration_id, spec).status == LongPollingStatus.DONE
    row = rows(client, dataset)["strict.png"]
    assert (row.width, row.height, row.file_type, row.file_size) == (1920, 1080, "image/png", 1000)


def test_manual_progression_shows_pending_progress_and_cancel_keeps_done_units(setup):
    emulator, client, integration_id, dataset = setup
    emulator.set_job_progression("manual")
    urls = [put(emulator, f"m{i}.png", mf.png()) for i in range(3)]
    job_id = dataset.add_private_data_to_dataset_start(integration_id, {"images": [{"objectUrl": u} for u in urls]})
    pending = dataset.add_private_data_to_dataset_get_result(job_id, timeout_seconds=0)
    assert (pending.status, pending.units_pending_count, pending.units_done_count) == (LongPollingStatus.PENDING, 3, 0)

    emulator.advance_job(job_id, units=1)
    eventually(lambda: emulator.upload_job(job_id)["counts"]["done"] == 1)
    progressed = dataset.add_private_data_to_dataset_get_result(job_id, timeout_seconds=0)
    assert (progressed.status, progressed.units_pending_count, progressed.units_done_count) == (
        LongPollingStatus.PENDING, 2, 1)

    emulator.cancel_job(job_id)
    cancelled = dataset.add_private_data_to_dataset_get_result(job_id, timeout_seconds=1)
    assert cancelled.status == LongPollingStatus.CANCELLED
    assert (cancelled.units_done_count, cancelled.units_cancelled_count) == (1, 2)
    assert list(rows(client, dataset)) == ["m0.png"]


def test_cancelling_a_job_after_a_unit_failed_without_ignore_errors_adds_nothing(setup):
    emulator, client, integration_id, dataset = setup
    emulator.set_job_progression("manual")
    good = put(emulator, "fine.png", mf.png())
    missing = f"https://{BUCKET}.s3.amazonaws.com/absent.png"
    job_id = dataset.add_private_data_to_dataset_start(
        integration_id, {"images": [{"objectUrl": good}, {"objectUrl": missing}, {"objectUrl": put(emulator, "later.png", mf.png())}]})
    emulator.advance_job(job_id, units=2)
    eventually(lambda: emulator.upload_job(job_id)["counts"]["error"] == 1)
    emulator.cancel_job(job_id)
    result = dataset.add_private_data_to_dataset_get_result(job_id, timeout_seconds=1)
    assert result.status == LongPollingStatus.ERROR
    assert (result.units_done_count, result.units_error_count, result.units_cancelled_count) == (1, 1, 1)
    assert result.data_hashes_with_titles == []
    assert list(rows(client, dataset)) == []


def test_the_poll_is_held_until_the_job_ends(setup, forger):
    emulator, client, integration_id, dataset = setup
    emulator.set_job_progression("time", seconds=0.5)
    urls = [put(emulator, f"t{i}.png", mf.png()) for i in range(2)]
    job_id = dataset.add_private_data_to_dataset_start(integration_id, {"images": [{"objectUrl": u} for u in urls]})
    forger.intercept(lambda req: None, path="^/public$")
    result = dataset.add_private_data_to_dataset_get_result(job_id, timeout_seconds=30)
    assert result.status == LongPollingStatus.DONE
    assert len(forger.seen) == 1  # one held request, not a busy loop


def test_a_poll_times_out_with_the_job_still_pending(setup, forger):
    emulator, client, integration_id, dataset = setup
    emulator.set_job_progression("manual")
    job_id = dataset.add_private_data_to_dataset_start(
        integration_id, {"images": [{"objectUrl": put(emulator, "w.png", mf.png())}]})
    forger.intercept(lambda req: None, path="^/public$")
    result = dataset.add_private_data_to_dataset_get_result(job_id, timeout_seconds=3)
    assert result.status == LongPollingStatus.PENDING
    assert len(forger.seen) <= 3


def test_csv_upload_through_the_control_api(setup):
    emulator, client, integration_id, dataset = setup
    video = put(emulator, "v.mp4", mf.mp4())
    image = put(emulator, "i.png", mf.png())
    job = emulator.upload(dataset.dataset_hash, integration_id, csv=f"ObjectUrl,Video title\n{video},My video\n"
                                                                     f"ObjectUrl,Image title\n{image},\n")
    job = emulator.upload_job(job["id"], wait=30)
    assert job["status"] == "DONE"
    assert sorted(rows(client, dataset)) == ["My video", "i.png"]


def test_csv_with_a_single_object_url_column_means_videos(setup):
    emulator, client, integration_id, dataset = setup
    image = put(emulator, "i.png", mf.png())
    job = emulator.upload(dataset.dataset_hash, integration_id, csv=f"ObjectUrl\n{image}\n")
    job = emulator.upload_job(job["id"], wait=30)
    assert job["status"] == "ERROR"
    assert job["units"][0]["error"] == f"{image}: Expected a video, got a file of type image/png"


# -- image sequences: at most 32,767 images ---------------------------------------------------------------------------

def test_an_image_sequence_of_more_than_32767_images_is_refused_before_any_image_is_read(setup):
    emulator, client, integration_id, dataset = setup
    writable = emulator.add_integration("w", "OTC", [BUCKET], write=True)
    url = put(emulator, "frame.png", mf.png(4, 4))
    # The count is checked before any object is read, so one tiny object named 32,768 times is enough.
    spec = {"image_groups": [{"title": "too long", "createVideo": True,
                              **{f"objectUrl_{i}": url for i in range(32_768)}}]}
    result = run(dataset, writable["id"], spec)
    assert result.status == LongPollingStatus.ERROR
    assert counts(result) == (0, 0, 1, 0)
    message = "Image sequence 'too long' has 32,768 images; at most 32,767 are supported."
    assert result.errors == [message]
    [error] = result.data_unit_errors
    assert (len(error.object_urls), set(error.object_urls), error.error, error.action_description) == (
        32_768, {url}, message, "Uploading image sequence")
    assert result.data_hashes_with_titles == []
    assert rows(client, dataset) == {}


# -- DICOM: a series agrees on image size -----------------------------------------------------------------------------

@pytest.mark.parametrize("tag, override", [("Rows", {"rows": 16}), ("Columns", {"columns": 4})])
def test_dicom_series_must_agree_on_image_size(setup, tag, override):
    emulator, client, integration_id, dataset = setup
    spec = dicom_series(emulator, "CT", count=3, overrides={2: override})
    result = run(dataset, integration_id, {"dicom_series": [spec]})
    assert_one_unit_failed_the_job(
        result, client, dataset, [spec["objectUrl_0"], spec["objectUrl_1"], spec["objectUrl_2"]],
        f"The value of DICOM tag '{tag}' should be consistent across files in a series. Got "
        f"[{list(override.values())[0]}] from 'slice2.dcm' and [8] from other files in the series.",
        "Uploading DICOM series")


# -- NIfTI ------------------------------------------------------------------------------------------------------------

def test_nifti_volumes_are_read(setup):
    emulator, client, integration_id, dataset = setup
    plain = put(emulator, "brain.nii", mf.nifti((6, 5, 4)))
    gz = put(emulator, "brain.nii.gz", mf.nifti((3, 2, 7), gz=True))
    not_nifti = put(emulator, "fake.nii", mf.png())
    spec = {"nifti": [{"objectUrl": plain, "title": "brain.nii", "clientMetadata": {"scan": 1}},
                      {"objectUrl": gz, "title": "brain.nii.gz"},
                      {"objectUrl": not_nifti, "title": "fake.nii"}]}
    result = run(dataset, integration_id, spec, ignore_errors=True)
    assert result.status == LongPollingStatus.DONE
    assert counts(result) == (0, 2, 1, 0)
    message = f"{not_nifti}: the file cannot be read as a NIfTI image: it is a file of type image/png, not NIfTI"
    assert unit_errors(result) == [([not_nifti], message, "Uploading NIfTI")]
    assert result.errors == [message]
    assert [d.title for d in result.data_hashes_with_titles] == ["brain.nii", "brain.nii.gz"]
    landed = rows(client, dataset)
    assert sorted(landed) == ["brain.nii", "brain.nii.gz"]
    brain, packed = landed["brain.nii"], landed["brain.nii.gz"]
    assert (brain.data_type, brain.width, brain.height, brain.file_type, brain.file_link) == (
        DataType.NIFTI, 6, 5, "application/x-nifti", plain)
    assert (packed.data_type, packed.width, packed.height, packed.file_type) == (DataType.NIFTI, 3, 2,
                                                                                  "application/x-nifti")
    assert brain.file_size == len(mf.nifti((6, 5, 4)))


# -- customer-provided video metadata ---------------------------------------------------------------------------------

def test_customer_provided_video_metadata_is_used_as_given(setup):
    emulator, client, integration_id, dataset = setup
    url = f"s3://{BUCKET}/never-read.mp4"  # no such object: with videoMetadata the service does not read it
    spec = {"videos": [{"objectUrl": url, "title": "strict.mp4",
                        "videoMetadata": {"fps": 25, "duration": 12.4, "width": 1920, "height": 1080,
                                          "fileSize": 123456, "mimeType": "video/mp4"}}]}
    result = run(dataset, integration_id, spec)
    assert (result.status, counts(result), result.errors) == (LongPollingStatus.DONE, (0, 1, 0, 0), [])
    landed = rows(client, dataset)
    assert list(landed) == ["strict.mp4"]
    video = landed["strict.mp4"]
    assert (video.data_type, video.frames_per_second, video.duration, video.width, video.height, video.file_size,
            video.file_type, video.file_link) == (DataType.VIDEO, 25, 12.4, 1920, 1080, 123456, "video/mp4", url)


# -- objectUrl_N ordering ---------------------------------------------------------------------------------------------

def test_object_url_keys_are_ordered_by_their_number_not_as_text(setup):
    emulator, client, integration_id, dataset = setup
    # Listed out of order; as text objectUrl_10 would sort before objectUrl_2.
    spec = {"image_groups": [{"title": "ordered",
                              "objectUrl_10": put(emulator, "o/ten.png", mf.png(8, 8)),
                              "objectUrl_2": put(emulator, "o/two.png", mf.png(8, 8)),
                              "objectUrl_0": put(emulator, "o/zero.png", mf.png(8, 8)),
                              "objectUrl_1": put(emulator, "o/one.png", mf.png(8, 8))}]}
    result = run(dataset, integration_id, spec)
    assert (result.status, counts(result)) == (LongPollingStatus.DONE, (0, 1, 0, 0))
    [group] = client.get_dataset(dataset.dataset_hash).list_data_rows()
    assert group.title == "ordered"
    assert [(i.title, i.file_link) for i in group.images_data] == [
        ("zero.png", f"s3://{BUCKET}/o/zero.png"), ("one.png", f"s3://{BUCKET}/o/one.png"),
        ("two.png", f"s3://{BUCKET}/o/two.png"), ("ten.png", f"s3://{BUCKET}/o/ten.png")]


# -- skip_duplicate_urls and upsert_metadata for groups and series ----------------------------------------------------

def test_skip_duplicate_urls_for_image_groups_compares_all_their_urls(setup):
    emulator, client, integration_id, dataset = setup
    a, b = put(emulator, "dg/a.png", mf.png(8, 8)), put(emulator, "dg/b.png", mf.png(8, 8))
    first = run(dataset, integration_id, {"image_groups": [{"title": "group", "objectUrl_0": a, "objectUrl_1": b}]})
    [original] = first.data_hashes_with_titles
    spec = {"skip_duplicate_urls": True, "image_groups": [
        {"title": "same urls, new title", "objectUrl_0": a, "objectUrl_1": b, "clientMetadata": {"v": 2}},
        {"title": "only a", "objectUrl_0": a},
        {"title": "reversed", "objectUrl_0": b, "objectUrl_1": a}]}
    job_id = dataset.add_private_data_to_dataset_start(integration_id, spec)
    second = dataset.add_private_data_to_dataset_get_result(job_id, timeout_seconds=30)
    assert (second.status, counts(second), second.errors) == (LongPollingStatus.DONE, (0, 3, 0, 0), [])
    assert [u["skipped"] for u in emulator.upload_job(job_id)["units"]] == [True, False, False]
    reported = [(d.title, d.data_hash) for d in second.data_hashes_with_titles]
    assert reported[0] == ("group", original.data_hash)  # the skipped unit reports the row the dataset already has
    landed = client.get_dataset(dataset.dataset_hash,
                                dataset_access_settings=DatasetAccessSettings(fetch_client_metadata=True)).data_rows
    assert sorted(r.title for r in landed) == ["group", "only a", "reversed"]
    assert {r.title: r.client_metadata for r in landed}["group"] == {}  # no upsert_metadata: metadata untouched


def test_skip_duplicate_urls_for_dicom_series_and_upsert_their_metadata(setup):
    emulator, client, integration_id, dataset = setup
    series = dicom_series(emulator, "CT", count=2)
    first = run(dataset, integration_id, {"dicom_series": [{**series, "clientMetadata": {"v": 1}}]})
    [original] = first.data_hashes_with_titles
    spec = {"skip_duplicate_urls": True, "upsert_metadata": True,
            "dicom_series": [{**series, "title": "CT again", "clientMetadata": {"v": 2}},
                             {"title": "CT first slice", "objectUrl_0": series["objectUrl_0"]}]}
    job_id = dataset.add_private_data_to_dataset_start(integration_id, spec)
    second = dataset.add_private_data_to_dataset_get_result(job_id, timeout_seconds=30)
    assert (second.status, counts(second), second.errors) == (LongPollingStatus.DONE, (0, 2, 0, 0), [])
    assert [u["skipped"] for u in emulator.upload_job(job_id)["units"]] == [True, False]
    assert [(d.title, d.data_hash, d.backing_item_uuid) for d in second.data_hashes_with_titles][0] == (
        "CT", original.data_hash, original.backing_item_uuid)
    landed = client.get_dataset(dataset.dataset_hash,
                                dataset_access_settings=DatasetAccessSettings(fetch_client_metadata=True)).data_rows
    assert {r.title: r.client_metadata for r in landed} == {"CT": {"v": 2}, "CT first slice": {}}


def test_a_failed_job_does_not_upsert_the_metadata_of_skipped_units(setup):
    emulator, client, integration_id, dataset = setup
    url = put(emulator, "kept.png", mf.png())
    first = run(dataset, integration_id, {"images": [{"objectUrl": url, "title": "kept.png",
                                                      "clientMetadata": {"v": 1}}]})
    missing = f"s3://{BUCKET}/gone.png"
    spec = {"skip_duplicate_urls": True, "upsert_metadata": True,
            "images": [{"objectUrl": url, "title": "kept.png", "clientMetadata": {"v": 2}}, {"objectUrl": missing}]}
    result = run(dataset, integration_id, spec)
    assert (result.status, counts(result)) == (LongPollingStatus.ERROR, (0, 1, 1, 0))
    message = f"{missing}: the object does not exist in bucket '{BUCKET}'."
    assert (result.errors, unit_errors(result)) == ([message], [([missing], message, "Uploading image")])
    landed = client.get_dataset(dataset.dataset_hash,
                                dataset_access_settings=DatasetAccessSettings(fetch_client_metadata=True)).data_rows
    assert [(r.uid, r.title, r.client_metadata) for r in landed] == [
        (first.data_hashes_with_titles[0].data_hash, "kept.png", {"v": 1})]  # whole or nothing: no upsert either


def test_a_job_that_ends_in_error_reports_no_data_hashes_even_for_skipped_units(setup):
    emulator, client, integration_id, dataset = setup
    url = put(emulator, "there.png", mf.png())
    run(dataset, integration_id, {"images": [{"objectUrl": url}]})
    result = run(dataset, integration_id, {"skip_duplicate_urls": True,
                                           "images": [{"objectUrl": url}, {"objectUrl": f"s3://{BUCKET}/gone.png"}]})
    assert (result.status, counts(result)) == (LongPollingStatus.ERROR, (0, 1, 1, 0))
    assert result.data_hashes_with_titles == []  # as for every other job that ends ERROR: whole or nothing
    assert list(rows(client, dataset)) == ["there.png"]


def test_upsert_metadata_without_skip_duplicate_urls_leaves_existing_rows_alone(setup):
    emulator, client, integration_id, dataset = setup
    url = put(emulator, "meta.png", mf.png())
    first = run(dataset, integration_id, {"images": [{"objectUrl": url, "title": "meta.png",
                                                      "clientMetadata": {"v": 1}}]})
    second = run(dataset, integration_id, {"upsert_metadata": True,
                                           "images": [{"objectUrl": url, "title": "meta.png",
                                                       "clientMetadata": {"v": 2}}]})
    assert (second.status, counts(second), second.errors) == (LongPollingStatus.DONE, (0, 1, 0, 0), [])
    [added] = second.data_hashes_with_titles
    assert added.data_hash != first.data_hashes_with_titles[0].data_hash  # a new row, not the old one updated
    landed = client.get_dataset(dataset.dataset_hash,
                                dataset_access_settings=DatasetAccessSettings(fetch_client_metadata=True)).data_rows
    assert sorted((r.uid, r.title, r.client_metadata["v"]) for r in landed) == sorted([
        (first.data_hashes_with_titles[0].data_hash, "meta.png", 1), (added.data_hash, "meta.png", 2)])


# -- results land in attached projects --------------------------------------------------------------------------------

def test_an_upload_lands_as_uninitialised_label_rows_in_attached_projects(setup):
    emulator, client, integration_id, dataset = setup
    ontology = client.create_ontology("Fruit ontology")
    project = client.get_project(client.create_project("Fruit project", [dataset.dataset_hash],
                                                       ontology_hash=ontology.ontology_hash))
    assert project.list_label_rows_v2() == []
    failed = run(dataset, integration_id, {"images": [{"objectUrl": put(emulator, "p1.png", mf.png())},
                                                      {"objectUrl": f"s3://{BUCKET}/absent.png"}]})
    assert (failed.status, counts(failed)) == (LongPollingStatus.ERROR, (0, 1, 1, 0))
    assert project.list_label_rows_v2() == []  # a failed job adds nothing, to the dataset or its projects

    spec = {"images": [{"objectUrl": put(emulator, "p2.png", mf.png(10, 20)), "title": "p2.png"}],
            "videos": [{"objectUrl": put(emulator, "p.mp4", mf.mp4(64, 48, fps=5, frames=10)), "title": "p.mp4"}]}
    result = run(dataset, integration_id, spec)
    assert (result.status, counts(result)) == (LongPollingStatus.DONE, (0, 2, 0, 0))
    hashes = {d.title: d.data_hash for d in result.data_hashes_with_titles}
    label_rows = {r.data_title: r for r in project.list_label_rows_v2()}
    assert sorted(label_rows) == ["p.mp4", "p2.png"]
    assert {t: r.data_hash for t, r in label_rows.items()} == hashes
    assert all(r.label_hash is None for r in label_rows.values())
    assert (label_rows["p2.png"].data_type, label_rows["p.mp4"].data_type) == (DataType.IMAGE, DataType.VIDEO)
    assert label_rows["p.mp4"].number_of_frames == 10


# -- object URLs of other clouds --------------------------------------------------------------------------------------

@pytest.mark.parametrize("provider, url_of, location", [
    ("AZURE", lambda bucket, key: f"https://fruitaccount.blob.core.windows.net/{bucket}/{key}", StorageLocation.AZURE),
    ("WASABI", lambda bucket, key: f"https://{bucket}.s3.eu-central-1.wasabisys.com/{key}",
     StorageLocation.S3_COMPATIBLE),
    ("WASABI", lambda bucket, key: f"https://s3.eu-central-1.wasabisys.com/{bucket}/{key}",
     StorageLocation.S3_COMPATIBLE),
    ("AWS", lambda bucket, key: f"https://{bucket}.s3.eu-west-1.amazonaws.com/{key}", StorageLocation.AWS),
    ("AWS", lambda bucket, key: f"https://{bucket}.s3-eu-west-1.amazonaws.com/{key}", StorageLocation.AWS),
    ("AWS", lambda bucket, key: f"https://{bucket}.s3.amazonaws.com/{key}", StorageLocation.AWS),
], ids=["azure", "wasabi", "wasabi-path-style", "s3-virtual-hosted-regional", "s3-virtual-hosted-dash-region",
        "s3-virtual-hosted-global"])
def test_cloud_object_urls_are_read_through_an_integration_of_their_provider(setup, provider, url_of, location):
    emulator, client, integration_id, dataset = setup
    bucket = "cloud-fruit"
    integration = emulator.add_integration(f"{provider} fruit", provider, [bucket])
    emulator.put_object(bucket, "dir/cherry.png", mf.png(12, 34))
    emulator.put_object("not-granted", "dir/cherry.png", mf.png())
    url = url_of(bucket, "dir/cherry.png")
    missing, ungranted = url_of(bucket, "dir/absent.png"), url_of("not-granted", "dir/cherry.png")
    spec = {"images": [{"objectUrl": url, "title": "cherry.png"}, {"objectUrl": missing},
                       {"objectUrl": ungranted}]}
    result = run(dataset, integration["id"], spec, ignore_errors=True)
    assert (result.status, counts(result)) == (LongPollingStatus.DONE, (0, 1, 2, 0))
    assert unit_errors(result) == [
        ([missing], f"{missing}: the object does not exist in bucket '{bucket}'.", "Uploading image"),
        ([ungranted], f"{ungranted}: the integration '{provider} fruit' has no access to bucket 'not-granted'.",
         "Uploading image")]
    landed = rows(client, dataset)
    assert list(landed) == ["cherry.png"]
    row = landed["cherry.png"]
    assert (row.width, row.height, row.file_type, row.file_link, row.storage_location) == (
        12, 34, "image/png", url, location)


# -- a persistent emulator that restarts mid-job ------------------------------------------------------------------------

@pytest.fixture(params=["in-process", "server"])
def start_persistent(request, tmp_path):
    """Starts an emulator on one data directory (each started one stops at the test's end at the latest), in the
    mode of the parameter; returns a function to stop it and the handle tests use."""
    running = []

    def start():
        config = EmulatorConfig(data_dir=str(tmp_path))
        if request.param == "in-process":
            mock = mock_encord(config).start()
            emulator, stop = EmulatorHandle(mock.url, None, mock.backend), mock.stop
        else:
            server = ThreadedEncordServer(config=config).start()
            emulator, stop = EmulatorHandle(server.url, server.s3.url, server.backend), server.stop
        running.append(stop)

        def stop_now():
            running.remove(stop)
            stop()

        return stop_now, emulator

    yield start
    for stop in running:
        stop()


def three_image_job(start_persistent, ignore_errors: bool):
    """A manual job of three images, two of them done when the emulator stops."""
    stop, emulator = start_persistent()
    user = emulator.register_user("restarts@example.com")
    client = emulator.user_client("restarts@example.com")
    integration = emulator.add_integration("fruit", "AWS", [BUCKET])
    dataset = client.get_dataset(client.create_dataset("Restarts", StorageLocation.AWS).dataset_hash)
    emulator.set_job_progression("manual")
    urls = [put(emulator, f"r{i}.png", mf.png()) for i in range(3)]
    job_id = dataset.add_private_data_to_dataset_start(integration["id"], {"images": [{"objectUrl": u} for u in urls]},
                                                       ignore_errors=ignore_errors)
    emulator.advance_job(job_id, units=2)
    eventually(lambda: emulator.upload_job(job_id)["counts"]["done"] == 2)
    stop()  # the job is still PENDING
    return user, dataset.dataset_hash, integration["id"], job_id


@pytest.mark.parametrize("ignore_errors, landed_before", [(True, 2), (False, 0)])
def test_a_job_interrupted_by_a_restart_goes_on_where_it_was(start_persistent, ignore_errors, landed_before):
    user, dataset_hash, integration_id, job_id = three_image_job(start_persistent, ignore_errors)
    stop, emulator = start_persistent()
    client = EncordUserClient.create_with_ssh_private_key(ssh_private_key=user.private_key, domain=emulator.url)
    dataset = client.get_dataset(dataset_hash)
    resumed = dataset.add_private_data_to_dataset_get_result(job_id, timeout_seconds=0)
    # What landed before the restart stays done; the rest runs again (still by hand: the job's progression).
    assert (resumed.status, counts(resumed)) == (LongPollingStatus.PENDING, (3 - landed_before, landed_before, 0, 0))
    emulator.advance_job(job_id)
    result = dataset.add_private_data_to_dataset_get_result(job_id, timeout_seconds=30)
    assert (result.status, counts(result)) == (LongPollingStatus.DONE, (0, 3, 0, 0))
    landed = client.get_dataset(dataset_hash).data_rows
    assert sorted(r.title for r in landed) == ["r0.png", "r1.png", "r2.png"]  # none twice
    assert sorted(h.data_hash for h in result.data_hashes_with_titles) == sorted(r.uid for r in landed)


def test_an_interrupted_job_whose_integration_is_gone_ends_in_error(start_persistent, tmp_path):
    user, dataset_hash, integration_id, job_id = three_image_job(start_persistent, ignore_errors=True)
    store = Store(tmp_path)
    store.delete(INTEGRATIONS, integration_id)
    store.close()
    stop, emulator = start_persistent()
    client = EncordUserClient.create_with_ssh_private_key(ssh_private_key=user.private_key, domain=emulator.url)
    result = client.get_dataset(dataset_hash).add_private_data_to_dataset_get_result(job_id, timeout_seconds=0)
    assert (result.status, counts(result)) == (LongPollingStatus.ERROR, (0, 2, 0, 1))
    assert result.errors == [f"The emulator stopped before this upload job finished, and its integration "
                             f"{integration_id} is gone; start the upload again."]
    assert sorted(r.title for r in client.get_dataset(dataset_hash).data_rows) == ["r0.png", "r1.png"]


def test_an_upload_unit_is_stored_with_every_field_and_read_back_the_same():
    unit = UploadUnit(kind="dicom_series", files=[SourceFile("s3://b/1.dcm", "one", {"fileSize": 3}),
                                                  SourceFile("s3://b/2.dcm")],
                      title="CT", client_metadata={"site": "A"}, scene={"url": "s3://b/s.json"})
    assert unit.to_doc() == asdict(unit)
    assert UploadUnit.from_doc(unit.to_doc()) == unit


def test_the_data_units_of_one_job_list_in_the_order_the_job_gave_them(setup):
    emulator, client, integration_id, dataset = setup
    titles = ["cherry.png", "apple.png", "banana.png"]
    dataset.add_private_data_to_dataset(integration_id, {"images": [
        {"objectUrl": put(emulator, title, mf.png()), "title": title} for title in titles]})
    assert [row.title for row in dataset.list_data_rows()] == titles
    project = client.get_project(client.create_project("Fruit", [dataset.dataset_hash]))
    assert [row.data_title for row in project.list_label_rows_v2()] == titles
