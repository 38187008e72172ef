"""Project analytics through the SDK: the task actions a workflow's tasks went through (``get_task_actions``) and
the time collaborators spent on them (``list_time_spent``, and the deprecated ``list_collaborator_timers``). The
emulator has no editor to time work, so tests add time spent through the control API, as the editor would."""

from datetime import datetime, timedelta

import pytest
from encord.exceptions import AuthorisationError, InvalidArgumentsError, ResourceNotFoundError
from encord.orm.analytics import TaskActionType
from encord.orm.dataset import StorageLocation
from encord.utilities.project_user import ProjectUserRole
from encord.workflow import AnnotationStage, FinalStage, ReviewStage

from emulator.testing import ControlError

ADMIN = "admin@example.com"
ANNOTATOR = "annotator@example.com"
TITLES = ("a.png", "b.png")


def make_project(emulator, client, title="analytics"):
    dataset = client.create_dataset(title, StorageLocation.AWS)
    emulator.register_data_rows(dataset.dataset_hash, [{"data_title": t, "data_type": "IMAGE"} for t in TITLES])
    return client.get_project(client.create_project(title, [dataset.dataset_hash]))


def stages(project):
    return (project.workflow.get_stage(name="Annotate 1", type_=AnnotationStage),
            project.workflow.get_stage(name="Review 1", type_=ReviewStage),
            project.workflow.get_stage(name="Complete", type_=FinalStage))


def task_in(stage, title):
    return next(t for t in stage.get_tasks() if t.data_title == title)


def test_each_workflow_action_is_a_task_action_of_its_stage_and_actor(emulator):
    client = emulator.user_client(ADMIN)
    project = make_project(emulator, client)
    annotate, review, complete = stages(project)
    started = datetime.utcnow() - timedelta(seconds=1)
    task = task_in(annotate, "a.png")
    task.assign(ADMIN)
    task_in(annotate, "a.png").submit()
    task_in(review, "a.png").reject()
    task_in(annotate, "b.png").move(destination_stage_uuid=complete.uuid)
    actions = list(project.get_task_actions(after=started))
    assert [(a.action_type, a.workflow_stage_uuid, a.actor_email) for a in actions] == [
        (TaskActionType.ASSIGN, annotate.uuid, ADMIN), (TaskActionType.SUBMIT, annotate.uuid, ADMIN),
        (TaskActionType.REJECT, review.uuid, ADMIN), (TaskActionType.MOVE, annotate.uuid, ADMIN)]
    assert [a.data_unit_uuid for a in actions[:3]] == [task.data_hash] * 3
    assert {a.task_uuid for a in actions[:3]} == {task.uuid}
    assert {str(a.project_uuid) for a in actions} == {project.project_hash}
    assert [a.action_type for a in project.get_task_actions(after=started, workflow_stage_uuid=review.uuid)] == [
        TaskActionType.REJECT]
    assert [a.action_type for a in project.get_task_actions(
        after=started, action_type=[TaskActionType.SUBMIT, TaskActionType.MOVE])] == [TaskActionType.SUBMIT,
                                                                                     TaskActionType.MOVE]
    assert [a.action_type for a in project.get_task_actions(
        after=started, data_unit_uuid=task_in(complete, "b.png").data_hash)] == [TaskActionType.MOVE]
    assert list(project.get_task_actions(after=started, actor_email=ANNOTATOR)) == []
    assert list(project.get_task_actions(after=started - timedelta(hours=1), before=started)) == []
