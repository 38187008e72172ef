"""Reading label rows' classification answers in bulk (``Project.get_label_classifications``): one entry per label
row asked, on the branch asked, with its data unit and the answers keyed by classification hash."""

import pytest
from encord.exceptions import InvalidArgumentsError, ResourceNotFoundError

from tests.test_reviews_and_issues import label_row_of, labelled_project

MISSING = "00000000-0000-0000-0000-000000000000"


def test_each_rows_classification_answers_are_read_in_one_request(emulator):
    project, a = labelled_project(emulator)
    b = label_row_of(project, "b.png")
    b.save()
    [ripe] = a.get_classification_instances()
    entries = list(project.get_label_classifications([a.label_hash, b.label_hash]))
    assert [(e.data_title, str(e.label_uuid), str(e.data_uuid), e.branch_name) for e in entries] == [
        ("a.png", a.label_hash, a.data_hash, "main"), ("b.png", b.label_hash, b.data_hash, "main")]
    [(classification_hash, answer)] = entries[0].classification_answers.items()
    assert classification_hash == answer.classification_hash == ripe.classification_hash
    [question] = answer.classifications
    assert (question.name, question.feature_hash) == ("Ripe", ripe.ontology_item.attributes[0].feature_node_hash)
    assert [option["name"] for option in question.answers] == ["Yes"]
    assert entries[1].classification_answers == {}
    assert (entries[0].export_uuid, entries[0].exported_at) == (None, None)
    # Once exported, each row names its newest export.
    exported = {e["data_title"]: e for e in emulator.export(project.project_hash)}
    entries = list(project.get_label_classifications([a.label_hash]))
    assert str(entries[0].export_uuid) == exported["a.png"]["export_hash"]


def test_a_row_of_another_branch_or_an_unknown_row_is_not_found(encord_emulator):
    project, a = labelled_project(encord_emulator)
    with pytest.raises(ResourceNotFoundError) as e:
        list(project.get_label_classifications([a.label_hash], branch_name="second-pass"))
    assert e.value.message == "The requested resource was not found."  # the SDK's words for a v2 404
    with pytest.raises(ResourceNotFoundError) as e:
        list(project.get_label_classifications([MISSING]))
    assert e.value.message == "The requested resource was not found."



def test_more_than_1000_rows_in_one_request_are_invalid(encord_emulator):
    project, a = labelled_project(encord_emulator)
    with pytest.raises(InvalidArgumentsError) as e:
        list(project.get_label_classifications([a.label_hash] * 1001, batch_size=1001))
    assert e.value.message == "1001 label rows in one request; at most 1000 are allowed."
