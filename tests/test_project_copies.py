"""Copying a project through the SDK (``Project.copy_project``): the copy has the original's ontology, type and
workflow; its datasets (attached, or cloned into a new dataset of chosen data units), collaborators and labels (the
main-branch label rows chosen, of their labels those in the review states chosen) when asked. Only a project's admins
copy it."""

import pytest
from encord.exceptions import AuthorisationError, InvalidArgumentsError, ResourceNotFoundError
from encord.orm.project import CopyDatasetAction, CopyDatasetOptions, CopyLabelsOptions, ReviewApprovalState
from encord.utilities.project_user import ProjectUserRole
from encord.workflow.stages.review import LabelReviewStatus

from tests.test_reviews_and_issues import add_box, label_row_of, labelled_project, reviews_of

MISSING = "00000000-0000-0000-0000-000000000000"


@pytest.fixture
def original(encord_emulator):
    project, _ = labelled_project(encord_emulator)
    return project


def labels_of(project, title):
    """The object and classification instances of a data unit's label row in a project, by their ontology titles."""
    label_row = label_row_of(project, title)
    return (sorted(o.object_hash for o in label_row.get_object_instances()),
            sorted(c.classification_hash for c in label_row.get_classification_instances()))


def test_a_copy_with_datasets_collaborators_and_labels(emulator):
    original, _ = labelled_project(emulator)
    emulator.register_user("annotator@example.com")
    original.add_users(["annotator@example.com"], ProjectUserRole.ANNOTATOR)
    client = emulator.user_client("admin@example.com")
    copy_hash = original.copy_project(copy_datasets=True, copy_collaborators=True, copy_labels=CopyLabelsOptions(),
                                      new_title="reviews again", new_description="second round")
    copy = client.get_project(copy_hash)
    assert (copy.title, copy.description, copy.ontology_hash) == ("reviews again", "second round",
                                                                   original.ontology_hash)
    assert [d.dataset_hash for d in copy.list_datasets()] == [d.dataset_hash for d in original.list_datasets()]
    assert sorted((u.user_email, u.user_role) for u in copy.list_users()) == [
        ("admin@example.com", ProjectUserRole.ADMIN), ("annotator@example.com", ProjectUserRole.ANNOTATOR)]
    assert [s.title for s in copy.workflow.stages] == [s.title for s in original.workflow.stages]
    assert {s.uuid for s in copy.workflow.stages}.isdisjoint({s.uuid for s in original.workflow.stages})
    rows = {r.data_title: r for r in copy.list_label_rows_v2()}
    originals = {r.data_title: r for r in original.list_label_rows_v2()}
    assert rows["a.png"].label_hash not in (None, originals["a.png"].label_hash)
    assert rows["b.png"].label_hash is None
    assert labels_of(copy, "a.png") == labels_of(original, "a.png")
    # The copy's tasks start over in its first stage; the original's stay where they are.
    assert {r.workflow_graph_node.title for r in rows.values()} == {"Annotate 1"}
    assert originals["a.png"].workflow_graph_node.title == "Review 1"


def test_a_copy_without_options_has_the_ontology_and_workflow_only(encord_emulator, original):
    copy = encord_emulator.user_client("admin@example.com").get_project(original.copy_project())
    assert (copy.title, copy.description, copy.ontology_hash) == (original.title, original.description,
                                                                   original.ontology_hash)
    assert list(copy.list_datasets()) == [] and copy.list_label_rows_v2() == []
    assert [u.user_email for u in copy.list_users()] == ["admin@example.com"]
    assert [s.title for s in copy.workflow.stages] == ["Annotate 1", "Review 1", "Complete"]


def test_cloned_datasets_hold_the_chosen_data_units_backed_by_the_same_items(encord_emulator, original):
    client = encord_emulator.user_client("admin@example.com")
    [dataset] = original.list_datasets()
    source = str(dataset.dataset_hash)
    rows = {r.title: r for r in client.get_dataset(source).data_rows}
    clone = CopyDatasetOptions(action=CopyDatasetAction.CLONE, dataset_title="reviews clone",
                               dataset_description="a.png only",
                               datasets_to_data_hashes_map={source: [rows["a.png"].uid]})
    copy = client.get_project(original.copy_project(copy_datasets=clone, copy_labels=CopyLabelsOptions()))
    [cloned] = copy.list_datasets()
    assert str(cloned.dataset_hash) != source
    assert (cloned.title, cloned.description) == ("reviews clone", "a.png only")
    [row] = client.get_dataset(str(cloned.dataset_hash)).data_rows
    assert row.title == "a.png" and row.uid != rows["a.png"].uid
    assert row.backing_item_uuid == rows["a.png"].backing_item_uuid
    [label_row] = copy.list_label_rows_v2()
    assert (label_row.data_hash, label_row.data_title) == (row.uid, "a.png")
    assert labels_of(copy, "a.png") == labels_of(original, "a.png")


def test_labels_are_copied_in_the_review_states_asked_for(encord_emulator, original):
    first, second, ripe = reviews_of(original)
    first.approve()
    second.reject(comment="too loose")
    approved = CopyLabelsOptions(accepted_label_statuses=[ReviewApprovalState.APPROVED])
    pending = CopyLabelsOptions(accepted_label_statuses=[ReviewApprovalState.PENDING,
                                                         ReviewApprovalState.REJECTED])
    client = encord_emulator.user_client("admin@example.com")
    assert [r.status for r in reviews_of(original)] == [LabelReviewStatus.APPROVED, LabelReviewStatus.REJECTED,
                                                        LabelReviewStatus.NEW]
    kept = client.get_project(original.copy_project(copy_datasets=True, copy_labels=approved))
    assert labels_of(kept, "a.png") == ([first.label_id], [])
    kept = client.get_project(original.copy_project(copy_datasets=True, copy_labels=pending))
    assert labels_of(kept, "a.png") == ([second.label_id], [ripe.label_id])


def test_only_the_label_rows_asked_for_are_copied(encord_emulator, original):
    b = label_row_of(original, "b.png")
    add_box(b, 0.3)
    b.save()
    a_hash = next(r.label_hash for r in original.list_label_rows_v2() if r.data_title == "a.png")
    client = encord_emulator.user_client("admin@example.com")
    copy = client.get_project(original.copy_project(copy_datasets=True,
                                                    copy_labels=CopyLabelsOptions(accepted_label_hashes=[a_hash])))
    assert {r.data_title: r.label_hash is not None for r in copy.list_label_rows_v2()} == {"a.png": True,
                                                                                            "b.png": False}
    with pytest.raises(ResourceNotFoundError) as e:
        original.copy_project(copy_datasets=True, copy_labels=CopyLabelsOptions(accepted_label_hashes=[MISSING]))
    assert e.value.message == f"Label row {MISSING} does not exist in this project."


def test_labels_without_their_datasets_or_data_units_of_another_dataset_are_refused(encord_emulator, original):
    client = encord_emulator.user_client("admin@example.com")
    before = len(list(client.list_projects()))
    with pytest.raises(InvalidArgumentsError) as e:
        original.copy_project(copy_labels=CopyLabelsOptions())
    assert e.value.message == ("copy_labels: labels are copied with the data units they label; copy the datasets too "
                            "(copy_datasets).")
    clone = CopyDatasetOptions(action=CopyDatasetAction.CLONE, datasets_to_data_hashes_map={MISSING: [MISSING]})
    with pytest.raises(InvalidArgumentsError) as e:
        original.copy_project(copy_datasets=clone)
    assert e.value.message == f"datasets_to_data_hashes_map: dataset {MISSING} is not attached to this project."
    assert len(list(client.list_projects())) == before


def test_only_an_admin_copies_a_project(encord_emulator, original):
    encord_emulator.register_user("annotator@example.com")
    original.add_users(["annotator@example.com"], ProjectUserRole.ANNOTATOR)
    theirs = encord_emulator.user_client("annotator@example.com").get_project(original.project_hash)
    with pytest.raises(AuthorisationError) as e:
        theirs.copy_project()
    # The SDK shows a legacy call's authorisation error in words of its own.
    assert e.value.message == "You are not authorised to access this asset."
    outsider = encord_emulator.user_client("outsider@example.com")
    with pytest.raises(AuthorisationError) as e:
        outsider.get_project(original.project_hash)
    assert e.value.message == f"You are not authorised to access the project {original.project_hash}."
