"""The encord-emulator command's control-API commands (upload, seed) against a running server."""

import argparse
import json
import socket

import media_factory as mf
import pytest
from encord.orm.dataset import StorageLocation

from emulator.cli import build_parser, main


@pytest.fixture
def served(encord_server):
    client = encord_server.user_client("owner@example.com")
    integration = encord_server.add_integration("csv", "AWS", ["csv-bucket"])
    dataset = client.create_dataset("CSV", StorageLocation.AWS)
    return encord_server, client, integration["id"], dataset.dataset_hash


def test_upload_a_csv_shows_progress_and_lands_the_rows(served, tmp_path, capsys):
    server, client, integration_id, dataset_hash = served
    server.put_object("csv-bucket", "a.png", mf.png())
    server.put_object("csv-bucket", "clip.mp4", mf.mp4())
    csv = tmp_path / "upload.csv"
    csv.write_text("objecturl,image title\ns3://csv-bucket/a.png,first image\n"
                   "ObjectUrl,Video Title\ns3://csv-bucket/clip.mp4,\n")
    code = main(["upload", str(csv), "--dataset", dataset_hash, "--integration", integration_id, "--url", server.url])
    out, err = capsys.readouterr()
    assert code == 0
    assert "DONE (2 done, 0 failed, 0 cancelled)" in out
    assert "2/2" in err  # the progress bar counted both units
    assert sorted(r.title for r in client.get_dataset(dataset_hash).data_rows) == ["clip.mp4", "first image"]


def test_upload_reports_failed_units_and_exits_1(served, tmp_path, capsys):
    server, client, integration_id, dataset_hash = served
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps({"images": [{"objectUrl": "s3://csv-bucket/missing.png"}]}))
    code = main(["upload", str(spec), "--dataset", dataset_hash, "--integration", integration_id, "--url", server.url])
    out, _ = capsys.readouterr()
    assert code == 1
    assert "ERROR (0 done, 1 failed, 0 cancelled)" in out
    assert "failed: s3://csv-bucket/missing.png: the object does not exist in bucket 'csv-bucket'." in out


def test_upload_of_files_saved_with_a_byte_order_mark(served, tmp_path, capsys):
    server, client, integration_id, dataset_hash = served
    server.put_object("csv-bucket", "b.png", mf.png())
    server.put_object("csv-bucket", "c.png", mf.png())
    csv, spec = tmp_path / "excel.csv", tmp_path / "notepad.json"
    csv.write_text("ObjectUrl,Image title\ns3://csv-bucket/b.png,from excel\n", encoding="utf-8-sig")
    spec.write_text(json.dumps({"images": [{"objectUrl": "s3://csv-bucket/c.png"}]}), encoding="utf-8-sig")
    for file in (csv, spec):
        assert main(["upload", str(file), "--dataset", dataset_hash, "--integration", integration_id,
                     "--url", server.url]) == 0
    assert "DONE (1 done, 0 failed, 0 cancelled)" in capsys.readouterr().out
    assert sorted(r.title for r in client.get_dataset(dataset_hash).data_rows) == ["c.png", "from excel"]


def test_upload_of_a_csv_with_whitespace_in_a_url_names_the_line(served, tmp_path):
    server, client, integration_id, dataset_hash = served
    csv = tmp_path / "bad.csv"
    csv.write_text("ObjectUrl,Image title\ns3://csv-bucket/a b.png,x\n")
    with pytest.raises(SystemExit) as e:
        main(["upload", str(csv), "--dataset", dataset_hash, "--integration", integration_id, "--url", server.url])
    assert str(e.value) == "error: Line 2: object URLs can't contain whitespace: 's3://csv-bucket/a b.png'."


def test_seed_command_registers_the_key_and_creates_the_scenario(encord_server, capsys):
    from emulator.testing import new_ssh_key

    _, public = new_ssh_key()
    code = main(["seed", "blueberries-and-cherries", "--email", "me@example.com", "--public-key", public,
                 "--url", encord_server.url])
    created = json.loads(capsys.readouterr().out)
    assert code == 0 and created["project_hash"] == "7d4ead9c-4087-4832-a301-eb2545e7d43b"
    assert sorted(created["data_hashes"])[:2] == ["Blueberries_video.mp4", "Cherries_video.mp4"]


def test_integration_command_creates_one_the_sdk_lists(encord_server, capsys):
    client = encord_server.user_client()
    code = main(["integration", "--title", "from the CLI", "--provider", "otc", "--bucket", "a", "--bucket", "b",
                 "--write", "--url", encord_server.url])
    created = json.loads(capsys.readouterr().out)
    assert code == 0 and created["provider"] == "OTC"
    assert [(i.id, i.title) for i in client.get_cloud_integrations()] == [(created["id"], "from the CLI")]


def test_integration_command_with_an_unknown_provider_says_so(encord_server):
    with pytest.raises(SystemExit) as e:
        main(["integration", "--title", "x", "--provider", "dropbox", "--bucket", "a", "--url", encord_server.url])
    assert str(e.value).startswith("error: provider: unknown provider 'dropbox'")


@pytest.mark.parametrize("command, options", [
    ("serve", ["--host", "--port", "--data-dir", "--strict-auth", "--s3-port", "--external-url", "--threads",
               "--log-level", "--control-token", "--ui", "--no-ui"]),
    ("upload", ["--dataset", "--integration", "--url", "--control-token", "--ignore-errors", "--email"]),
    ("seed", ["--email", "--public-key", "--url", "--control-token"]),
    ("integration", ["--title", "--provider", "--bucket", "--write", "--user", "--url", "--control-token"]),
    ("reset", ["--url", "--control-token", "--json"]),
    ("state export", ["--include-secrets", "--url", "--control-token", "--json"]),
    ("state import", ["--url", "--control-token", "--json"]),
    ("users add", ["--email", "--public-key", "--url", "--control-token", "--json"]),
    ("users list", ["--url", "--control-token", "--json"]),
    ("datasets", ["--url", "--control-token", "--json"]),
    ("projects", ["--url", "--control-token", "--json"]),
    ("jobs", ["--url", "--control-token", "--json"]),
])
def test_help_explains_every_option(command, options):
    parser = build_parser()
    for word in command.split():
        parser = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices[word]
    text = parser.format_help()
    for option in options:
        assert option in text
    if command == "serve":
        assert "ENCORD_EMULATOR_" in text and "(default: 8080)" in text


@pytest.mark.parametrize("variable, value, message", [
    ("PORT", "abc", "argument --port: ENCORD_EMULATOR_PORT: 'abc' is not a whole number"),
    ("S3_PORT", "-1", "argument --s3-port: ENCORD_EMULATOR_S3_PORT: '-1' is not a whole number"),
    ("THREADS", "0", "argument --threads: ENCORD_EMULATOR_THREADS: '0' is not a whole number of at least 1"),
    ("LOG_LEVEL", "verbose",
     "argument --log-level: ENCORD_EMULATOR_LOG_LEVEL: 'verbose' is not one of DEBUG, INFO, WARNING, ERROR"),
])
def test_a_bad_environment_value_is_one_line_naming_the_variable_and_the_option(monkeypatch, capsys, variable, value,
                                                                                  message):
    monkeypatch.setenv(f"ENCORD_EMULATOR_{variable}", value)
    with pytest.raises(SystemExit) as e:
        main(["serve"])
    assert e.value.code == 2
    assert capsys.readouterr().err == (f"encord-emulator serve: error: {message} (see encord-emulator serve "
                                       "--help)\n")


def test_a_bad_value_typed_on_the_command_line_names_only_the_option(monkeypatch, capsys):
    monkeypatch.setenv("ENCORD_EMULATOR_PORT", "abc")
    with pytest.raises(SystemExit):
        main(["serve", "--port", "abc"])
    assert capsys.readouterr().err == ("encord-emulator serve: error: argument --port: 'abc' is not a whole number "
                                       "(see encord-emulator serve --help)\n")


def test_upload_help_says_a_lone_object_url_column_means_videos():
    subcommands = next(a for a in build_parser()._actions if a.dest == "command")
    assert "a lone ObjectUrl column means videos" in " ".join(subcommands.choices["upload"].format_help().split())


def test_upload_of_a_missing_file_is_one_line_naming_it(tmp_path):
    with pytest.raises(SystemExit) as e:
        main(["upload", str(tmp_path / "nope.csv"), "--dataset", "d", "--integration", "i"])
    assert str(e.value) == f"error: FILE: no such file: {tmp_path / 'nope.csv'}"


def test_seed_with_a_missing_key_file_is_one_line_naming_the_option(tmp_path):
    with pytest.raises(SystemExit) as e:
        main(["seed", "blueberries-and-cherries", "--email", "a@example.com", "--public-key",
              str(tmp_path / "id.pub")])
    assert str(e.value) == f"error: --public-key: no such file: {tmp_path / 'id.pub'}"


def test_a_command_against_no_running_emulator_is_one_line_naming_the_url(tmp_path):
    csv = tmp_path / "a.csv"
    csv.write_text("ObjectUrl\ns3://b/a.mp4\n")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{s.getsockname()[1]}"
    for command in (["upload", str(csv), "--dataset", "d", "--integration", "i"],
                    ["integration", "--title", "t", "--bucket", "b"]):
        with pytest.raises(SystemExit) as e:
            main([*command, "--url", url])
        assert str(e.value) == (f"error: no emulator answers at {url} (--url / ENCORD_EMULATOR_URL): is "
                                "`encord-emulator serve` running there?")
    with pytest.raises(SystemExit) as e:
        main(["integration", "--title", "t", "--bucket", "b", "--url", "localhost:8080"])
    assert str(e.value).startswith("error: --url / ENCORD_EMULATOR_URL: 'localhost:8080' is not a URL of an emulator")


def test_upload_of_a_csv_whose_header_lacks_object_url_says_which_columns_are_accepted(served, tmp_path):
    server, client, integration_id, dataset_hash = served
    csv = tmp_path / "mine.csv"
    csv.write_text("url,title\ns3://csv-bucket/a.png,x\n")
    with pytest.raises(SystemExit) as e:
        main(["upload", str(csv), "--dataset", dataset_hash, "--integration", integration_id, "--url", server.url])
    assert str(e.value) == (
        "error: Line 1: the CSV has no header line before its first row (url, title); a header line names the "
        "columns ObjectUrl and one of Video title, Image title, Image group title (and Create video) or Series "
        "title, in any case; ObjectUrl alone means videos.")


def test_seed_with_a_key_that_already_belongs_to_another_user_says_which_email_to_use(encord_server, tmp_path):
    from emulator.testing import new_ssh_key

    _, public = new_ssh_key()
    encord_server.control("POST", "users", json={"email": "auto@example.com", "public_key": public})
    key_file = tmp_path / "id.pub"
    key_file.write_text(public + "\n")
    with pytest.raises(SystemExit) as e:
        main(["seed", "blueberries-and-cherries", "--email", "you@example.com", "--public-key", str(key_file),
              "--url", encord_server.url])
    assert str(e.value) == ("error: --public-key: that key already belongs to the user auto@example.com (a key that "
                            "signed a request in open mode becomes a user): run again with --email auto@example.com")
    _, other = new_ssh_key()
    with pytest.raises(SystemExit) as e:
        main(["seed", "blueberries-and-cherries", "--email", "auto@example.com", "--public-key", other,
              "--url", encord_server.url])
    assert str(e.value) == ("error: --email: auto@example.com is already registered with another key; give that "
                            "user's key or another --email")


def test_a_flag_variable_that_is_not_a_boolean_is_refused_by_serve_alone(monkeypatch):
    monkeypatch.setenv("ENCORD_EMULATOR_STRICT_AUTH", "maybe")
    with pytest.raises(SystemExit) as e:
        main(["serve"])
    assert str(e.value) == ("error: ENCORD_EMULATOR_STRICT_AUTH='maybe' is not a boolean (true/false, 1/0, yes/no, "
                            "on/off)")
    assert build_parser().parse_args(["upload", "f.csv", "--dataset", "d", "--integration", "i"]).file == "f.csv"


def test_environment_values_are_read_and_an_empty_one_means_unset(monkeypatch):
    monkeypatch.setenv("ENCORD_EMULATOR_PORT", "6001")
    monkeypatch.setenv("ENCORD_EMULATOR_LOG_LEVEL", "debug")
    monkeypatch.setenv("ENCORD_EMULATOR_STRICT_AUTH", "yes")
    monkeypatch.setenv("ENCORD_EMULATOR_DATA_DIR", "")
    args = build_parser().parse_args(["serve"])
    assert (args.port, args.log_level, args.strict_auth, args.data_dir) == (6001, "DEBUG", True, None)
    assert build_parser().parse_args(["serve", "--no-strict-auth"]).strict_auth is False


def test_serve_says_why_it_cannot_start(tmp_path):
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    port = taken.getsockname()[1]
    try:
        with pytest.raises(SystemExit) as e:
            main(["serve", "--port", str(port)])
        assert str(e.value) == f"error: cannot listen on 127.0.0.1:{port}: Address already in use (see --port)"
        with pytest.raises(SystemExit) as e:
            main(["serve", "--port", "0", "--s3-port", str(port)])
        assert str(e.value) == (f"error: cannot serve the S3 API on 127.0.0.1:{port}: Address already in use "
                                "(see --s3-port)")
    finally:
        taken.close()
    not_a_directory = tmp_path / "file"
    not_a_directory.write_text("")
    with pytest.raises(SystemExit) as e:
        main(["serve", "--port", "0", "--data-dir", str(not_a_directory)])
    assert str(e.value) == f"error: cannot keep the state in {not_a_directory}: File exists (see --data-dir)"


def _run(capsys, *argv) -> str:
    assert main(list(argv)) == 0
    return capsys.readouterr().out


def test_state_export_reset_import_restores_a_dataset_the_sdk_reads(served, tmp_path, capsys):
    server, client, _, dataset_hash = served
    state = tmp_path / "state.json"
    out = _run(capsys, "state", "export", str(state), "--url", server.url)
    assert any(line.split() == ["dataset", "1"] for line in out.splitlines())
    assert dataset_hash in json.loads(state.read_text())["tables"]["dataset"]
    assert "was reset" in _run(capsys, "reset", "--url", server.url)
    assert _run(capsys, "datasets", "--url", server.url) == "no datasets\n"
    imported = json.loads(_run(capsys, "state", "import", str(state), "--url", server.url, "--json"))
    assert {"table": "dataset", "documents": 1} in imported
    assert client.get_dataset(dataset_hash).title == "CSV"


def test_users_add_then_list_shows_the_user(encord_server, tmp_path, capsys):
    from emulator.testing import new_ssh_key

    _, public = new_ssh_key()
    key_file = tmp_path / "id.pub"
    key_file.write_text(public + "\n")
    added = _run(capsys, "users", "add", "--email", "cli@example.com", "--public-key", str(key_file),
                 "--url", encord_server.url)
    user_hash = added.splitlines()[1].split()[1]
    assert added.splitlines()[0].split() == ["email", "user_hash", "public_key_hex"]
    listed = _run(capsys, "users", "list", "--url", encord_server.url)
    assert any(line.split()[:2] == ["cli@example.com", user_hash] for line in listed.splitlines())
    users = json.loads(_run(capsys, "users", "list", "--url", encord_server.url, "--json"))
    assert {"cli@example.com": user_hash}.items() <= {u["email"]: u["user_hash"] for u in users}.items()


def test_datasets_lists_each_dataset_with_its_data_rows(served, capsys):
    server, client, integration_id, dataset_hash = served
    table = _run(capsys, "datasets", "--url", server.url).splitlines()
    assert table[0].split() == ["dataset_hash", "title", "data_rows", "created_at"]
    assert table[1].split()[:3] == [dataset_hash, "CSV", "0"]
    [dataset] = json.loads(_run(capsys, "datasets", "--url", server.url, "--json"))
    assert (dataset["dataset_hash"], dataset["title"], dataset["data_rows"]) == (dataset_hash, "CSV", 0)


def test_projects_lists_a_project_the_sdk_created(served, capsys):
    server, client, _, dataset_hash = served
    project_hash = client.create_project("From the SDK", [dataset_hash])
    table = _run(capsys, "projects", "--url", server.url).splitlines()
    assert table[0].split() == ["project_hash", "title", "project_type", "datasets", "created_at"]
    assert table[1].startswith(f"{project_hash}  From the SDK")
    [project] = json.loads(_run(capsys, "projects", "--url", server.url, "--json"))
    assert (project["project_hash"], project["dataset_hashes"]) == (project_hash, [dataset_hash])


def test_jobs_lists_an_upload_job_with_its_status(served, tmp_path, capsys):
    server, client, integration_id, dataset_hash = served
    server.put_object("csv-bucket", "a.png", mf.png())
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps({"images": [{"objectUrl": "s3://csv-bucket/a.png"}]}))
    _run(capsys, "upload", str(spec), "--dataset", dataset_hash, "--integration", integration_id, "--url", server.url)
    [job] = json.loads(_run(capsys, "jobs", "--url", server.url, "--json"))
    assert (job["dataset_hash"], job["status"], job["counts"]["done"]) == (dataset_hash, "DONE", 1)
    table = _run(capsys, "jobs", "--url", server.url).splitlines()
    assert table[0].split() == ["id", "dataset_hash", "status", "units", "done", "error", "created_at"]
    assert table[1].split()[:6] == [job["id"], dataset_hash, "DONE", "1", "1", "0"]


def test_put_stores_a_file_an_upload_job_then_reads(served, tmp_path, capsys):
    server, client, integration_id, dataset_hash = served
    image = tmp_path / "apple.png"
    image.write_bytes(mf.png())
    assert _run(capsys, "put", "csv-bucket", "fruit/apple.png", str(image), "--url", server.url).strip() == (
        f"s3://csv-bucket/fruit/apple.png: {len(mf.png())} bytes (image/png)")
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps({"images": [{"objectUrl": "s3://csv-bucket/fruit/apple.png"}]}))
    _run(capsys, "upload", str(spec), "--dataset", dataset_hash, "--integration", integration_id, "--url", server.url)
    assert [r.title for r in client.get_dataset(dataset_hash).list_data_rows()] == ["fruit/apple.png"]
    assert server.s3.head_object(Bucket="csv-bucket", Key="fruit/apple.png")["ContentType"] == "image/png"


def test_put_of_a_missing_file_or_to_a_bad_bucket_name_is_one_line(encord_server, tmp_path):
    with pytest.raises(SystemExit) as e:
        main(["put", "b-bucket", "k", str(tmp_path / "nope.png"), "--url", encord_server.url])
    assert str(e.value) == f"error: FILE: no such file: {tmp_path / 'nope.png'}"
    text = tmp_path / "a.txt"
    text.write_text("hello")
    with pytest.raises(SystemExit) as e:
        main(["put", "Not_A_Bucket", "k", str(text), "--url", encord_server.url])
    assert str(e.value).startswith("error: ") and "Not_A_Bucket" in str(e.value) and "\n" not in str(e.value)


def test_state_import_of_a_missing_or_bad_file_is_one_line(tmp_path):
    with pytest.raises(SystemExit) as e:
        main(["state", "import", str(tmp_path / "nope.json")])
    assert str(e.value) == f"error: FILE: no such file: {tmp_path / 'nope.json'}"
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(SystemExit) as e:
        main(["state", "import", str(bad)])
    assert str(e.value).startswith(f"error: FILE: {bad} is not valid JSON: ")


def test_state_import_of_a_document_that_is_not_a_state_says_why(encord_server, tmp_path):
    other = tmp_path / "other.json"
    other.write_text('{"hello": 1}')
    with pytest.raises(SystemExit) as e:
        main(["state", "import", str(other), "--url", encord_server.url])
    assert str(e.value) == 'error: Not an encord-emulator state document (expected "format": "encord-emulator-state").'


@pytest.mark.parametrize("command", [["reset"], ["state", "export", "s.json"], ["state", "import", "{file}"],
                                     ["users", "list"], ["users", "add", "--email", "a@b.c", "--public-key", "0" * 64],
                                     ["datasets"], ["projects"], ["jobs"], ["put", "a-bucket", "k", "{file}"]])
def test_control_commands_against_no_running_emulator_are_one_line(tmp_path, command):
    state = tmp_path / "state.json"
    state.write_text("{}")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{s.getsockname()[1]}"
    with pytest.raises(SystemExit) as e:
        main([part.format(file=state) for part in command] + ["--url", url])
    assert str(e.value) == (f"error: no emulator answers at {url} (--url / ENCORD_EMULATOR_URL): is "
                            "`encord-emulator serve` running there?")


def test_a_listing_from_a_server_that_is_not_an_emulator_is_one_line():
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Other(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *args):
            pass

    other = ThreadingHTTPServer(("127.0.0.1", 0), Other)
    threading.Thread(target=other.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{other.server_address[1]}"
    try:
        with pytest.raises(SystemExit) as e:
            main(["jobs", "--url", url])
        assert str(e.value) == (f"error: {url}/_emulator/upload-jobs answered without 'upload_jobs': is --url (or "
                                "ENCORD_EMULATOR_URL) the address of an encord-emulator?")
    finally:
        other.shutdown()
        other.server_close()
