"""Project analytics through the SDK: the task actions a workflow's tasks went through (``get_task_actions``) and
the time collaborators spent on them (``list_time_spent``, and the deprecated ``list_collaborator_timers``). The
emulator has no editor to time work, so tests add time spent through the control API, as the editor would."""

from datetime import datetime, timedelta

import pytest
from encord.exceptions import AuthorisationError, InvalidArgumentsError
from encord.orm.analytics import TaskActionType
from encord.utilities.project_user import ProjectUserRole

from emulator.testing import ControlError
from workflow_tools import make_project, stages, task_in

ADMIN = "admin@example.com"
ANNOTATOR = "annotator@example.com"
TITLES = ("a.png", "b.png")


def workflow_project(emulator, client, title="analytics"):
    return make_project(emulator, client, TITLES, title)


def test_each_workflow_action_is_a_task_action_of_its_stage_and_actor(emulator):
    client = emulator.user_client(ADMIN)
    project = workflow_project(emulator, client)
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
    assert [a.action_type for a in project.get_task_actions(after=started, workflow_stage_uuid=str(review.uuid))] == [
        TaskActionType.REJECT]
    assert [a.action_type for a in project.get_task_actions(
        after=started, action_type=[TaskActionType.SUBMIT, TaskActionType.MOVE])] == [TaskActionType.SUBMIT,
                                                                                     TaskActionType.MOVE]
    assert [a.action_type for a in project.get_task_actions(
        after=started, data_unit_uuid=task_in(complete, "b.png").data_hash)] == [TaskActionType.MOVE]
    assert list(project.get_task_actions(after=started, actor_email=ANNOTATOR)) == []
    assert list(project.get_task_actions(after=started - timedelta(hours=1), before=started)) == []


def data_hash_of(project, title):
    return next(r.data_hash for r in project.list_label_rows_v2() if r.data_title == title)


def test_time_spent_is_reported_per_day_user_task_and_stage(emulator):
    client = emulator.user_client(ADMIN)
    project = workflow_project(emulator, client)
    emulator.register_user(ANNOTATOR)
    project.add_users([ANNOTATOR], ProjectUserRole.ANNOTATOR)
    annotate, review, _ = stages(project)
    a, b = data_hash_of(project, "a.png"), data_hash_of(project, "b.png")
    emulator.add_time_spent(project.project_hash, ANNOTATOR, a, 60, started_at="2026-03-02T09:00:00Z")
    emulator.add_time_spent(project.project_hash, ANNOTATOR, a, 30, started_at="2026-03-02T15:00:00Z")
    emulator.add_time_spent(project.project_hash, ANNOTATOR, b, 3600, started_at="2026-03-02T23:30:00Z")
    emulator.add_time_spent(project.project_hash, ADMIN, a, 45, started_at="2026-03-02T10:00:00Z",
                            stage_uuid=str(review.uuid))
    spent = list(project.list_time_spent(start=datetime(2026, 3, 1), end=datetime(2026, 3, 4)))
    assert [(t.period_start_time.isoformat(), t.user_email, t.data_title, t.time_spent_seconds,
             t.workflow_stage.title, t.project_user_role) for t in spent] == [
        ("2026-03-02T00:00:00+00:00", ADMIN, "a.png", 45, "Review 1", ProjectUserRole.ADMIN),
        ("2026-03-02T00:00:00+00:00", ANNOTATOR, "a.png", 90, "Annotate 1", ProjectUserRole.ANNOTATOR),
        ("2026-03-02T00:00:00+00:00", ANNOTATOR, "b.png", 1800, "Annotate 1", ProjectUserRole.ANNOTATOR),
        ("2026-03-03T00:00:00+00:00", ANNOTATOR, "b.png", 1800, "Annotate 1", ProjectUserRole.ANNOTATOR)]
    first = spent[1]
    assert (first.period_end_time.isoformat(), str(first.data_uuid), first.dataset_title, first.workflow_task_uuid) == (
        "2026-03-03T00:00:00+00:00", a, "analytics", task_in(annotate, "a.png").uuid)
    assert [t.time_spent_seconds for t in project.list_time_spent(
        start=datetime(2026, 3, 1), end=datetime(2026, 3, 4), user_email=ADMIN)] == [45]
    assert [t.user_email for t in project.list_time_spent(
        start=datetime(2026, 3, 1), end=datetime(2026, 3, 4), workflow_stage_uuid=[annotate.uuid])] == [ANNOTATOR] * 3
    assert [t.data_title for t in project.list_time_spent(start=datetime(2026, 3, 3))] == ["b.png"]


def test_time_spent_is_added_for_a_collaborator_through_a_group(emulator):
    client = emulator.user_client(ADMIN)
    project = workflow_project(emulator, client)
    emulator.register_user(ANNOTATOR)
    group = client.create_group("Labellers")
    group.add_users([ANNOTATOR])
    project.add_group(group.group_hash, ProjectUserRole.ANNOTATOR)
    emulator.add_time_spent(project.project_hash, ANNOTATOR, data_hash_of(project, "a.png"), 60,
                            started_at="2026-03-02T09:00:00Z")
    assert [(t.user_email, t.data_title, t.time_spent_seconds, t.project_user_role)
            for t in project.list_time_spent(start=datetime(2026, 3, 1))] == [
        (ANNOTATOR, "a.png", 60, ProjectUserRole.ANNOTATOR)]


def test_collaborator_timers_per_data_unit_or_over_the_project(encord_emulator):
    client = encord_emulator.user_client(ADMIN)
    project = workflow_project(encord_emulator, client)
    a, b = data_hash_of(project, "a.png"), data_hash_of(project, "b.png")
    for data_hash, seconds in ((a, 10), (b, 20), (a, 5)):
        encord_emulator.add_time_spent(project.project_hash, ADMIN, data_hash, seconds,
                                       started_at="2026-03-02T09:00:00Z")
    after = datetime(2026, 3, 1)
    assert [(t.user_email, t.user_role, t.data_title, t.time_seconds)
            for t in project.list_collaborator_timers(after=after)] == [
        (ADMIN, ProjectUserRole.ADMIN, "a.png", 15.0), (ADMIN, ProjectUserRole.ADMIN, "b.png", 20.0)]
    assert [(t.data_title, t.time_seconds)
            for t in project.list_collaborator_timers(after=after, group_by_data_unit=False)] == [(None, 35.0)]
    assert list(project.list_collaborator_timers(after=after, before=datetime(2026, 3, 2))) == []


ANALYTICS_CALLS = (lambda p, **window: list(p.get_task_actions(after=datetime(2026, 1, 1), **window)),
                   lambda p, **window: list(p.list_time_spent(start=datetime(2026, 1, 1), end=window.get("before"))),
                   lambda p, **window: list(p.list_collaborator_timers(after=datetime(2026, 1, 1), **window)))


def test_a_removed_collaborator_may_no_longer_read_the_projects_analytics(encord_emulator):
    project = workflow_project(encord_emulator, encord_emulator.user_client(ADMIN))
    encord_emulator.register_user(ANNOTATOR)
    project.add_users([ANNOTATOR], ProjectUserRole.ANNOTATOR)
    theirs = encord_emulator.user_client(ANNOTATOR).get_project(project.project_hash)
    assert [call(theirs) for call in ANALYTICS_CALLS] == [[], [], []]
    project.remove_users([ANNOTATOR])
    for call in ANALYTICS_CALLS:
        with pytest.raises(AuthorisationError) as e:
            call(theirs)
        assert e.value.message == f"You are not authorised to access the project {project.project_hash}."


def test_a_time_range_that_ends_before_it_starts_is_refused(encord_emulator):
    project = workflow_project(encord_emulator, encord_emulator.user_client(ADMIN))
    for call in ANALYTICS_CALLS:
        with pytest.raises(InvalidArgumentsError) as e:
            call(project, before=datetime(2025, 12, 31))
        assert e.value.message == ("before: 2025-12-31T00:00:00+00:00 is not after 2026-01-01T00:00:00+00:00; the "
                                   "time range is empty.")


def test_time_spent_is_added_for_a_collaborator_with_a_positive_time(encord_emulator):
    project = workflow_project(encord_emulator, encord_emulator.user_client(ADMIN))
    a = data_hash_of(project, "a.png")
    encord_emulator.register_user("outsider@example.com")
    with pytest.raises(ControlError) as e:
        encord_emulator.add_time_spent(project.project_hash, "outsider@example.com", a, 10)
    assert e.value.message == f"You are not authorised to access the project {project.project_hash}."
    with pytest.raises(ControlError) as e:
        encord_emulator.add_time_spent(project.project_hash, ADMIN, a, 0)
    assert e.value.message == "seconds: time spent must be more than 0, got 0."
    assert list(project.list_time_spent(start=datetime(2026, 1, 1))) == []
