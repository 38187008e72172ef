"""``encord-emulator upload``, ``seed``, ``integration`` and ``export``: control-API clients for a running emulator."""

from __future__ import annotations

import json
import re
import sys
import time
from pathlib import Path

import requests
from tqdm import tqdm

from emulator.auth.models import public_key_hex

POLL_SECONDS = 0.5  # each poll is held this long at most, so the bar moves without a busy loop
CHUNK_BYTES = 64 * 1024


def _request(base_url: str, control_token: str | None, method: str, path: str, **kwargs) -> requests.Response:
    """A control API call; an emulator that cannot be reached is an error in one line naming --url."""
    headers = {"Authorization": f"Bearer {control_token}"} if control_token else {}
    try:
        return requests.request(method, f"{base_url.rstrip('/')}/_emulator/{path}", headers=headers, timeout=60,
                                **kwargs)
    except requests.ConnectionError:
        raise SystemExit(f"error: no emulator answers at {base_url} (--url / ENCORD_EMULATOR_URL): is "
                         "`encord-emulator serve` running there?") from None
    except requests.Timeout:
        raise SystemExit(f"error: the emulator at {base_url} did not answer within 60 s (--url / "
                         "ENCORD_EMULATOR_URL)") from None
    except requests.RequestException as e:  # a URL requests cannot use: no scheme, no host
        raise SystemExit(f"error: --url / ENCORD_EMULATOR_URL: {base_url!r} is not a URL of an emulator ({e})") \
            from None


def _body(reply: requests.Response) -> dict:
    try:
        return reply.json()
    except ValueError:
        raise SystemExit(f"error: {reply.url} answered HTTP {reply.status_code} without JSON: is --url (or "
                         "ENCORD_EMULATOR_URL) the address of an encord-emulator?") from None


def _control(base_url: str, control_token: str | None, method: str, path: str, **kwargs) -> dict:
    reply = _request(base_url, control_token, method, path, **kwargs)
    body = _body(reply)
    if reply.status_code >= 400:
        raise SystemExit(f"error: {body.get('message', reply.text)}")
    return body


def read_text(file: str, option: str) -> str:
    """A file the command was given, as text (a byte-order mark is not content); one line naming the option if it
    cannot be read."""
    try:
        return Path(file).expanduser().read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise SystemExit(f"error: {option}: no such file: {file}") from None
    except UnicodeDecodeError:
        raise SystemExit(f"error: {option}: {file} is not UTF-8 text") from None
    except OSError as e:
        raise SystemExit(f"error: {option}: cannot read {file}: {e.strerror or e}") from None


def run_upload(base_url: str, control_token: str | None, dataset_hash: str, integration_id: str, file: str,
               ignore_errors: bool, email: str | None) -> int:
    path = Path(file)
    text = read_text(file, "FILE")
    body: dict = {"integration_id": integration_id, "ignore_errors": ignore_errors, "file_name": path.name}
    if path.suffix.lower() == ".csv":
        body["csv"] = text
    else:
        try:
            body["spec"] = json.loads(text)
        except json.JSONDecodeError as e:
            raise SystemExit(f"error: {path} is not valid JSON: {e}") from None
    if email:
        body["email"] = email
    job = _control(base_url, control_token, "POST", f"datasets/{dataset_hash}/upload-jobs", json=body)
    total = len(job["units"])
    with tqdm(total=total, unit="unit", desc=f"upload job {job['id'][:8]}", file=sys.stderr) as bar:
        while True:
            finished = total - job["counts"]["pending"]
            bar.update(finished - bar.n)
            bar.set_postfix(done=job["counts"]["done"], errors=job["counts"]["error"])
            if job["status"] != "PENDING":
                break
            job = _control(base_url, control_token, "GET", f"upload-jobs/{job['id']}", params={"wait": POLL_SECONDS})
    print(f"upload job {job['id']}: {job['status']} ({job['counts']['done']} done, {job['counts']['error']} failed, "
          f"{job['counts']['cancelled']} cancelled)")
    for unit in job["units"]:
        if unit["state"] == "error":
            print(f"  failed: {unit['error']}")
        elif unit["skipped"]:
            print(f"  skipped (already in the dataset): {', '.join(unit['object_urls'])}")
        for warning in unit["warnings"]:
            print(f"  warning: {warning}")
    return 0 if job["status"] == "DONE" else 1


def public_key_line(public_key: str) -> str:
    """--public-key: a .pub file, or the key itself."""
    if public_key.startswith("ssh-") or re.fullmatch(r"[0-9a-fA-F]{64}", public_key):
        return public_key
    return read_text(public_key, "--public-key").strip()


def register_owner(base_url: str, control_token: str | None, email: str, key_line: str) -> None:
    """Register the seed's owner; a key or email already registered is fine when it is that same user, and
    otherwise an error saying which email to use (in open mode a key that signed a request became a user then)."""
    reply = _request(base_url, control_token, "POST", "users", json={"email": email, "public_key": key_line})
    if reply.status_code < 400:
        return
    message = _body(reply).get("message", reply.text)
    if "already exists" not in message:
        raise SystemExit(f"error: {message}")
    key_hex = public_key_hex(key_line)
    users = _control(base_url, control_token, "GET", "users")["users"]
    holder = next((u for u in users if u["public_key_hex"] == key_hex), None)
    if holder is None:
        raise SystemExit(f"error: --email: {email} is already registered with another key; give that user's key "
                         "or another --email")
    if holder["email"] != email:
        raise SystemExit(f"error: --public-key: that key already belongs to the user {holder['email']} (a key "
                         f"that signed a request in open mode becomes a user): run again with --email "
                         f"{holder['email']}")


def run_seed(base_url: str, control_token: str | None, name: str, email: str, public_key: str | None) -> int:
    started = time.monotonic()
    if public_key:
        print(f"registering {email}", file=sys.stderr)
        register_owner(base_url, control_token, email, public_key_line(public_key))
    print(f"creating {name} for {email} (its media is generated and ingested: some seconds)", file=sys.stderr)
    created = _control(base_url, control_token, "POST", f"seeds/{name}", json={"email": email})
    print(f"created {name} in {time.monotonic() - started:.1f} s", file=sys.stderr)
    print(json.dumps(created, indent=2))
    return 0


def run_integration(base_url: str, control_token: str | None, title: str, provider: str, buckets: list[str],
                    write: bool, users: list[str]) -> int:
    body = {"title": title, "provider": provider, "buckets": buckets, "write": write}
    if users:
        body["users"] = users
    print(json.dumps(_control(base_url, control_token, "POST", "integrations", json=body), indent=2))
    return 0


def run_export(base_url: str, control_token: str | None, project_hash: str, export_format: str, output: str,
               options: dict) -> int:
    """Export a project's labels to a file, the download shown as a progress bar (a large project's file is large)."""
    body = {"format": export_format, **{k: v for k, v in options.items() if v is not None}}
    reply = _request(base_url, control_token, "POST", f"projects/{project_hash}/exports", json=body, stream=True)
    if reply.status_code >= 400:
        raise SystemExit(f"error: {reply.json().get('message', reply.text)}")
    total = int(reply.headers.get("Content-Length") or 0) or None
    with open(output, "wb") as file, tqdm(total=total, unit="B", unit_scale=True, desc=f"export {project_hash[:8]}",
                                          file=sys.stderr) as bar:
        for chunk in reply.iter_content(CHUNK_BYTES):
            file.write(chunk)
            bar.update(len(chunk))
    print(f"label version {reply.headers['X-Export-Hash']}: {export_format} export of project {project_hash} "
          f"written to {output}")
    return 0
