"""What the benchmarks share: the time spent inside the emulator, added up from the line it logs for each request."""

import logging
from contextlib import contextmanager


class ServerTime(logging.Handler):
    """Adds up the milliseconds the emulator logs for each request it serves."""

    def __init__(self):
        super().__init__()
        self.ms = 0.0

    def emit(self, record):
        if record.msg.startswith("%s %s%s -> %s"):
            self.ms += record.args[4]


@contextmanager
def server_time():
    server = ServerTime()
    logger = logging.getLogger("encord_emulator")
    logger.setLevel(logging.INFO)
    logger.addHandler(server)
    try:
        yield server
    finally:
        logger.removeHandler(server)
