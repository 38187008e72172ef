"""Project and dataset collaborators, and a project's status, through the SDK: admins add, list and remove users
by email with a role; an added annotator works in the project but cannot administer it."""

import pytest
from encord.exceptions import AuthorisationError, InvalidArgumentsError
from encord.orm.dataset import StorageLocation
from encord.orm.project import ProjectStatus
from encord.utilities.project_user import ProjectUser, ProjectUserRole


@pytest.fixture
def team(emulator):
    admin = emulator.user_client("admin@example.com")
    emulator.register_user("annotator@example.com")
    annotator = emulator.user_client("annotator@example.com")
    dataset = admin.create_dataset("frames", StorageLocation.AWS)
    project_hash = admin.create_project("labelling", [dataset.dataset_hash])
    return admin, annotator, admin.get_project(project_hash)


def test_an_added_annotator_is_listed_and_works_in_the_project(team):
    admin, annotator, project = team
    added = project.add_users(["annotator@example.com"], ProjectUserRole.ANNOTATOR)
    assert added == [ProjectUser(user_email="annotator@example.com", user_role=ProjectUserRole.ANNOTATOR,
                                 project_hash=project.project_hash)]
    assert sorted((u.user_email, u.user_role) for u in project.list_users()) == [
        ("admin@example.com", ProjectUserRole.ADMIN), ("annotator@example.com", ProjectUserRole.ANNOTATOR)]
    theirs = annotator.get_project(project.project_hash)
    assert theirs.title == "labelling"
    assert theirs.list_label_rows_v2() == []


def test_a_state_with_every_collaborator_role_is_exported_and_imported_back(team, emulator):
    admin, annotator, project = team
    roles = [ProjectUserRole.ANNOTATOR, ProjectUserRole.REVIEWER, ProjectUserRole.ANNOTATOR_REVIEWER,
             ProjectUserRole.TEAM_MANAGER]
    for role in roles:
        email = f"{role.name.lower()}-member@example.com"
        emulator.register_user(email)
        project.add_users([email], role)
    document = emulator.state()
    emulator.reset()
    emulator.load_state(document)
    assert sorted((u.user_email, u.user_role) for u in admin.get_project(project.project_hash).list_users()) == sorted(
        [("admin@example.com", ProjectUserRole.ADMIN)] + [(f"{r.name.lower()}-member@example.com", r) for r in roles])


def test_adding_a_member_again_keeps_the_role_it_has(team):
    _, _, project = team
    project.add_users(["annotator@example.com"], ProjectUserRole.ANNOTATOR)
    again = project.add_users(["annotator@example.com"], ProjectUserRole.REVIEWER)
    assert [(u.user_email, u.user_role) for u in again] == [("annotator@example.com", ProjectUserRole.ANNOTATOR)]


def test_a_removed_user_loses_access_and_unknown_emails_are_ignored(team):
    _, annotator, project = team
    project.add_users(["annotator@example.com"], ProjectUserRole.ANNOTATOR)
    project.remove_users(["annotator@example.com", "nobody@example.com"])
    assert [u.user_email for u in project.list_users()] == ["admin@example.com"]
    with pytest.raises(AuthorisationError) as e:
        annotator.get_project(project.project_hash)
    assert e.value.message == f"You are not authorised to access the project {project.project_hash}."


def test_an_annotator_may_not_administer_the_project(team):
    _, annotator, project = team
    project.add_users(["annotator@example.com"], ProjectUserRole.ANNOTATOR)
    theirs = annotator.get_project(project.project_hash)
    refusal = f"Only an admin of project {project.project_hash} may change its collaborators, tags or status."
    with pytest.raises(AuthorisationError) as e:
        theirs.add_users(["admin@example.com"], ProjectUserRole.VIEWER)
    assert e.value.message == "You are not authorised to access this asset."
    with pytest.raises(AuthorisationError) as e:
        theirs.remove_users(["admin@example.com"])
    assert e.value.message == refusal
    assert len(list(project.list_users())) == 2


def test_adding_an_unregistered_email_is_refused_and_adds_no_one(team):
    _, _, project = team
    with pytest.raises(InvalidArgumentsError) as e:
        project.add_users(["annotator@example.com", "stranger@example.com"], ProjectUserRole.ANNOTATOR)
    assert e.value.message == "email: no user with email stranger@example.com is registered."
    assert [u.user_email for u in project.list_users()] == ["admin@example.com"]


def test_an_outsider_cannot_list_the_users(team, emulator):
    _, _, project = team
    outsider = emulator.user_client("outsider@example.com")
    with pytest.raises(AuthorisationError) as e:
        outsider.get_project(project.project_hash)
    assert e.value.message == f"You are not authorised to access the project {project.project_hash}."


def test_an_admin_sets_the_status_and_an_annotator_may_not(team):
    admin, annotator, project = team
    project.set_status(ProjectStatus.IN_PROGRESS)
    assert admin.get_project(project.project_hash).status == ProjectStatus.IN_PROGRESS
    project.add_users(["annotator@example.com"], ProjectUserRole.ANNOTATOR)
    with pytest.raises(AuthorisationError) as e:
        annotator.get_project(project.project_hash).set_status(ProjectStatus.ARCHIVED)
    assert e.value.message == (f"Only an admin of project {project.project_hash} may change its collaborators, tags or "
                               "status.")
    assert admin.get_project(project.project_hash).status == ProjectStatus.IN_PROGRESS
