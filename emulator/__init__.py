"""encord-emulator: a local emulator of the Encord platform's API, for tests and sandboxes."""

import importlib

__version__ = "0.1.0"

# Each public name's module, imported on first use: ``import emulator.cli`` (every command's start, ``--help``,
# ``upload``, ``seed``) then loads neither Flask nor moto nor the media libraries unless it needs them.
_EXPORTS = {
    "create_app": "emulator.app",
    "EmulatorConfig": "emulator.config",
    "mock_encord": "emulator.mock",
    "mock_datagym": "emulator.mock",
    "ThreadedEncordServer": "emulator.server",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_EXPORTS[name]), name)
    globals()[name] = value  # later look-ups skip this function
    return value
