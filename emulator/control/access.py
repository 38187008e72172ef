"""Who may use the emulator's own surface. With a control token configured (``--control-token``), every route under
a guarded prefix (the control API, and whatever is added under it later) and every write to the S3 port needs it;
only the health probe stays open, for the Docker healthcheck and orchestrators, and it reveals nothing secret."""

from __future__ import annotations

import hmac
import re
from urllib.parse import parse_qs

from flask import current_app, request

from emulator.config import EmulatorConfig
from emulator.control import exceptions as exc

GUARDED_PREFIXES = ("/_emulator/",)  # a route under any of these needs the token (the dashboard's is under it)
DASHBOARD_LOGIN = "/_emulator/ui/login"
# probes that must work unauthenticated, and the dashboard's form that takes the token
OPEN_ROUTES = {"/_emulator/health": ("GET", "HEAD"), DASHBOARD_LOGIN: ("GET", "HEAD", "POST")}
TOKEN_COOKIE = "encord_emulator_control_token"  # set by the dashboard's login, for the browser's later requests
SAFE_METHODS = ("GET", "HEAD")
AWS_SIGNATURES = (re.compile(r"^AWS4-HMAC-SHA256\s+Credential=([^/,\s]+)/"), re.compile(r"^AWS\s+([^:\s]+):"))
HOW_TO_PASS = ("send it as 'Authorization: Bearer <token>' (the fixtures' handle and the encord-emulator commands "
               "send --control-token / ENCORD_EMULATOR_CONTROL_TOKEN)")


def _matches(token: str, presented: str | None) -> bool:
    return presented is not None and hmac.compare_digest(presented.encode("utf-8", "surrogateescape"),
                                                         token.encode("utf-8"))


def bearer(authorization: str) -> str | None:
    scheme, _, value = authorization.strip().partition(" ")
    return value.strip() if scheme.lower() == "bearer" else None


def presented_token(method: str, authorization: str, cookie: str | None, origin: str | None,
                    own_origin: str) -> str | None:
    """The bearer token; else the dashboard's cookie, for a read, or for a write sent by a page of this emulator
    (its Origin: a page of another site, even another port of this host, may make a browser send the cookie, but
    not with this origin)."""
    presented = bearer(authorization)
    if presented is None and (method in SAFE_METHODS or origin == own_origin):
        return cookie
    return presented


def matches_control_token(config: EmulatorConfig, presented: str | None) -> bool:
    return bool(config.control_token) and _matches(config.control_token, presented)


def is_guarded(method: str, path: str) -> bool:
    return path.startswith(GUARDED_PREFIXES) and method not in OPEN_ROUTES.get(path, ())


def require_control_token(config: EmulatorConfig, method: str, path: str, presented: str | None) -> None:
    """A guarded route answers only a request carrying the configured control token."""
    if not config.control_token or not is_guarded(method, path):
        return
    if presented is None:
        raise exc.ControlTokenRequired(f"This emulator's control API requires its control token: {HOW_TO_PASS}.")
    if not _matches(config.control_token, presented):
        raise exc.ControlTokenRequired("The control token given is not the one this emulator was started with "
                                       "(--control-token / ENCORD_EMULATOR_CONTROL_TOKEN).")


def check_control_token() -> None:
    """The app's before-request hook: one check for every route, so routes added later are covered too. A matched
    route is judged by its rule, anything else (404, 405) by its path."""
    path = request.url_rule.rule if request.url_rule is not None else request.path
    presented = presented_token(request.method, request.headers.get("Authorization", ""),
                                request.cookies.get(TOKEN_COOKIE), request.headers.get("Origin"),
                                request.host_url.rstrip("/"))
    require_control_token(current_app.extensions["encord_emulator"].config, request.method, path, presented)


def aws_access_key_id(authorization: str, query_string: str) -> str | None:
    """The access key id an AWS signature names (SigV4 or SigV2; in the Authorization header or a presigned URL)."""
    for signature in AWS_SIGNATURES:
        signed = signature.match(authorization.strip())
        if signed:
            return signed[1]
    query = parse_qs(query_string)
    if "X-Amz-Credential" in query:
        return query["X-Amz-Credential"][0].split("/", 1)[0]
    return query.get("AWSAccessKeyId", [None])[0]


def s3_write_allowed(token: str | None, authorization: str, query_string: str) -> bool:
    """A write to the S3 port carries the token as a bearer token, or as the access key id of an AWS signature, so
    boto3 users pass aws_access_key_id=<token> (moto checks no signature, so the key id is the credential)."""
    return not token or any(_matches(token, presented) for presented in
                                (bearer(authorization), aws_access_key_id(authorization, query_string)))


def strict_registration_needs_control_token(config: EmulatorConfig) -> None:
    """Under strict auth a registered key is what lets a client in, so only the control token's holder registers
    (the before-request check has verified the token when one is configured)."""
    if config.strict_auth and not config.control_token:
        raise exc.ControlTokenNotConfigured(
            "Under --strict-auth, users are registered by whoever holds the control token, and this emulator has none: "
            f"start it with --control-token (or ENCORD_EMULATOR_CONTROL_TOKEN) and {HOW_TO_PASS}.")


def secrets_need_control_token(config: EmulatorConfig) -> None:
    """Secrets that work against the API leave the emulator only to the holder of a configured control token."""
    if not config.control_token:
        raise exc.ControlTokenNotConfigured(
            "include_secrets: bearer tokens are exported only by an emulator started with --control-token (or "
            f"ENCORD_EMULATOR_CONTROL_TOKEN); {HOW_TO_PASS}.")
