"""pytest fixtures: ``encord_emulator`` (in-process, no socket) and ``encord_server`` (a threaded socket server).

Both yield an :class:`emulator.testing.EmulatorHandle` over an empty emulator. Configure one test with the marker
``@pytest.mark.encord_emulator(strict_auth=True)`` (any :class:`emulator.EmulatorConfig` field).
Responses are checked against the contracts in ``contracts/`` unless the marker says ``validate_responses=False``.
A strict-auth emulator gets a random control token unless the marker gives one (``control_token=…``): under strict
auth only its holder registers users. The handle sends the token on every control call and through ``.s3``.
"""

from __future__ import annotations

import secrets

import pytest

from emulator.config import EmulatorConfig
from emulator.mock import mock_encord
from emulator.server import ThreadedEncordServer
from emulator.testing import EmulatorHandle


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "encord_emulator(**config): settings (EmulatorConfig fields) for the encord emulator fixtures"
    )


def _config(request) -> EmulatorConfig:
    marker = request.node.get_closest_marker("encord_emulator")
    settings = {"validate_responses": True, **(marker.kwargs if marker else {})}
    if settings.get("strict_auth"):
        settings.setdefault("control_token", secrets.token_urlsafe(24))
    return EmulatorConfig(**settings)


@pytest.fixture
def encord_emulator(request):
    with mock_encord(_config(request)) as mock:
        yield EmulatorHandle(mock.url, None, mock.backend)


@pytest.fixture
def encord_server(request):
    with ThreadedEncordServer(config=_config(request)) as server:
        yield EmulatorHandle(server.url, server.s3.url, server.backend)
