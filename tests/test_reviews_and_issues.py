"""Label reviews and task issues through the SDK: a task submitted to a review stage has a review of each of its
labels, which a reviewer approves, rejects or reopens one by one (``ReviewTask.get_label_reviews``, ``LabelReview``);
issues are comment threads anchored to a task's data unit, a frame, a point or a label (``task.issues``), tagged
with the project's issue tags."""

import uuid

import pytest
from encord.exceptions import AuthorisationError, InvalidArgumentsError, ResourceNotFoundError
from encord.http.bundle import Bundle
from encord.issues import (AnnotationIssue, CoordinateIssue, FileIssue, FrameIssue, IssueFrameRange,
                           SceneCoordinateIssue)
from encord.objects import Classification, Object, OntologyStructure, Shape
from encord.objects.attributes import RadioAttribute
from encord.objects.coordinates import BoundingBoxCoordinates
from encord.orm.dataset import StorageLocation
from encord.utilities.project_user import ProjectUserRole
from encord.workflow import AnnotationStage, FinalStage, ReviewStage
from encord.workflow.stages.review import LabelReviewStatus

TITLES = ("a.png", "b.png")


@pytest.fixture
def labelled(emulator):
    """A project whose a.png has two boxes and a classification, submitted to review."""
    return labelled_project(emulator)


@pytest.fixture
def labelled_in_process(encord_emulator):
    return labelled_project(encord_emulator)


def labelled_project(emulator):
    client = emulator.user_client("admin@example.com")
    dataset = client.create_dataset("reviews", StorageLocation.AWS)
    emulator.register_data_rows(dataset.dataset_hash, [{"data_title": t, "data_type": "IMAGE", "width": 32,
                                                        "height": 32} for t in TITLES])
    structure = OntologyStructure()
    structure.add_object("Cherry", Shape.BOUNDING_BOX)
    structure.add_classification().add_attribute(RadioAttribute, "Ripe").add_option("Yes")
    ontology = client.create_ontology("reviews", structure=structure)
    project = client.get_project(client.create_project("reviews", [dataset.dataset_hash],
                                                       ontology_hash=ontology.ontology_hash))
    label_row = label_row_of(project, "a.png")
    for x in (0.1, 0.5):
        add_box(label_row, x)
    classification = label_row.ontology_structure.get_child_by_title("Ripe", type_=Classification).create_instance()
    classification.set_answer(classification.ontology_item.attributes[0].options[0])
    classification.set_for_frames(frames=0)
    label_row.add_classification_instance(classification)
    label_row.save()
    annotate, review = stages(project)
    task_in(annotate, "a.png").submit()
    return project, label_row


def label_row_of(project, title):
    label_row = next(r for r in project.list_label_rows_v2() if r.data_title == title)
    label_row.initialise_labels()
    return label_row


def add_box(label_row, x):
    box = label_row.ontology_structure.get_child_by_title("Cherry", type_=Object).create_instance()
    box.set_for_frames(BoundingBoxCoordinates(height=0.2, width=0.2, top_left_x=x, top_left_y=0.1), frames=0)
    label_row.add_object_instance(box)
    return box


def stages(project):
    return (project.workflow.get_stage(name="Annotate 1", type_=AnnotationStage),
            project.workflow.get_stage(name="Review 1", type_=ReviewStage))


def task_in(stage, title):
    return next(t for t in stage.get_tasks() if t.data_title == title)


def reviews_of(project):
    return list(task_in(stages(project)[1], "a.png").get_label_reviews())


def statuses(project):
    return [(r.label_id, r.status) for r in reviews_of(project)]


def test_each_submitted_label_is_reviewed_and_approved_rejected_or_reopened(labelled):
    project, label_row = labelled
    boxes = [o.object_hash for o in label_row.get_object_instances()]
    [classification] = [c.classification_hash for c in label_row.get_classification_instances()]
    reviews = reviews_of(project)
    assert [(r.label_type, r.label_id, r.status) for r in reviews] == [
        ("Object", boxes[0], LabelReviewStatus.NEW), ("Object", boxes[1], LabelReviewStatus.NEW),
        ("Classification", classification, LabelReviewStatus.NEW)]
    reviews[0].approve()
    reviews[1].reject(comment="too loose", issue_tags=["box"])
    with Bundle() as bundle:
        reviews[0].reopen(bundle=bundle)
        reviews[2].approve(bundle=bundle)
    assert statuses(project) == [(boxes[0], LabelReviewStatus.REOPENED), (boxes[1], LabelReviewStatus.REJECTED),
                                 (classification, LabelReviewStatus.APPROVED)]


def test_rejecting_the_task_rejects_pending_reviews_and_resubmitting_resolves_them(labelled_in_process):
    project, label_row = labelled_in_process
    annotate, review = stages(project)
    first, second, classification = reviews_of(project)
    first.approve()
    task_in(review, "a.png").reject()
    added = add_box(label_row, 0.7)
    label_row.remove_object(label_row.get_object_instances()[0])
    label_row.save()
    task_in(annotate, "a.png").submit()
    assert statuses(project) == [(second.label_id, LabelReviewStatus.RESOLVED),
                                 (added.object_hash, LabelReviewStatus.NEW),
                                 (classification.label_id, LabelReviewStatus.RESOLVED)]
    task_in(review, "a.png").approve()
    task_in(project.workflow.get_stage(name="Complete", type_=FinalStage), "a.png").move(
        destination_stage_uuid=review.uuid)
    assert {status for _, status in statuses(project)} == {LabelReviewStatus.APPROVED}
    task_in(annotate, "b.png").submit()
    assert list(task_in(review, "b.png").get_label_reviews()) == []


def test_a_review_is_decided_once_until_reopened_and_belongs_to_its_task(labelled_in_process):
    project, _ = labelled_in_process
    annotate, review = stages(project)
    first = reviews_of(project)[0]
    first.approve()
    with pytest.raises(InvalidArgumentsError) as e:
        first.reject()
    assert e.value.message == (f"action: label review {first.uuid} is APPROVED; REJECT applies to a review that is "
                               "NEW or REOPENED or RESOLVED.")
    second = reviews_of(project)[1]
    with pytest.raises(InvalidArgumentsError) as e:
        second.reopen()
    assert e.value.message == (f"action: label review {second.uuid} is NEW; REOPEN applies to a review that is "
                               "APPROVED or REJECTED.")
    task_in(annotate, "b.png").submit()
    other = task_in(review, "b.png")
    second._task_uuid = other.uuid  # a review sent for another task of the stage, as a stale object would
    with pytest.raises(InvalidArgumentsError) as e:
        second.approve()
    assert e.value.message == f"reviewUuid: {second.uuid} is not a label review of task {other.uuid} in stage {review.uuid}."
    task = task_in(review, "a.png")
    task.approve()
    with pytest.raises(InvalidArgumentsError) as e:
        list(task.get_label_reviews())
    assert e.value.message == f"taskUuid: task {task.uuid} is not in stage {review.uuid}."


def review_task(project):
    return task_in(stages(project)[1], "a.png")


def test_issues_are_anchored_to_a_task_tagged_listed_and_deleted(labelled, emulator):
    project, label_row = labelled
    project.add_issue_tags(["box", "blurry"])
    project.add_issue_tags(["box"])
    tags = list(project.get_issue_tags())
    assert [t.name for t in tags] == ["box", "blurry"]
    issues = review_task(project).issues
    box = label_row.get_object_instances()[0].object_hash
    issues.add_file_issue("whole image is dark", ["blurry"])
    issues.add_frame_issue(0, "frame 0", [])
    issues.add_coordinate_issue(0, 0.25, 0.5, "here", ["box"])
    issues.add_scene_coordinate_issue(0, 1.0, 2.0, 3.0, "there", [])
    issues.add_annotation_issue(box, "too loose", ["box", "blurry"], frame_ranges=[IssueFrameRange(start=0, end=0)])
    listed = list(issues.list())
    assert [type(i) for i in listed] == [FileIssue, FrameIssue, CoordinateIssue, SceneCoordinateIssue,
                                         AnnotationIssue]
    file_issue, frame_issue, coordinate_issue, scene_issue, annotation_issue = listed
    assert [(c.content, c.author_email) for c in file_issue.comments] == [("whole image is dark", "admin@example.com")]
    assert file_issue.tags == [tags[1]] and annotation_issue.tags == tags
    assert (frame_issue.frame_index, (coordinate_issue.coordinate.x, coordinate_issue.coordinate.y)) == (0, (0.25, 0.5))
    assert (scene_issue.coordinate.x, scene_issue.coordinate.y, scene_issue.coordinate.z) == (1.0, 2.0, 3.0)
    assert (annotation_issue.annotation_id, annotation_issue.frame_ranges) == (box, [IssueFrameRange(start=0, end=0)])
    assert {str(i.data_uuid) for i in listed} == {label_row.data_hash}
    emulator.load_state(emulator.state())  # issues, tags and reviews are state its contracts describe
    assert list(issues.list()) == listed
    issues.delete([file_issue, annotation_issue.uuid])
    assert [i.uuid for i in issues.list()] == [frame_issue.uuid, coordinate_issue.uuid, scene_issue.uuid]
    assert list(task_in(stages(project)[0], "b.png").issues.list()) == []


def test_an_issue_must_lie_in_the_task_and_carry_the_projects_tags(labelled_in_process):
    project, _ = labelled_in_process
    project.add_issue_tags(["box"])
    task = review_task(project)
    refusals = (
        (lambda: task.issues.add_file_issue("x", ["nope"]),
         f"issueTags: 'nope' is not an issue tag of project {project.project_hash}; link it with add_issue_tags "
         "first."),
        (lambda: task.issues.add_frame_issue(1, "x", []), "anchor/frameIndex: frame 1 is outside the media (frames "
                                                          "0 to 0)."),
        (lambda: task.issues.add_annotation_issue("deadbeef", "x", ["box"]),
         f"anchor/annotationId: deadbeef is no object or classification instance of the labels of data unit "
         f"{task.data_hash}."),
        (lambda: task.issues.add_file_issue("x", [], space_id="left"),
         f"anchor/spaceId: data unit {task.data_hash} has no spaces (no space 'left')."),
    )
    for add, message in refusals:
        with pytest.raises(InvalidArgumentsError) as e:
            add()
        assert e.value.message == message
    assert list(task.issues.list()) == []


def test_authors_delete_their_own_general_issues_and_only_admins_annotation_issues(labelled_in_process, encord_emulator):
    project, label_row = labelled_in_process
    for email in ("annotator@example.com", "other@example.com"):
        encord_emulator.register_user(email)
        project.add_users([email], ProjectUserRole.ANNOTATOR)
    theirs = encord_emulator.user_client("annotator@example.com").get_project(project.project_hash)
    with pytest.raises(AuthorisationError) as e:
        theirs.add_issue_tags(["box"])
    assert e.value.message == f"Only an admin of project {project.project_hash} may link issue tags to it."
    issues = review_task(theirs).issues
    issues.add_file_issue("mine", [])
    issues.add_annotation_issue(label_row.get_object_instances()[0].object_hash, "label rejected", [])
    general, annotation = issues.list()
    other = review_task(encord_emulator.user_client("other@example.com").get_project(project.project_hash)).issues
    with pytest.raises(AuthorisationError) as e:
        other.delete([general])
    assert e.value.message == f"Only a project admin or its author may delete issue {general.uuid}."
    with pytest.raises(AuthorisationError) as e:
        issues.delete([general, annotation])
    assert e.value.message == f"Only a project admin may delete annotation issue {annotation.uuid}."
    assert len(list(issues.list())) == 2
    with pytest.raises(ResourceNotFoundError) as e:
        review_task(project).issues.delete([annotation, uuid.uuid4()])
    assert e.value.message == "The requested resource was not found."
    issues.delete([general])
    review_task(project).issues.delete([annotation])
    assert list(issues.list()) == []
