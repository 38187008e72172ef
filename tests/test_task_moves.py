"""Moving workflow tasks between stages through the SDK (``<Stage>Task.move``): a project's admins and team managers
move tasks to any stage of its workflow, e.g. to Complete, and back to Annotate (reopened)."""

import pytest
from encord.exceptions import AuthorisationError, InvalidArgumentsError, ResourceNotFoundError
from encord.http.bundle import Bundle
from encord.utilities.project_user import ProjectUserRole
from encord.workflow.stages.annotation import AnnotationTaskStatus
from encord.workflow.stages.review import ReviewTaskStatus
from workflow_tools import make_project, stages, task_in

TITLES = ("a.png", "b.png", "c.png")


def workflow_project(emulator, client, title="moves"):
    return make_project(emulator, client, TITLES, title)


def stage_title(project, title):
    return next(r for r in project.list_label_rows_v2() if r.data_title == title).workflow_graph_node.title


def test_a_task_moves_to_complete_and_back_to_annotate_reopened(emulator):
    client = emulator.user_client("admin@example.com")
    project = workflow_project(emulator, client)
    annotate, review, complete = stages(project)
    task_in(annotate, "a.png").move(destination_stage_uuid=complete.uuid)
    assert [t.data_title for t in complete.get_tasks()] == ["a.png"]
    assert stage_title(project, "a.png") == "Complete"
    task_in(complete, "a.png").move(destination_stage_uuid=annotate.uuid)
    reopened = task_in(annotate, "a.png")
    assert (reopened.status, reopened.assignee) == (AnnotationTaskStatus.REOPENED, None)
    assert list(complete.get_tasks()) == []


def test_a_task_moved_forward_is_new_in_its_stage_and_loses_its_assignee(encord_emulator):
    client = encord_emulator.user_client("admin@example.com")
    project = workflow_project(encord_emulator, client)
    annotate, review, _ = stages(project)
    task_in(annotate, "b.png").assign("admin@example.com")
    task_in(annotate, "b.png").move(destination_stage_uuid=review.uuid)
    moved = task_in(review, "b.png")
    assert (moved.status, moved.assignee) == (ReviewTaskStatus.NEW, None)
    assert stage_title(project, "b.png") == "Review 1"


def test_moves_in_a_bundle_go_in_one_request(encord_emulator):
    client = encord_emulator.user_client("admin@example.com")
    project = workflow_project(encord_emulator, client)
    annotate, _, complete = stages(project)
    encord_emulator.clear_requests()
    with Bundle() as bundle:
        for task in annotate.get_tasks():
            task.move(destination_stage_uuid=complete.uuid, bundle=bundle)
    assert sorted(t.data_title for t in complete.get_tasks()) == list(TITLES)
    assert len([r for r in encord_emulator.requests() if r["path"].endswith("/move-tasks")]) == 1


def test_a_task_no_longer_in_the_stage_is_refused_and_nothing_moves(encord_emulator):
    client = encord_emulator.user_client("admin@example.com")
    project = workflow_project(encord_emulator, client)
    annotate, review, complete = stages(project)
    stale = task_in(annotate, "a.png")
    stale.move(destination_stage_uuid=review.uuid)
    with pytest.raises(InvalidArgumentsError) as e, Bundle() as bundle:
        task_in(annotate, "c.png").move(destination_stage_uuid=complete.uuid, bundle=bundle)
        stale.move(destination_stage_uuid=complete.uuid, bundle=bundle)
    assert e.value.message == f"taskUuid: task {stale.uuid} is not in stage {annotate.uuid}."
    assert list(complete.get_tasks()) == []
    with pytest.raises(InvalidArgumentsError) as e:
        task_in(annotate, "c.png").move(destination_stage_uuid=annotate.uuid)
    assert e.value.message == "destinationStageUuid: the tasks are already in stage 'Annotate 1'."


def test_an_unknown_stage_or_another_projects_stage_is_not_found(encord_emulator):
    client = encord_emulator.user_client("admin@example.com")
    project = workflow_project(encord_emulator, client)
    other_complete = stages(workflow_project(encord_emulator, client, "other"))[2]
    annotate = stages(project)[0]
    task = task_in(annotate, "a.png")
    for destination in (other_complete.uuid, "00000000-0000-0000-0000-000000000000"):
        with pytest.raises(ResourceNotFoundError) as e:
            task.move(destination_stage_uuid=destination)
        assert e.value.message == "The requested resource was not found."
    assert stage_title(project, "a.png") == "Annotate 1"


def test_an_annotator_may_not_move_tasks_but_a_team_manager_may(encord_emulator):
    admin = encord_emulator.user_client("admin@example.com")
    project = workflow_project(encord_emulator, admin)
    for email, role in (("annotator@example.com", ProjectUserRole.ANNOTATOR),
                        ("manager@example.com", ProjectUserRole.TEAM_MANAGER)):
        encord_emulator.register_user(email)
        project.add_users([email], role)
    annotate, _, complete = stages(encord_emulator.user_client("annotator@example.com")
                                   .get_project(project.project_hash))
    with pytest.raises(AuthorisationError) as e:
        task_in(annotate, "a.png").move(destination_stage_uuid=complete.uuid)
    assert e.value.message == (f"Only an admin or a team manager of project {project.project_hash} may move its tasks "
                            "between workflow stages.")
    annotate, _, complete = stages(encord_emulator.user_client("manager@example.com")
                                   .get_project(project.project_hash))
    task_in(annotate, "a.png").move(destination_stage_uuid=complete.uuid)
    assert stage_title(project, "a.png") == "Complete"
