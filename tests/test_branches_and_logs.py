"""A project's label branches (``Project.list_branches``) and its label logs (``Project.get_label_logs``): what the
emulator's own handlers did to its labels (saves adding, editing and deleting instances; task and label review
actions), filtered as the SDK asks; and its editor logs (``Project.get_editor_logs``), of an editor it has not."""

from datetime import datetime, timedelta, timezone

import pytest
from encord.exceptions import InvalidArgumentsError
from encord.objects import Object, OntologyStructure, Shape
from encord.objects.coordinates import BoundingBoxCoordinates
from encord.orm.dataset import StorageLocation
from encord.orm.label_log import Action
from encord.utilities.project_user import ProjectUserRole
from encord.workflow import AnnotationStage, ReviewStage


def make_project(emulator, client):
    dataset = client.create_dataset("logs", StorageLocation.AWS)
    emulator.register_data_rows(dataset.dataset_hash, [{"data_title": t, "data_type": "IMAGE", "width": 32,
                                                        "height": 32} for t in ("a.png", "b.png")])
    structure = OntologyStructure()
    structure.add_object("Cherry", Shape.BOUNDING_BOX)
    ontology = client.create_ontology("logs", structure=structure)
    return client.get_project(client.create_project("logs", [dataset.dataset_hash],
                                                    ontology_hash=ontology.ontology_hash))


def label_row_of(project, title, branch_name="main"):
    label_row = next(r for r in project.list_label_rows_v2(branch_name=branch_name) if r.data_title == title)
    label_row.initialise_labels()
    return label_row


def add_box(label_row, x):
    box = label_row.ontology_structure.get_child_by_title("Cherry", type_=Object).create_instance()
    box.set_for_frames(BoundingBoxCoordinates(height=0.2, width=0.2, top_left_x=x, top_left_y=0.1), frames=0)
    label_row.add_object_instance(box)
    return box


def test_list_branches_names_main_and_every_branch_labelled_on(emulator):
    client = emulator.user_client("admin@example.com")
    project = make_project(emulator, client)
    assert list(project.list_branches()) == ["main"]
    for branch in ("encord-consensus-2", "encord-consensus-1"):
        label_row_of(project, "a.png", branch).save()
    label_row_of(project, "b.png", "encord-consensus-1").save()
    assert list(project.list_branches()) == ["main", "encord-consensus-1", "encord-consensus-2"]


def test_label_logs_record_saves_and_workflow_actions_and_filter_as_asked(encord_emulator):
    admin = encord_emulator.user_client("admin@example.com")
    project = make_project(encord_emulator, admin)
    started = datetime.now(timezone.utc) - timedelta(seconds=1)
    label_row = label_row_of(project, "a.png")
    kept, removed = add_box(label_row, 0.1), add_box(label_row, 0.5)
    label_row.save()
    kept.set_for_frames(BoundingBoxCoordinates(height=0.3, width=0.3, top_left_x=0.1, top_left_y=0.1), frames=0,
                        overwrite=True)
    label_row.remove_object(removed)
    label_row.save()
    encord_emulator.load_state(encord_emulator.state())  # the logs are state its contracts describe
    encord_emulator.register_user("reviewer@example.com")
    project.add_users(["reviewer@example.com"], ProjectUserRole.REVIEWER)
    annotate = project.workflow.get_stage(name="Annotate 1", type_=AnnotationStage)
    next(t for t in annotate.get_tasks() if t.data_title == "a.png").submit()
    reviewer = encord_emulator.user_client("reviewer@example.com").get_project(project.project_hash)
    task = next(reviewer.workflow.get_stage(name="Review 1", type_=ReviewStage).get_tasks())
    next(iter(task.get_label_reviews())).reject(comment="too big")
    task.reject()

    logs = project.get_label_logs()
    assert [(log.action, log.identifier, log.user_email) for log in logs] == [
        (Action.ADD, kept.object_hash, "admin@example.com"), (Action.ADD, removed.object_hash, "admin@example.com"),
        (Action.EDIT, kept.object_hash, "admin@example.com"), (Action.DELETE, removed.object_hash, "admin@example.com"),
        (Action.SUBMIT_TASK, None, "admin@example.com"), (Action.REJECT_LABEL, kept.object_hash, "reviewer@example.com"),
        (Action.REJECT_TASK, None, "reviewer@example.com")]
    assert (logs[0].feature_hash, logs[0].label_name, logs[0].frame, logs[0].data_hash) == (
        kept.feature_hash, "Cherry", 0, label_row.data_hash)
    assert [log.action for log in project.get_label_logs(user_email="reviewer@example.com")] == [
        Action.REJECT_LABEL, Action.REJECT_TASK]
    assert project.get_label_logs(user_hash=logs[-1].user_hash) == logs[-2:]
    assert project.get_label_logs(data_hash=next(r.data_hash for r in project.list_label_rows_v2()
                                                 if r.data_title == "b.png")) == []
    assert project.get_label_logs(after=started) == logs
    assert project.get_label_logs(before=started) == []


def test_editor_logs_are_empty_for_there_is_no_editor_and_span_at_most_30_days(encord_emulator):
    admin = encord_emulator.user_client("admin@example.com")
    project = make_project(encord_emulator, admin)
    label_row = label_row_of(project, "a.png")
    add_box(label_row, 0.1)
    label_row.save()
    now = datetime.now(timezone.utc)
    assert list(project.get_editor_logs(now - timedelta(days=30), now)) == []
    with pytest.raises(InvalidArgumentsError) as e:
        list(project.get_editor_logs(now - timedelta(days=31), now))
    assert e.value.message == "startTime, endTime: the end must be after the start, at most 30 days later."
