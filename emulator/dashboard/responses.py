"""The dashboard's pages: server-rendered (Jinja2 escapes every stored text), over a fresh snapshot each time."""

from __future__ import annotations

import re

from flask import current_app, redirect, render_template, url_for

from emulator.dashboard.models import Snapshot

HEX_COLOUR = re.compile(r"^#[0-9A-Fa-f]{3,8}$")


def _snapshot() -> Snapshot:
    return Snapshot(current_app.extensions["encord_emulator"])


def home():
    return redirect(url_for("dashboard.overview"))


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
