"""The app factory: one Flask app per emulator, every domain's routes mounted on it."""

from __future__ import annotations

import json
import logging
import time
from typing import Mapping
from urllib.parse import parse_qsl, unquote

from flask import Flask, Response, g, request
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge
from werkzeug.routing import Rule

from emulator.active import urls as active_urls
from emulator.analytics import urls as analytics_urls
from emulator.auth import urls as auth_urls
from emulator.buckets import urls as bucket_urls
from emulator.backend import EmulatorBackend
from emulator.config import EmulatorConfig
from emulator.control import access as control_access
from emulator.control import urls as control_urls
from emulator.cvat import urls as cvat_urls
from emulator.core import request_journal, wire
from emulator.core.errors import EmulatorError, PayloadTooLargeError
from emulator.dashboard import responses as dashboard_responses
from emulator.dashboard import urls as dashboard_urls
from emulator.datagym import responses as datagym_responses
from emulator.datagym import urls as datagym_urls
from emulator.datagym.exceptions import DataGymError, PayloadTooLarge, RouteNotFound
from emulator.datasets import urls as dataset_urls
from emulator.deidentification import urls as deidentification_urls
from emulator.index import urls as index_urls
from emulator.ingestion import urls as ingestion_urls
from emulator.integrations import urls as integration_urls
from emulator.issues import urls as issue_urls
from emulator.labels import urls as label_urls
from emulator.ml_models import urls as ml_model_urls
from emulator.ontologies import urls as ontology_urls
from emulator.organisation import urls as organisation_urls
from emulator.projects import urls as project_urls
from emulator.storage import urls as storage_urls

log = logging.getLogger("encord_emulator")

DOMAIN_ROUTES = (auth_urls.routes, dataset_urls.routes, integration_urls.routes, ingestion_urls.routes,
                 ontology_urls.routes, organisation_urls.routes, project_urls.routes, label_urls.routes,
                 issue_urls.routes, storage_urls.routes, index_urls.routes, active_urls.routes,
                 analytics_urls.routes, deidentification_urls.routes,
                 ml_model_urls.routes, cvat_urls.routes)


def all_routes() -> wire.Routes:
    routes = wire.Routes()
    for domain in DOMAIN_ROUTES:
        routes.add(*domain)
    return routes


class RuleBuiltOnFirstUse(Rule):
    """A URL rule whose URL builders are compiled when a URL is first built from it. werkzeug compiles two per rule
    as the rule is added, most of the cost of an app of 200-odd rules, which the in-process fixture makes for every
    test; the emulator builds URLs from few of them (the dashboard's)."""

    def _compile_builder(self, append_unknown: bool = True):
        def build(rule: Rule, *args, **kwargs):
            compiled = Rule._compile_builder(rule, append_unknown).__get__(rule, None)
            setattr(rule, "_build_unknown" if append_unknown else "_build", compiled)
            return compiled(*args, **kwargs)

        return build


class EmulatorFlask(Flask):
    url_rule_class = RuleBuiltOnFirstUse


def create_app(config: EmulatorConfig | None = None, backend: EmulatorBackend | None = None) -> Flask:
    config = config or EmulatorConfig()
    backend = backend or EmulatorBackend(config)
    app = EmulatorFlask("encord_emulator")
    _install_body_limit(app, config.max_request_bytes)
    app.extensions["encord_emulator"] = backend
    routes = all_routes()
    app.extensions["encord_emulator_routes"] = routes
    app.extensions["encord_emulator_endpoints"] = wire.install(app, backend, routes)
    for method, rule, view in control_urls.routes:
        app.add_url_rule(control_urls.PREFIX + rule, f"control {method} {rule}", view, methods=[method])
    for method, rule, view in (*bucket_urls.routes, *dataset_urls.signed_routes, *storage_urls.signed_routes):
        app.add_url_rule(rule, f"signed {method} {rule}", view, methods=[method])
    datagym_urls.install(app)
    if config.ui:
        app.register_blueprint(dashboard_urls.blueprint)
        app.add_url_rule("/", "dashboard home", dashboard_responses.home, methods=["GET"])
    _install_error_handlers(app)
    _install_request_log(app)
    app.before_request(control_access.check_control_token)
    return app


def _json(body, status: int) -> Response:
    return Response(json.dumps(body), status=status, mimetype="application/json")


def _install_body_limit(app: Flask, limit: int) -> None:
    """A body over the limit is refused (413) from its Content-Length, before it is read. A chunked body has none:
    it is read up to the limit, and refused if it goes on (werkzeug's stream would end it there without a word), so
    a chunked body of exactly the limit is refused too."""
    app.config["MAX_CONTENT_LENGTH"] = limit

    @app.before_request
    def refuse_a_chunked_body_over_the_limit():
        if request.content_length is None and len(request.get_data()) == limit:
            request.stream.read(1)  # raises RequestEntityTooLarge: the stream is at its limit


def _install_error_handlers(app: Flask) -> None:
    @app.errorhandler(EmulatorError)
    def emulator_error(e: EmulatorError):  # raised by control views; the SDK endpoints render their own envelopes
        request_journal.note(request.environ, error=f"{e.code}: {e.message}")
        return _json({"code": e.code, "message": e.message}, e.http_status)

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(e: RequestEntityTooLarge):
        error = PayloadTooLargeError(app.config["MAX_CONTENT_LENGTH"])
        request_journal.note(request.environ, error=f"{error.code}: {error.message}")
        if request.path in wire.LEGACY_PATHS:
            return wire.flask_response(wire.legacy_error(error))
        if request.path.startswith(datagym_urls.PREFIX + "/"):
            return datagym_responses.error_response(PayloadTooLarge(error.message))
        if request.path.startswith("/v2/public/"):
            return wire.flask_response(wire.rest_error(error.http_status, error.message))
        return _json({"code": error.code, "message": error.message}, error.http_status)

    @app.errorhandler(HTTPException)
    def http_error(e: HTTPException):
        if e.code == 404:
            message = f"No route for {request.method} {request.path}."
        elif e.code == 405:
            message = f"{request.method} is not allowed on {request.path}; allowed: {', '.join(sorted(e.valid_methods or []))}."
        else:
            message = e.description or e.name
        if request.path in wire.LEGACY_PATHS:
            return _json({"status": e.code, "response": ["METHOD_NOT_ALLOWED_ERROR"], "payload": message}, e.code)
        if request.path.startswith(datagym_urls.PREFIX + "/"):  # the DataGym client parses only ErrorTO bodies
            return datagym_responses.error_response(RouteNotFound(request.method, request.path))
        if e.code in (404, 405) and request.path.startswith("/v2/public/"):  # a call this emulator does not serve
            return wire.flask_response(wire.rest_error(405, f"No operation {request.method} {request.path}."))
        return _json({"message": message}, e.code)

    @app.errorhandler(Exception)
    def unexpected(e: Exception):
        message = wire.internal_error_message(request.method, request.path, e)
        if request.path.startswith(datagym_urls.PREFIX + "/"):
            return datagym_responses.error_response(DataGymError(message))
        return wire.flask_response(wire.internal_error(request.path, message))


def _install_request_log(app: Flask) -> None:
    @app.before_request
    def start_timer():
        g.emulator_started = time.perf_counter()

    @app.after_request
    def log_request(response: Response):
        elapsed_ms = (time.perf_counter() - g.get("emulator_started", time.perf_counter())) * 1000
        log_answered(app.extensions["encord_emulator"], request.method, request.path,
                     request.url_rule.rule if request.url_rule is not None else None, request.environ,
                     response.status_code, elapsed_ms)
        return response


def log_answered(backend: EmulatorBackend, method: str, path: str, rule: str | None, notes: dict, status: int,
                 elapsed_ms: float) -> None:
    """Every answered request's log line, and its journal entry (but the control API's own requests')."""
    operation = notes.get(request_journal.OPERATION)
    error = notes.get(request_journal.ERROR)
    log.info("%s %s%s -> %s (%.1f ms)%s", method, path, f" [{operation}]" if operation else "", status, elapsed_ms,
             f" {error}" if error else "")
    if not path.startswith(control_urls.PREFIX + "/"):
        backend.request_journal.record(method, path, rule, notes, status, elapsed_ms)


class DirectDoor:
    """The app's SDK endpoints reached without WSGI: mock_encord's front door, as fast as a function call. It
    serves what the app's route table matches to an SDK endpoint (emulator.core.wire), with what the app's hooks
    add to it: the body limit, the control token's guard, the log line and the journal entry. Anything else (no
    route, a route that is not the SDK's, a guarded rule, a body over the limit, HEAD or OPTIONS) it leaves to the
    WSGI app: :meth:`answer` returns None."""

    def __init__(self, app: Flask):
        self.backend: EmulatorBackend = app.extensions["encord_emulator"]
        self.endpoints: dict[str, wire.Endpoint] = app.extensions["encord_emulator_endpoints"]
        self.limit: int = app.config["MAX_CONTENT_LENGTH"]
        self.urls = app.url_map.bind("localhost")

    def answer(self, method: str, raw_path: str, query: str, headers: Mapping[str, str],
               body: bytes) -> tuple[wire.Answer, dict] | None:
        """The answer and the request's notes; ``raw_path`` and ``query`` as sent (percent-encoded)."""
        path = "/" + unquote(raw_path).lstrip("/")
        try:
            rule, path_params = self.urls.match(path, method, return_rule=True)
        except HTTPException:  # no route, another method's, a redirect: the WSGI app's error handlers answer
            return None
        endpoint = self.endpoints.get(rule.endpoint)
        if (endpoint is None or endpoint.method != method or len(body) > self.limit
                or control_access.is_guarded(method, rule.rule)):
            return None
        started = time.perf_counter()
        call = wire.Call(method=method, target=raw_path + (f"?{query}" if query else ""), headers=headers,
                         args=ImmutableMultiDict(parse_qsl(query, keep_blank_values=True, errors="werkzeug.url_quote")),
                         body=body, notes={})
        try:
            answer = endpoint.serve(call, path_params)
        except Exception as e:  # noqa: BLE001  (as the WSGI app's last error handler)
            answer = wire.internal_error(path, wire.internal_error_message(method, path, e))
        log_answered(self.backend, method, path, rule.rule, call.notes, answer.status,
                     (time.perf_counter() - started) * 1000)
        return answer, call.notes
