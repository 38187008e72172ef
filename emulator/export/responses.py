"""Exports on the control API's wire: the options in, the export file out (a JSON document), label versions listed."""

from __future__ import annotations

import json

from flask import Response, current_app, request

from emulator.core import contracts
from emulator.export.models import ExportOptions, exported_at_text


def _exports():
    return current_app.extensions["encord_emulator"].exports


def _optional_tuple(body: dict, key: str) -> tuple[str, ...] | None:
    return tuple(body[key]) if body.get(key) is not None else None


def export_options(body: dict) -> ExportOptions:
    return ExportOptions(
        format=body.get("format", "json"), label_hashes=_optional_tuple(body, "label_hashes"),
        signed_urls=bool(body.get("signed_urls", False)), statuses=_optional_tuple(body, "statuses"),
        object_feature_hashes=_optional_tuple(body, "object_feature_hashes"),
        classification_feature_hashes=_optional_tuple(body, "classification_feature_hashes"),
        branch_name=body.get("branch_name") or "main", version_name=body.get("version_name"),
        user_email=body.get("user_email"))


def export_file(version: dict) -> Response:
    """The file as the web app downloads it, named by its project and the time it was made."""
    stamp = version["exported_at"][:19].replace(":", "-")
    reply = Response(json.dumps(version["document"]), status=200, mimetype="application/json")
    reply.headers["Content-Disposition"] = (f'attachment; filename="{version["project_hash"]}_{stamp}'
                                            f'_{version["format"]}.json"')
    reply.headers["X-Export-Hash"] = version["export_hash"]
    return reply


def version_view(version: dict) -> dict:
    return {"export_hash": version["export_hash"], "version_name": version["version_name"],
            "format": version["format"], "exported_at": exported_at_text(version["exported_at"]),
            "user_email": version["user_email"], "label_hashes": version["label_hashes"],
            "options": version["options"]}


def create_export(project_hash: str) -> Response:
    body = contracts.json_body(request.get_data(), "control-export-request") or {}
    return export_file(_exports().export(project_hash, export_options(body)))


def list_exports(project_hash: str) -> Response:
    versions = [version_view(v) for v in _exports().label_versions(project_hash)]
    return Response(json.dumps({"label_versions": versions}), status=200, mimetype="application/json")


def get_export(project_hash: str, export_hash: str) -> Response:
    return export_file(_exports().label_version(project_hash, export_hash))
