"""ML models through the real SDK: the emulator trains none and does not serve create_model, so no model exists —
listings are empty, a model named is unknown, and a project has none attached."""

import uuid

import pytest
from encord.exceptions import AuthorisationError, MethodNotAllowedError, ResourceNotFoundError
from encord.objects.ml_models import ModelArchitecture, ModelsListOrderBy
from encord.orm.dataset import StorageLocation


def test_no_model_can_be_created_so_none_is_listed_or_attached(emulator):
    client = emulator.user_client()
    with pytest.raises(MethodNotAllowedError):
        client.ml_models.create_model(features=["car"], model=list(ModelArchitecture)[0], title="m",
                                      description=None)
    assert list(client.ml_models.list_models(order_by=ModelsListOrderBy.TITLE, order_asc=True, query=None)) == []
    dataset = client.create_dataset("d", StorageLocation.AWS)
    project_hash = client.create_project("P", [dataset.dataset_hash])
    assert list(client.ml_models.list_model_attachments(project_uuid=uuid.UUID(project_hash))) == []


def test_an_unknown_model_is_not_found_and_anothers_project_refused(encord_emulator):
    client = encord_emulator.user_client()
    with pytest.raises(ResourceNotFoundError) as e:
        list(client.ml_models.get_training_data(model_uuid=uuid.uuid4(), training_uuid=uuid.uuid4()))
    assert e.value.message == "The requested resource was not found."
    project_hash = client.create_project("P", [client.create_dataset("d", StorageLocation.AWS).dataset_hash])
    stranger = encord_emulator.user_client("stranger@example.com")
    with pytest.raises(AuthorisationError) as e:
        list(stranger.ml_models.list_model_attachments(project_uuid=uuid.UUID(project_hash)))
    assert e.value.message == f"You are not authorised to access the project {project_hash}."
