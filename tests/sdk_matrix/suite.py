"""The tests every supported ``encord`` release passes: tests/test_sdk_release_<release>.py each run this suite
for one release (one file a release, so pytest-xdist spreads releases over workers), in both modes.

The scenario (tests/sdk_matrix/scenario.py) runs once per release and mode; each test below checks one of its steps,
and a failing step names the release, the mode, the SDK's exception and the last wire call the emulator answered.
"""

from __future__ import annotations

import pytest

from sdk_matrix.releases import SUPPORTED, run_in_release

ROWS = [["CT series", "DICOM"], ["apple.png", "IMAGE"], ["group", "IMG_GROUP"], ["orchard.mp4", "VIDEO"],
        ["pear.png", "IMAGE"]]
# The shapes every supported release knows, all drawn on an image by the scenario; later releases add more.
IMAGE_SHAPES = ["BITMASK", "BOUNDING_BOX", "POINT", "POLYGON", "POLYLINE", "ROTATABLE_BOUNDING_BOX", "SKELETON"]


def newer_than_0_1_121(release: str) -> bool:
    return tuple(map(int, release.split("."))) > (0, 1, 121)


def has_workflows_and_skeleton_templates(release: str) -> bool:
    """0.1.110 has neither (Project.workflow, encord.objects.skeleton_template); 0.1.121 has both."""
    return tuple(map(int, release.split("."))) >= (0, 1, 121)


def registers_local_uploads_with_upload_jobs(release: str) -> bool:
    """From 0.1.150 (0.1.135 does not) a local file is registered by an upload job; earlier releases register an
    image with ``singleimage`` POST, which answers only whether it became a data row."""
    return tuple(map(int, release.split("."))) >= (0, 1, 150)


def since(release: str, first: str) -> bool:
    """Whether ``release`` is ``first`` or later: ``first`` is the first release of the matrix (SUPPORTED) whose
    source has the call."""
    return tuple(map(int, release.split("."))) >= tuple(map(int, first.split(".")))


class ReleaseSuite:
    release: str

    @pytest.fixture(scope="class", params=["in-process", "server"])
    @classmethod
    def outcome(cls, request):
        assert cls.release in SUPPORTED
        answered = run_in_release(cls.release, "scenario.py", request.param)
        assert answered["release"] == cls.release, f"the venv of {cls.release} imported {answered['release']}"
        return request.param, answered

    def value(self, outcome, step: str):
        mode, answered = outcome
        result = answered["steps"][step]
        assert "exception" not in result, (
            f"encord {self.release} ({mode}), step {step}: {result.get('exception')}: {result.get('message')} "
            f"(last call: {result.get('call')})\n{result.get('traceback')}")
        return result["value"], answered["known"]

    def test_datasets_of_every_storage_location_it_knows(self, outcome):
        datasets, known = self.value(outcome, "datasets")
        locations = known["storage_locations"]
        assert ("OTC" in locations) is not newer_than_0_1_121(self.release)  # its S3_COMPATIBLE's name up to 0.1.121
        assert datasets["created"] == sorted(locations)
        assert datasets["listed"] == sorted(f"ds-{name}" for name in locations)
        # A dataset reports the storage of its first data row; none has rows yet (see test_data_rows_and_storage).
        assert set(datasets["read"].values()) == {"CORD_STORAGE"}

    def test_cloud_integrations(self, outcome):
        integrations, _ = self.value(outcome, "integrations")
        assert [title for _, title in integrations] == ["matrix"]

    def test_upload_job_of_images_a_video_an_image_group_and_a_dicom_series_from_a_bucket(self, outcome):
        titles, _ = self.value(outcome, "upload_job")
        assert titles == [title for title, _ in ROWS]

    def test_data_rows_and_storage(self, outcome):
        data_rows, _ = self.value(outcome, "data_rows")
        assert data_rows == {"rows": ROWS, "storage_location": "AWS"}

    def test_local_file_uploaded_to_encord_storage(self, outcome):
        uploaded, _ = self.value(outcome, "local_upload")
        assert uploaded["uploaded"] == "apple.png"
        assert uploaded["rows"] == [["apple.png", "IMAGE", 30, 20], ["local CT", "DICOM", 8, 8],
                                    ["local clip", "VIDEO", 32, 24], ["local group", "IMG_GROUP", 16, 12]]
        # Each call answers the data hash of the row it made.
        assert uploaded["answered_rows"] == {"upload_image": [["apple.png", "IMAGE"]],
                                             "upload_video": [["local clip", "VIDEO"]],
                                             "create_image_group": [["local group", "IMG_GROUP"]],
                                             "create_dicom_series": [["local CT", "DICOM"]]}
        # A file that is no image is refused and leaves no row; only the upload job's error names the cause.
        kind, message = uploaded["refused"]
        assert kind == "EncordException"
        if registers_local_uploads_with_upload_jobs(self.release):
            assert message.startswith("An error has occurred during the image upload. res.errors=[")
            assert "the file cannot be read as an image: it is a file of type text/plain, not an image" in message
        else:
            assert message.startswith("Image upload failed. ")

    def test_ontology_with_every_shape_it_knows(self, outcome):
        ontology, known = self.value(outcome, "ontology")
        assert set(IMAGE_SHAPES) <= set(known["shapes"])
        assert ontology == {"shapes": sorted(known["shapes"]), "classifications": ["Colours", "Note", "Ripe"]}

    def test_project(self, outcome):
        project, _ = self.value(outcome, "project")
        assert (project["title"], project["description"], len(project["datasets"])) == ("Matrix", "all", 1)

    def test_get_projects_with_every_filter(self, outcome):
        listed, _ = self.value(outcome, "get_projects")
        matrix = [["Matrix", "ADMIN"]]
        assert listed == {"none": matrix, "title_eq": matrix, "title_like": matrix, "desc_eq": matrix,
                          "desc_like": matrix, "title_miss": [], "created": matrix, "created_after_now": [],
                          "edited_before": [], "edited_after": matrix}

    def test_label_rows_listed(self, outcome):
        rows, _ = self.value(outcome, "label_rows")
        assert rows == [[title, data_type, True] for title, data_type in ROWS]  # none labelled yet

    def test_labels_of_every_shape_saved_and_read_back(self, outcome):
        labels, _ = self.value(outcome, "labels")
        drawn = IMAGE_SHAPES if has_workflows_and_skeleton_templates(self.release) else [
            shape for shape in IMAGE_SHAPES if shape != "SKELETON"]
        assert sorted(shape for shape, _, _ in labels["written"]) == drawn
        assert labels["read"] == labels["written"]
        assert labels["classifications"] == [["Ripe", "yes"]]
        assert labels["video_frames"] == [0, 3]

    def test_bundled_initialise_and_save(self, outcome):
        points, _ = self.value(outcome, "bundles")
        # The image labelled before has its point from the labels step too; the video was left out of the bundle.
        assert points == {"CT series": 1, "apple.png": 2, "group": 1, "orchard.mp4": 0, "pear.png": 1}

    def test_workflow_tasks(self, outcome):
        workflow, _ = self.value(outcome, "workflow")
        if not has_workflows_and_skeleton_templates(self.release):
            assert workflow is None
            return
        titles = [title for title, _ in ROWS]
        assert workflow == {"stages": ["Annotate 1", "Review 1", "Complete"], "before": titles,
                            "after": [t for t in titles if t != "pear.png"], "pear": "Complete"}


    def test_task_moves_label_reviews_and_task_issues(self, outcome):
        answered, _ = self.value(outcome, "task_moves_reviews_issues")
        if not has_workflows_and_skeleton_templates(self.release):
            assert answered is None
            return
        # The apple's seven objects (no skeleton where it cannot be drawn) and one classification, each reviewed.
        expected = {}
        if since(self.release, "0.1.135"):
            expected["reviews"] = ["APPROVED"] + ["NEW"] * 8
        if since(self.release, "0.1.165"):
            expected["issues"] = [["too dark"]] if since(self.release, "0.1.195") else "added"
        if since(self.release, "0.1.180"):
            expected["completed"] = ["orchard.mp4", "pear.png"]
        assert answered == expected

    def test_label_logs_interpolation_copy_branches_and_analytics(self, outcome):
        answered, _ = self.value(outcome, "project_logs_and_copy")
        expected = {"label_logs": True, "interpolated": {"x": 0.2, "y": 0.1, "w": 0.2, "h": 0.2}, "copy": "Matrix"}
        if since(self.release, "0.1.165"):
            expected["time_spent"] = []  # nobody's time was added through the control API
        if since(self.release, "0.1.195"):
            expected.update(branches=["main"], task_actions=["MOVE", "SUBMIT"])
        assert answered == expected

    def test_organisation_groups_and_users(self, outcome):
        answered, _ = self.value(outcome, "organisation")
        if since(self.release, "0.1.211"):
            assert answered == {"users": ["matrix@example.com"], "groups": ["Pickers"]}
        else:
            assert answered == ({"groups": []} if since(self.release, "0.1.121") else {})

    def test_storage_search_moves_collections_and_data_groups(self, outcome):
        answered, _ = self.value(outcome, "storage")
        if not since(self.release, "0.1.121"):
            assert answered is None
            return
        expected = {"found": "picked.png", "shelf": ["picked.png"], "under_orchard": ["shelf"]}
        if since(self.release, "0.1.150"):
            expected["collection"] = [True]
        if since(self.release, "0.1.180"):
            expected["data_group"] = [True]
        assert answered == expected

    def test_metadata_schema(self, outcome):
        answered, _ = self.value(outcome, "metadata_schema")
        assert answered == ({"keys": ["ripeness"]} if since(self.release, "0.1.121") else None)

    def test_delete_data(self, outcome):
        rows, _ = self.value(outcome, "delete_data")
        assert rows == {"before": ["apple.png", "local CT", "local clip", "local group"], "after": []}


class Seed002Suite:
    """Seed 002's dataset script and JSON upload as printed: StorageLocation.OTC on the release the seed was written
    for (0.1.121, the last to have it), its S3-compatible equivalent on later ones."""

    release: str

    def test_seed_002_dataset_script_and_json_upload_as_printed(self):
        location = "S3_COMPATIBLE" if newer_than_0_1_121(self.release) else "OTC"
        printed = run_in_release(self.release, "seed_002.py", location)
        assert printed["created"].startswith("{'title': 'Training Data Dataset 1', 'type': ")
        assert "Execution result: " in printed["uploaded"] and printed["uploaded"].endswith("Upload completed\n")
        assert "units_done_count=6 units_error_count=0" in printed["uploaded"]
        assert printed["rows"][:3] == ["0001.jpg", "0002.jpg", "0003.jpg"] and len(printed["rows"]) == 6
