"""``encord-emulator upload``, ``seed``, ``integration`` and ``export``: control-API clients for a running emulator."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import requests
from tqdm import tqdm

POLL_SECONDS = 0.5  # each poll is held this long at most, so the bar moves without a busy loop
CHUNK_BYTES = 64 * 1024


def _request(base_url: str, control_token: str | None, method: str, path: str, **kwargs) -> requests.Response:
    headers = {"Authorization": f"Bearer {control_token}"} if control_token else {}
    return requests.request(method, f"{base_url.rstrip('/')}/_emulator/{path}", headers=headers, timeout=60, **kwargs)


def _control(base_url: str, control_token: str | None, method: str, path: str, **kwargs) -> dict:
    reply = _request(base_url, control_token, method, path, **kwargs)
    body = reply.json()
    if reply.status_code >= 400:
        raise SystemExit(f"error: {body.get('message', reply.text)}")
    return body


def run_upload(base_url: str, control_token: str | None, dataset_hash: str, integration_id: str, file: str,
               ignore_errors: bool, email: str | None) -> int:
    path = Path(file)
    text = path.read_text(encoding="utf-8-sig")  # a byte-order mark is not content
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


def run_seed(base_url: str, control_token: str | None, name: str, email: str, public_key: str | None) -> int:
    if public_key:
        key_path = Path(public_key).expanduser()
        line = key_path.read_text(encoding="ascii").strip() if key_path.is_file() else public_key
        reply = _request(base_url, control_token, "POST", "users", json={"email": email, "public_key": line})
        if reply.status_code >= 400 and "already exists" not in reply.json().get("message", ""):
            raise SystemExit(f"error: {reply.json().get('message', reply.text)}")
    created = _control(base_url, control_token, "POST", f"seeds/{name}", json={"email": email})
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
