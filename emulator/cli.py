"""The ``encord-emulator`` command."""

from __future__ import annotations

import argparse
import logging
import os
import sys

from emulator import __version__
from emulator.config import EmulatorConfig

ENV_PREFIX = "ENCORD_EMULATOR_"


TRUE, FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off", "")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


def _env(name: str, default: str | None) -> str | None:
    """An option's default from its environment variable; set but empty counts as unset. Given as text, so
    argparse converts and checks it like a command-line value (a bad one is an error naming the option)."""
    return os.environ.get(ENV_PREFIX + name) or default


def _env_flag(name: str, unset: bool = False) -> bool | None:
    """A flag's default from its environment variable (``unset`` without one); None when it is not a boolean
    (``_serve`` refuses that, so that other commands and --help still work)."""
    value = os.environ.get(ENV_PREFIX + name, "").strip().lower()
    if not value:
        return unset
    return value in TRUE if value in TRUE + FALSE else None


def _env_typed(name: str, default: str, convert):
    """An option's default from its environment variable, and its type: a bad value from the variable is an error
    naming the variable as well as the option (argparse converts a string default as if it had been typed, passing
    that very object, so a value typed on the command line is told apart from the variable's)."""
    from_env = os.environ.get(ENV_PREFIX + name) or None

    def typed(value: str):
        try:
            return convert(value)
        except (argparse.ArgumentTypeError, ValueError) as e:
            if value is not from_env:
                raise
            why = str(e) if isinstance(e, argparse.ArgumentTypeError) else f"{value!r} is not a {convert.__name__}"
            raise argparse.ArgumentTypeError(f"{ENV_PREFIX}{name}: {why}") from None

    typed.__name__ = convert.__name__
    return {"default": from_env or default, "type": typed}


def _log_level(value: str) -> str:
    if value.upper() not in LOG_LEVELS:
        raise argparse.ArgumentTypeError(f"{value!r} is not one of {', '.join(LOG_LEVELS)}")
    return value.upper()


def _at_least(minimum: int):
    def count(value: str) -> int:
        if not value.isdigit() or int(value) < minimum:
            raise argparse.ArgumentTypeError(f"{value!r} is not a whole number of at least {minimum}")
        return int(value)

    return count


def whole_number(value: str) -> int:
    if not value.strip().isdigit():
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number")
    return int(value)


class _HelpFormatter(argparse.ArgumentDefaultsHelpFormatter):
    """Shows an option's default where it has one worth showing."""

    def _get_help_string(self, action):
        if action.required or action.default in (None, [], argparse.SUPPRESS) or "%(default)" in (action.help or ""):
            return action.help
        return super()._get_help_string(action)


class _Parser(argparse.ArgumentParser):
    """An error in one line, pointing at --help rather than printing the usage (the subcommands' parsers are of this
    class too)."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


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
        formatter_class=_HelpFormatter,
    )
    serve.add_argument("--host", default=_env("HOST", "127.0.0.1"),
                       help=f"interface to listen on (0.0.0.0 in a container) [env {ENV_PREFIX}HOST]")
    serve.add_argument("--port", **_env_typed("PORT", "8080", whole_number),
                       help=f"port of the Encord API and control API [env {ENV_PREFIX}PORT]")
    serve.add_argument("--data-dir", default=_env("DATA_DIR", None),
                       help="keep the state (and the buckets' objects) in this directory so it survives restarts; "
                            f"one emulator at a time; unset: in memory [env {ENV_PREFIX}DATA_DIR]")
    serve.add_argument("--strict-auth", action=argparse.BooleanOptionalAction, default=_env_flag("STRICT_AUTH"),
                       help="accept registered keys only (POST /_emulator/users); off: any correctly signed "
                            f"request, an unknown key becoming a new user [env {ENV_PREFIX}STRICT_AUTH]")
    serve.add_argument("--s3-port", **_env_typed("S3_PORT", "0", whole_number),
                       help="port of moto's S3 API, for boto3 with endpoint_url; 0 picks a free port "
                            f"[env {ENV_PREFIX}S3_PORT]")
    serve.add_argument("--external-url", default=_env("EXTERNAL_URL", None),
                       help="base URL clients reach the emulator at, used in URLs it hands out; "
                            f"unset: http://HOST:PORT [env {ENV_PREFIX}EXTERNAL_URL]")
    serve.add_argument("--max-request-bytes",
                       **_env_typed("MAX_REQUEST_BYTES", str(EmulatorConfig.max_request_bytes), _at_least(1)),
                       help="larger request bodies are refused with HTTP 413 (the SDK's PayloadTooLargeError) "
                            f"[env {ENV_PREFIX}MAX_REQUEST_BYTES]")
    serve.add_argument("--threads", **_env_typed("THREADS", "8", _at_least(1)),
                       help=f"worker threads of each WSGI server, the API's and the S3 port's [env {ENV_PREFIX}THREADS]")
    serve.add_argument("--max-upload-job-units", **_env_typed("MAX_UPLOAD_JOB_UNITS", "10000", _at_least(1)),
                       help="most files (data units) one upload job may register; a larger one is refused "
                            f"[env {ENV_PREFIX}MAX_UPLOAD_JOB_UNITS]")
    serve.add_argument("--max-objects-per-label-row",
                       **_env_typed("MAX_OBJECTS_PER_LABEL_ROW", "10000", _at_least(1)),
                       help="most object labels (over all frames) a saved label row may hold; a larger save is "
                            f"refused [env {ENV_PREFIX}MAX_OBJECTS_PER_LABEL_ROW]")
    serve.add_argument("--request-journal-size", **_env_typed("REQUEST_JOURNAL_SIZE", "1000", _at_least(0)),
                       help="how many of the last requests GET /_emulator/requests keeps; 0: none "
                            f"[env {ENV_PREFIX}REQUEST_JOURNAL_SIZE]")
    serve.add_argument("--ui", action=argparse.BooleanOptionalAction, default=_env_flag("UI", unset=True),
                       help="serve the web dashboard at /_emulator/ui/ (and redirect / there), covered by the "
                            f"control token when one is set; --no-ui: neither is served [env {ENV_PREFIX}UI]")
    serve.add_argument("--import", dest="import_path", metavar="FILE", default=_env("IMPORT", None),
                       help="at start, load this state document (encord-emulator state export, GET /_emulator/state) "
                            "when the store is empty; a data directory's stored state is kept "
                            f"[env {ENV_PREFIX}IMPORT]")
    serve.add_argument("--seed", metavar="NAME", default=_env("SEED", None),
                       help="at start, create this documented scenario (e.g. blueberries-and-cherries) when the store "
                            f"is empty, owned by --seed-email [env {ENV_PREFIX}SEED]")
    serve.add_argument("--seed-email", metavar="EMAIL", default=_env("SEED_EMAIL", "seed-owner@example.com"),
                       help=f"the --seed scenario's owner [env {ENV_PREFIX}SEED_EMAIL]")
    serve.add_argument("--seed-public-key", metavar="KEY", default=_env("SEED_PUBLIC_KEY", None),
                       help="the owner's public key (a .pub file or the ssh-ed25519 line): the SDK then signs as the "
                            f"owner with its private half; required with --seed [env {ENV_PREFIX}SEED_PUBLIC_KEY]")
    serve.add_argument("--init-dir", metavar="DIR", default=_env("INIT_DIR", None),
                       help="once the emulator answers, run the *.py and *.sh scripts of this directory in name "
                            "order, with ENCORD_EMULATOR_URL set (e.g. to seed it); their output goes to the log "
                            f"[env {ENV_PREFIX}INIT_DIR]")
    serve.add_argument("--log-level", **_env_typed("LOG_LEVEL", "INFO", _log_level),
                       help=f"logging level: {', '.join(LOG_LEVELS)} [env {ENV_PREFIX}LOG_LEVEL]")
    serve.add_argument("--control-token", default=_env("CONTROL_TOKEN", None),
                       help="require this token (Authorization: Bearer TOKEN) on the control API, except GET "
                            "/_emulator/health, and on the S3 port's writes (as the access key id); under "
                            "--strict-auth, registering users needs it; unset: open to whoever reaches the ports. "
                            "Prefer the environment variable: a command line is visible to other local users "
                            f"[env {ENV_PREFIX}CONTROL_TOKEN]")


def _add_target(command) -> None:
    """The running emulator a client command talks to."""
    command.add_argument("--url", default=_env("URL", "http://127.0.0.1:8080"),
                         help=f"the emulator's base URL [env {ENV_PREFIX}URL]")
    command.add_argument("--control-token", default=_env("CONTROL_TOKEN", None),
                         help="the emulator's control token, if it was started with one "
                              f"[env {ENV_PREFIX}CONTROL_TOKEN]")


def _add_upload(commands) -> None:
    upload = commands.add_parser(
        "upload",
        help="register cloud data from a CSV or JSON file, as the web app does",
        description=(
            "Start an upload job on a running emulator from a CSV file (the web app's format: a header line of "
            "ObjectUrl plus Video title / Image title / Image group title and Create video / Series title columns, "
            "in any case; a lone ObjectUrl column means videos) or a JSON import spec, show its progress, and print "
            "the result. Exits 0 when the job ends DONE, 1 otherwise."
        ),
        formatter_class=_HelpFormatter,
    )
    upload.add_argument("file", help="the .csv or .json file to register")
    upload.add_argument("--dataset", required=True, help="hash of the dataset to add the data to")
    upload.add_argument("--integration", required=True, help="id of the cloud integration to read the objects with")
    _add_target(upload)
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
        formatter_class=_HelpFormatter,
    )
    seed.add_argument("name", help="the scenario: blueberries-and-cherries")
    seed.add_argument("--email", required=True, help="the owner's email")
    seed.add_argument("--public-key", default=None,
                      help="the owner's public key (an 'ssh-ed25519 …' line or a .pub file), registered if new")
    _add_target(seed)


def _add_integration(commands) -> None:
    integration = commands.add_parser(
        "integration",
        help="create a cloud integration on a running emulator",
        description=("Create a cloud integration: which buckets of the emulator's S3 (moto) it may read, and whether "
                     "it may write (image sequences need that). Prints its id, for "
                     "add_private_data_to_dataset_start(integration_id, …)."),
        formatter_class=_HelpFormatter,
    )
    integration.add_argument("--title", required=True, help="the integration's title")
    integration.add_argument("--provider", default="AWS",
                             help="AWS, GCP, AZURE, OTC, S3_COMPATIBLE, WASABI or DIRECT_ACCESS")
    integration.add_argument("--bucket", action="append", required=True, dest="buckets",
                             help="a bucket it may read (repeat for several)")
    integration.add_argument("--write", action="store_true", help="it may also write to its buckets")
    integration.add_argument("--user", action="append", default=[], dest="users",
                             help="email of a user who may use it (repeat; none given: every user)")
    _add_target(integration)


def _add_export(commands) -> None:
    export = commands.add_parser(
        "export",
        help="export a project's labels (seed 003's JSON or COCO) to a file, as the web app does",
        description=("Export a project's label rows as the web app's \"Export and save\" does, and keep the export as a "
                     "label version (listed by GET /_emulator/projects/PROJECT/exports, and in each exported row's "
                     "export_history). Shows the download's progress."),
        formatter_class=_HelpFormatter,
    )
    export.add_argument("project", help="hash of the project to export")
    export.add_argument("--format", choices=("json", "coco"), default="json", help="the file's format")
    export.add_argument("-o", "--output", required=True, help="the file to write")
    export.add_argument("--label-hash", action="append", dest="label_hashes", default=None,
                        help="export this label row only (repeat for several; default: every row of the branch)")
    export.add_argument("--status", action="append", dest="statuses", default=None,
                        help="export rows of this label status only, e.g. LABELLED (repeat for several)")
    export.add_argument("--object", action="append", dest="object_feature_hashes", default=None,
                        help="keep objects of this ontology feature hash only (repeat for several)")
    export.add_argument("--classification", action="append", dest="classification_feature_hashes", default=None,
                        help="keep classifications of this ontology feature hash only (repeat for several)")
    export.add_argument("--signed-urls", action="store_true", help="put signed media links in the export")
    export.add_argument("--branch", default=None, help="the label branch to export (default: main)")
    export.add_argument("--version-name", default=None, help="the label version's name")
    export.add_argument("--email", default=None, help="export as this user (default: the project's creator)")
    _add_target(export)


def _add_json(command) -> None:
    command.add_argument("--json", action="store_true", help="print JSON instead of a table")


def _add_client(commands, name: str, help_text: str, description: str):
    """A control-API command printing a table (or JSON) about a running emulator."""
    command = commands.add_parser(name, help=help_text, description=description, formatter_class=_HelpFormatter)
    _add_target(command)
    _add_json(command)
    return command


def _add_control(commands) -> None:
    _add_client(commands, "reset", "empty a running emulator's state",
                "Remove every user, dataset, project, integration and upload job of a running emulator "
                "(POST /_emulator/reset).")
    state = commands.add_parser("state", help="save a running emulator's state to a file, or load it from one",
                                description="Export (GET /_emulator/state) or import (PUT /_emulator/state) the "
                                            "whole state document of a running emulator.")
    actions = state.add_subparsers(dest="state_command", metavar="ACTION", required=True)
    export = _add_client(actions, "export", "write the state to a file",
                         "Write the state document to FILE and list how many documents each table holds. Without "
                         "--include-secrets the users' bearer tokens are left out (imported, the users get new "
                         "ones); their keys are kept, so the SDK signs in as before.")
    export.add_argument("file", help="the .json file to write")
    export.add_argument("--include-secrets", action="store_true",
                        help="keep the secrets (needs the control token when the emulator has one)")
    imported = _add_client(actions, "import", "replace the state with a file's",
                           "Replace the whole state of the emulator with a state document written by `state "
                           "export` (checked first: a bad one changes nothing).")
    imported.add_argument("file", help="the .json file to read")
    users = commands.add_parser("users", help="register or list a running emulator's users",
                                description="Users of a running emulator (/_emulator/users).")
    actions = users.add_subparsers(dest="users_command", metavar="ACTION", required=True)
    add = _add_client(actions, "add", "register a user with their public key",
                      "Register a user, who then signs SDK requests with the matching private key "
                      "(needed under --strict-auth).")
    add.add_argument("--email", required=True, help="the user's email")
    add.add_argument("--public-key", required=True, help="the user's public key (an 'ssh-ed25519 …' line or a .pub "
                                                         "file)")
    _add_client(actions, "list", "list the users", "List the registered users: email, user hash, public key.")
    put = _add_client(commands, "put", "put a file into one of a running emulator's buckets",
                      "Store FILE as the object KEY of BUCKET (created if it is not there), as boto3 would on the S3 "
                      "port (PUT /_emulator/buckets/BUCKET/KEY): what upload jobs then read.")
    put.add_argument("bucket", help="the bucket, e.g. my-bucket")
    put.add_argument("key", help="the object's key, e.g. images/apple.png")
    put.add_argument("file", help="the file to store")
    put.add_argument("--content-type", default=None,
                     help="the object's content type (default: guessed from FILE's name, e.g. image/png)")
    _add_client(commands, "datasets", "list a running emulator's datasets",
                "List every dataset (of all users): hash, title, number of data rows, creation time.")
    _add_client(commands, "projects", "list a running emulator's projects",
                "List every project (of all users): hash, title, type, number of datasets, creation time.")
    _add_client(commands, "jobs", "list a running emulator's upload jobs",
                "List the upload jobs (GET /_emulator/upload-jobs): id, dataset, status, units done and failed.")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="encord-emulator",
        description="A local emulator of the Encord annotation platform's API, for tests and sandboxes.",
    )
    parser.add_argument("--version", action="version", version=f"encord-emulator {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    _add_serve(commands)
    _add_upload(commands)
    _add_seed(commands)
    _add_integration(commands)
    _add_export(commands)
    _add_control(commands)
    return parser


def _serve(args) -> int:
    from emulator.control_cli import public_key_line
    from emulator.server import ServeError, StartUpData, serve

    for flag in ("strict_auth", "ui"):
        if getattr(args, flag) is None:
            variable = ENV_PREFIX + flag.upper()
            raise SystemExit(f"error: {variable}={os.environ[variable]!r} is not a boolean (true/false, 1/0, yes/no, "
                             "on/off)")

    config = EmulatorConfig(
        data_dir=args.data_dir,
        strict_auth=args.strict_auth,
        ui=args.ui,
        external_url=args.external_url,
        control_token=args.control_token,
        max_upload_job_units=args.max_upload_job_units,
        max_objects_per_label_row=args.max_objects_per_label_row,
        request_journal_size=args.request_journal_size,
        max_request_bytes=args.max_request_bytes,
    )
    start_up = StartUpData(
        import_path=args.import_path, seed=args.seed, seed_email=args.seed_email, init_dir=args.init_dir,
        seed_public_key=public_key_line(args.seed_public_key, "--seed-public-key") if args.seed_public_key else None)
    try:
        serve(config, host=args.host, port=args.port, s3_port=args.s3_port, threads=args.threads, start_up=start_up)
    except ServeError as e:
        raise SystemExit(f"error: {e}") from None
    return 0


def _upload(args) -> int:
    from emulator.control_cli import run_upload

    return run_upload(args.url, args.control_token, args.dataset, args.integration, args.file, args.ignore_errors,
                      args.email)


def _seed(args) -> int:
    from emulator.control_cli import run_seed

    return run_seed(args.url, args.control_token, args.name, args.email, args.public_key)


def _integration(args) -> int:
    from emulator.control_cli import run_integration

    return run_integration(args.url, args.control_token, args.title, args.provider, args.buckets, args.write,
                           args.users)


def _export(args) -> int:
    from emulator.control_cli import run_export

    return run_export(args.url, args.control_token, args.project, args.format, args.output, {
        "label_hashes": args.label_hashes, "statuses": args.statuses,
        "object_feature_hashes": args.object_feature_hashes,
        "classification_feature_hashes": args.classification_feature_hashes, "signed_urls": args.signed_urls or None,
        "branch_name": args.branch, "version_name": args.version_name, "user_email": args.email})


def _reset(args) -> int:
    from emulator.control_cli import run_reset

    return run_reset(args.url, args.control_token, args.json)


def _state(args) -> int:
    from emulator.control_cli import run_state_export, run_state_import

    if args.state_command == "export":
        return run_state_export(args.url, args.control_token, args.file, args.include_secrets, args.json)
    return run_state_import(args.url, args.control_token, args.file, args.json)


def _users(args) -> int:
    from emulator.control_cli import run_users_add, run_users_list

    if args.users_command == "add":
        return run_users_add(args.url, args.control_token, args.email, args.public_key, args.json)
    return run_users_list(args.url, args.control_token, args.json)


def _put(args) -> int:
    from emulator.control_cli import run_put

    return run_put(args.url, args.control_token, args.bucket, args.key, args.file, args.content_type, args.json)


def _listing(args) -> int:
    from emulator import control_cli

    listings = {"datasets": control_cli.run_datasets, "projects": control_cli.run_projects,
                "jobs": control_cli.run_jobs}
    return listings[args.command](args.url, args.control_token, args.json)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=getattr(logging, getattr(args, "log_level", "INFO")),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    commands = {"serve": _serve, "upload": _upload, "seed": _seed, "integration": _integration, "export": _export,
                "reset": _reset, "state": _state, "users": _users, "put": _put, "datasets": _listing, "projects": _listing,
                "jobs": _listing}
    return commands[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
