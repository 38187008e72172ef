"""The legacy ontology edits through a project (``Project.add_object``, ``Project.add_classification``): an admin
adds to the ontology the project labels with, which every project sharing that ontology then sees, as the SDK's
docstring warns; labels of the new features save."""

import warnings

import pytest
from encord.exceptions import AuthorisationError
from encord.objects import Object
from encord.objects.coordinates import PolygonCoordinates, PointCoordinate
from encord.orm.dataset import StorageLocation
from encord.project_ontology.classification_type import ClassificationType
from encord.project_ontology.object_type import ObjectShape
from encord.utilities.project_user import ProjectUserRole


@pytest.fixture(autouse=True)
def _deprecated_calls():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        yield


def two_projects(emulator):
    client = emulator.user_client("admin@example.com")
    dataset = client.create_dataset("fruit", StorageLocation.AWS)
    emulator.register_data_rows(dataset.dataset_hash, [{"data_title": "a.png", "data_type": "IMAGE", "width": 32,
                                                        "height": 32}])
    first = client.get_project(client.create_project("first", [dataset.dataset_hash]))
    second = client.get_project(client.create_project("second", [dataset.dataset_hash],
                                                      ontology_hash=first.ontology_hash))
    return client, first, second


def test_added_features_reach_every_project_of_the_ontology_and_label(emulator):
    client, first, second = two_projects(emulator)
    assert first.add_object("Apple", ObjectShape.POLYGON) is True
    assert first.add_classification("Colour", ClassificationType.RADIO, True, ["red", "green"]) is True
    for project in (first, client.get_project(second.project_hash)):
        structure = project.ontology_structure
        assert [(o.name, o.shape.value) for o in structure.objects] == [("Apple", "polygon")]
        [colour] = structure.classifications
        [question] = colour.attributes
        assert (question.name, question.required, [o.label for o in question.options]) == ("Colour", True,
                                                                                          ["red", "green"])
    assert [o.name for o in client.get_ontology(first.ontology_hash).structure.objects] == ["Apple"]
    label_row = first.list_label_rows_v2()[0]
    label_row.initialise_labels()
    apple = label_row.ontology_structure.get_child_by_title("Apple", type_=Object).create_instance()
    apple.set_for_frames(PolygonCoordinates([PointCoordinate(0.1, 0.1), PointCoordinate(0.5, 0.1),
                                             PointCoordinate(0.3, 0.4)]), frames=0)
    label_row.add_object_instance(apple)
    label_row.save()
    again = first.list_label_rows_v2()[0]
    again.initialise_labels()
    assert [o.object_hash for o in again.get_object_instances()] == [apple.object_hash]


def test_an_annotator_may_not_change_the_ontology(encord_emulator):
    client, first, _ = two_projects(encord_emulator)
    encord_emulator.register_user("annotator@example.com")
    first.add_users(["annotator@example.com"], ProjectUserRole.ANNOTATOR)
    theirs = encord_emulator.user_client("annotator@example.com").get_project(first.project_hash)
    with pytest.raises(AuthorisationError) as e:
        theirs.add_object("Apple", ObjectShape.BOUNDING_BOX)
    # The SDK shows a legacy call's authorisation error in words of its own.
    assert e.value.message == "You are not authorised to access this asset."
    assert client.get_ontology(first.ontology_hash).structure.objects == []
