"""The organisation's tags through the SDK: its admins make and delete them; a project's admins attach and detach
them; the project's users read them."""

import pytest
import requests
from encord.exceptions import AuthorisationError, ResourceExistsError, ResourceNotFoundError
from encord.orm.dataset import StorageLocation
from encord.utilities.project_user import ProjectUserRole
from wire_tools import sign_v2

pytestmark = pytest.mark.filterwarnings("ignore:(list_project_tags|get_tags) is deprecated:DeprecationWarning")


@pytest.fixture
def organisation(encord_emulator):
    admin = encord_emulator.user_client("admin@example.com")
    encord_emulator.register_user("member@example.com")
    member = encord_emulator.user_client("member@example.com")
    dataset = admin.create_dataset("frames", StorageLocation.AWS)
    project = admin.get_project(admin.create_project("labelling", [dataset.dataset_hash]))
    project.add_users(["member@example.com"], ProjectUserRole.ANNOTATOR)
    return admin, member, project


def names(tags) -> list[str]:
    return [t.name for t in tags]


def test_tags_are_made_attached_read_detached_and_deleted(emulator):
    admin = emulator.user_client("admin@example.com")
    project = admin.get_project(admin.create_project("labelling", [
        admin.create_dataset("frames", StorageLocation.AWS).dataset_hash]))
    urgent = admin.create_organisation_tag("urgent", "label first")
    admin.create_organisation_tag("audited")
    assert names(admin.list_organisation_tags()) == ["audited", "urgent"]
    assert admin.list_project_tags() == admin.list_organisation_tags()
    project.add_organisation_tag(urgent)
    project.add_organisation_tag(tag_name="audited")
    project.add_organisation_tag(tag_uuid=urgent.uuid)  # already attached: nothing changes
    assert sorted(names(project.get_organisation_tags())) == ["audited", "urgent"]
    project.remove_organisation_tag(tag_name="audited")
    assert project.get_tags() == [urgent]
    admin.delete_organisation_tag(urgent)
    assert names(admin.list_organisation_tags()) == ["audited"]
    assert project.get_organisation_tags(use_cache=False) == []


def test_the_tags_on_the_path_of_releases_up_to_0_1_204(encord_emulator):
    user = encord_emulator.register_user("admin@example.com")
    encord_emulator.user_client(user.email).create_organisation_tag("urgent")
    prepared = requests.Request("GET", encord_emulator.url + "/v2/public/organisation/project-tags").prepare()
    sign_v2(prepared, user.private_key)
    with requests.Session() as session:
        reply = session.send(prepared, timeout=30)
    assert [t["name"] for t in reply.json()["results"]] == ["urgent"]


def test_a_tag_name_is_unique_in_the_organisation(organisation):
    admin, _, _ = organisation
    admin.create_organisation_tag("urgent")
    with pytest.raises(ResourceExistsError) as e:
        admin.create_organisation_tag("urgent", "again")
    assert e.value.message == "A tag named 'urgent' already exists in the organisation."
    assert names(admin.list_organisation_tags()) == ["urgent"]


def test_only_the_organisations_admins_make_and_delete_tags(organisation):
    admin, member, _ = organisation
    tag = admin.create_organisation_tag("urgent")
    refusal = "Only an admin of the organisation may manage its users, tags and metadata schema."
    with pytest.raises(AuthorisationError) as e:
        member.create_organisation_tag("mine")
    assert e.value.message == refusal
    with pytest.raises(AuthorisationError) as e:
        member.delete_organisation_tag(tag_uuid=tag.uuid)
    assert e.value.message == refusal
    assert names(member.list_organisation_tags()) == ["urgent"]


def test_a_projects_users_read_its_tags_and_only_its_admins_change_them(organisation):
    admin, member, project = organisation
    tag = admin.create_organisation_tag("urgent")
    project.add_organisation_tag(tag)
    theirs = member.get_project(project.project_hash)
    assert theirs.get_organisation_tags() == [tag]
    with pytest.raises(AuthorisationError) as e:
        theirs.remove_organisation_tag(tag)
    assert e.value.message == (f"Only an admin of project {project.project_hash} may change its collaborators, tags or "
                               "status.")
    assert project.get_organisation_tags(use_cache=False) == [tag]


def test_unknown_tags_are_not_found(organisation):
    admin, _, project = organisation
    with pytest.raises(ResourceNotFoundError) as e:
        project.add_organisation_tag(tag_name="nowhere")
    assert e.value.message == "No organisation tag named 'nowhere' exists in the organisation."
    unknown = "00000000-0000-0000-0000-000000000000"
    for call in (lambda: project.add_organisation_tag(tag_uuid=unknown),
                 lambda: project.remove_organisation_tag(tag_uuid=unknown),
                 lambda: admin.delete_organisation_tag(tag_uuid=unknown)):
        with pytest.raises(ResourceNotFoundError) as e:
            call()
        assert e.value.message == "The requested resource was not found."
