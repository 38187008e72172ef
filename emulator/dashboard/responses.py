"""The dashboard's pages: server-rendered (Jinja2 escapes every stored text), over a fresh snapshot each time."""

from __future__ import annotations

import re

from flask import current_app, redirect, render_template, request, url_for

from emulator.control import access
from emulator.control.exceptions import ControlTokenRequired
from emulator.dashboard.models import Snapshot

HEX_COLOUR = re.compile(r"^#[0-9A-Fa-f]{3,8}$")
# Defence in depth behind the templates' escaping: no script but the dashboard's own file runs, no page frames it.
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                           "img-src * data: blob:; media-src *; object-src 'none'; frame-ancestors 'none'; "
                           "base-uri 'none'; form-action 'self'")


def _snapshot() -> Snapshot:
    return Snapshot(current_app.extensions["encord_emulator"])


def home():
    return redirect(url_for("dashboard.overview"))


def login_form():
    return render_template("dashboard/login.html", refused=None)


def login():
    """The control token, typed in once, kept by the browser as an HTTP-only cookie for this emulator's pages."""
    token = request.form.get("token", "")
    if not access.matches_control_token(current_app.extensions["encord_emulator"].config, token):
        return render_template("dashboard/login.html",
                               refused="That is not this emulator's control token."), 401
    reply = redirect(url_for("dashboard.overview"))
    reply.set_cookie(access.TOKEN_COOKIE, token, httponly=True, samesite="Strict", path="/_emulator/")
    return reply


def to_login(e: ControlTokenRequired):
    """A page asked for without the token (or with a stale one) sends the browser to the login form."""
    return redirect(url_for("dashboard.login_form"))


def secure_headers(reply):
    reply.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    reply.headers["X-Content-Type-Options"] = "nosniff"
    return reply


def overview():
    return render_template("dashboard/overview.html", counts=_snapshot().counts())


def datasets():
    snapshot = _snapshot()
    return render_template("dashboard/datasets.html", datasets=[
        (d, snapshot.data_rows([d["dataset_hash"]])) for d in snapshot.datasets()])


def upload_jobs():
    return render_template("dashboard/upload_jobs.html", jobs=_snapshot().upload_jobs())


def ontologies():
    return render_template("dashboard/ontologies.html", ontologies=_snapshot().ontologies())


def projects():
    return render_template("dashboard/projects.html", projects=_snapshot().projects())


def project(project_hash: str):
    snapshot = _snapshot()
    found = snapshot.project(project_hash)
    return render_template("dashboard/project.html", project=found, entries=snapshot.project_entries(found))


def label_row(project_hash: str, label_hash: str):
    snapshot = _snapshot()
    found = snapshot.project(project_hash)
    return render_template("dashboard/label_row.html", project=found,
                           view=snapshot.label_row_view(found, label_hash))


def safe_colour(value) -> str:
    """A stored colour goes into a style attribute only if it is a hex colour (else it could carry more CSS)."""
    return value if isinstance(value, str) and HEX_COLOUR.match(value) else "transparent"
