"""Every JSON example of seed 002 ("Import Data from OTC"), copied verbatim into tests/data/seed_002, run through the
SDK against objects put in the bucket the example names. Where an example is itself broken, the test shows the
exact error a user gets, and is named after the example."""

import json
import re
from pathlib import Path

import media_factory as mf
import pytest
from encord.orm.dataset import DatasetAccessSettings, LongPollingStatus, StorageLocation

from emulator.buckets.object_urls import UnparseableObjectUrl, resolve_object_url

EXAMPLES = Path(__file__).parent / "data" / "seed_002"
MEDIA_BY_EXTENSION = {".mp4": mf.mp4, ".mov": mf.mp4, ".jpg": mf.jpeg, ".png": mf.png, ".dcm": None}


def example(name: str) -> str:
    return (EXAMPLES / f"{name}.json").read_text(encoding="utf-8")


def object_urls(spec: dict) -> list[str]:
    return [v for items in spec.values() if isinstance(items, list) for item in items
            for k, v in item.items() if k == "objectUrl" or k.startswith("objectUrl_")]


@pytest.fixture
def otc(emulator):
    """Seed 002's set-up: an OTC integration (with write access, for image sequences) over encord-bucket."""
    client = emulator.user_client()
    integration = emulator.add_integration("OTC", "OTC", ["encord-bucket"], write=True)
    dataset = client.get_dataset(client.create_dataset("OTC import", StorageLocation.S3_COMPATIBLE).dataset_hash)
    return emulator, client, integration["id"], dataset


def put_objects(emulator, spec: dict) -> None:
    """Real media for every URL of the example that names an object (templates' placeholders name none)."""
    for dicom_index, url in enumerate(object_urls(spec)):
        try:
            location = resolve_object_url(url)
        except UnparseableObjectUrl:
            continue
        extension = Path(location.key).suffix.lower()
        data = mf.dicom(sop_uid=f"1.2.3.{dicom_index}", series_uid=location.key.split("-file")[0],
                        instance_number=dicom_index) if extension == ".dcm" else MEDIA_BY_EXTENSION[extension]()
        emulator.put_object(location.bucket, location.key, data)


def run_example(otc, name: str):
    emulator, client, integration_id, dataset = otc
    text = example(name)
    put_objects(emulator, json.loads(text))
    job = dataset.add_private_data_to_dataset_start(integration_id, text, ignore_errors=True)
    result = dataset.add_private_data_to_dataset_get_result(job, timeout_seconds=60)
    assert result.status == LongPollingStatus.DONE
    rows = client.get_dataset(dataset.dataset_hash,
                              dataset_access_settings=DatasetAccessSettings(fetch_client_metadata=True)).data_rows
    return result, {r.title: r for r in rows}


@pytest.mark.parametrize("name, units", [
    ("01_videos_template", 4), ("04_images_template", 4), ("07_image_groups_template", 2),
    ("10_image_sequences_template", 2),
])
def test_template_examples_fail_on_their_placeholder_urls(otc, name, units):
    result, rows = run_example(otc, name)
    assert (result.units_done_count, result.units_error_count) == (0, units)
    assert rows == {}
    for error in result.data_unit_errors:
        assert re.match(r"The object URL .* (is not an s3://, gs:// or http\(s\):// URL of an object|is wrapped in "
                        r"angle brackets; remove the < and >)\.$", error.error), error.error


def test_videos_otc_example_adds_every_video_including_the_url_listed_twice(otc):
    # skip_duplicate_urls skips what the dataset already has; boat_lake.MP4 appears twice in the same example and
    # the dataset has neither, so both are added.
    result, rows = run_example(otc, "02_videos_otc")
    assert (result.units_done_count, result.units_error_count) == (8, 0)
    assert len(result.data_hashes_with_titles) == 8
    assert [d.title for d in result.data_hashes_with_titles].count("boat_lake.MP4") == 2


def test_videos_with_titles_and_metadata_example(otc):
    result, rows = run_example(otc, "03_videos_titles_metadata")
    assert sorted(rows) == ["Blueberries video 1", "Blueberries video 2", "Blueberries video 3", "Cherries video 1",
                            "Cherries video 2"]
    assert rows["Cherries video 1"].client_metadata == {"Location": "BC", "Harvested": "Mid Aug"}
    assert rows["Cherries video 1"].frames_per_second == 5.0


def test_images_otc_example_reads_percent_encoded_keys(otc):
    result, rows = run_example(otc, "05_images_otc")
    assert (result.units_done_count, result.units_error_count) == (6, 0)
    assert "large_images/pexels-ivo-rainha-00057.png" in rows


def test_images_with_titles_and_metadata_example(otc):
    result, rows = run_example(otc, "06_images_titles_metadata")
    assert sorted(rows) == ["Blueberry 0001", "Blueberry 0002", "Blueberry 0003", "Cherry 0001", "Cherry 0002",
                            "Cherry 0003"]
    assert rows["Blueberry 0003"].client_metadata == {"Location": "NY", "Harvested": "Late July"}


def test_image_groups_otc_example_fails_the_group_with_an_angle_bracketed_url(otc):
    result, rows = run_example(otc, "08_image_groups_otc")
    assert list(rows) == ["Image group 01"]
    [error] = result.data_unit_errors
    assert error.error == ("The object URL <https://encord-bucket.obs.eu-de.otc.t-systems.com/thing-0002.jpg is wrapped "
                           "in angle brackets; remove the < and >.")
    assert error.action_description == "Uploading image group"


def test_image_groups_with_titles_and_metadata_example(otc):
    result, rows = run_example(otc, "09_image_groups_titles_metadata")
    assert sorted(rows) == ["Blueberries image group 1", "Cherries image group 1"]
    assert rows["Cherries image group 1"].client_metadata == {"Location": "BC", "Harvested": "Mid Aug"}


def test_image_sequences_otc_example_fails_the_sequence_with_an_angle_bracketed_url(otc):
    result, rows = run_example(otc, "11_image_sequences_otc")
    assert list(rows) == ["Image sequence 001"]
    assert result.data_unit_errors[0].action_description == "Uploading image sequence"


def test_image_sequences_example_cherries_sequence_01_has_create_video_false_so_is_an_image_group(otc):
    emulator, *_ = otc
    result, rows = run_example(otc, "12_image_sequences_titles_metadata")
    assert sorted(rows) == ["Blueberries sequence 01", "Cherries sequence 01"]
    units = {u["title"]: u["kind"] for u in emulator.control("GET", "upload-jobs")["upload_jobs"][0]["units"]}
    assert units == {"Blueberries sequence 01": "image_sequence", "Cherries sequence 01": "image_group"}


def test_dicom_series_example_has_trailing_commas_and_fails_in_the_sdk(otc):
    emulator, client, integration_id, dataset = otc
    with pytest.raises(json.JSONDecodeError) as e:
        dataset.add_private_data_to_dataset_start(integration_id, example("13_dicom_series"))
    assert str(e.value) == "Expecting property name enclosed in double quotes: line 12 column 5 (char 493)"
    assert emulator.control("GET", "upload-jobs")["upload_jobs"] == []


def test_dicom_series_example_with_its_trailing_commas_removed_imports_three_series(otc):
    emulator, client, integration_id, dataset = otc
    fixed = re.sub(r",(\s*[}\]])", r"\1", example("13_dicom_series"))
    put_objects(emulator, json.loads(fixed))
    job = dataset.add_private_data_to_dataset_start(integration_id, fixed)
    result = dataset.add_private_data_to_dataset_get_result(job, timeout_seconds=60)
    assert (result.status, result.units_done_count) == (LongPollingStatus.DONE, 3)


def test_multiple_file_types_example_repeats_image_groups_so_its_two_sequences_are_lost(otc):
    # JSON keeps the last of a repeated key: the example's first "image_groups" (two sequences) never reaches us.
    result, rows = run_example(otc, "14_multiple_file_types")
    assert sorted(rows) == ["Cooking.mp4", "Image1.png", "Oranges.mp4", "apple-ios-light"]
    assert result.units_done_count == 4
