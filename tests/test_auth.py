"""Authentication and access through the real SDK: v1 and v2 signatures, bearer tokens, open and strict mode.

The SDK appends a timestamped context to ``str(exception)``, so exact messages are asserted on ``.message``.
"""

import re
import time

import pytest
from encord.exceptions import AuthenticationError, AuthorisationError, InvalidArgumentsError, SshKeyNotFound
from encord.orm.dataset import StorageLocation
from encord.user_client import EncordUserClient
from wire_tools import REGION_HINT, flip_byte, set_body, sign_v1, sign_v2

from emulator.testing import new_ssh_key

SIGNATURE_MISMATCH = "The request signature is invalid: it does not match the request and the key."


def legacy_auth_message(emulator) -> str:
    return f"You are not authenticated to access the Encord platform. {REGION_HINT} Currently connected to: {emulator.url}/"


def v2_auth_message(emulator, message: str) -> str:
    return f"{message} {REGION_HINT} Currently connected to: {emulator.url}"


def test_signed_requests_of_both_families_are_accepted(emulator):
    client = emulator.user_client()
    created = client.create_dataset("signed", StorageLocation.AWS)  # v2
    assert client.get_dataset(created.dataset_hash).title == "signed"  # legacy v1


def test_open_mode_makes_a_user_of_an_unknown_key_on_first_use(emulator):
    private, _ = new_ssh_key()
    client = EncordUserClient.create_with_ssh_private_key(ssh_private_key=private, domain=emulator.url)
    created = client.create_dataset("from a new key", StorageLocation.AWS)
    assert client.get_dataset(created.dataset_hash).title == "from a new key"
    users = emulator.control("GET", "users")["users"]
    assert len(users) == 1 and users[0]["email"].endswith("@emulator.local")


@pytest.mark.encord_emulator(strict_auth=True)
def test_strict_mode_refuses_an_unknown_key_on_the_legacy_api(emulator):
    private, _ = new_ssh_key()
    client = EncordUserClient.create_with_ssh_private_key(ssh_private_key=private, domain=emulator.url)
    with pytest.raises(SshKeyNotFound) as e:
        client.get_dataset("00000000-0000-0000-0000-000000000000")
    assert e.value.message.startswith("The used SSH key does not exist on the Encord platform.")


@pytest.mark.encord_emulator(strict_auth=True)
def test_strict_mode_refuses_an_unknown_key_on_the_v2_api(emulator):
    private, _ = new_ssh_key()
    client = EncordUserClient.create_with_ssh_private_key(ssh_private_key=private, domain=emulator.url)
    key_hex = client._config.config.public_key_hex
    with pytest.raises(AuthenticationError) as e:
        client.create_dataset("nope", StorageLocation.AWS)
    assert e.value.message == v2_auth_message(
        emulator,
        f"The SSH key {key_hex} does not exist on the Encord platform. Please add this SSH key to your user profile.",
    )
    assert emulator.control("GET", "users")["users"] == []


@pytest.mark.encord_emulator(strict_auth=True)
def test_strict_mode_accepts_registered_keys(emulator):
    client = emulator.user_client("alice@example.com")
    assert client.create_dataset("mine", StorageLocation.AWS).title == "mine"


def test_legacy_body_altered_after_signing_is_refused(emulator, forger):
    client = emulator.user_client()
    dataset = client.create_dataset("target", StorageLocation.AWS)
    forger.intercept(lambda req: set_body(req, flip_byte(req.body, 5)), path="^/public$")
    with pytest.raises(AuthenticationError) as e:
        client.get_dataset(dataset.dataset_hash)
    assert e.value.message == legacy_auth_message(emulator)


def test_legacy_signature_under_another_users_key_is_refused(emulator, forger):
    victim = emulator.register_user("victim@example.com")
    client = emulator.user_client("mallory@example.com")
    dataset = client.create_dataset("target", StorageLocation.AWS)

    def claim_victims_key(req):
        _, signature = req.headers["Authorization"].split(":")
        req.headers["Authorization"] = f"{victim.public_key_hex}:{signature}"

    forger.intercept(claim_victims_key, path="^/public$")
    with pytest.raises(AuthenticationError) as e:
        client.get_dataset(dataset.dataset_hash)
    assert e.value.message == legacy_auth_message(emulator)


def test_v2_body_altered_after_signing_fails_the_content_digest(emulator, forger):
    client = emulator.user_client()
    forger.intercept(lambda req: set_body(req, req.body.replace(b"honest", b"forged")), path="^/v2/public/datasets$")
    with pytest.raises(AuthenticationError) as e:
        client.create_dataset("honest", StorageLocation.AWS)
    assert e.value.message == v2_auth_message(
        emulator, "The request signature is invalid: Content-Digest does not match the request body."
    )
    assert client.get_datasets() == []


def test_v2_body_altered_with_a_recomputed_digest_fails_the_signature(emulator, forger):
    client = emulator.user_client()

    def forge(req):
        signature_headers = (req.headers["Signature-Input"], req.headers["Signature"])
        set_body(req, req.body.replace(b"honest", b"forged"))
        sign_v2(req, new_ssh_key()[0])  # a correct digest, signed by someone else...
        req.headers["Signature-Input"], req.headers["Signature"] = signature_headers  # ...under the victim's name

    forger.intercept(forge, path="^/v2/public/datasets$")
    with pytest.raises(AuthenticationError) as e:
        client.create_dataset("honest", StorageLocation.AWS)
    assert e.value.message == v2_auth_message(emulator, SIGNATURE_MISMATCH)


def test_v2_request_target_altered_after_signing_is_refused(emulator, forger):
    client = emulator.user_client()
    forger.intercept(lambda req: setattr(req, "url", req.url.replace("includeOrgAccess=False", "includeOrgAccess=True")),
                     path="^/v2/public/cloud-integrations$")
    with pytest.raises(AuthenticationError) as e:
        client.get_cloud_integrations()
    assert e.value.message == v2_auth_message(emulator, SIGNATURE_MISMATCH)


def test_v2_signature_claiming_another_key_is_refused(emulator, forger):
    victim = emulator.register_user("victim@example.com")
    client = emulator.user_client("mallory@example.com")
    forger.intercept(
        lambda req: req.headers.__setitem__(
            "Signature-Input", re.sub(r'keyid="[0-9a-f]+"', f'keyid="{victim.public_key_hex}"', req.headers["Signature-Input"])
        ),
        path="^/v2/public/",
    )
    with pytest.raises(AuthenticationError) as e:
        client.get_datasets()
    assert e.value.message == v2_auth_message(emulator, SIGNATURE_MISMATCH)


def test_v2_stale_signature_is_refused(emulator, forger):
    user = emulator.register_user()
    client = emulator.user_client(user.email)
    forger.intercept(lambda req: sign_v2(req, user.private_key, created=int(time.time()) - 3600), path="^/v2/public/")
    with pytest.raises(AuthenticationError) as e:
        client.get_datasets()
    # The forged request was signed up to a second before the server checked it: 3600 or 3601 s.
    assert e.value.message in {
        v2_auth_message(emulator, f"The request signature is invalid: created is {skew} s away from the server clock "
                                  "(at most 300 s allowed).") for skew in (3600, 3601)}


def test_v2_malformed_signature_input_is_refused(emulator, forger):
    client = emulator.user_client()
    forger.intercept(lambda req: req.headers.__setitem__("Signature-Input", "encord-sig=garbage"), path="^/v2/public/")
    with pytest.raises(AuthenticationError) as e:
        client.get_datasets()
    assert e.value.message == v2_auth_message(
        emulator,
        'The Signature-Input header is malformed: expected encord-sig=(…);created=…;keyid="…";alg="…".',
    )


def test_bearer_token_authenticates_both_families(emulator):
    client = emulator.user_client()
    dataset = client.create_dataset("for bearer", StorageLocation.AWS)
    bearer = EncordUserClient.create_with_bearer_token(client.get_bearer_token(), domain=emulator.url)
    assert bearer.get_dataset(dataset.dataset_hash).title == "for bearer"
    assert [d["dataset"].title for d in bearer.get_datasets()] == ["for bearer"]


def test_unknown_bearer_token_is_refused(emulator):
    bearer = EncordUserClient.create_with_bearer_token("not-a-token", domain=emulator.url)
    with pytest.raises(AuthenticationError) as e:
        bearer.get_datasets()
    assert e.value.message == v2_auth_message(emulator, "The bearer token is not known or has expired.")


def test_signed_body_that_is_not_json_gets_the_parsers_message(emulator, forger):
    user = emulator.register_user()
    client = emulator.user_client(user.email)

    def garble(req):
        set_body(req, b"{not json")
        sign_v1(req, user.private_key)

    forger.intercept(garble, path="^/public$")
    with pytest.raises(InvalidArgumentsError) as e:
        client.get_dataset("00000000-0000-0000-0000-000000000000")
    assert e.value.message == (
        "The request body is not valid JSON: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"
    )


def test_another_users_dataset_is_refused_until_shared(emulator):
    owner = emulator.user_client("owner@example.com")
    other = emulator.user_client("other@example.com")
    dataset = owner.create_dataset("private", StorageLocation.AWS)
    with pytest.raises(AuthorisationError) as e:
        other.get_dataset(dataset.dataset_hash)
    assert e.value.message == "You are not authorised to access this asset."
    assert other.get_datasets() == []

    with pytest.raises(AuthorisationError):
        other.get_storage_folder(dataset.backing_folder_uuid)

    emulator.share("dataset", dataset.dataset_hash, "other@example.com", "user")
    assert other.get_dataset(dataset.dataset_hash).title == "private"
    assert [(d["dataset"].title, d["user_role"].name) for d in other.get_datasets()] == [("private", "USER")]
    assert other.get_storage_folder(dataset.backing_folder_uuid).name == "private"  # its backing folder comes along
