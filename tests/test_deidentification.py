"""DICOM de-identification through the real SDK: files of an integration's bucket lose every tag but the documented
ones and are written next to the originals (or in the upload directory) as ``deid_<timestamp>_<name>``."""

import io

import media_factory as mf
import pydicom
import pytest
from encord.exceptions import InvalidArgumentsError, ResourceNotFoundError
from encord.objects.common import (
    DeidentifyRedactTextMode,
    SaveDeidentifiedDicomConditionIn,
    SaveDeidentifiedDicomConditionNotSubstr,
)

BUCKET = "scans"


def identified_dicom(modality="CT", sop_uid="1.2.3.1") -> bytes:
    ds = pydicom.dcmread(io.BytesIO(mf.dicom(sop_uid=sop_uid)))
    ds.PatientName, ds.PatientBirthDate, ds.InstitutionName = "Doe^Jane", "19700101", "St Elsewhere"
    ds.Modality = modality
    ds.add_new(0x00090010, "LO", "ACME private")
    out = io.BytesIO()
    ds.save_as(out)
    return out.getvalue()


def read_back(emulator, url: str) -> pydicom.Dataset:
    bucket, _, key = url.removeprefix("s3://").partition("/")
    return pydicom.dcmread(io.BytesIO(emulator.s3.get_object(Bucket=bucket, Key=key)["Body"].read()))


@pytest.fixture
def scans(encord_emulator):
    client = encord_emulator.user_client()
    integration = encord_emulator.add_integration("scans", "AWS", [BUCKET], write=True)
    encord_emulator.put_object(BUCKET, "study/a.dcm", identified_dicom())
    return encord_emulator, client, integration["id"]


def test_deidentify_removes_every_tag_but_the_documented_ones(emulator):
    client = emulator.user_client()
    integration = emulator.add_integration("scans", "AWS", [BUCKET], write=True)
    emulator.put_object(BUCKET, "study/a.dcm", identified_dicom())
    [url] = client.deidentify_dicom_files([f"s3://{BUCKET}/study/a.dcm"], integration["id"])
    directory, _, name = url.rpartition("/")
    assert directory == f"s3://{BUCKET}/study" and name.startswith("deid_") and name.endswith("_a.dcm")
    ds = read_back(emulator, url)
    for removed in ("PatientID", "PatientBirthDate", "InstitutionName", "Modality", "InstanceNumber",
                    "PixelSpacing"):
        assert removed not in ds
    assert 0x00090010 not in ds
    assert (str(ds.PatientName), ds.SOPInstanceUID, ds.StudyInstanceUID) == ("Doe^Jane", "1.2.3.1", "1.2.1")
    assert ds.pixel_array.shape == (8, 8)
    original = read_back(emulator, f"s3://{BUCKET}/study/a.dcm")
    assert original.PatientBirthDate == "19700101"


def test_start_and_poll_write_to_the_upload_directory(scans):
    emulator, client, integration_id = scans
    task = client.deidentify_dicom_files_start([f"s3://{BUCKET}/study/a.dcm"], integration_id,
                                               upload_dir=f"s3://{BUCKET}/clean/")
    [url] = client.deidentify_dicom_files_get_result(task, timeout_seconds=10)
    assert url.startswith(f"s3://{BUCKET}/clean/deid_")
    assert read_back(emulator, url).SeriesInstanceUID == "1.2.2"


def test_without_tag_redaction_the_tags_stay(scans):
    emulator, client, integration_id = scans
    [url] = client.deidentify_dicom_files([f"s3://{BUCKET}/study/a.dcm"], integration_id, redact_dicom_tags=False)
    assert read_back(emulator, url).PatientBirthDate == "19700101"


def test_save_conditions_keep_only_the_files_that_meet_them(scans):
    emulator, client, integration_id = scans
    emulator.put_object(BUCKET, "study/mr.dcm", identified_dicom(modality="MR", sop_uid="1.2.3.2"))
    urls = [f"s3://{BUCKET}/study/a.dcm", f"s3://{BUCKET}/study/mr.dcm"]
    [kept] = client.deidentify_dicom_files(urls, integration_id, save_conditions=[
        SaveDeidentifiedDicomConditionIn(value=["MR", "US"], dicom_tag="x00080060")])
    assert kept.endswith("_mr.dcm")
    assert client.deidentify_dicom_files(urls, integration_id, save_conditions=[
        SaveDeidentifiedDicomConditionNotSubstr(value="Doe", dicom_tag="PatientName")]) == []


def test_a_file_that_is_not_dicom_fails_the_task_and_nothing_is_written(scans):
    emulator, client, integration_id = scans
    emulator.put_object(BUCKET, "study/notes.dcm", b"not a dicom file")
    task = client.deidentify_dicom_files_start([f"s3://{BUCKET}/study/a.dcm", f"s3://{BUCKET}/study/notes.dcm"],
                                               integration_id)
    with pytest.raises(ValueError) as e:
        client.deidentify_dicom_files_get_result(task, timeout_seconds=10)
    assert str(e.value) == f"dicom deidentification job failed, dicom_deid_uuid={task!r}, please contact support"
    assert [o["Key"] for o in emulator.s3.list_objects_v2(Bucket=BUCKET)["Contents"]] == [
        "study/a.dcm", "study/notes.dcm"]


def test_refusals(scans):
    emulator, client, integration_id = scans
    read_only = emulator.add_integration("read only", "AWS", [BUCKET])
    url = f"s3://{BUCKET}/study/a.dcm"
    cases = [
        (lambda: client.deidentify_dicom_files_start(["s3://elsewhere/a.dcm"], integration_id),
         "s3://elsewhere/a.dcm: the integration 'scans' has no access to bucket 'elsewhere'."),
        (lambda: client.deidentify_dicom_files_start([url], integration_id, upload_dir="s3://elsewhere/out"),
         "uploadDir: s3://elsewhere/out is not a directory of a bucket integration 'scans' has access to."),
        (lambda: client.deidentify_dicom_files_start([], integration_id),
         "dicomUrls: list at least one DICOM file to de-identify."),
        (lambda: client.deidentify_dicom_files_start([url], read_only["id"]),
         "De-identified DICOM files are written to the bucket; integration 'read only' is read-only."),
        (lambda: client.deidentify_dicom_files_start(
            [url], integration_id, redact_pixels_mode=DeidentifyRedactTextMode.REDACT_ALL_TEXT),
         "redactPixelsMode: REDACT_ALL_TEXT needs the text burnt into the pixels read (OCR), which the emulator "
         "does not do; use REDACT_NO_TEXT."),
        (lambda: client.deidentify_dicom_files_start([url], integration_id, save_conditions=[
            SaveDeidentifiedDicomConditionIn(value=["CT"], dicom_tag="Modalty")]),
         "saveConditions: 'Modalty' is not a DICOM tag: write its keyword (PatientID) or its number (x00100020)."),
    ]
    for call, message in cases:
        with pytest.raises(InvalidArgumentsError) as e:
            call()
        assert e.value.message == message


def test_unknown_integration_and_another_users_task(scans):
    emulator, client, integration_id = scans
    other = emulator.user_client("other@example.com")
    missing = "00000000-0000-0000-0000-000000000000"
    with pytest.raises(ResourceNotFoundError) as e:
        other.deidentify_dicom_files_start([f"s3://{BUCKET}/study/a.dcm"], missing)
    assert e.value.message == "The requested resource was not found."
    task = client.deidentify_dicom_files_start([f"s3://{BUCKET}/study/a.dcm"], integration_id)
    with pytest.raises(ResourceNotFoundError) as e:
        other.deidentify_dicom_files_get_result(task, timeout_seconds=5)
    assert e.value.message == "The requested resource was not found."
