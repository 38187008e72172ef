"""The service's limits, applied and configurable: units per upload job, objects per label row. A request over a limit
is refused whole, with an error naming the limit and the count, and nothing of it lands."""

import pytest
from encord.exceptions import InvalidArgumentsError
from encord.objects import Object, OntologyStructure, Shape
from encord.objects.coordinates import BoundingBoxCoordinates
from encord.objects.frames import Range
from encord.orm.dataset import StorageLocation

from emulator.cli import main
from emulator.testing import ControlError

BUCKET = "limits-bucket"
IMAGE = {"mimeType": "image/png", "fileSize": 100, "width": 64, "height": 48}


def images(count: int) -> dict:
    return {"images": [{"objectUrl": f"s3://{BUCKET}/{i}.png", "title": f"{i}.png", "imageMetadata": IMAGE}
                       for i in range(count)]}


def units_message(count: int) -> str:
    return (f"The upload lists {count} data units; one upload job may register at most 3 (max_upload_job_units): "
            "split it into several jobs.")


@pytest.fixture
def uploader(emulator):
    client = emulator.user_client("uploader@example.com")
    integration = emulator.add_integration("limits", "AWS", [BUCKET])
    dataset = client.get_dataset(client.create_dataset("Limited", StorageLocation.AWS).dataset_hash)
    return client, integration["id"], dataset


@pytest.mark.encord_emulator(max_upload_job_units=3)
def test_an_sdk_upload_job_over_the_unit_limit_is_refused_and_nothing_lands(emulator, uploader):
    client, integration_id, dataset = uploader
    with pytest.raises(InvalidArgumentsError) as e:
        dataset.add_private_data_to_dataset_start(integration_id, images(4))
    assert e.value.message == units_message(4)
    assert emulator.control("GET", "upload-jobs") == {"upload_jobs": []}
    job = dataset.add_private_data_to_dataset_start(integration_id, images(3))  # at the limit: accepted
    assert dataset.add_private_data_to_dataset_get_result(job, timeout_seconds=30).units_done_count == 3
    assert len(client.get_dataset(dataset.dataset_hash).data_rows) == 3


@pytest.mark.encord_emulator(max_upload_job_units=3)
def test_control_and_folder_upload_jobs_over_the_unit_limit_are_refused(emulator, uploader):
    client, integration_id, dataset = uploader
    with pytest.raises(ControlError) as e:
        emulator.upload(dataset.dataset_hash, integration_id, spec=images(5))
    assert (e.value.status, e.value.code, e.value.message) == (400, "INVALID_ARGUMENTS_ERROR", units_message(5))
    folder = client.create_storage_folder("Limited folder")
    with pytest.raises(InvalidArgumentsError) as e:
        folder.add_private_data_to_folder_start(integration_id, images(4))
    assert e.value.message == units_message(4)
    assert emulator.control("GET", "upload-jobs") == {"upload_jobs": []}
    assert list(folder.list_items()) == []


@pytest.fixture
def labelled(emulator):
    """A project over an image and a 10-frame video, with a bounding-box ontology; both label rows initialised."""
    client = emulator.user_client("labeller@example.com")
    dataset = client.create_dataset("Labelled", StorageLocation.AWS)
    emulator.register_data_rows(dataset.dataset_hash, [
        {"data_type": "IMAGE", "data_title": "a.png", "file_link": f"s3://{BUCKET}/a.png", "width": 64, "height": 48},
        {"data_type": "VIDEO", "data_title": "v.mp4", "file_link": f"s3://{BUCKET}/v.mp4", "width": 64, "height": 48,
         "frames_per_second": 5, "duration": 2}])
    structure = OntologyStructure()
    structure.add_object("Box", Shape.BOUNDING_BOX)
    ontology = client.create_ontology("Boxes", structure=structure)
    project = client.get_project(client.create_project("Limited", [dataset.dataset_hash],
                                                       ontology_hash=ontology.ontology_hash))
    rows = {r.data_title: r for r in project.list_label_rows_v2()}
    with project.create_bundle() as bundle:
        for r in rows.values():
            r.initialise_labels(bundle=bundle)
    return project, rows


def add_boxes(label_row, count: int, frames=0) -> None:
    box = label_row.ontology_structure.get_child_by_title("Box", type_=Object)
    for i in range(count):
        instance = box.create_instance()
        instance.set_for_frames(BoundingBoxCoordinates(height=0.1, width=0.1, top_left_x=i / 10, top_left_y=0.1),
                                frames=frames)
        label_row.add_object_instance(instance)


def objects_message(label_row, count: int) -> str:
    return (f"labels: label row {label_row.label_hash} has {count} objects; a label row may hold at most 3 "
            "(max_objects_per_label_row).")


def saved_objects(project, title: str) -> list:
    label_row = next(r for r in project.list_label_rows_v2() if r.data_title == title)
    label_row.initialise_labels()
    return label_row.get_object_instances()


@pytest.mark.encord_emulator(max_objects_per_label_row=3)
def test_a_label_row_over_the_object_limit_is_refused_and_nothing_is_saved(emulator, labelled):
    project, rows = labelled
    add_boxes(rows["a.png"], 4)
    with pytest.raises(InvalidArgumentsError) as e:
        rows["a.png"].save()
    assert e.value.message == objects_message(rows["a.png"], 4)
    assert saved_objects(project, "a.png") == []
    # In a video an object counts once per frame it is labelled in: one box on 4 frames is 4 objects.
    add_boxes(rows["v.mp4"], 1, frames=Range(0, 3))
    with pytest.raises(InvalidArgumentsError) as e:
        rows["v.mp4"].save()
    assert e.value.message == objects_message(rows["v.mp4"], 4)


@pytest.mark.encord_emulator(max_objects_per_label_row=3)
def test_a_bundled_save_with_one_row_over_the_object_limit_saves_none(emulator, labelled):
    project, rows = labelled
    add_boxes(rows["a.png"], 3)  # at the limit
    add_boxes(rows["v.mp4"], 2, frames=Range(0, 1))
    with pytest.raises(InvalidArgumentsError) as e:
        with project.create_bundle() as bundle:
            for r in rows.values():
                r.save(bundle=bundle)
    assert e.value.message == objects_message(rows["v.mp4"], 4)
    assert (saved_objects(project, "a.png"), saved_objects(project, "v.mp4")) == ([], [])
    rows["a.png"].save()
    assert len(saved_objects(project, "a.png")) == 3


def test_the_limits_and_the_journal_size_are_serve_options_and_environment_variables(monkeypatch, capsys):
    served = {}
    monkeypatch.setattr("emulator.server.serve", lambda config, **where: served.update(config=config))
    monkeypatch.setenv("ENCORD_EMULATOR_MAX_OBJECTS_PER_LABEL_ROW", "30")
    assert main(["serve", "--max-upload-job-units", "50", "--request-journal-size", "0"]) == 0
    config = served["config"]
    assert (config.max_upload_job_units, config.max_objects_per_label_row, config.request_journal_size) == (50, 30, 0)
    with pytest.raises(SystemExit):
        main(["serve", "--max-upload-job-units", "0"])
    assert capsys.readouterr().err == ("encord-emulator serve: error: argument --max-upload-job-units: '0' is not a "
                                       "whole number of at least 1 (see encord-emulator serve --help)\n")
