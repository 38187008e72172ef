"""Users, their Ed25519 keys, bearer tokens, request signatures and resource access.

A user is identified by the raw 32-byte Ed25519 public key, as the 64-character lowercase hex the SDK sends (v1
``Authorization`` prefix, v2 ``keyid``). Open mode (the default) accepts any correctly signed request and makes a user
of an unknown key on first use, as moto accepts any credentials; strict mode accepts registered keys only.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import re
import secrets
import time
import uuid
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Callable, Mapping

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import load_ssh_public_key

from emulator.auth import exceptions as exc
from emulator.core.store import Store
from emulator.core.timefmt import now_iso

if TYPE_CHECKING:
    from emulator.organisation.models import OrganisationBackend

USERS = "user"
BEARER_TOKENS = "bearer_token"
SIGNATURE_MAX_AGE_SECONDS = 300
HEX_KEY = re.compile(r"^[0-9a-f]{64}$")
SIGNATURE_INPUT = re.compile(
    r'^encord-sig=\((?P<covered>[^)]*)\);created=(?P<created>\d+);keyid="(?P<keyid>[^"]*)";alg="(?P<alg>[^"]*)"$'
)
SIGNATURE = re.compile(r"^encord-sig=:(?P<sig>[A-Za-z0-9+/=]+):$")
COVERED_COMPONENTS = '"@method" "@request-target" "content-digest"'
VERIFIED_SIGNATURES_KEPT = 4096


@dataclass(frozen=True)
class User:
    user_hash: str
    email: str
    public_key_hex: str
    groups: frozenset[str] = field(default=frozenset(), compare=False)  # of a signed-in user: the groups they are in


def public_key_hex(public_key: str) -> str:
    """The SDK's key id for a public key given as an OpenSSH ``ssh-ed25519 AAAA…`` line or as 64 hex characters."""
    text = public_key.strip()
    if HEX_KEY.match(text.lower()):
        return text.lower()
    if not text.startswith("ssh-ed25519 "):
        raise exc.InvalidPublicKey("expected an OpenSSH 'ssh-ed25519 AAAA…' line or 64 hexadecimal characters")
    try:
        key = load_ssh_public_key(text.encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        raise exc.InvalidPublicKey("not a valid OpenSSH public key line") from None
    if not isinstance(key, Ed25519PublicKey):
        raise exc.InvalidPublicKey("only Ed25519 keys are supported")
    return key.public_bytes_raw().hex()


@functools.lru_cache(maxsize=VERIFIED_SIGNATURES_KEPT)
def _verify(public_key_hex_: str, signature: bytes, message: bytes) -> None:
    """Ed25519 verification is a pure function of key, signature and message, so a triple verified once stays
    verified: an SDK repeating a request (the same body signs the same) is not verified again (~0.15 ms each). A
    mismatch raises, and is never kept."""
    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key_hex_)).verify(signature, message)
    except InvalidSignature:
        raise exc.SignatureMismatch("it does not match the request and the key") from None


def content_digest(body: bytes) -> str:
    return "sha-256=:" + base64.b64encode(hashlib.sha256(body).digest()).decode("ascii") + ":"


class UserBackend:
    def __init__(self, store: Store, strict_auth: bool, organisation: "OrganisationBackend"):
        self.store = store
        self.strict_auth = strict_auth
        self.organisation = organisation

    # -- users ------------------------------------------------------------------------------------------------------

    def register_user(self, email: str, public_key: str) -> User:
        key_hex = public_key_hex(public_key)
        with self.store.transaction() as tx:
            if tx.get(USERS, key_hex) is not None:
                raise exc.UserExists("public_key", key_hex)
            if tx.find(USERS, lambda d: d["email"] == email):
                raise exc.UserExists("email", email)
            doc = {"user_hash": str(uuid.uuid4()), "email": email, "public_key_hex": key_hex, "created_at": now_iso()}
            tx.put(USERS, key_hex, doc)
            self.organisation.admit_registered_user(_user(doc))
        return _user(doc)

    def users(self) -> list[User]:
        return [_user(d) for d in self.store.find(USERS)]

    def user_by_email(self, email: str) -> User:
        found = self.store.find(USERS, lambda d: d["email"] == email)
        if not found:
            raise exc.UnknownUser(email)
        return _user(found[0])

    def member_by_email(self, email: str) -> User:
        """A registered user the control API acts for, with the groups they are in (as if they had signed in)."""
        return self._with_groups(self.user_by_email(email))

    def _with_groups(self, user: User) -> User:
        return replace(user, groups=self.organisation.group_hashes_of(user.email))

    def is_registered(self, email: str) -> bool:
        return bool(self.store.find(USERS, lambda d: d["email"] == email))

    def user_by_hash(self, user_hash: str) -> User | None:
        found = self.store.find(USERS, lambda d: d["user_hash"] == user_hash)
        return _user(found[0]) if found else None

    def _user_for_key(self, key_hex: str) -> User:
        """The signed-in user, with the groups they are in."""
        doc = self.store.get(USERS, key_hex)
        if doc is not None:
            user = _user(doc)
        elif self.strict_auth:
            raise exc.UnknownPublicKey(key_hex)
        else:
            # Open mode: a correctly signed request from a new key makes a new user, as moto accepts any credentials.
            user = self.register_user(f"user-{key_hex[:12]}@emulator.local", key_hex)
        return self._with_groups(user)

    # -- bearer tokens ----------------------------------------------------------------------------------------------

    def issue_bearer_token(self, user: User) -> str:
        token = secrets.token_urlsafe(32)
        self.store.put(BEARER_TOKENS, token, {"public_key_hex": user.public_key_hex, "created_at": now_iso()})
        return token

    def _user_for_bearer(self, authorization: str) -> User:
        doc = self.store.get(BEARER_TOKENS, authorization[len("Bearer "):].strip())
        if doc is None:
            raise exc.UnknownBearerToken()
        return self._user_for_key(doc["public_key_hex"])

    # -- request authentication -------------------------------------------------------------------------------------

    def authenticate_legacy(self, headers: Mapping[str, str], body: bytes) -> User:
        """v1: ``Authorization: <pubkey hex>:<hex Ed25519 signature of SHA-256(raw body)>``, or a bearer token."""
        authorization = headers.get("Authorization", "")
        if not authorization:
            raise exc.MissingCredentials("Authorization header")
        if authorization.startswith("Bearer "):
            return self._user_for_bearer(authorization)
        key_hex, sep, sig_hex = authorization.partition(":")
        if not sep or not HEX_KEY.match(key_hex):
            raise exc.MalformedCredentials("Authorization", "expected '<64 hex public key>:<hex signature>'")
        try:
            signature = bytes.fromhex(sig_hex)
        except ValueError:
            raise exc.MalformedCredentials("Authorization", "the signature is not hexadecimal") from None
        self._refuse_unknown_key_in_strict_mode(key_hex)
        _verify(key_hex, signature, hashlib.sha256(body).digest())
        return self._user_for_key(key_hex)

    def authenticate_v2(self, method: str, target: str, headers: Mapping[str, str], body: bytes) -> User:
        """RFC 9421 style: method, raw request target and Content-Digest, signed with the key named by ``keyid``."""
        authorization = headers.get("Authorization", "")
        if authorization.startswith("Bearer "):
            return self._user_for_bearer(authorization)
        signature_input = headers.get("Signature-Input")
        signature_header = headers.get("Signature")
        digest_header = headers.get("Content-Digest")
        if not signature_input or not signature_header or not digest_header:
            raise exc.MissingCredentials("Signature-Input, Signature and Content-Digest headers")
        params = SIGNATURE_INPUT.match(signature_input)
        if params is None:
            raise exc.MalformedCredentials("Signature-Input", "expected encord-sig=(…);created=…;keyid=\"…\";alg=\"…\"")
        if params["covered"] != COVERED_COMPONENTS:
            raise exc.MalformedCredentials("Signature-Input", f"it must cover {COVERED_COMPONENTS}")
        if params["alg"] != "ed25519":
            raise exc.MalformedCredentials("Signature-Input", f"unsupported alg {params['alg']!r}")
        key_hex = params["keyid"]
        if not HEX_KEY.match(key_hex):
            raise exc.MalformedCredentials("Signature-Input", "keyid must be 64 hexadecimal characters")
        sig = SIGNATURE.match(signature_header)
        if sig is None:
            raise exc.MalformedCredentials("Signature", "expected encord-sig=:<base64>:")
        if digest_header != content_digest(body):
            raise exc.SignatureMismatch("Content-Digest does not match the request body")
        skew = abs(time.time() - int(params["created"]))
        if skew > SIGNATURE_MAX_AGE_SECONDS:
            raise exc.SignatureMismatch(
                f"created is {int(skew)} s away from the server clock (at most {SIGNATURE_MAX_AGE_SECONDS} s allowed)"
            )
        self._refuse_unknown_key_in_strict_mode(key_hex)
        base = "\n".join(
            [
                f'"@method": {method.upper()}',
                f'"@request-target": {target}',
                f'"content-digest": {digest_header}',
                f'"@signature-params": {signature_input[len("encord-sig="):]}',
            ]
        )
        try:
            signature = base64.b64decode(sig["sig"], validate=True)
        except binascii.Error:
            raise exc.MalformedCredentials("Signature", "not valid base64") from None
        _verify(key_hex, signature, base.encode("utf-8"))
        return self._user_for_key(key_hex)

    def _refuse_unknown_key_in_strict_mode(self, key_hex: str) -> None:
        if self.strict_auth and self.store.get(USERS, key_hex) is None:
            raise exc.UnknownPublicKey(key_hex)


def _user(doc: dict) -> User:
    return User(user_hash=doc["user_hash"], email=doc["email"], public_key_hex=doc["public_key_hex"])


# -- access to resources -----------------------------------------------------------------------------------------------

ADMIN = "admin"
MEMBER = "user"


def new_members(owner: User) -> dict[str, str]:
    return {owner.user_hash: ADMIN}


def role_of(user: User, resource: dict) -> str | None:
    """A member's own role; else the role a group of theirs is given there (admin if any of them is an admin)."""
    own = resource.get("members", {}).get(user.user_hash)
    if own is not None:
        return own
    granted = [role for group_hash, role in resource.get("groups", {}).items() if group_hash in user.groups]
    return ADMIN if ADMIN in granted else next(iter(granted), None)


def accessible(store: Store, kind: str, key: str, user: User, not_found: Exception) -> dict:
    """A resource the user may see: unknown ones raise ``not_found``, other users' AUTHORISATION_ERROR."""
    resource = store.get(kind, key)
    if resource is None:
        raise not_found
    require_access(user, resource, kind.replace("_", " "), key)
    return resource


def require_admin(user: User, resource: dict, what: str, identifier: str) -> None:
    """Who has access to an ontology or a storage folder is changed by its admins only."""
    if role_of(user, resource) != ADMIN:
        raise exc.NotAdminOf(what, identifier)


def require_access(user: User, resource: dict, what: str, identifier: str) -> str:
    """Every resource has members; anyone else is refused with AUTHORISATION_ERROR / 403."""
    role = role_of(user, resource)
    if role is None:
        raise exc.NotAuthorisedFor(what, identifier)
    return role


class GroupGrants:
    """The organisation's groups given a role on the resources of one table, kept on each resource (``groups``:
    group hash to role) by the backend that owns the table; its admins grant and revoke, its users see them."""

    def __init__(self, store: Store, kind: str, organisation: "OrganisationBackend",
                 readable: Callable[[User, str], dict], administered: Callable[[User, str], dict]):
        self.store = store
        self.kind = kind
        self.organisation = organisation
        self.readable = readable
        self.administered = administered

    def add(self, user: User, key: str, group_hashes: list[str], role: str) -> None:
        """Every group must be the organisation's."""
        with self.store.transaction():
            self.administered(user, key)
            self.organisation.require_groups(user, group_hashes)
            self.grant(key, group_hashes, role)

    def grant(self, key: str, group_hashes: list[str], role: str) -> None:
        """Groups given a role on a resource; one already given access keeps the role it has."""
        with self.store.transaction() as tx:
            resource = tx.get(self.kind, key)
            groups = resource.setdefault("groups", {})
            for group_hash in group_hashes:
                groups.setdefault(group_hash, role)
            tx.put(self.kind, key, resource)

    def list(self, user: User, key: str) -> list[tuple[dict, str]]:
        """The groups with access and the role of each (a deleted group has none any more)."""
        granted = self.readable(user, key).get("groups", {})
        return [(group, granted[h]) for h, group in self.organisation.existing_groups(list(granted)).items()]

    def remove(self, user: User, key: str, group_hashes: list[str]) -> None:
        with self.store.transaction():
            self.administered(user, key)
            self.revoke(key, group_hashes)

    def revoke(self, key: str, group_hashes: list[str]) -> None:
        """Groups without access to the resource are ignored."""
        with self.store.transaction() as tx:
            resource = tx.get(self.kind, key)
            resource["groups"] = {h: r for h, r in resource.get("groups", {}).items() if h not in group_hashes}
            tx.put(self.kind, key, resource)
