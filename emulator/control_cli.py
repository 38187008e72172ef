"""``encord-emulator upload``, ``seed``, ``integration``, ``export``, ``reset``, ``state``, ``users``, ``datasets``,
``projects`` and ``jobs``: control-API clients for a running emulator."""

from __future__ import annotations

import json
import mimetypes
import re
import sys
import time
from pathlib import Path
from urllib.parse import quote

import requests
from tqdm import tqdm

from emulator.auth.models import public_key_hex
from emulator.datasets.models import DATA_ROWS, DATASETS
from emulator.projects.models import PROJECTS

POLL_SECONDS = 0.5  # each poll is held this long at most, so the bar moves without a busy loop
CHUNK_BYTES = 64 * 1024


def _request(base_url: str, control_token: str | None, method: str, path: str, **kwargs) -> requests.Response:
    """A control API call; an emulator that cannot be reached is an error in one line naming --url."""
    headers = {**kwargs.pop("headers", {}), **({"Authorization": f"Bearer {control_token}"} if control_token else {})}
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


def read_bytes(file: str, option: str) -> bytes:
    """A file the command was given; one line naming the option if it cannot be read."""
    try:
        return Path(file).expanduser().read_bytes()
    except FileNotFoundError:
        raise SystemExit(f"error: {option}: no such file: {file}") from None
    except OSError as e:
        raise SystemExit(f"error: {option}: cannot read {file}: {e.strerror or e}") from None


def read_text(file: str, option: str) -> str:
    """A file the command was given, as text (a byte-order mark is not content)."""
    try:
        return read_bytes(file, option).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SystemExit(f"error: {option}: {file} is not UTF-8 text") from None


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


def public_key_line(public_key: str, option: str = "--public-key") -> str:
    """A public-key option: a .pub file, or the key itself."""
    if public_key.startswith("ssh-") or re.fullmatch(r"[0-9a-fA-F]{64}", public_key):
        return public_key
    return read_text(public_key, option).strip()


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


def _show(records: list[dict], columns: tuple[str, ...], as_json: bool, empty: str) -> None:
    """Records as a plain table of the columns (or ``empty`` when there are none), or as JSON with --json."""
    if as_json:
        print(json.dumps(records, indent=2))
        return
    if not records:
        print(empty)
        return
    cells = [[str(r.get(c, "")) for c in columns] for r in records]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(columns)]
    for row in [list(columns), *cells]:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())


def _field(base_url: str, control_token: str | None, method: str, path: str, field: str, **kwargs):
    """One field of a control API answer; an answer without it is an error in one line, not a traceback."""
    body = _control(base_url, control_token, method, path, **kwargs)
    if not isinstance(body, dict) or field not in body:
        raise SystemExit(f"error: {base_url}/_emulator/{path} answered without {field!r}: is --url (or "
                         "ENCORD_EMULATOR_URL) the address of an encord-emulator?")
    return body[field]


def _state_tables(base_url: str, control_token: str | None) -> dict:
    return _field(base_url, control_token, "GET", "state", "tables")


def run_reset(base_url: str, control_token: str | None, as_json: bool) -> int:
    answer = _control(base_url, control_token, "POST", "reset")
    print(json.dumps(answer, indent=2) if as_json else f"the emulator at {base_url} was reset: its state is empty")
    return 0


def run_state_export(base_url: str, control_token: str | None, file: str, include_secrets: bool,
                     as_json: bool) -> int:
    state = _control(base_url, control_token, "GET", "state",
                     params={"include_secrets": "true" if include_secrets else "false"})
    try:
        Path(file).expanduser().write_text(json.dumps(state), encoding="utf-8")
    except OSError as e:
        raise SystemExit(f"error: FILE: cannot write {file}: {e.strerror or e}") from None
    counts = {kind: len(docs) for kind, docs in state.get("tables", {}).items()}
    _show([{"table": kind, "documents": n} for kind, n in counts.items()], ("table", "documents"), as_json,
          "the state is empty")
    print(f"state written to {file}", file=sys.stderr)
    return 0


def run_state_import(base_url: str, control_token: str | None, file: str, as_json: bool) -> int:
    text = read_text(file, "FILE")
    try:
        json.loads(text)
    except json.JSONDecodeError as e:
        raise SystemExit(f"error: FILE: {file} is not valid JSON: {e}") from None
    counts = _field(base_url, control_token, "PUT", "state", "counts", data=text.encode("utf-8"))
    _show([{"table": kind, "documents": n} for kind, n in counts.items()], ("table", "documents"),
          as_json, "the state imported is empty")
    print(f"state imported from {file}", file=sys.stderr)
    return 0


def run_put(base_url: str, control_token: str | None, bucket: str, key: str, file: str, content_type: str | None,
            as_json: bool) -> int:
    data = read_bytes(file, "FILE")
    content_type = content_type or mimetypes.guess_type(file)[0] or "application/octet-stream"
    stored = _control(base_url, control_token, "PUT", f"buckets/{quote(bucket, safe='')}/{quote(key, safe='/')}",
                      data=data, headers={"Content-Type": content_type})
    print(json.dumps(stored, indent=2) if as_json
          else f"s3://{stored['bucket']}/{stored['key']}: {stored['size']} bytes ({content_type})")
    return 0


USER_COLUMNS = ("email", "user_hash", "public_key_hex")


def run_users_add(base_url: str, control_token: str | None, email: str, public_key: str, as_json: bool) -> int:
    user = _control(base_url, control_token, "POST", "users",
                    json={"email": email, "public_key": public_key_line(public_key)})
    _show([user], USER_COLUMNS, as_json, "")
    return 0


def run_users_list(base_url: str, control_token: str | None, as_json: bool) -> int:
    _show(_field(base_url, control_token, "GET", "users", "users"), USER_COLUMNS, as_json, "no users")
    return 0


def run_datasets(base_url: str, control_token: str | None, as_json: bool) -> int:
    tables = _state_tables(base_url, control_token)
    rows = list(tables.get(DATA_ROWS, {}).values())
    datasets = [{"dataset_hash": d["dataset_hash"], "title": d["title"], "description": d.get("description", ""),
                 "data_rows": sum(r["dataset_hash"] == d["dataset_hash"] for r in rows),
                 "created_at": d.get("created_at", "")}
                for d in sorted(tables.get(DATASETS, {}).values(), key=lambda d: d.get("created_at") or "")]
    _show(datasets, ("dataset_hash", "title", "data_rows", "created_at"), as_json, "no datasets")
    return 0


def run_projects(base_url: str, control_token: str | None, as_json: bool) -> int:
    projects = [{"project_hash": p["project_hash"], "title": p["title"], "project_type": p.get("project_type", ""),
                 "dataset_hashes": p.get("dataset_hashes", []), "ontology_hash": p.get("ontology_hash", ""),
                 "created_at": p.get("created_at", "")}
                for p in sorted(_state_tables(base_url, control_token).get(PROJECTS, {}).values(),
                                key=lambda p: p.get("created_at") or "")]
    table = [{**p, "datasets": len(p["dataset_hashes"])} for p in projects]
    _show(projects if as_json else table, ("project_hash", "title", "project_type", "datasets", "created_at"),
          as_json, "no projects")
    return 0


def run_jobs(base_url: str, control_token: str | None, as_json: bool) -> int:
    jobs = _field(base_url, control_token, "GET", "upload-jobs", "upload_jobs")
    table = [{**j, "units": len(j["units"]), **j["counts"]} for j in jobs]
    _show(jobs if as_json else table, ("id", "dataset_hash", "status", "units", "done", "error", "created_at"),
          as_json, "no upload jobs")
    return 0
