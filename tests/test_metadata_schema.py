"""The organisation's client metadata schema through the SDK: its admins save it with MetadataSchema (each save
replacing it), every member reads it; the deprecated legacy calls read and write the same schema in simple types."""

import pytest
from encord.exceptions import AuthorisationError, InvalidArgumentsError
from encord.metadata_schema import MetadataSchemaScalarType
from encord.orm.client_metadata_schema import ClientMetadataSchemaTypes

pytestmark = pytest.mark.filterwarnings("ignore:.*(client_metadata_schema).*:DeprecationWarning")


@pytest.fixture
def organisation(encord_emulator):
    admin = encord_emulator.user_client("admin@example.com")
    encord_emulator.register_user("member@example.com")
    return admin, encord_emulator.user_client("member@example.com")


def test_a_saved_schema_is_read_back_by_every_member_and_in_the_legacy_types(emulator):
    admin = emulator.user_client("admin@example.com")
    emulator.register_user("member@example.com")
    assert admin.metadata_schema().keys() == [] and admin.get_client_metadata_schema() is None
    schema = admin.metadata_schema()
    schema.add_scalar("captured", data_type=MetadataSchemaScalarType.DATETIME)
    schema.add_scalar("camera.name", data_type="varchar")
    schema.add_enum("split", values=["train", "val"])
    schema.add_embedding("clip", size=512)
    schema.save()
    theirs = emulator.user_client("member@example.com").metadata_schema()
    assert sorted(theirs.keys()) == ["camera.name", "captured", "clip", "split"]
    assert theirs.get_enum_options("split") == ["train", "val"] and theirs.get_embedding_size("clip") == 512
    assert admin.get_client_metadata_schema() == {
        "captured": ClientMetadataSchemaTypes.DATETIME, "camera.name": ClientMetadataSchemaTypes.STRING,
        "split": ClientMetadataSchemaTypes.ENUM, "clip": ClientMetadataSchemaTypes.EMBEDDING}
    admin.set_client_metadata_schema_from_dict({"score": ClientMetadataSchemaTypes.NUMBER, "notes": "long_string"})
    assert admin.metadata_schema().get_key_type("notes") == "text"
    assert admin.get_client_metadata_schema() == {"score": ClientMetadataSchemaTypes.NUMBER,
                                                  "notes": ClientMetadataSchemaTypes.LONG_STRING}


def test_a_deleted_key_stays_deleted_and_can_be_restored(organisation):
    admin, _ = organisation
    schema = admin.metadata_schema()
    schema.add_scalar("score", data_type="number")
    schema.save()
    schema.delete_key("score")
    schema.save()
    read = admin.metadata_schema()
    assert read.is_key_deleted("score") and admin.get_client_metadata_schema() == {}
    read.restore_key("score")
    read.save()
    assert admin.metadata_schema().get_key_type("score") == "number"


def test_only_the_organisations_admins_save_the_schema(organisation):
    admin, member = organisation
    schema = member.metadata_schema()
    schema.add_scalar("score", data_type="number")
    refusal = "Only an admin of the organisation may manage its users, tags and metadata schema."
    with pytest.raises(AuthorisationError) as e:
        schema.save()
    assert e.value.message == refusal
    with pytest.raises(AuthorisationError) as e:
        member.set_client_metadata_schema_from_dict({"score": "number"})
    assert e.value.message == refusal
    assert admin.metadata_schema().keys() == []


def test_a_legacy_enum_or_embedding_needs_the_schemas_own_calls(organisation):
    admin, _ = organisation
    with pytest.raises(InvalidArgumentsError) as e:
        admin.set_client_metadata_schema_from_dict({"score": "number", "split": "enum"})
    assert e.value.message == ("split: a key of type enum needs its values; add it with "
                               "EncordUserClient.metadata_schema() instead.")
    assert admin.get_client_metadata_schema() is None
