"""``mock_encord``: answer every request the SDK sends to Encord from an in-process emulator, with no socket.
It answers the DataGym client's ``https://app.datagym.ai/`` as well (``mock_datagym`` is the same mock by the name
DataGym users look for).

Like moto's ``mock_aws`` it works as a decorator, a context manager or ``start()`` / ``stop()``; nested uses share
the outermost one's emulator, which starts from an empty state (a nested use given another configuration is
refused rather than silently ignored). It also starts moto's ``mock_aws`` (before its own
``responses`` mock: the other order silently lets Encord calls through to the network), so the test's own boto3
calls create the buckets and objects the emulator reads.
"""

from __future__ import annotations

import functools
import re
import threading
import time
from http.client import RemoteDisconnected
from urllib.parse import urlsplit

import requests
import responses
from moto import mock_aws
from requests.adapters import HTTPAdapter
from urllib3.exceptions import MaxRetryError, ProtocolError, ReadTimeoutError

from emulator.app import DirectDoor, create_app
from emulator.backend import EmulatorBackend
from emulator.config import EmulatorConfig
from emulator.core.faults import CONNECTION_FAULT, MAX_HOLD_SECONDS, TIMEOUT
from emulator.core.wire import CONTENT_TYPE

ENCORD_DOMAIN = "https://api.encord.com"
ANY_ENCORD_HOST = re.compile(r"https?://([a-z0-9-]+\.)*encord\.com(:\d+)?(/.*)?$")
DATAGYM_HOST = re.compile(r"https://app\.datagym\.ai(/.*)?$")
DATAGYM_PREFIX = "/datagym"
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD")
HOP_BY_HOP = {"content-length", "transfer-encoding", "connection"}


class _ConnectionFault(Exception):
    """The emulator closed the connection unanswered, at once (``drop``) or after a hold (``timeout``)."""

    def __init__(self, kind: str):
        self.kind = kind


def _raising_connection_faults(wsgi_app):
    """In-process there is no socket to close: a request marked with a connection fault raises instead, and the
    transport below turns that into the socket error requests raises."""

    def app(environ, start_response):
        body = wsgi_app(environ, start_response)
        if CONNECTION_FAULT in environ:
            body.close()
            raise _ConnectionFault(environ[CONNECTION_FAULT])
        return body

    return app


class _Unrecorded(responses.CallList):
    """responses keeps every call it answered (request and answer) until the mock stops: in a test of thousands of
    SDK calls the garbage collector walks them all again and again (a quarter of a call's time). The emulator's
    own request journal (``emulator.requests()``) is the record of what was asked."""

    def add(self, request, response) -> None:
        pass

    def add_call(self, call) -> None:
        pass


class _RequestsMock(responses.RequestsMock):
    """responses retries an answered status by the adapter's retry policy, but a connection that fails is raised at
    once; on a socket urllib3 retries that too (the SDK relies on it), so it is retried here as urllib3 does."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._calls = _Unrecorded()

    def add_callback(self, *args, **kwargs):
        registered = super().add_callback(*args, **kwargs)
        registered._calls = _Unrecorded()  # each registration keeps its own list of calls too
        return registered

    def _on_request(self, adapter, request, *, retries=None, **kwargs):
        retries = retries or adapter.max_retries
        try:
            return super()._on_request(adapter, request, retries=retries, **kwargs)
        except _ConnectionFault as fault:
            error = _socket_error(fault.kind, request.url, kwargs.get("timeout"))
        try:
            retries = retries.increment(request.method, request.url, error=error)
        except MaxRetryError as e:
            raise requests.exceptions.ConnectionError(e, request=request) from None
        except ReadTimeoutError as e:  # this and the next: raised as they are when the request is not retried
            raise requests.exceptions.ReadTimeout(e, request=request) from None
        except ProtocolError as e:
            raise requests.exceptions.ConnectionError(e, request=request) from None
        retries.sleep()
        return self._on_request(adapter, request, retries=retries, **kwargs)


def _socket_error(kind: str, url: str, timeout) -> Exception:
    """What urllib3 raises for a connection the server closed: at once, or after holding the request until the
    client's read timeout (or MAX_HOLD_SECONDS, whichever comes first)."""
    read_timeout = timeout[1] if isinstance(timeout, tuple) else timeout
    if kind == TIMEOUT:
        held = MAX_HOLD_SECONDS if read_timeout is None else min(read_timeout, MAX_HOLD_SECONDS)
        time.sleep(held)
        if read_timeout is not None and read_timeout <= MAX_HOLD_SECONDS:
            return ReadTimeoutError(None, url, f"Read timed out. (read timeout={read_timeout})")
    return ProtocolError("Connection aborted.", RemoteDisconnected("Remote end closed connection without response"))


class _Active:
    """The one emulator shared by all nested mock_encord uses."""

    def __init__(self, config: EmulatorConfig, domain: str):
        self.config = config
        self.aws = mock_aws()
        self.aws.start()
        self.backend = EmulatorBackend(config)
        self.backend.media_signer.served_at(domain)
        self.app = create_app(config, self.backend)
        self.app.wsgi_app = _raising_connection_faults(self.app.wsgi_app)
        self.client = self.app.test_client()
        self.direct = DirectDoor(self.app)
        self.domain = domain
        # What is not Encord's goes on to whatever answered requests before this mock (moto's mock, so a presigned
        # S3 URL is answered from the same buckets), not straight to the network.
        self.requests_mock = _RequestsMock(assert_all_requests_are_fired=False, real_adapter_send=HTTPAdapter.send)
        # One registration per method: responses pops the first of several overlapping matches.
        self.served = re.compile(re.escape(domain) + r"(/.*)?$")
        pattern = re.compile(f"{self.served.pattern}|{ANY_ENCORD_HOST.pattern}")
        for method in METHODS:
            self.requests_mock.add_callback(method, pattern, callback=self.answer)
            self.requests_mock.add_callback(method, DATAGYM_HOST, callback=self.answer_datagym)
        self.requests_mock.add_passthru(re.compile(r"^(?!https?://([a-z0-9-]+\.)*encord\.com).*"))
        self.requests_mock.start()

    def answer(self, prepared):
        if not self.served.match(prepared.url):
            raise ConnectionRefusedError(
                f"encord-emulator blocks {prepared.url}: only {self.domain} is emulated, and no request may reach the "
                "real Encord service. Pass that domain to the SDK."
            )
        return self._forward(prepared, "")

    def answer_datagym(self, prepared):
        """The DataGym client's https://app.datagym.ai/… is the app's /datagym/… (its doubled slashes kept)."""
        return self._forward(prepared, DATAGYM_PREFIX)

    def _forward(self, prepared, prefix: str):
        """Through the direct door where it serves the request (the SDK's endpoints), else through the WSGI app."""
        url = urlsplit(prepared.url)
        path = prefix + url.path
        body = prepared.body or b""
        if isinstance(body, str):
            body = body.encode("utf-8")
        elif not isinstance(body, bytes):
            body = b"".join(body)
        direct = self.direct.answer(prepared.method, path, url.query, prepared.headers, body)
        if direct is not None:
            answer, notes = direct
            if CONNECTION_FAULT in notes:
                raise _ConnectionFault(notes[CONNECTION_FAULT])
            return answer.status, {**answer.headers, "Content-Type": CONTENT_TYPE}, answer.body
        return self._through_wsgi(prepared, path, url.query, body)

    def _through_wsgi(self, prepared, path: str, query: str, body: bytes):
        target = path + (f"?{query}" if query else "")
        headers = {k: v for k, v in prepared.headers.items() if k.lower() not in HOP_BY_HOP}
        reply = self.client.open(
            path=path, method=prepared.method, query_string=query, headers=headers, data=body,
            environ_overrides={"REQUEST_URI": target, "RAW_URI": target},
        )
        reply_headers = {k: v for k, v in reply.headers.items() if k.lower() not in HOP_BY_HOP}
        return reply.status_code, reply_headers, reply.get_data()

    def stop(self) -> None:
        try:
            self.requests_mock.stop()
            self.requests_mock.reset()
        finally:
            self.backend.close()
            self.aws.stop()


class mock_encord:  # noqa: N801  (named like moto's mock_aws, which users know)
    _guard = threading.Lock()
    _depth = 0
    _active: _Active | None = None

    def __init__(self, config: EmulatorConfig | None = None, domain: str = ENCORD_DOMAIN):
        self._config_given = config
        self.config = config or EmulatorConfig()
        self.domain = domain.rstrip("/")
        self._started = False

    # -- moto-style entry points ---------------------------------------------------------------------------------------

    def start(self) -> "mock_encord":
        if self._started:
            raise RuntimeError("this mock_encord is already started")
        with mock_encord._guard:
            if mock_encord._depth == 0:
                mock_encord._active = _Active(self.config, self.domain)
            elif ((self._config_given is not None or self.domain != ENCORD_DOMAIN)
                  and (self.config, self.domain) != (mock_encord._active.config, mock_encord._active.domain)):
                raise RuntimeError(
                    "mock_encord is already active with another configuration or domain; nested uses share the "
                    "outermost emulator, so configure that one (or stop it first).")
            mock_encord._depth += 1
        self._started = True
        return self

    def stop(self) -> None:
        if not self._started:
            raise RuntimeError("this mock_encord was not started")
        self._started = False
        with mock_encord._guard:
            mock_encord._depth -= 1
            if mock_encord._depth == 0:
                active, mock_encord._active = mock_encord._active, None
                active.stop()

    def __enter__(self) -> "mock_encord":
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def __call__(self, func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            with mock_encord(self._config_given, self.domain):
                return func(*args, **kwargs)

        return wrapper

    # -- what a test may want to reach ----------------------------------------------------------------------------------

    @property
    def backend(self) -> EmulatorBackend:
        return self._require_active().backend

    @property
    def url(self) -> str:
        return self._require_active().domain

    def _require_active(self) -> _Active:
        if not self._started or mock_encord._active is None:
            raise RuntimeError("mock_encord is not started")
        return mock_encord._active


class mock_datagym(mock_encord):  # noqa: N801
    """``mock_encord`` under DataGym's name: requests to https://app.datagym.ai/ are answered in-process."""
