"""Dataset collaborators through the SDK: a dataset's admins add, list and remove users by email with a role; an
added user reads the dataset (and its backing folder) but cannot administer it."""

import pytest
from encord.exceptions import AuthorisationError, InvalidArgumentsError
from encord.orm.dataset import DatasetUser, DatasetUserRole, StorageLocation


@pytest.fixture
def team(encord_emulator):
    admin = encord_emulator.user_client("admin@example.com")
    encord_emulator.register_user("reader@example.com")
    reader = encord_emulator.user_client("reader@example.com")
    created = admin.create_dataset("frames", StorageLocation.AWS)
    return admin, reader, admin.get_dataset(created.dataset_hash)


def test_an_added_user_is_listed_reads_the_dataset_and_is_removed(emulator):
    admin = emulator.user_client("admin@example.com")
    emulator.register_user("reader@example.com")
    reader = emulator.user_client("reader@example.com")
    dataset = admin.get_dataset(admin.create_dataset("frames", StorageLocation.AWS).dataset_hash)
    added = dataset.add_users(["reader@example.com"], DatasetUserRole.USER)
    assert added == [DatasetUser(user_email="reader@example.com", user_role=DatasetUserRole.USER,
                                 dataset_hash=dataset.dataset_hash)]
    assert sorted((u.user_email, u.user_role, u.dataset_hash) for u in dataset.list_users()) == [
        ("admin@example.com", DatasetUserRole.ADMIN, dataset.dataset_hash),
        ("reader@example.com", DatasetUserRole.USER, dataset.dataset_hash)]
    theirs = reader.get_dataset(dataset.dataset_hash)
    assert theirs.title == "frames"
    dataset.remove_users(["reader@example.com", "nobody@example.com"])
    assert [u.user_email for u in dataset.list_users()] == ["admin@example.com"]
    with pytest.raises(AuthorisationError) as e:
        list(theirs.list_users())
    assert e.value.message == f"You are not authorised to access the dataset {dataset.dataset_hash}."
    with pytest.raises(AuthorisationError) as e:
        reader.get_dataset(dataset.dataset_hash)
    assert e.value.message == "You are not authorised to access this asset."


def test_an_added_user_sees_the_backing_folder_until_removed(team):
    _, reader, dataset = team
    dataset.add_users(["reader@example.com"], DatasetUserRole.USER)
    assert reader.get_storage_folder(dataset.backing_folder_uuid).name == "frames"
    dataset.remove_users(["reader@example.com"])
    with pytest.raises(AuthorisationError):
        reader.get_storage_folder(dataset.backing_folder_uuid)


def test_adding_a_user_again_keeps_the_role_it_has(team):
    _, _, dataset = team
    dataset.add_users(["reader@example.com"], DatasetUserRole.USER)
    again = dataset.add_users(["reader@example.com"], DatasetUserRole.ADMIN)
    assert [(u.user_email, u.user_role) for u in again] == [("reader@example.com", DatasetUserRole.USER)]


def test_a_user_may_read_but_not_administer_the_dataset(team):
    _, reader, dataset = team
    dataset.add_users(["reader@example.com"], DatasetUserRole.USER)
    theirs = reader.get_dataset(dataset.dataset_hash)
    assert [u.user_email for u in theirs.list_users()] == ["admin@example.com", "reader@example.com"]
    with pytest.raises(AuthorisationError) as e:
        theirs.add_users(["reader@example.com"], DatasetUserRole.ADMIN)
    assert e.value.message == "You are not authorised to access this asset."
    with pytest.raises(AuthorisationError) as e:
        theirs.remove_users(["admin@example.com"])
    assert e.value.message == f"Only an admin of dataset {dataset.dataset_hash} may edit its data or its collaborators."
    assert len(list(dataset.list_users())) == 2


def test_an_added_admin_administers_the_dataset(team, encord_emulator):
    _, reader, dataset = team
    encord_emulator.register_user("third@example.com")
    dataset.add_users(["reader@example.com"], DatasetUserRole.ADMIN)
    reader.get_dataset(dataset.dataset_hash).add_users(["third@example.com"], DatasetUserRole.USER)
    assert ("third@example.com", DatasetUserRole.USER) in [(u.user_email, u.user_role) for u in dataset.list_users()]


def test_adding_an_unregistered_email_is_refused_and_adds_no_one(team):
    _, _, dataset = team
    with pytest.raises(InvalidArgumentsError) as e:
        dataset.add_users(["reader@example.com", "stranger@example.com"], DatasetUserRole.USER)
    assert e.value.message == "email: no user with email stranger@example.com is registered."
    assert [u.user_email for u in dataset.list_users()] == ["admin@example.com"]
