"""Serving the emulator on a socket: in a thread for tests, or as the ``serve`` command's production server."""

from __future__ import annotations

import contextlib
import ipaddress
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

from cheroot import wsgi
from moto.core.request import (PRESERVED_HEADER_NAMES_ENVIRON_KEY, environ_key_for_header,
                               should_preserve_original_header_name)
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from werkzeug.serving import make_server, select_address_family

from emulator.app import create_app
from emulator.backend import DataDirectoryInUse, EmulatorBackend
from emulator.buckets.models import BucketBackend
from emulator.buckets.persistence import bucket_directory
from emulator.buckets.s3_port import S3Port
from emulator.config import EmulatorConfig
from emulator.core.faults import carry_out_connection_faults

log = logging.getLogger("encord_emulator")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:  # another name, or "" (every interface): it may be reachable from elsewhere
        return False


def warn_if_reachable_without_token(host: str, config: EmulatorConfig) -> None:
    if not config.control_token and not is_loopback(host):
        log.warning("encord-emulator listens on %r, beyond loopback, without a control token: anyone who reaches its "
                    "ports can reset the state, read it and write the buckets. Start it with --control-token (or "
                    "ENCORD_EMULATOR_CONTROL_TOKEN) to require a token, or listen on 127.0.0.1.", host)


# How often a serving thread looks for a stop: socketserver's default half second made every stop wait that long.
STOP_POLL_SECONDS = 0.05


def serving(server) -> threading.Thread:
    """A thread that serves until the server's ``shutdown()``, which then returns within STOP_POLL_SECONDS."""
    return threading.Thread(target=server.serve_forever, kwargs={"poll_interval": STOP_POLL_SECONDS},
                            name=f"serving {server.server_address[1]}", daemon=True)


def listening(host: str, port: int, app, **options):
    """werkzeug's threaded server on a socket bound here, so that a port in use is an OSError naming the address
    (werkzeug binding it would print two lines and exit, fit for its own CLI but not for a library)."""
    try:
        bound = socket.create_server((host, port), family=select_address_family(host, port))
    except OSError as e:
        raise OSError(e.errno, f"cannot listen on {host}:{port}: {os.strerror(e.errno)}") from None
    with bound:  # the server listens on its own duplicate of the socket
        return make_server(host, port, app, threaded=True, fd=bound.fileno(), **options)


class S3Gateway(wsgi.Gateway_10):
    """cheroot's WSGI gateway, with what moto reads from werkzeug's server and moto's MotoRequestHandler on it:

    * ``RAW_URI``, the path as it arrived (cheroot's ``REQUEST_URI``), from which moto reads keys such as ``a%2Fb``;
    * a header whose name has an underscore dropped (WSGI folds ``X_Foo`` and ``X-Foo`` into one key, so one could
      spoof the other), except S3's user metadata (``x-amz-meta-source_id``) that no dashed header stands for: that
      one is kept, its name recorded where moto's ``Request.headers`` reports it from.
    """

    def get_environ(self) -> dict:
        headers = self.req.inheaders
        self.req.inheaders = {name: value for name, value in headers.items() if b"_" not in name}
        try:
            environ = super().get_environ()
        finally:
            self.req.inheaders = headers
        names = {}
        for name, value in headers.items():
            name = name.decode("latin-1")
            key = environ_key_for_header(name)
            if should_preserve_original_header_name(name) and key not in environ:
                environ[key], names[key] = value.decode("latin-1"), name
        environ[PRESERVED_HEADER_NAMES_ENVIRON_KEY] = names
        environ["RAW_URI"] = environ["REQUEST_URI"]
        return environ


class S3HTTPServer(wsgi.Server):
    """cheroot's production WSGI server, as the S3 port runs it: moto's underscored headers kept (``S3Gateway``), a
    stop seen within STOP_POLL_SECONDS (cheroot's selector waits half a second between looks), its errors in the
    emulator's log, and a port it cannot bind an OSError with the bind's errno (cheroot's own has only a message)."""

    expiration_interval = STOP_POLL_SECONDS

    def __init__(self, host: str, port: int, app, threads: int):
        super().__init__((host, port), app, numthreads=threads)
        self.gateway = S3Gateway
        self.bind_error: OSError | None = None

    def bind(self, family, type, proto=0):
        try:
            return super().bind(family, type, proto)
        except OSError as e:
            self.bind_error = e
            raise

    def error_log(self, msg: str = "", level: int = logging.INFO, traceback: bool = False) -> None:
        log.log(level, "S3 port: %s", msg, exc_info=traceback)


class S3Server:
    """moto's S3 API on a port of its own, sharing its buckets with every moto mock in the process (moto's
    ThreadedMotoServer, with the emulator's S3 port around moto's app: name checks and the write-through to a data
    directory). It runs on cheroot, not waitress: waitress drops every header whose name has an underscore, and S3
    keeps user metadata such as ``x-amz-meta-source_id``."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, data_dir: str | None = None,
                 control_token: str | None = None, threads: int = 8):
        self.s3_port = S3Port(DomainDispatcherApplication(create_backend_app), bucket_directory(data_dir), control_token)
        self._server = S3HTTPServer(host, port, self.s3_port, threads)
        try:
            self._server.prepare()  # binds and listens; requests wait until ``mirror_writes`` starts serving
        except OSError as e:
            errno = (self._server.bind_error or e).errno
            raise OSError(errno, f"cannot listen on {host}:{port}: {os.strerror(errno)}") from None
        self._thread = threading.Thread(target=self._server.serve, name=f"serving S3 {self._server.bind_addr[1]}",
                                        daemon=True)
        self.host, self.port = self._server.bind_addr[:2]
        self.url = f"http://{self.host}:{self.port}"

    def mirror_writes(self, buckets: BucketBackend) -> None:
        """Start answering, once the emulator has started (the saved objects back), each write on disk before it is
        answered. Answered earlier, a write could be emptied away at start, or missed by the mirror; until now the
        port listens, and a client that connects waits."""
        self.s3_port.mirror_to(buckets)
        self._thread.start()

    def stop(self) -> None:
        self._server.stop()
        if self._thread.is_alive():
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
        warn_if_reachable_without_token(self._host, self.config)
        with contextlib.ExitStack() as started:  # a start that fails stops what it started (and frees the data dir)
            self.s3 = S3Server(self._host, self._s3_port, self.config.data_dir, self.config.control_token)
            started.callback(self.s3.stop)
            self.config.s3_endpoint_url = self.s3.url
            self.backend = EmulatorBackend(self.config)
            started.callback(self.backend.close)
            self.s3.mirror_writes(self.backend.buckets)
            self._server = listening(self._host, self._port,
                                     carry_out_connection_faults(create_app(self.config, self.backend)))
            started.pop_all()
        self.backend.media_signer.served_at(self.url)
        self._thread = serving(self._server)
        self._thread.start()
        return self

    def get_host_and_port(self) -> tuple[str, int]:
        if self._server is None:
            raise RuntimeError("ThreadedEncordServer is not started; call start() or use it as a context manager")
        return self._host, self._server.port

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
        raise ServeError(f"{what}: {os.strerror(e.errno) if e.errno else e} (see {option})") from e


def import_into_an_empty_store(backend: EmulatorBackend, path: str) -> None:
    """``--import``: a state document (``encord-emulator state export``) loaded when the store is empty. A store that
    holds something already (a data directory's earlier life) is kept, so a restart does not undo what was done."""
    from emulator.control.exceptions import StateRefused
    from emulator.control.models import import_state

    if any(backend.store.counts().values()):
        log.info("the store already holds a state: --import %s is not loaded over it", path)
        return
    try:
        document = json.loads(Path(path).read_bytes())
    except OSError as e:
        raise ServeError(f"cannot read the state to import from {path}: {os.strerror(e.errno)} (see --import)") from e
    except ValueError as e:
        raise ServeError(f"{path} is not a JSON state document: {e} (see --import)") from e
    try:
        import_state(backend, document)
    except StateRefused as e:
        raise ServeError(f"{path}: {e.message} (see --import)") from e
    log.info("imported the state of %s", path)


@dataclass(frozen=True)
class StartUpData:
    """What ``serve`` loads or runs once its store is open: ``--import``, ``--seed`` (with its owner) and
    ``--init-dir``."""
    import_path: str | None = None
    seed: str | None = None
    seed_email: str = "seed-owner@example.com"
    seed_public_key: str | None = None
    init_dir: str | None = None


def seed_an_empty_store(backend: EmulatorBackend, start_up: StartUpData) -> None:
    """``--seed NAME``: a documented scenario created when the store is empty, owned by ``--seed-email``, who signs
    with the private half of ``--seed-public-key``. As with ``--import``, a store that holds something is kept."""
    from emulator.control.models import seed
    from emulator.core.errors import EmulatorError

    if start_up.seed_public_key is None:
        raise ServeError("--seed needs the owner's public key: --seed-public-key FILE or KEY "
                         "(env ENCORD_EMULATOR_SEED_PUBLIC_KEY)")
    if any(backend.store.counts().values()):
        log.info("the store already holds a state: --seed %s is not created over it", start_up.seed)
        return
    try:
        backend.users.register_user(start_up.seed_email, start_up.seed_public_key)
    except EmulatorError as e:
        raise ServeError(f"{e.message} (see --seed-public-key)") from e
    try:
        created = seed(backend, start_up.seed, start_up.seed_email)
    except EmulatorError as e:
        raise ServeError(f"{e.message} (see --seed)") from e
    log.info("seeded %s for %s: %s", start_up.seed, start_up.seed_email, json.dumps(created))


def init_scripts(directory: str) -> list[Path]:
    """The ``*.py`` and ``*.sh`` files of ``--init-dir``, in name order (``10-users.sh`` before ``20-data.py``)."""
    try:
        return sorted(p for p in Path(directory).iterdir() if p.suffix in (".py", ".sh") and p.is_file())
    except OSError as e:
        raise ServeError(f"cannot read the init scripts of {directory}: {os.strerror(e.errno)} (see --init-dir)") from e


def run_init_scripts(scripts: list[Path], environ: dict[str, str]) -> None:
    """LocalStack's ready.d: once the emulator answers, each script runs in turn with ENCORD_EMULATOR_URL (and the
    S3 URL and control token) in its environment; its output goes to the log, and a failing script is logged and
    does not stop the rest or the emulator."""
    for script in scripts:
        command = [sys.executable, str(script)] if script.suffix == ".py" else ["bash", str(script)]
        log.info("init script %s: started", script.name)
        result = subprocess.run(command, env=environ, cwd=script.parent, capture_output=True, text=True)
        for line in (result.stdout + result.stderr).splitlines():
            log.info("init script %s: %s", script.name, line)
        if result.returncode:
            log.error("init script %s failed (exit %d)", script.name, result.returncode)
        else:
            log.info("init script %s: done", script.name)
    log.info("init scripts finished")


def serve(config: EmulatorConfig, host: str, port: int, s3_port: int, threads: int,
          start_up: StartUpData | None = None) -> None:
    """Run the emulator under waitress until SIGTERM or Ctrl-C, then flush the store and stop cleanly."""
    from waitress import create_server

    warn_if_reachable_without_token(host, config)
    with contextlib.ExitStack() as started:  # whatever started is stopped, last first, however serving ends
        s3 = _starting(lambda: S3Server(host, s3_port, config.data_dir, config.control_token, threads),
                       f"cannot serve the S3 API on {host}:{s3_port}", "--s3-port")
        started.callback(s3.stop)
        config.s3_endpoint_url = s3.url
        backend = _starting(lambda: EmulatorBackend(config), f"cannot keep the state in {config.data_dir}",
                            "--data-dir")
        started.callback(backend.close)
        s3.mirror_writes(backend.buckets)
        start_up = start_up or StartUpData()
        if start_up.import_path:
            import_into_an_empty_store(backend, start_up.import_path)
        if start_up.seed:
            seed_an_empty_store(backend, start_up)
        scripts = init_scripts(start_up.init_dir) if start_up.init_dir else []
        # Reading ahead lets waitress see a client hang up while its request is held (a timeout fault). waitress
        # refuses bodies over its own cap with a plain-text 413 before the app sees them: keep it well above the
        # emulator's, so the app answers (in each API's error format) for any body near the limit, while waitress
        # still turns away an absurd one without buffering it.
        server = _starting(lambda: create_server(carry_out_connection_faults(create_app(config, backend)), host=host,
                                                 port=port, threads=threads, channel_request_lookahead=1,
                                                 max_request_body_size=2 * config.max_request_bytes),
                           f"cannot listen on {host}:{port}", "--port")
        started.callback(server.close)
        backend.media_signer.served_at(f"http://{host}:{server.effective_port}")
        if scripts:
            reachable = "127.0.0.1" if host in ("0.0.0.0", "::") else host
            environ = {**os.environ, "ENCORD_EMULATOR_URL": f"http://{reachable}:{server.effective_port}",
                       "ENCORD_EMULATOR_S3_URL": s3.url.replace(f"//{host}:", f"//{reachable}:"),
                       **({"ENCORD_EMULATOR_CONTROL_TOKEN": config.control_token} if config.control_token else {})}
            threading.Thread(target=run_init_scripts, args=(scripts, environ), name="init-scripts", daemon=True).start()

        def stop(signum, frame):
            raise SystemExit(0)

        signal.signal(signal.SIGTERM, stop)
        log.info("encord-emulator listening on http://%s:%s (S3 API on %s; store: %s; auth: %s; control token: %s)",
                 host, server.effective_port, s3.url, config.data_dir or "in memory",
                 "strict" if config.strict_auth else "open", "required" if config.control_token else "none")
        try:
            server.run()
        except (KeyboardInterrupt, SystemExit):
            log.info("shutting down")
    log.info("stopped; store %s", f"saved in {config.data_dir}" if config.data_dir else "discarded (in memory)")
