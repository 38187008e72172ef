"""Copying label rows between a project's label branches (``Project.copy_labels_to_branch``): the source branch's
rows (of the data units or label hashes asked) land on the target branch as rows of their own; a data unit that
already has a row there keeps it unless overwrite is asked; the count of rows created or updated comes back."""

import pytest
from encord.exceptions import InvalidArgumentsError

from tests.test_branches_and_logs import add_box, label_row_of, make_project


def boxes(project, title, branch_name):
    return sorted(o.object_hash for o in label_row_of(project, title, branch_name).get_object_instances())


def labelled(emulator):
    client = emulator.user_client("admin@example.com")
    project = make_project(emulator, client)
    for title in ("a.png", "b.png"):
        row = label_row_of(project, title)
        add_box(row, 0.1)
        row.save()
    return project


def test_main_is_copied_to_a_new_branch_and_overwritten_only_when_asked(emulator):
    project = labelled(emulator)
    assert project.copy_labels_to_branch("second-pass") == 2
    for title in ("a.png", "b.png"):
        assert boxes(project, title, "second-pass") == boxes(project, title, "main")
    copies = {r.data_title: r.label_hash for r in project.list_label_rows_v2(branch_name="second-pass")}
    originals = {r.data_title: r.label_hash for r in project.list_label_rows_v2()}
    assert set(copies.values()).isdisjoint(originals.values())
    a = label_row_of(project, "a.png")
    add_box(a, 0.5)
    a.save()
    assert project.copy_labels_to_branch("second-pass") == 0
    assert len(boxes(project, "a.png", "second-pass")) == 1
    assert project.copy_labels_to_branch("second-pass", overwrite=True, label_hashes=[originals["a.png"]]) == 1
    assert boxes(project, "a.png", "second-pass") == boxes(project, "a.png", "main")
    assert {r.data_title: r.label_hash for r in project.list_label_rows_v2(branch_name="second-pass")} == copies


def test_only_the_data_units_asked_are_copied(encord_emulator):
    project = labelled(encord_emulator)
    a = next(r for r in project.list_label_rows_v2() if r.data_title == "a.png")
    assert project.copy_labels_to_branch("review", data_hashes=[a.data_hash]) == 1
    assert {r.data_title: r.label_hash is not None for r in project.list_label_rows_v2(branch_name="review")} == {
        "a.png": True, "b.png": False}


def test_bad_branches_are_refused(encord_emulator):
    project = labelled(encord_emulator)
    with pytest.raises(InvalidArgumentsError) as e:
        project.copy_labels_to_branch("second pass")
    assert e.value.message == ("branch_name: 'second pass' may contain only letters, digits, hyphens, underscores "
                               "and periods.")
    assert list(project.list_branches()) == ["main"]


def test_a_branch_other_than_main_is_copied_from_its_own_rows(encord_emulator):
    project = labelled(encord_emulator)
    a = label_row_of(project, "a.png", "draft")
    add_box(a, 0.7)
    a.save()
    assert project.copy_labels_to_branch("final", source_branch="draft") == 1
    assert boxes(project, "a.png", "final") == boxes(project, "a.png", "draft") != boxes(project, "a.png", "main")
    assert sorted(project.list_branches()) == ["draft", "final", "main"]
