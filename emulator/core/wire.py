"""The two wire families the SDK speaks, and the envelopes of each.

* Legacy RPC: ``POST /public`` (dataset- or project-scoped, by the ``ResourceType`` header) and ``POST /public/user``,
  body ``{"query_type", "query_method", "values": {"uid", "payload"}}``, answered ``{"status": 200, "response": …}``
  or ``{"status": <code>, "response": ["<CODE>"], "payload": …}``. Routed on (resource type, query_type, query_method).
* v2 REST under ``/v2/public/``: JSON in and out, errors as HTTP status plus ``{"message": …}``.

Each domain declares its routes in its ``urls.py`` as :class:`LegacyRoute` / :class:`RestRoute`, each with the
contracts of what it accepts; this module authenticates, parses, checks the input against those contracts (so a
handler can trust the types and keys it reads), runs the handler inside one store transaction (the request's writes
land whole or not at all) and renders the envelope.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Mapping

import orjson
from flask import Flask, Response, request
from werkzeug.datastructures import MultiDict

from emulator.core import contracts, request_journal
from emulator.core.errors import EmulatorError, InvalidArgumentsError, MethodNotAllowedError

if TYPE_CHECKING:
    from emulator.auth.models import User
    from emulator.backend import EmulatorBackend

log = logging.getLogger("encord_emulator")

USER_SCOPE = "user"


@dataclass
class LegacyRequest:
    backend: "EmulatorBackend"
    user: "User"
    resource_type: str
    resource_id: str
    query_type: str
    query_method: str
    uid: Any
    payload: Any
    sdk_release: tuple[int, ...] | None = None  # from the SDK's User-Agent, where a release reads an answer its own way


def sdk_release(user_agent: str | None) -> tuple[int, ...] | None:
    """The release in the SDK's ``User-Agent: encord-sdk-python/0.1.121 python/3.11.7`` (None for other clients)."""
    match = SDK_USER_AGENT.match(user_agent or "")
    return tuple(int(part) for part in match["release"].split(".")) if match else None


SDK_USER_AGENT = re.compile(r"^encord-sdk-python/(?P<release>\d+(?:\.\d+)*)\b")


@dataclass
class RestRequest:
    backend: "EmulatorBackend"
    user: "User"
    args: MultiDict
    body: Any

    def arg(self, name: str, default: str | None = None) -> str | None:
        return self.args.get(name, default)

    def arg_list(self, name: str) -> list[str]:
        return self.args.getlist(name)

    def page(self, results: list, size_name: str = "pageSize") -> dict:
        """A page of a listing, as ``Page`` in the SDK: ``pageSize`` results (1 to 1000; all when not asked; some
        listings name it ``limit``) from where ``pageToken`` (an offset this emulator handed out) says, and the
        token of the next page if any."""
        size_arg, token = self.arg(size_name), self.arg("pageToken")
        if size_arg is not None and not (size_arg.isdigit() and 1 <= int(size_arg) <= MAX_PAGE_SIZE):
            raise InvalidArgumentsError(f"{size_name}: expected a number from 1 to {MAX_PAGE_SIZE}, got {size_arg!r}")
        if token is not None and not token.isdigit():
            raise InvalidArgumentsError(f"pageToken: {token!r} is not a page token this emulator handed out")
        start = int(token or 0)
        end = start + int(size_arg) if size_arg is not None else len(results)
        return {"results": results[start:end], "nextPageToken": str(end) if end < len(results) else None}

    def flag(self, name: str, default: bool = False) -> bool:
        """SDK query booleans arrive as the strings ``True`` / ``False``."""
        value = self.args.get(name)
        if value is None:
            return default
        if value.lower() not in ("true", "false"):
            raise InvalidArgumentsError(f"{name}: expected True or False, got {value!r}")
        return value.lower() == "true"


MAX_PAGE_SIZE = 1000


@dataclass(frozen=True)
class LegacyRoute:
    resource_type: str  # "dataset" | "project" | USER_SCOPE for /public/user
    query_type: str
    query_method: str
    handler: Callable[[LegacyRequest], Any]
    response_contract: str | None = None
    transactional: bool = True  # a long poll waits outside the store's lock and opens its own transactions
    uid_contract: str = field(kw_only=True)  # what ``values.uid`` must be
    payload_contract: str = field(kw_only=True)  # what ``values.payload`` must be

    @property
    def wire(self) -> str:
        """The operation's name in COVERAGE.md (and in fault injection)."""
        return f"legacy {self.resource_type} {self.query_type}.{self.query_method}"


@dataclass(frozen=True)
class RestRoute:
    method: str
    rule: str  # Flask rule below /v2/public
    handler: Callable[..., Any]
    response_contract: str | None = None
    transactional: bool = True
    body_contract: str = field(kw_only=True)  # what the JSON body must be ("no-body" where the SDK sends none)

    @property
    def wire(self) -> str:
        return f"{self.method} /v2/public{self.rule}"


@dataclass
class Routes:
    legacy: dict[tuple[str, str, str], LegacyRoute] = field(default_factory=dict)
    rest: list[RestRoute] = field(default_factory=list)

    def wires(self) -> set[str]:
        return {route.wire for route in (*self.legacy.values(), *self.rest)}

    def add(self, *routes: LegacyRoute | RestRoute) -> None:
        for route in routes:
            if isinstance(route, LegacyRoute):
                key = (route.resource_type, route.query_type, route.query_method)
                if key in self.legacy:
                    raise ValueError(f"legacy route registered twice: {key}")
                self.legacy[key] = route
            else:
                self.rest.append(route)


def raw_request_target() -> str:
    """The path and query exactly as sent, which the v2 signature covers (never a re-encoded form)."""
    return request.environ.get("RAW_URI") or request.environ.get("REQUEST_URI") or request.full_path.rstrip("?")


@dataclass
class Call:
    """One request to an SDK endpoint as a front door hands it to the dispatcher: the WSGI app (the server, and
    in-process whatever the direct door leaves to it) or mock_encord's direct door (emulator.app.DirectDoor)."""

    method: str
    target: str  # the path and query exactly as sent, which the v2 signature covers
    headers: Mapping[str, str]  # looked up case-insensitively
    args: MultiDict
    body: bytes
    notes: dict  # what the dispatcher learns of the request, for the journal and the log (the WSGI environ)


@dataclass(frozen=True)
class Answer:
    """An SDK endpoint's answer: JSON, with the status and any headers beyond its Content-Type."""

    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


CONTENT_TYPE = "application/json"


@dataclass(frozen=True)
class Endpoint:
    """A mounted SDK endpoint: its method and how it serves a call (with the rule's path parameters)."""

    method: str
    serve: Callable[[Call, dict[str, str]], Answer]


def flask_call() -> Call:
    return Call(method=request.method, target=raw_request_target(), headers=request.headers, args=request.args,
                body=request.get_data(cache=True), notes=request.environ)


def flask_response(answer: Answer) -> Response:
    return Response(answer.body, status=answer.status, mimetype=CONTENT_TYPE, headers=answer.headers)


def _json_answer(body: Any, status: int, headers: dict[str, str] | None = None) -> Answer:
    return Answer(status, _json_bytes(body), headers or {})


def _json_bytes(value: Any) -> bytes:
    """An answer's JSON: written by orjson (a 1,000-row listing's 0.8 MB in a tenth of json's time), and by json
    what orjson refuses to write (an integer beyond 64 bits, a string holding a lone surrogate, a key that is not a
    string), as the emulator wrote every answer before."""
    try:
        return orjson.dumps(value)
    except TypeError:
        return json.dumps(value).encode("utf-8")


def _check_response(route, body: Any, backend: "EmulatorBackend") -> None:
    if route.response_contract and backend.config.validate_responses:
        contracts.validate(route.response_contract, body, contracts.ContractViolation)


def _run(backend: "EmulatorBackend", transactional: bool, call: Callable[[], Any]) -> Any:
    if not transactional:
        return call()
    with backend.store.transaction():
        return call()


LEGACY_PATHS = {"/public": None, "/public/user": USER_SCOPE}  # each legacy endpoint and the scope it implies


def install(app: Flask, backend: "EmulatorBackend", routes: Routes) -> dict[str, Endpoint]:
    """Mount the legacy endpoints and every v2 route on the app; the endpoints by their Flask endpoint name, for
    the direct door."""
    endpoints = {}
    for path, scope in LEGACY_PATHS.items():
        endpoints[f"legacy {path}"] = Endpoint("POST", _legacy_serve(backend, routes, scope))
        app.add_url_rule(path, f"legacy {path}", _flask_view(endpoints[f"legacy {path}"]), methods=["POST"])
    for route in routes.rest:
        name = f"v2 {route.method} {route.rule}"
        endpoints[name] = Endpoint(route.method, _rest_serve(backend, route))
        app.add_url_rule("/v2/public" + route.rule, name, _flask_view(endpoints[name]), methods=[route.method])
    return endpoints


def _flask_view(endpoint: Endpoint) -> Callable[..., Response]:
    def view(**path_params: str) -> Response:
        return flask_response(endpoint.serve(flask_call(), path_params))

    return view


def _legacy_serve(backend: "EmulatorBackend", routes: Routes, scope: str | None) -> Callable[[Call, dict], Answer]:
    def serve(call: Call, path_params: dict[str, str]) -> Answer:
        raw = call.body
        try:
            user = backend.users.authenticate_legacy(call.headers, raw)
            request_journal.note(call.notes, user=user)
            envelope = contracts.parse_json(raw)
            contracts.validate("legacy-request", envelope)
            resource_type = scope or (call.headers.get("ResourceType") or "")
            query_type, query_method = envelope["query_type"], envelope["query_method"]
            request_journal.note(call.notes, operation=f"legacy {resource_type} {query_type}.{query_method}",
                                 sent=request_journal.sent_legacy(call.headers.get("ResourceID"), raw))
            route = routes.legacy.get((resource_type, query_type, query_method))
            if route is None:
                raise MethodNotAllowedError(
                    f"No operation {query_type}.{query_method} on resource type {resource_type or '(none)'!r}."
                )
            backend.faults.raise_injected(route.wire, call.notes)
            values = envelope["values"]
            contracts.validate(route.uid_contract, values["uid"], at="/uid")
            contracts.validate(route.payload_contract, values["payload"], at="/payload")
            ctx = LegacyRequest(
                backend=backend, user=user, resource_type=resource_type,
                resource_id=call.headers.get("ResourceID") or "", query_type=query_type,
                query_method=query_method, uid=values["uid"], payload=values["payload"],
                sdk_release=sdk_release(call.headers.get("User-Agent")),
            )
            result = _run(backend, route.transactional, lambda: route.handler(ctx))
            _check_response(route, result, backend)
            return _json_answer({"status": 200, "response": result}, 200)
        except EmulatorError as e:
            _log_error(e, call.notes)
            return legacy_error(e)

    return serve


def _rest_serve(backend: "EmulatorBackend", route: RestRoute) -> Callable[[Call, dict], Answer]:
    def serve(call: Call, path_params: dict[str, str]) -> Answer:
        raw = call.body
        request_journal.note(call.notes, operation=route.wire)
        try:
            user = backend.users.authenticate_v2(call.method, call.target, call.headers, raw)
            body = contracts.json_body(raw, route.body_contract)
            request_journal.note(call.notes, user=user, sent=request_journal.sent_v2(raw, call.args))
            backend.faults.raise_injected(route.wire, call.notes)
            ctx = RestRequest(backend=backend, user=user, args=call.args, body=body)
            result = _run(backend, route.transactional, lambda: route.handler(ctx, **path_params))
            # No result: 200 and JSON null, as the service answered releases up to 0.1.147 (they raise on the 204
            # it answers since) and which every later release reads as no result too.
            if result is None:
                return _json_answer(None, 200)
            _check_response(route, result, backend)
            return _json_answer(result, 200)
        except EmulatorError as e:
            _log_error(e, call.notes)
            return rest_error(e.http_status, e.message, _error_headers(e))

    return serve


def legacy_error(e: EmulatorError) -> Answer:
    body = {"status": e.http_status, "response": [e.code], "payload": e.legacy_payload()}
    if e.http_status == 413:  # the SDK reads a 413 before the envelope, and shows the body's message
        body["message"] = e.message
    return _json_answer(body, e.http_status, _error_headers(e))


def rest_error(status: int, message: str, headers: dict[str, str] | None = None) -> Answer:
    return _json_answer({"message": message}, status, headers)


def internal_error_message(method: str, path: str, e: Exception) -> str:
    """What an unexpected exception is answered with (logged with its traceback)."""
    log.exception("internal error while serving %s %s", method, path)
    return f"Internal emulator error: {type(e).__name__}: {e}"


def internal_error(path: str, message: str) -> Answer:
    """An unexpected exception's answer: a legacy envelope on the legacy endpoints, ``{"message"}`` elsewhere."""
    if path in LEGACY_PATHS:
        return _json_answer({"status": 500, "response": ["UNKNOWN_ERROR"], "payload": message}, 500)
    return _json_answer({"message": message}, 500)


def _error_headers(e: EmulatorError) -> dict[str, str]:
    retry_after = getattr(e, "retry_after", None)
    return {"Retry-After": str(retry_after)} if retry_after is not None else {}


def _log_error(e: EmulatorError, notes: dict) -> None:
    if isinstance(e, contracts.ContractViolation):
        log.error("emulator response broke its contract: %s", e.message)
    request_journal.note(notes, error=f"{e.code}: {e.message}")
