"""Manual-QA projects: made through the control API (the SDK's create_project makes workflow projects), then driven
by the real SDK: statuses instead of workflow stages, and workflow operations refused."""

import media_factory as mf
import pytest
from encord.exceptions import WrongProjectTypeError
from encord.objects import Object, OntologyStructure, Shape
from encord.objects.coordinates import BoundingBoxCoordinates
from encord.orm.dataset import StorageLocation
from encord.orm.label_row import AnnotationTaskStatus, LabelStatus
from encord.orm.project import ProjectType

from emulator.testing import ControlError

BUCKET = "qa-bucket"


@pytest.fixture
def qa(emulator):
    """A dataset of two ingested images, and a manual-QA project over it with a one-object ontology."""
    email = "qa@example.com"
    client = emulator.user_client(email)
    integration = emulator.add_integration("qa", "AWS", [BUCKET])
    dataset = client.get_dataset(client.create_dataset("QA", StorageLocation.AWS).dataset_hash)
    for name in ("a.png", "b.png"):
        emulator.put_object(BUCKET, name, mf.png(40, 30))
    dataset.add_private_data_to_dataset(integration["id"], {"images": [
        {"objectUrl": f"s3://{BUCKET}/{name}", "title": name} for name in ("a.png", "b.png")]})
    structure = OntologyStructure()
    structure.add_object("Cherry", Shape.BOUNDING_BOX)
    ontology = client.create_ontology("QA ontology", structure=structure)
    created = emulator.create_project("Reviewed by hand", [dataset.dataset_hash], email=email,
                                      ontology_hash=ontology.ontology_hash)
    return emulator, client, client.get_project(created["project_hash"])


def row(project, title, **filters):
    return next(r for r in project.list_label_rows_v2(**filters) if r.data_title == title)


def test_a_manual_qa_project_has_no_workflow(qa):
    emulator, client, project = qa
    assert project.project_type == ProjectType.MANUAL_QA
    assert [p.project_type for p in client.list_projects()] == [ProjectType.MANUAL_QA]
    with pytest.raises(AssertionError):  # the SDK's own check: project.workflow is for workflow projects
        project.workflow


def test_rows_carry_label_and_annotation_task_statuses_not_workflow_stages(qa):
    emulator, client, project = qa
    a = row(project, "a.png")
    assert (a.workflow_graph_node, a.annotation_task_status, a.label_status) == (
        None, AnnotationTaskStatus.QUEUED, LabelStatus.NOT_LABELLED)
    a.initialise_labels()
    instance = project.ontology_structure.get_child_by_title("Cherry", type_=Object).create_instance()
    instance.set_for_frames(BoundingBoxCoordinates(height=0.5, width=0.5, top_left_x=0.1, top_left_y=0.1), frames=0)
    a.add_object_instance(instance)
    a.save()
    assert row(project, "a.png").label_status == LabelStatus.LABELLED


def test_the_control_api_moves_a_task_and_the_status_filter_finds_it(qa):
    emulator, client, project = qa
    b = row(project, "b.png")
    moved = emulator.set_task_status(project.project_hash, b.data_hash, "COMPLETED")
    assert moved == {"project_hash": project.project_hash, "data_hash": b.data_hash,
                     "annotation_task_status": "COMPLETED"}
    completed = project.list_label_rows_v2(label_statuses=[AnnotationTaskStatus.COMPLETED])
    assert [(r.data_title, r.annotation_task_status) for r in completed] == [("b.png", AnnotationTaskStatus.COMPLETED)]
    queued = project.list_label_rows_v2(label_statuses=[AnnotationTaskStatus.QUEUED])
    assert [r.data_title for r in queued] == ["a.png"]
    assert project.list_label_rows_v2(workflow_graph_node_title_eq="Annotate 1") == []


def test_workflow_operations_are_refused_with_the_project_type_error(qa):
    emulator, client, project = qa
    a = row(project, "a.png")
    a.initialise_labels()
    with pytest.raises(WrongProjectTypeError) as e:
        a.workflow_complete()
    assert e.value.message == (f"Project {project.project_hash} is a manual QA project: it has no workflow stages, "
                            "tasks or priorities.")
    assert row(project, "a.png").annotation_task_status == AnnotationTaskStatus.QUEUED


def test_a_workflow_projects_tasks_are_not_moved_by_status(qa):
    emulator, client, project = qa
    dataset_hash = str(project.list_datasets()[0].dataset_hash)
    workflow = client.get_project(client.create_project("Workflow", [dataset_hash]))
    a = row(workflow, "a.png")
    with pytest.raises(ControlError) as e:
        emulator.set_task_status(workflow.project_hash, a.data_hash, "COMPLETED")
    assert (e.value.status, e.value.code) == (400, "WRONG_PROJECT_TYPE_ERROR")
    assert e.value.message.startswith(f"Project {workflow.project_hash} is a workflow project")
    assert row(workflow, "a.png").workflow_graph_node.title == "Annotate 1"


@pytest.mark.parametrize("body, message", [
    ({"annotation_task_status": "DONE"},
     "/annotation_task_status: 'DONE' is not one of ['QUEUED', 'ASSIGNED', 'IN_REVIEW', 'RETURNED', 'COMPLETED']"),
    ({}, "/: 'annotation_task_status' is a required property"),
])
def test_an_unknown_status_is_refused_naming_the_rule(qa, body, message):
    emulator, client, project = qa
    a = row(project, "a.png")
    with pytest.raises(ControlError) as e:
        emulator.control("PUT", f"projects/{project.project_hash}/tasks/{a.data_hash}", json=body)
    assert (e.value.status, e.value.code, e.value.message) == (400, "INVALID_ARGUMENTS_ERROR", message)

