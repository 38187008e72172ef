"""Test-side tools that stand between the unmodified SDK and the emulator: a forger on the wire.

The SDK always signs correctly; to see how the emulator treats forged, altered or stale requests, these helpers
change a prepared request after the SDK signed it (as a man in the middle would), optionally re-signing it with a
key the forger holds. The SDK then receives the emulator's answer and raises its own exception.
"""

from __future__ import annotations

import base64
import hashlib
import re
import time
from urllib.parse import urlsplit

import requests
from cryptography.hazmat.primitives.serialization import load_ssh_private_key

EMPTY_DIGEST = "sha-256=:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=:"
REGION_HINT = (
    "You might also be seeing this because you're connecting to the wrong region. Try changing the `domain` "
    "parameter (e.g. 'https://api.us.encord.com' vs 'https://api.encord.com')."
)


def body_bytes(prepared) -> bytes:
    body = prepared.body or b""
    return body.encode("utf-8") if isinstance(body, str) else body


def private_key(openssh_text: str):
    return load_ssh_private_key(openssh_text.encode("ascii"), password=None)


def sign_v1(prepared, key_text: str) -> None:
    key = private_key(key_text)
    pub_hex = key.public_key().public_bytes_raw().hex()
    signature = key.sign(hashlib.sha256(body_bytes(prepared)).digest()).hex()
    prepared.headers["Authorization"] = f"{pub_hex}:{signature}"


def sign_v2(prepared, key_text: str, created: int | None = None, keyid: str | None = None) -> None:
    key = private_key(key_text)
    keyid = keyid or key.public_key().public_bytes_raw().hex()
    digest = "sha-256=:" + base64.b64encode(hashlib.sha256(body_bytes(prepared)).digest()).decode() + ":"
    params = (f'("@method" "@request-target" "content-digest");created={created or int(time.time())};'
              f'keyid="{keyid}";alg="ed25519"')
    base = "\n".join([f'"@method": {prepared.method.upper()}', f'"@request-target": {prepared.path_url}',
                      f'"content-digest": {digest}', f'"@signature-params": {params}'])
    prepared.headers["Content-Digest"] = digest
    prepared.headers["Signature-Input"] = f"encord-sig={params}"
    prepared.headers["Signature"] = "encord-sig=:" + base64.b64encode(key.sign(base.encode())).decode() + ":"


def set_body(prepared, body: bytes) -> None:
    prepared.body = body
    prepared.headers["Content-Length"] = str(len(body))


def flip_byte(data: bytes | str, index: int) -> bytes:
    data = data.encode("utf-8") if isinstance(data, str) else data
    return data[:index] + bytes([data[index] ^ 0x01]) + data[index + 1:]


class Forger:
    """Changes SDK requests on their way out; ``intercept(change, path=…)`` applies to every matching request."""

    def __init__(self, monkeypatch):
        self._monkeypatch = monkeypatch
        self.seen: list = []

    def intercept(self, change, path: str = r"^/(public|v2/public)") -> None:
        original = requests.Session.send
        pattern = re.compile(path)

        def send(session, prepared, **kwargs):
            if pattern.search(urlsplit(prepared.url).path):
                change(prepared)
                self.seen.append(prepared)
            return original(session, prepared, **kwargs)

        self._monkeypatch.setattr(requests.Session, "send", send)
