"""The organisation's users through the SDK: every registered user belongs to the emulator's one organisation (the
first as its admin); its admins add and remove members by email, with an organisation role."""

import pytest
from encord.exceptions import AuthorisationError, InvalidArgumentsError, ResourceExistsError, ResourceNotFoundError


@pytest.fixture
def organisation(encord_emulator):
    admin = encord_emulator.user_client("admin@example.com")
    encord_emulator.register_user("member@example.com")
    return admin, encord_emulator.user_client("member@example.com")


def members(client) -> list[tuple[str, str, str]]:
    return [(u.email, u.role_mnemonic_name, u.member_type) for u in client.list_organisation_users()]


def test_registered_users_belong_to_the_organisation_and_an_admin_adds_and_removes_members(emulator):
    admin = emulator.user_client("admin@example.com")
    emulator.register_user("member@example.com")
    assert members(admin) == [("admin@example.com", "ADMIN", "internal"), ("member@example.com", "MEMBER", "internal")]
    admin.add_organisation_user("contractor@example.com", role_mnemonic_name="TASKER", member_type="external")
    assert members(admin)[-1] == ("contractor@example.com", "TASKER", "external")
    admin.remove_organisation_user("member@example.com")
    assert [email for email, _, _ in members(admin)] == ["admin@example.com", "contractor@example.com"]


def test_a_member_added_before_registering_keeps_the_role_given(organisation, encord_emulator):
    admin, _ = organisation
    admin.add_organisation_user("lead@example.com", role_mnemonic_name="WORKFORCE_MANAGER", member_type="internal")
    encord_emulator.register_user("lead@example.com")
    lead = encord_emulator.user_client("lead@example.com")
    assert ("lead@example.com", "WORKFORCE_MANAGER", "internal") in members(lead)


def test_adding_a_member_again_is_refused(organisation):
    admin, _ = organisation
    with pytest.raises(ResourceExistsError) as e:
        admin.add_organisation_user("member@example.com", role_mnemonic_name="ADMIN", member_type="internal")
    assert e.value.message == "member@example.com is already a member of the organisation."
    assert ("member@example.com", "MEMBER", "internal") in members(admin)


def test_only_internal_members_can_hold_the_admin_role(organisation):
    admin, _ = organisation
    with pytest.raises(InvalidArgumentsError) as e:
        admin.add_organisation_user("outside@example.com", role_mnemonic_name="ADMIN", member_type="external")
    assert e.value.message == "memberType: only internal members can hold the ADMIN role."
    assert "outside@example.com" not in [email for email, _, _ in members(admin)]


def test_a_member_who_is_not_an_admin_may_list_but_not_manage_users(organisation):
    admin, member = organisation
    assert members(member) == members(admin)
    refusal = "Only an admin of the organisation may manage its users, tags and metadata schema."
    with pytest.raises(AuthorisationError) as e:
        member.add_organisation_user("friend@example.com", role_mnemonic_name="MEMBER", member_type="internal")
    assert e.value.message == refusal
    with pytest.raises(AuthorisationError) as e:
        member.remove_organisation_user("admin@example.com")
    assert e.value.message == refusal


def test_removing_an_email_of_no_account_is_not_found(organisation):
    admin, _ = organisation
    with pytest.raises(ResourceNotFoundError) as e:
        admin.remove_organisation_user("nobody@example.com")
    assert e.value.message == "The requested resource was not found."


def test_the_organisation_keeps_its_last_admin(organisation):
    admin, _ = organisation
    with pytest.raises(InvalidArgumentsError) as e:
        admin.remove_organisation_user("admin@example.com")
    assert e.value.message == "admin@example.com is the organisation's last admin; the organisation keeps at least one."


def test_a_removed_member_may_no_longer_use_the_organisation(organisation):
    admin, member = organisation
    admin.remove_organisation_user("member@example.com")
    with pytest.raises(AuthorisationError) as e:
        member.list_organisation_users()
    assert e.value.message == "member@example.com is not a member of the organisation."
    admin.remove_organisation_user("member@example.com")  # an account outside the organisation: nothing to do
