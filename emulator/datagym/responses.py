"""DataGym on the wire: token from ``?token=`` (or ``Authorization: Token …``), JSON in and out, ErrorTO errors."""

from __future__ import annotations

import functools
import json
import logging
from typing import Callable

from flask import Response, current_app, request

from emulator.core import contracts
from emulator.core.errors import InvalidArgumentsError
from emulator.datagym import exceptions as exc
from emulator.datagym.models import label_classes
from emulator.datagym.schema_errors import schema_error_messages


log = logging.getLogger("emulator.datagym")


def _datagym():
    return current_app.extensions["encord_emulator"].datagym


def _validating_responses() -> bool:
    return current_app.extensions["encord_emulator"].config.validate_responses


def keeping_to(contract: str | None, view: Callable[..., Response]) -> Callable[..., Response]:
    """The view, its 200 answers checked against their contract when the emulator validates responses."""
    if contract is None:
        return view

    @functools.wraps(view)
    def checked(**path_params) -> Response:
        reply = view(**path_params)
        if reply.status_code == 200 and _validating_responses():
            found = contracts.violations(contract, json.loads(reply.get_data()))
            if found:
                raise exc.ContractViolation(f"{contract}: " + "; ".join(found))
        return reply

    return checked


def _body(contract: str):
    """The request's JSON body, checked against its contract (an unreadable body or a violation is the server's
    ex_validation)."""
    try:
        return contracts.json_body(request.get_data(), contract)
    except InvalidArgumentsError as e:
        raise exc.ValidationError(e.message) from None


def _json(body, status: int = 200) -> Response:
    return Response(json.dumps(body), status=status, mimetype="application/json")


def _owner() -> dict:
    token = request.args.get("token")
    authorization = request.headers.get("Authorization", "")
    if not token and authorization.startswith("Token "):
        token = authorization[len("Token "):].strip()
    return _datagym().authenticate(token)


def error_response(error: exc.DataGymError) -> Response:
    if isinstance(error, exc.ContractViolation):
        log.error("emulator response broke its contract: %s", error.msg)
    if request.method == "HEAD":
        return Response(status=error.code)
    body = error.error_to()
    if _validating_responses():
        found = contracts.violations("datagym-error", body)
        if found:
            log.error("emulator error body broke its contract: %s", "; ".join(found))
            body = exc.ContractViolation("datagym-error: " + "; ".join(found)).error_to()
    return _json(body, error.code)


def _dataset_wire(dataset: dict, with_media: bool) -> dict:
    wire = {k: dataset[k] for k in ("id", "name", "shortDescription", "timestamp", "owner", "mediaType")}
    if with_media:
        wire["media"] = [{"id": m["id"], "mediaName": m["mediaName"], "mediaSourceType": m["mediaSourceType"],
                          "timestamp": m["timestamp"]} for m in _datagym().media_of(dataset["id"])]
    return wire


def list_projects() -> Response:
    owner = _owner()
    datagym = _datagym()
    return _json([{**{k: p[k] for k in ("id", "name", "shortDescription", "description", "timestamp", "owner",
                                        "mediaType", "labelConfigurationId", "labelIterationId")},
                   "datasets": [_dataset_wire(datagym.dataset(owner, d), False) for d in p["datasets"]]}
                  for p in datagym.projects(owner)])


def list_datasets() -> Response:
    owner = _owner()
    return _json([_dataset_wire(d, True) for d in _datagym().datasets(owner)])


def get_dataset(dataset_id: str) -> Response:
    return _json(_dataset_wire(_datagym().dataset(_owner(), dataset_id), True))


def create_dataset() -> Response:
    owner = _owner()
    body = _body("datagym-create-dataset-request")
    return _json(_dataset_wire(_datagym().create_dataset(owner, body["name"], body.get("shortDescription")), True))


def add_dataset(project_id: str, dataset_id: str) -> Response:
    _datagym().add_dataset(_owner(), project_id, dataset_id)
    return Response(status=200)


def remove_dataset(project_id: str, dataset_id: str) -> Response:
    _datagym().remove_dataset(_owner(), project_id, dataset_id)
    return Response(status=200)


def media_from_urls(dataset_id: str) -> Response:
    owner = _owner()
    return _json(_datagym().media_from_urls(owner, dataset_id, _body("datagym-media-urls-request")))


def upload_media(dataset_id: str) -> Response:
    owner = _owner()
    media = _datagym().upload_media(owner, dataset_id, request.headers.get("X-filename"), request.get_data())
    return _json({k: media[k] for k in ("id", "mediaName", "mediaSourceType", "timestamp")})


def download_media(media_id: str) -> Response:
    return Response(_datagym().media_bytes(_owner(), media_id), mimetype="application/octet-stream")


def delete_media(media_id: str) -> Response:
    _datagym().delete_media(_owner(), media_id)
    return Response(status=200)


def import_labels(project_id: str) -> Response:
    """Schema failures and JSON syntax errors answer 200 with errorMessages; semantic errors answer 500."""
    owner = _owner()
    _datagym().project(owner, project_id)
    raw = request.get_data()
    if not raw.strip():
        raise exc.ImportUnreadable("Unable to parse the content. No data available?")
    try:
        items = contracts.parse_json(raw)
    except contracts.MalformedJson as e:
        return _json({"errorMessages": f"line: {e.line}, column: {e.column}\n{e.reason}"})
    if not isinstance(items, list):
        raise exc.ImportUnreadable("A JSONArray text must start with '[' at 1 [character 2 line 1]")
    messages = schema_error_messages(items)
    if messages:
        return _json({"errorMessages": messages})
    _datagym().import_labels(owner, project_id, items)
    return _json({"errorMessages": ""})


def export_labels(project_id: str) -> Response:
    owner = _owner()
    exported = _datagym().export(owner, project_id)
    project = _datagym().project(owner, project_id)
    reply = Response(json.dumps(exported, indent=2), mimetype="application/json")
    reply.headers["Content-Disposition"] = f'attachment; filename="datagym_export_{project["timestamp"]}.json"'
    return reply


def clear_label_config(config_id: str) -> Response:
    return _json(_datagym().clear_label_config(_owner(), config_id))


def set_label_config(config_id: str) -> Response:
    owner = _owner()
    return _json(_datagym().set_label_config(owner, config_id, _body("datagym-label-configuration-request")))


def method_not_allowed(**path_params) -> Response:
    raise exc.MethodNotAllowed(request.method)


# -- control API -----------------------------------------------------------------------------------------------------

def control_token() -> Response:
    body = contracts.json_body(request.get_data(), "control-datagym-token-request")
    return _json({"token": _datagym().create_token(body["name"])}, 201)


def control_project() -> Response:
    body = contracts.json_body(request.get_data(), "control-datagym-project-request")
    project = _datagym().create_project(body["name"], body["token"], body.get("media_type", "IMAGE"),
                                        body.get("label_config", []), body.get("datasets", []))
    return _json({"id": project["id"], "labelConfigurationId": project["labelConfigurationId"],
                  "labelIterationId": project["labelIterationId"],
                  "label_classes": label_classes(project["entries"])}, 201)


def control_task_state(project_id: str, media_id: str) -> Response:
    body = contracts.json_body(request.get_data(), "control-datagym-task-request")
    return _json(_datagym().set_task_state(project_id, media_id, body["state"]))
