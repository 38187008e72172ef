"""Injected faults: what a test asks the next matching SDK requests to get, so that every exception class of the SDK
can be reached (a rate limit, a duplicate key, an unknown error...) and retry code tested, without the condition
behind it.

A fault names an operation as COVERAGE.md does (``legacy dataset dataset.GET``, ``GET /v2/public/datasets/list``) or
``*`` for any, and how many requests it answers; it runs after authentication, so a forged request is still refused
as such. It does any of: wait ``delay_ms`` first (then the request is answered normally, unless the fault also has an
error or a connection fault); answer an error code of the SDK's table; or a connection fault, ``drop`` (the
connection is closed without an answer) or ``timeout`` (no answer until the client gives up, at most
``MAX_HOLD_SECONDS``, then the connection is closed). An error or a connection fault answers instead of the
operation, so nothing changes. Faults live in memory and go with a reset.

A connection fault is carried out by the transport, which the app cannot reach: the app marks the request
(``CONNECTION_FAULT`` in its WSGI environ) and renders what a gateway would answer in its place (502, 504); on a
socket :func:`carry_out_connection_faults` closes the connection instead, and ``mock_encord`` raises what requests
raises for that socket error, through the client's own retry policy.
"""

from __future__ import annotations

import select
import socket
import threading
import time
import uuid
from dataclasses import asdict, dataclass

from waitress.channel import ClientDisconnected

from emulator.core.errors import SDK_ERROR_STATUSES, EmulatorError, InjectedFault, InvalidArgumentsError

ANY_OPERATION = "*"
DROP, TIMEOUT = "drop", "timeout"
CONNECTION_FAULT = "emulator.connection_fault"  # WSGI environ key: the transport closes instead of answering
MAX_HOLD_SECONDS = 60  # a timeout holds the request at most this long, as a long poll is held
HOLD_POLL_SECONDS = 0.05


@dataclass
class Fault:
    id: str
    operation: str
    error: str | None
    connection: str | None
    delay_ms: int
    remaining: int
    message: str | None
    retry_after: int | None


class InjectedConnectionFault(EmulatorError):
    """A connection fault, rendered as the gateway in front of a service answers when it drops or times out; only
    a host that cannot close the connection ever sends it."""

    STATUSES = {DROP: (502, "CONNECTION_DROPPED"), TIMEOUT: (504, "TIMEOUT")}

    def __init__(self, connection: str):
        self.http_status, self.code = self.STATUSES[connection]
        super().__init__(f"Injected fault: {'connection dropped' if connection == DROP else 'no answer in time'}.")


class Faults:
    def __init__(self):
        self._lock = threading.Lock()
        self._faults: list[Fault] = []

    def inject(self, operations: set[str], operation: str, error: str | None, connection: str | None,
               delay_ms: int, times: int, message: str | None, retry_after: int | None) -> dict:
        if operation != ANY_OPERATION and operation not in operations:
            raise InvalidArgumentsError(f"operation: {operation!r} is not an operation the emulator serves; use '*' "
                                        "or a wire name from COVERAGE.md, e.g. 'legacy dataset dataset.GET'.")
        if error is not None and error not in SDK_ERROR_STATUSES:
            raise InvalidArgumentsError(f"error: {error!r} is not an error code of the SDK; expected one of "
                                        f"{', '.join(sorted(SDK_ERROR_STATUSES))}.")
        if error is not None and connection is not None:
            raise InvalidArgumentsError("error, connection: a request gets an error or a connection fault, not both.")
        if error is None and connection is None and not delay_ms:
            raise InvalidArgumentsError("A fault needs an error, a connection fault (drop, timeout) or a delay_ms.")
        fault = Fault(str(uuid.uuid4()), operation, error, connection, delay_ms, times, message, retry_after)
        with self._lock:
            self._faults.append(fault)
        return asdict(fault)

    def raise_injected(self, operation: str, notes: dict) -> None:
        """Apply the first fault that matches this request, if any (each fault for its number of times); a
        connection fault is marked in the request's notes (its WSGI environ on the WSGI door) for the transport."""
        with self._lock:
            fault = next((f for f in self._faults if f.operation in (operation, ANY_OPERATION)), None)
            if fault is None:
                return
            fault.remaining -= 1
            if fault.remaining == 0:
                self._faults.remove(fault)
        time.sleep(fault.delay_ms / 1000)
        if fault.connection is not None:
            notes[CONNECTION_FAULT] = fault.connection
            raise InjectedConnectionFault(fault.connection)
        if fault.error is not None:
            raise InjectedFault(fault.error, fault.message, fault.retry_after)

    def pending(self) -> list[dict]:
        with self._lock:
            return [asdict(f) for f in self._faults]

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()


class ConnectionClosed(ClientDisconnected, ConnectionError):
    """Raised out of the WSGI app to close the connection unanswered: werkzeug's server takes a ConnectionError,
    waitress's a ClientDisconnected, as the client having gone; neither writes anything."""


def carry_out_connection_faults(app):
    """The app as a socket server runs it: a request marked with a connection fault gets no answer."""

    def serve(environ, start_response):
        body = app(environ, start_response)
        fault = environ.get(CONNECTION_FAULT)
        if fault is None:
            return body
        body.close()
        if fault == TIMEOUT:
            deadline = time.monotonic() + MAX_HOLD_SECONDS
            while time.monotonic() < deadline and not _client_gone(environ):
                time.sleep(HOLD_POLL_SECONDS)
        connection = environ.get("werkzeug.socket")
        if connection is not None:  # werkzeug would wait for the next request on a kept-alive connection
            connection.shutdown(socket.SHUT_RDWR)
        raise ConnectionClosed()

    return serve


def _client_gone(environ) -> bool:
    """Whether the client closed its end: waitress tells (it reads ahead, see ``serve``); on werkzeug's socket the
    end of the stream is readable."""
    disconnected = environ.get("waitress.client_disconnected")
    if disconnected is not None:
        return disconnected()
    connection = environ["werkzeug.socket"]
    readable, _, _ = select.select([connection], [], [], 0)
    return bool(readable) and connection.recv(1, socket.MSG_PEEK) == b""
