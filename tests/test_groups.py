"""The organisation's groups through the SDK: a member makes a group (and manages it); its managers and the
organisation's admins add and remove its users, rename and delete it."""

from uuid import UUID

import pytest
from encord.exceptions import AuthorisationError, ResourceNotFoundError
from encord.orm.dataset import DatasetUserRole, StorageLocation
from encord.orm.project import ProjectStatus
from encord.orm.storage import StorageUserRole
from encord.utilities.ontology_user import OntologyUserRole
from encord.utilities.project_user import ProjectUserRole


@pytest.fixture
def organisation(encord_emulator):
    admin = encord_emulator.user_client("admin@example.com")
    encord_emulator.register_user("member@example.com")
    encord_emulator.register_user("other@example.com")
    return admin, encord_emulator.user_client("member@example.com"), encord_emulator.user_client("other@example.com")


def emails(group) -> list[str]:
    return [u.user_email for u in group.list_users()]


def test_a_group_is_made_found_listed_changed_and_deleted(emulator):
    admin = emulator.user_client("admin@example.com")
    emulator.register_user("member@example.com")
    group = admin.create_group("Annotators", "the labelling team")
    assert (group.name, group.description) == ("Annotators", "the labelling team")
    assert emails(group) == ["admin@example.com"]
    assert [u.user_email for u in group.add_users(["member@example.com"])] == ["admin@example.com",
                                                                               "member@example.com"]
    group.remove_users(["admin@example.com", "nobody@example.com"])
    found = admin.get_group(str(group.group_hash))
    assert (found.group_hash, found.name, found.created_at) == (group.group_hash, "Annotators", group.created_at)
    assert emails(found) == ["member@example.com"]
    group.update_group(name="Labellers")
    assert (group.name, group.description) == ("Labellers", "the labelling team")
    assert [(g.group_hash, g.name) for g in admin.list_groups()] == [(group.group_hash, "Labellers")]
    admin.delete_group(group.group_hash)
    assert list(admin.list_groups()) == []
    with pytest.raises(ResourceNotFoundError) as e:
        admin.get_group(group.group_hash)
    assert e.value.message == "The requested resource was not found."


def test_a_member_makes_and_manages_a_group_others_may_only_read_it(organisation):
    admin, member, other = organisation
    group = member.create_group("Reviewers")
    group.add_users(["other@example.com"])
    theirs = other.get_group(group.group_hash)
    assert emails(theirs) == ["member@example.com", "other@example.com"]
    refusal = f"Only a manager of group {group.group_hash} or an admin of the organisation may change it."
    for change in (lambda: theirs.add_users(["admin@example.com"]), lambda: theirs.remove_users(["member@example.com"]),
                   lambda: theirs.update_group(description="ours"), lambda: other.delete_group(group.group_hash)):
        with pytest.raises(AuthorisationError) as e:
            change()
        assert e.value.message == refusal
    admin.get_group(group.group_hash).update_group(description="checked by the admin")
    assert member.get_group(group.group_hash).description == "checked by the admin"


def test_only_members_of_the_organisation_join_a_group(organisation):
    admin, _, _ = organisation
    group = admin.create_group("Annotators")
    with pytest.raises(AuthorisationError) as e:
        group.add_users(["member@example.com", "stranger@example.com"])
    assert e.value.message == "stranger@example.com is not a member of the organisation."
    assert emails(group) == ["admin@example.com"]


def test_a_member_removed_from_the_organisation_leaves_its_groups(organisation):
    admin, _, _ = organisation
    group = admin.create_group("Annotators")
    group.add_users(["member@example.com"])
    admin.remove_organisation_user("member@example.com")
    assert emails(group) == ["admin@example.com"]


def test_unknown_groups_are_not_found(organisation):
    admin, _, _ = organisation
    with pytest.raises(ResourceNotFoundError) as e:
        admin.delete_group("00000000-0000-0000-0000-000000000000")
    assert e.value.message == "The requested resource was not found."


# -- groups given access to projects, datasets, ontologies and storage folders ---------------------------------------

@pytest.fixture
def resources(organisation):
    admin, member, _ = organisation
    dataset = admin.get_dataset(admin.create_dataset("frames", StorageLocation.AWS).dataset_hash)
    project = admin.get_project(admin.create_project("labelling", [dataset.dataset_hash]))
    ontology = admin.get_ontology(project.ontology_hash)
    folder = admin.create_storage_folder("shared")
    group = admin.create_group("Annotators")
    group.add_users(["member@example.com"])
    return admin, member, group, project, dataset, ontology, folder


def test_groups_are_given_listed_and_taken_from_each_kind_of_resource(emulator):
    admin = emulator.user_client("admin@example.com")
    dataset = admin.get_dataset(admin.create_dataset("frames", StorageLocation.AWS).dataset_hash)
    project = admin.get_project(admin.create_project("labelling", [dataset.dataset_hash]))
    group = admin.create_group("Annotators", "the labelling team")
    for resource, role in ((project, ProjectUserRole.REVIEWER), (dataset, DatasetUserRole.USER),
                           (admin.get_ontology(project.ontology_hash), OntologyUserRole.USER),
                           (admin.create_storage_folder("shared"), StorageUserRole.USER)):
        resource.add_group(group.group_hash, role)
        [listed] = resource.list_groups()
        assert (listed.group_hash, listed.name, listed.description, listed.is_same_organisation, listed.user_role) == (
            group.group_hash, "Annotators", "the labelling team", True, role)
        resource.remove_group(group.group_hash)
        assert list(resource.list_groups()) == []


def test_a_group_gives_its_members_the_role_it_has_on_a_project(resources):
    _, member, group, project, _, _, _ = resources
    with pytest.raises(AuthorisationError):
        member.get_project(project.project_hash)
    project.add_group(group.group_hash, ProjectUserRole.ANNOTATOR)
    theirs = member.get_project(project.project_hash)
    assert theirs.title == "labelling"
    assert [p.project_hash for p in member.list_projects()] == [project.project_hash]
    with pytest.raises(AuthorisationError) as e:
        theirs.set_status(ProjectStatus.ARCHIVED)
    assert e.value.message == (f"Only an admin of project {project.project_hash} may change its collaborators, tags or "
                               "status.")


def test_a_member_of_a_dataset_reader_group_reads_but_does_not_administer(resources):
    _, member, group, _, dataset, _, _ = resources
    dataset.add_group([group.group_hash], DatasetUserRole.USER)
    theirs = member.get_dataset(dataset.dataset_hash)
    assert theirs.title == "frames"
    assert member.get_storage_folder(dataset.backing_folder_uuid).name == "frames"
    with pytest.raises(AuthorisationError) as e:
        theirs.remove_group(group.group_hash)
    assert e.value.message == f"Only an admin of dataset {dataset.dataset_hash} may edit its data or its collaborators."
    dataset.remove_group(group.group_hash)
    with pytest.raises(AuthorisationError):
        member.get_storage_folder(dataset.backing_folder_uuid)


def test_an_admin_group_administers_an_ontology_and_a_folder(resources):
    _, member, group, _, _, ontology, folder = resources
    ontology.add_group(group.group_hash, OntologyUserRole.ADMIN)
    folder.add_group(group.group_hash, StorageUserRole.ADMIN)
    other = member.create_group("Reviewers")
    member.get_ontology(ontology.ontology_hash).add_group(other.group_hash, OntologyUserRole.USER)
    member.get_storage_folder(folder.uuid).add_group(other.group_hash, StorageUserRole.USER)
    assert {g.name for g in ontology.list_groups()} == {g.name for g in folder.list_groups()} == {"Annotators",
                                                                                                   "Reviewers"}


def test_a_reader_group_may_not_give_access_to_an_ontology_or_a_folder(resources):
    _, member, group, _, _, ontology, folder = resources
    ontology.add_group(group.group_hash, OntologyUserRole.USER)
    folder.add_group(group.group_hash, StorageUserRole.USER)
    with pytest.raises(AuthorisationError) as e:
        member.get_ontology(ontology.ontology_hash).add_group(group.group_hash, OntologyUserRole.ADMIN)
    assert e.value.message == f"Only an admin of the ontology {ontology.ontology_hash} may change who has access to it."
    with pytest.raises(AuthorisationError) as e:
        member.get_storage_folder(folder.uuid).remove_group(group.group_hash)
    assert e.value.message == f"Only an admin of the storage folder {folder.uuid} may change who has access to it."
    assert [g.user_role for g in folder.list_groups()] == [StorageUserRole.USER]


def test_leaving_the_group_removing_it_or_deleting_it_takes_the_access_away(resources):
    admin, member, group, project, _, _, _ = resources
    project.add_group(group.group_hash, ProjectUserRole.VIEWER)
    group.remove_users(["member@example.com"])
    with pytest.raises(AuthorisationError):
        member.get_project(project.project_hash)
    group.add_users(["member@example.com"])
    project.remove_group(group.group_hash)
    with pytest.raises(AuthorisationError):
        member.get_project(project.project_hash)
    project.add_group(group.group_hash, ProjectUserRole.VIEWER)
    admin.delete_group(group.group_hash)
    assert list(project.list_groups()) == []
    with pytest.raises(AuthorisationError):
        member.get_project(project.project_hash)


def test_a_group_outside_the_organisation_cannot_be_given_access(resources):
    _, _, _, project, _, _, _ = resources
    with pytest.raises(ResourceNotFoundError) as e:
        project.add_group(UUID("00000000-0000-0000-0000-000000000000"), ProjectUserRole.ANNOTATOR)
    assert e.value.message == "The requested resource was not found."
    assert list(project.list_groups()) == []
