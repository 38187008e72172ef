"""Serving the emulator on a socket: in a thread for tests, or as the ``serve`` command's production server."""

from __future__ import annotations

import contextlib
import errno
import logging
import signal
import threading

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from werkzeug.serving import make_server

from emulator.app import create_app
from emulator.backend import DataDirectoryInUse, EmulatorBackend
from emulator.buckets.models import BucketBackend
from emulator.buckets.persistence import WriteThrough, bucket_directory
from emulator.config import EmulatorConfig

log = logging.getLogger("encord_emulator")


class S3Server:
    """moto's S3 API on a port of its own, sharing its buckets with every moto mock in the process (moto's
    ThreadedMotoServer, with the emulator's write-through to a data directory around moto's app)."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, data_dir: str | None = None):
        directory = bucket_directory(data_dir)
        app = DomainDispatcherApplication(create_backend_app)
        self.write_through = WriteThrough(app, directory) if directory is not None else None
        self._server = make_server(host, port, self.write_through or app, threaded=True,
                                   request_handler=MotoRequestHandler)
        self._thread = threading.Thread(target=self._server.serve_forever, name="moto-s3", daemon=True)
        self._thread.start()
        self.host, self.port = self._server.server_address[:2]
        self.url = f"http://{self.host}:{self.port}"

    def mirror_writes(self, buckets: BucketBackend) -> None:
        """From now on, every write is on disk before it is answered (the saved objects are loaded by then)."""
        if self.write_through is not None:
            self.write_through.buckets = buckets

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()


class ThreadedEncordServer:
    """The emulator on a real socket, served from a thread (as moto's ThreadedMotoServer); ``port=0`` picks one."""

    def __init__(self, port: int = 0, host: str = "127.0.0.1", config: EmulatorConfig | None = None,
                 s3_port: int = 0):
        self.config = config or EmulatorConfig()
        self._host, self._port, self._s3_port = host, port, s3_port
        self._server = None
        self._thread = None
        self.s3: S3Server | None = None
        self.backend: EmulatorBackend | None = None

    def start(self) -> "ThreadedEncordServer":
        with contextlib.ExitStack() as started:  # a start that fails stops what it started (and frees the data dir)
            self.s3 = S3Server(self._host, self._s3_port, self.config.data_dir)
            started.callback(self.s3.stop)
            self.config.s3_endpoint_url = self.s3.url
            self.backend = EmulatorBackend(self.config)
            started.callback(self.backend.close)
            self.s3.mirror_writes(self.backend.buckets)
            try:
                self._server = make_server(self._host, self._port, create_app(self.config, self.backend),
                                           threaded=True)
            except SystemExit:  # werkzeug's answer to a port in use, fit for its CLI but not for a library
                raise OSError(errno.EADDRINUSE, f"cannot listen on {self._host}:{self._port}: address already in "
                                                "use") from None
            started.pop_all()
        self.backend.media_signer.served_at(self.url)
        self._thread = threading.Thread(target=self._server.serve_forever, name="encord-emulator", daemon=True)
        self._thread.start()
        return self

    def get_host_and_port(self) -> tuple[str, int]:
        if self._server is None:
            raise RuntimeError("ThreadedEncordServer is not started; call start() or use it as a context manager")
        return self._host, self._server.server_port

    @property
    def url(self) -> str:
        host, port = self.get_host_and_port()
        return f"http://{host}:{port}"

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()
        self.backend.close()
        self.s3.stop()

    def __enter__(self) -> "ThreadedEncordServer":
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()


class ServeError(RuntimeError):
    """The emulator cannot start; the message says why and which option to change."""


def _starting(make, what: str, option: str):
    try:
        return make()
    except DataDirectoryInUse as e:
        raise ServeError(str(e)) from e
    except OSError as e:
        raise ServeError(f"{what}: {e.strerror or e} (see {option})") from e


def serve(config: EmulatorConfig, host: str, port: int, s3_port: int, threads: int) -> None:
    """Run the emulator under waitress until SIGTERM or Ctrl-C, then flush the store and stop cleanly."""
    from waitress import create_server

    with contextlib.ExitStack() as started:  # whatever started is stopped, last first, however serving ends
        s3 = _starting(lambda: S3Server(host, s3_port, config.data_dir),
                       f"cannot serve the S3 API on {host}:{s3_port}", "--s3-port")
        started.callback(s3.stop)
        config.s3_endpoint_url = s3.url
        backend = _starting(lambda: EmulatorBackend(config), f"cannot keep the state in {config.data_dir}",
                            "--data-dir")
        started.callback(backend.close)
        s3.mirror_writes(backend.buckets)
        # waitress refuses bodies over its own cap with a plain-text 413 before the app sees them: keep it well above
        # the emulator's, so the app answers (in each API's error format) for any body near the limit, while
        # waitress still turns away an absurd one without buffering it.
        server = _starting(lambda: create_server(create_app(config, backend), host=host, port=port, threads=threads,
                                                 max_request_body_size=2 * config.max_request_bytes),
                           f"cannot listen on {host}:{port}", "--port")
        started.callback(server.close)
        backend.media_signer.served_at(f"http://{host}:{server.effective_port}")

        def stop(signum, frame):
            raise SystemExit(0)

        signal.signal(signal.SIGTERM, stop)
        log.info("encord-emulator listening on http://%s:%s (S3 API on %s; store: %s; auth: %s)", host,
                 server.effective_port, s3.url, config.data_dir or "in memory",
                 "strict" if config.strict_auth else "open")
        try:
            server.run()
        except (KeyboardInterrupt, SystemExit):
            log.info("shutting down")
    log.info("stopped; store %s", f"saved in {config.data_dir}" if config.data_dir else "discarded (in memory)")
