"""Cloud ingestion through the real SDK: upload jobs open every object in moto's buckets and follow the rules."""

import json
import time

import media_factory as mf
import pytest
from encord.constants.enums import DataType
from encord.exceptions import EncordException, InvalidArgumentsError, ResourceNotFoundError
from encord.orm.dataset import DatasetAccessSettings, LongPollingStatus, StorageLocation

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


def run(dataset, integration_id, spec, ignore_errors=False):
    job = dataset.add_private_data_to_dataset_start(integration_id, spec, ignore_errors=ignore_errors)
    return dataset.add_private_data_to_dataset_get_result(job, timeout_seconds=30)


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
    assert {d.data_hash for d in result.data_hashes_with_titles} == {r.uid for r in landed.values()}
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
    result = run(dataset, integration_id, spec, ignore_errors=True)
    assert result.status == LongPollingStatus.DONE
    assert (result.units_done_count, result.units_error_count) == (1, 3)
    assert [d.title for d in result.data_hashes_with_titles] == ["ok.png"]
    errors = {tuple(e.object_urls): e.error for e in result.data_unit_errors}
    assert errors[(f"s3://{BUCKET}/corrupt.png",)].startswith(f"s3://{BUCKET}/corrupt.png: ")
    assert errors[("s3://other-bucket/x.png",)] == (
        "s3://other-bucket/x.png: the integration 'fruit' has no access to bucket 'other-bucket'.")
    assert "<https://fruit-bucket.obs.eu-de.otc.t-systems.com/x.png>" in errors[
        ("<https://fruit-bucket.obs.eu-de.otc.t-systems.com/x.png>",)]
    assert list(rows(client, dataset)) == ["ok.png"]


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
    assert result.status == LongPollingStatus.ERROR
    assert result.data_unit_errors[0].object_urls == [f"s3://{BUCKET}/g/1.png", f"s3://{BUCKET}/g/missing.png"]
    assert result.data_unit_errors[0].error == f"s3://{BUCKET}/g/missing.png: the object does not exist in bucket '{BUCKET}'."
    assert result.data_unit_errors[0].action_description == "Uploading image group"


def test_image_sequence_needs_write_access(setup):
    emulator, client, integration_id, dataset = setup
    spec = {"image_groups": [{"title": "Cherries sequence", "createVideo": True,
                              "objectUrl_0": put(emulator, "s/1.png", mf.png())}]}
    result = run(dataset, integration_id, spec)
    assert result.status == LongPollingStatus.ERROR
    assert result.errors == ["Image sequence 'Cherries sequence' needs an integration with write access; "
                             "integration 'fruit' is read-only."]
    assert result.data_unit_errors[0].action_description == "Uploading image sequence"

    writable = emulator.add_integration("fruit (write)", "OTC", [BUCKET], write=True)
    assert run(dataset, writable["id"], spec).status == LongPollingStatus.DONE
    sequence = rows(client, dataset)["Cherries sequence"]
    assert sequence.data_type == DataType.IMG_GROUP


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
    assert result.status == LongPollingStatus.ERROR
    assert result.data_unit_errors[0].error == (
        f"DICOM file 'slice1.dcm' ({spec['objectUrl_1']}): missing required DICOM tag(s): {tag}")
    assert result.data_unit_errors[0].action_description == "Uploading DICOM series"
    assert result.data_unit_errors[0].object_urls == [spec["objectUrl_0"], spec["objectUrl_1"]]
    assert rows(client, dataset) == {}


def test_dicom_series_must_agree_on_study_and_not_repeat_sop_uids(setup):
    emulator, client, integration_id, dataset = setup
    other_study = dicom_series(emulator, "A", count=2, overrides={1: {"study_uid": "9.9.9"}})
    repeated = dicom_series(emulator, "B", count=2, overrides={1: {"sop_uid": "1.2.3.0"}})
    result = run(dataset, integration_id, {"dicom_series": [other_study, repeated]}, ignore_errors=True)
    errors = [e.error for e in result.data_unit_errors]
    assert errors == [
        "The value of DICOM tag 'StudyInstanceUID' should be consistent across files in a series. Got [9.9.9] from "
        "'slice1.dcm' and [1.2.1] from other files in the series.",
        "The DICOM tag 'SOPInstanceUID' must be unique within a series: [1.2.3.0] is in both 'slice0.dcm' and "
        "'slice1.dcm'.",
    ]


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
    assert result.errors == [f"{url}: Expected a video, got a file of type image/png"]


def test_names_and_titles_over_300_characters_are_unit_errors(setup):
    emulator, client, integration_id, dataset = setup
    long_key = "x" * 297 + ".png"
    long_url = put(emulator, long_key, mf.png())
    ok_url = put(emulator, "ok.png", mf.png())
    result = run(dataset, integration_id, {"images": [{"objectUrl": long_url}, {"objectUrl": ok_url, "title": "t" * 301}]},
                 ignore_errors=True)
    assert result.errors == [f"{long_url}: the file name is 301 characters long; at most 300 are supported.",
                             f"{ok_url}: the title '{'t' * 40}…' is 301 characters long; at most 300 are supported."]
    assert rows(client, dataset) == {}


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
