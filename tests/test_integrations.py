"""Cloud integrations through the real SDK, created through the control API."""

import pytest


def test_integrations_are_listed_with_their_filters(emulator):
    client = emulator.user_client("me@example.com")
    otc = emulator.add_integration("OTC bucket", "Open Telekom Cloud", ["fruit-bucket"])
    aws = emulator.add_integration("AWS bucket", "aws s3", ["other"])
    emulator.add_integration("Azure", "AZURE", ["container"])
    assert otc["provider"] == "OTC" and aws["provider"] == "AWS"

    listed = client.get_cloud_integrations()
    assert [(i.id, i.title) for i in listed][:2] == [(otc["id"], "OTC bucket"), (aws["id"], "AWS bucket")]
    assert len(listed) == 3
    assert [i.title for i in client.get_cloud_integrations(filter_integration_uuids=[aws["id"]])] == ["AWS bucket"]
    assert [i.title for i in client.get_cloud_integrations(filter_integration_titles=["Azure", "OTC bucket"])] == [
        "OTC bucket", "Azure"]
    assert client.get_cloud_integrations(filter_integration_titles=["nothing"]) == []
    assert len(client.get_cloud_integrations(include_org_access=True)) == 3


def test_integration_with_users_is_visible_to_those_users_only(emulator):
    alice = emulator.user_client("alice@example.com")
    bob = emulator.user_client("bob@example.com")
    emulator.add_integration("alice only", "GCP", ["b"], users=["alice@example.com"])
    assert [i.title for i in alice.get_cloud_integrations()] == ["alice only"]
    assert bob.get_cloud_integrations() == []
    integration_id = alice.get_cloud_integrations()[0].id
    emulator.share("integration", integration_id, "bob@example.com")
    assert [i.title for i in bob.get_cloud_integrations()] == ["alice only"]


def test_every_provider_is_accepted(emulator):
    for provider in ("AWS", "GCP", "AZURE", "OTC", "S3_COMPATIBLE", "WASABI", "DIRECT_ACCESS"):
        assert emulator.add_integration(provider.lower(), provider, ["b"])["provider"] == provider


def test_unknown_provider_is_refused_naming_the_field(emulator):
    from emulator.testing import ControlError

    with pytest.raises(ControlError) as e:
        emulator.add_integration("bad", "dropbox", ["b"])
    assert (e.value.status, e.value.code) == (400, "INVALID_ARGUMENTS_ERROR")
    assert e.value.message == (
        "provider: unknown provider 'dropbox'; expected one of AWS, GCP, AZURE, OTC, S3_COMPATIBLE, WASABI, DIRECT_ACCESS.")
    assert emulator.user_client().get_cloud_integrations() == []


def test_integration_for_an_unknown_user_is_refused(emulator):
    from emulator.testing import ControlError

    with pytest.raises(ControlError) as e:
        emulator.add_integration("bad", "AWS", ["b"], users=["ghost@example.com"])
    assert e.value.message == "email: no user with email ghost@example.com is registered."
