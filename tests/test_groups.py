"""The organisation's groups through the SDK: a member makes a group (and manages it); its managers and the
organisation's admins add and remove its users, rename and delete it."""

import pytest
from encord.exceptions import AuthorisationError, ResourceNotFoundError


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
