"""encord-emulator: a local emulator of the Encord platform's API, for tests and sandboxes."""

__version__ = "0.1.0"

from emulator.app import create_app  # noqa: E402
from emulator.config import EmulatorConfig  # noqa: E402
from emulator.mock import mock_datagym, mock_encord  # noqa: E402
from emulator.server import ThreadedEncordServer  # noqa: E402

__all__ = ["__version__", "create_app", "EmulatorConfig", "mock_encord", "mock_datagym", "ThreadedEncordServer"]
