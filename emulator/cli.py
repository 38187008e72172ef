"""The ``encord-emulator`` command."""

from __future__ import annotations

import argparse
import logging
import os
import sys

from emulator import __version__
from emulator.config import EmulatorConfig

ENV_PREFIX = "ENCORD_EMULATOR_"


def _env(name: str, default):
    return os.environ.get(ENV_PREFIX + name, default)


def _env_flag(name: str) -> bool:
    return os.environ.get(ENV_PREFIX + name, "").lower() in ("1", "true", "yes", "on")


def _add_serve(commands) -> None:
    serve = commands.add_parser(
        "serve",
        help="run the emulator on a socket",
        description=(
            "Serve the Encord API (legacy /public RPC and /v2/public REST), the control API under /_emulator/ "
            "and moto's S3 API, until SIGTERM or Ctrl-C. Point the SDK at it with "
            "EncordUserClient.create_with_ssh_private_key(key, domain='http://HOST:PORT'). "
            f"Every option can also be set by an environment variable {ENV_PREFIX}<OPTION> "
            f"(e.g. {ENV_PREFIX}PORT=6000, {ENV_PREFIX}STRICT_AUTH=true)."
        ),
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    serve.add_argument("--host", default=_env("HOST", "127.0.0.1"),
                       help="interface to listen on (0.0.0.0 in a container) [env HOST]")
    serve.add_argument("--port", type=int, default=int(_env("PORT", 8080)),
                       help="port of the Encord API and control API [env PORT]")
    serve.add_argument("--data-dir", default=_env("DATA_DIR", None),
                       help="keep the state in this directory so it survives restarts; unset: in memory [env DATA_DIR]")
    serve.add_argument("--strict-auth", action="store_true", default=_env_flag("STRICT_AUTH"),
                       help="accept registered keys only (POST /_emulator/users); default: any correctly signed "
                            "request, an unknown key becoming a new user [env STRICT_AUTH]")
    serve.add_argument("--s3-port", type=int, default=int(_env("S3_PORT", 0)),
                       help="port of moto's S3 API, for boto3 with endpoint_url; 0 picks a free port [env S3_PORT]")
    serve.add_argument("--external-url", default=_env("EXTERNAL_URL", None),
                       help="base URL clients reach the emulator at, used in URLs it hands out; "
                            "default: http://HOST:PORT [env EXTERNAL_URL]")
    serve.add_argument("--threads", type=int, default=int(_env("THREADS", 8)),
                       help="worker threads of the WSGI server [env THREADS]")
    serve.add_argument("--log-level", default=_env("LOG_LEVEL", "INFO"),
                       choices=["DEBUG", "INFO", "WARNING", "ERROR"], help="logging level [env LOG_LEVEL]")


def _add_upload(commands) -> None:
    upload = commands.add_parser(
        "upload",
        help="register cloud data from a CSV or JSON file, as the web app does",
        description=(
            "Start an upload job on a running emulator from a CSV file (the web app's format: ObjectUrl plus "
            "Video title / Image title / Image group title and Create video / Series title columns) or a JSON "
            "import spec, show its progress, and print the result. Exits 0 when the job ends DONE, 1 otherwise."
        ),
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    upload.add_argument("file", help="the .csv or .json file to register")
    upload.add_argument("--dataset", required=True, help="hash of the dataset to add the data to")
    upload.add_argument("--integration", required=True, help="id of the cloud integration to read the objects with")
    upload.add_argument("--url", default=_env("URL", "http://127.0.0.1:8080"),
                        help="the emulator's base URL [env URL]")
    upload.add_argument("--ignore-errors", action="store_true",
                        help="add the files that succeed even if others fail (the job then ends DONE)")
    upload.add_argument("--email", default=None, help="upload as this user (default: the dataset's owner)")


def _add_seed(commands) -> None:
    seed = commands.add_parser(
        "seed",
        help="create a documented example scenario on a running emulator",
        description=("Create a scenario from the documentation, e.g. blueberries-and-cherries (seed 000's project "
                     "7d4ead9c-4087-4832-a301-eb2545e7d43b with its ontology and ingested media), owned by a user. "
                     "Give --public-key to register that user first."),
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    seed.add_argument("name", help="the scenario: blueberries-and-cherries")
    seed.add_argument("--email", required=True, help="the owner's email")
    seed.add_argument("--public-key", default=None,
                      help="the owner's public key (an 'ssh-ed25519 …' line or a .pub file), registered if new")
    seed.add_argument("--url", default=_env("URL", "http://127.0.0.1:8080"), help="the emulator's base URL [env URL]")


def _add_integration(commands) -> None:
    integration = commands.add_parser(
        "integration",
        help="create a cloud integration on a running emulator",
        description=("Create a cloud integration: which buckets of the emulator's S3 (moto) it may read, and whether "
                     "it may write (image sequences need that). Prints its id, for "
                     "add_private_data_to_dataset_start(integration_id, …)."),
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    integration.add_argument("--title", required=True, help="the integration's title")
    integration.add_argument("--provider", default="AWS",
                             help="AWS, GCP, AZURE, OTC, S3_COMPATIBLE, WASABI or DIRECT_ACCESS")
    integration.add_argument("--bucket", action="append", required=True, dest="buckets",
                             help="a bucket it may read (repeat for several)")
    integration.add_argument("--write", action="store_true", help="it may also write to its buckets")
    integration.add_argument("--user", action="append", default=[], dest="users",
                             help="email of a user who may use it (repeat; default: every user)")
    integration.add_argument("--url", default=_env("URL", "http://127.0.0.1:8080"),
                             help="the emulator's base URL [env URL]")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="encord-emulator",
        description="A local emulator of the Encord annotation platform's API, for tests and sandboxes.",
    )
    parser.add_argument("--version", action="version", version=f"encord-emulator {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    _add_serve(commands)
    _add_upload(commands)
    _add_seed(commands)
    _add_integration(commands)
    return parser


def _serve(args) -> int:
    from emulator.server import serve

    config = EmulatorConfig(
        data_dir=args.data_dir,
        strict_auth=args.strict_auth,
        external_url=args.external_url,
    )
    serve(config, host=args.host, port=args.port, s3_port=args.s3_port, threads=args.threads)
    return 0


def _upload(args) -> int:
    from emulator.control_cli import run_upload

    return run_upload(args.url, args.dataset, args.integration, args.file, args.ignore_errors, args.email)


def _seed(args) -> int:
    from emulator.control_cli import run_seed

    return run_seed(args.url, args.name, args.email, args.public_key)


def _integration(args) -> int:
    from emulator.control_cli import run_integration

    return run_integration(args.url, args.title, args.provider, args.buckets, args.write, args.users)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=getattr(logging, getattr(args, "log_level", "INFO")),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    commands = {"serve": _serve, "upload": _upload, "seed": _seed, "integration": _integration}
    return commands[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
