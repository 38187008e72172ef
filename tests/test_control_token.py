"""The control token (``--control-token``): who may use the control API and write to the S3 port, what a state export
reveals, who registers users under strict auth, and the warning when the emulator is reachable without a token."""

import json
import logging
import re
import xml.etree.ElementTree as ET

import boto3
import pytest
import requests
from botocore.config import Config
from botocore.exceptions import ClientError
from encord.exceptions import AuthenticationError
from encord.orm.dataset import StorageLocation
from encord.user_client import EncordUserClient
from test_auth import v2_auth_message

from emulator import EmulatorConfig, ThreadedEncordServer
from emulator.app import create_app
from emulator.cli import main
from emulator.server import is_loopback
from emulator.testing import ControlError, EmulatorHandle, new_ssh_key

TOKEN = "a-control-token-for-tests"
MISSING = ("This emulator's control API requires its control token: send it as 'Authorization: Bearer <token>' (the "
           "fixtures' handle and the encord-emulator commands send --control-token / ENCORD_EMULATOR_CONTROL_TOKEN).")
WRONG = ("The control token given is not the one this emulator was started with (--control-token / "
         "ENCORD_EMULATOR_CONTROL_TOKEN).")
S3_REFUSED = ("Writes to this emulator's S3 API require its control token: pass it as the access key id (boto3: "
              "aws_access_key_id=<token>) or as 'Authorization: Bearer <token>'.")
guarded = pytest.mark.encord_emulator(control_token=TOKEN)


def control_routes(handle: EmulatorHandle) -> list[tuple[str, str]]:
    """Every (method, path) the app serves under /_emulator/, placeholders filled in: routes added later count too
    (but OPTIONS, which the in-process mock does not intercept)."""
    app = create_app(handle.backend.config, handle.backend)
    return sorted((method, re.sub(r"<[^>]+>", "x", rule.rule)) for rule in app.url_map.iter_rules()
                  if rule.rule.startswith("/_emulator/") for method in rule.methods - {"OPTIONS"})


def call(handle: EmulatorHandle, method: str, path: str, token: str | None) -> requests.Response:
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    return requests.request(method, handle.url + path, headers=headers, timeout=30)


@guarded
def test_every_control_route_but_health_refuses_a_missing_or_wrong_token(emulator):
    emulator.user_client("kept@example.com").create_dataset("kept", StorageLocation.AWS)
    counts = emulator.health()["store"]["counts"]
    routes = control_routes(emulator)
    assert ("POST", "/_emulator/reset") in routes and ("POST", "/_emulator/datagym/tokens") in routes
    for method, path in routes:
        for token, message in ((None, MISSING), ("not-the-token", WRONG), (TOKEN.upper(), WRONG)):
            reply = call(emulator, method, path, token)
            if path == "/_emulator/health" and method in ("GET", "HEAD"):
                assert reply.status_code == 200, (method, path)
                continue
            if path == "/_emulator/ui/login":  # the dashboard's form that takes the token
                continue
            if path.startswith("/_emulator/ui/"):  # a dashboard page sends the browser to that form
                assert reply.history[0].status_code == 302 and reply.url.endswith("/_emulator/ui/login"), path
                continue
            assert reply.status_code == 401, (method, path, reply.text)
            if method != "HEAD":
                assert reply.json() == {"code": "CONTROL_TOKEN_REQUIRED", "message": message}
    assert emulator.health()["store"]["counts"] == counts  # reset, state imports and the rest were refused
    for method, path in routes:
        if path != "/_emulator/ui/login":  # the form judges the token typed into it
            assert call(emulator, method, path, TOKEN).status_code not in (401, 403), (method, path)


@guarded
def test_unknown_control_paths_are_refused_before_they_are_routed(emulator):
    reply = call(emulator, "GET", "/_emulator/no-such-route", None)
    assert (reply.status_code, reply.json()["code"]) == (401, "CONTROL_TOKEN_REQUIRED")
    assert call(emulator, "GET", "/_emulator/no-such-route", TOKEN).status_code == 404


@guarded
def test_the_health_probe_stays_open_and_reveals_no_secret(emulator):
    client = emulator.user_client()
    bearer_token = client.get_bearer_token()
    reply = requests.get(emulator.url + "/_emulator/health", timeout=30)
    assert reply.status_code == 200 and reply.json()["status"] == "ok"
    assert TOKEN not in reply.text and bearer_token not in reply.text


def test_without_a_token_the_control_api_is_open(emulator):
    assert call(emulator, "POST", "/_emulator/reset", None).json() == {"reset": True}


@pytest.mark.encord_emulator(control_token="")
def test_an_empty_token_is_no_token_as_an_empty_environment_variable_is_unset(emulator):
    assert call(emulator, "POST", "/_emulator/reset", None).json() == {"reset": True}


@guarded
def test_the_handle_sends_the_token_on_every_control_call_and_through_s3(emulator):
    assert emulator.control_token == TOKEN
    client = emulator.user_client("owner@example.com")
    integration = emulator.add_integration("guarded", "AWS", ["guarded-bucket"])
    emulator.put_object("guarded-bucket", "a.txt", b"a")
    emulator.s3.put_object(Bucket="guarded-bucket", Key="b.txt", Body=b"b")
    dataset = client.create_dataset("guarded", StorageLocation.AWS)
    emulator.register_data_rows(dataset.dataset_hash, [{"data_title": "a.txt", "data_type": "IMAGE"}],
                                integration["id"])
    assert emulator.datagym.token("guarded")
    assert emulator.state()["tables"]["dataset"][dataset.dataset_hash]["title"] == "guarded"
    emulator.reset()
    assert emulator.s3.list_buckets()["Buckets"] == []


# -- the S3 port ------------------------------------------------------------------------------------------------------


def s3_as(server: EmulatorHandle, access_key_id: str, signature_version: str = "s3v4"):
    return boto3.client("s3", endpoint_url=server.s3_endpoint_url, region_name="us-east-1",
                        aws_access_key_id=access_key_id, aws_secret_access_key="anything",
                        config=Config(signature_version=signature_version, retries={"max_attempts": 1}))


def assert_access_denied(reply: requests.Response) -> None:
    assert reply.status_code == 403
    error = ET.fromstring(reply.content)
    assert (error.findtext("Code"), error.findtext("Message")) == ("AccessDenied", S3_REFUSED)


@guarded
def test_s3_writes_need_the_token_and_reads_stay_open(encord_server):
    base = encord_server.s3_endpoint_url
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Bearer {TOKEN}x"}):
        assert_access_denied(requests.put(f"{base}/raw-bucket", headers=headers, timeout=30))
    assert encord_server.s3.list_buckets()["Buckets"] == []
    bearer = {"Authorization": f"Bearer {TOKEN}"}
    assert requests.put(f"{base}/raw-bucket", headers=bearer, timeout=30).status_code == 200
    assert requests.put(f"{base}/raw-bucket/k.txt", data=b"kept", headers=bearer, timeout=30).status_code == 200

    assert_access_denied(requests.delete(f"{base}/raw-bucket/k.txt", timeout=30))
    assert_access_denied(requests.post(f"{base}/raw-bucket?delete", data=b"<Delete/>", timeout=30))
    assert_access_denied(requests.delete(f"{base}/raw-bucket", timeout=30))
    stranger = s3_as(encord_server, "someone-else")
    assert stranger.get_object(Bucket="raw-bucket", Key="k.txt")["Body"].read() == b"kept"  # reads are open
    assert [o["Key"] for o in stranger.list_objects_v2(Bucket="raw-bucket")["Contents"]] == ["k.txt"]
    with pytest.raises(ClientError) as e:
        stranger.put_object(Bucket="raw-bucket", Key="k.txt", Body=b"overwritten")
    assert (e.value.response["Error"]["Code"], e.value.response["Error"]["Message"]) == ("AccessDenied", S3_REFUSED)
    with pytest.raises(ClientError) as e:
        stranger.delete_object(Bucket="raw-bucket", Key="k.txt")
    assert e.value.response["Error"]["Code"] == "AccessDenied"
    assert encord_server.backend.buckets.get_object("raw-bucket", "k.txt") == b"kept"


@guarded
@pytest.mark.parametrize("signature_version", ["s3v4", "s3"])
def test_boto3_writes_with_the_token_as_its_access_key_id(encord_server, signature_version):
    owner = s3_as(encord_server, TOKEN, signature_version)
    owner.create_bucket(Bucket="boto3-bucket")
    owner.put_object(Bucket="boto3-bucket", Key="k.txt", Body=b"v1")
    url = owner.generate_presigned_url("put_object", Params={"Bucket": "boto3-bucket", "Key": "presigned.txt"})
    assert requests.put(url, data=b"presigned", timeout=30).status_code == 200
    forged = s3_as(encord_server, "someone-else", signature_version).generate_presigned_url(
        "put_object", Params={"Bucket": "boto3-bucket", "Key": "forged.txt"})
    assert_access_denied(requests.put(forged, data=b"forged", timeout=30))
    assert sorted(encord_server.backend.buckets.object_keys("boto3-bucket")) == ["k.txt", "presigned.txt"]
    owner.delete_object(Bucket="boto3-bucket", Key="k.txt")
    assert encord_server.backend.buckets.object_keys("boto3-bucket") == ["presigned.txt"]


@guarded
def test_a_refused_write_leaves_the_connection_usable(encord_server):
    base, session = encord_server.s3_endpoint_url, requests.Session()
    encord_server.s3.create_bucket(Bucket="kept-alive")
    assert_access_denied(session.put(f"{base}/kept-alive/big.bin", data=b"x" * 300_000, timeout=30))
    reply = session.put(f"{base}/kept-alive/small.txt", data=b"small", headers={"Authorization": f"Bearer {TOKEN}"},
                        timeout=30)
    assert reply.status_code == 200
    assert encord_server.s3.get_object(Bucket="kept-alive", Key="small.txt")["Body"].read() == b"small"
    assert encord_server.backend.buckets.object_keys("kept-alive") == ["small.txt"]


def test_a_refused_write_reaches_neither_moto_nor_the_data_directory(tmp_path):
    config = EmulatorConfig(data_dir=str(tmp_path), control_token=TOKEN)
    with ThreadedEncordServer(config=config) as server:
        assert_access_denied(requests.put(f"{server.s3.url}/on-disk", timeout=30))
        assert server.backend.buckets.bucket_names() == []
        EmulatorHandle(server.url, server.s3.url, server.backend).put_object("on-disk", "k.txt", b"saved")
    assert [p.name for p in (tmp_path / "buckets").iterdir()] == ["on-disk"]


# -- state exports ----------------------------------------------------------------------------------------------------


def test_a_state_export_holds_no_bearer_token_so_one_read_from_it_cannot_work(emulator):
    client = emulator.user_client("victim@example.com")
    dataset = client.create_dataset("private", StorageLocation.AWS)
    token = client.get_bearer_token()
    state = emulator.state()
    assert "bearer_token" not in state["tables"] and token not in json.dumps(state)
    assert state["tables"]["user"]  # public keys are not secrets
    emulator.load_state(state)  # a document without bearer tokens imports; its users get new ones
    with pytest.raises(AuthenticationError) as e:
        EncordUserClient.create_with_bearer_token(token, domain=emulator.url).get_datasets()
    assert e.value.message == v2_auth_message(emulator, "The bearer token is not known or has expired.")
    fresh = EncordUserClient.create_with_bearer_token(client.get_bearer_token(), domain=emulator.url)
    assert fresh.get_dataset(dataset.dataset_hash).title == "private"


def test_a_state_export_holds_no_datagym_token_yet_one_survives_the_round_trip(emulator):
    token = emulator.datagym.token("exporter")
    base = emulator.datagym.base_url
    dataset = requests.post(base + "api/v1/dataset", params={"token": token}, json={"name": "d"}, timeout=10).json()
    state = emulator.state()
    assert token not in json.dumps(state)
    emulator.reset()
    assert requests.get(base + "api/v1/dataset", params={"token": token}, timeout=10).status_code == 403
    emulator.load_state(state)
    [listed] = requests.get(base + "api/v1/dataset", params={"token": token}, timeout=10).json()
    assert (listed["id"], listed["name"], listed["owner"]) == (dataset["id"], "d", dataset["owner"])


def test_secrets_are_exported_only_by_an_emulator_with_a_control_token(emulator):
    with pytest.raises(ControlError) as e:
        emulator.state(include_secrets=True)
    assert (e.value.status, e.value.code, e.value.message) == (
        403, "CONTROL_TOKEN_NOT_CONFIGURED",
        "include_secrets: bearer tokens are exported only by an emulator started with --control-token (or "
        "ENCORD_EMULATOR_CONTROL_TOKEN); send it as 'Authorization: Bearer <token>' (the fixtures' handle and the "
        "encord-emulator commands send --control-token / ENCORD_EMULATOR_CONTROL_TOKEN).")
    with pytest.raises(ControlError) as e:
        emulator.control("GET", "state", params={"include_secrets": "yes please"})
    assert e.value.message == "include_secrets: 'yes please' is neither 'true' nor 'false'"


@guarded
def test_with_the_token_and_the_flag_a_state_export_keeps_bearer_tokens(emulator):
    client = emulator.user_client()
    token = client.get_bearer_token()
    assert "bearer_token" not in emulator.state()["tables"]
    state = emulator.state(include_secrets=True)
    assert list(state["tables"]["bearer_token"]) == [token]
    emulator.reset()
    emulator.load_state(state)
    assert EncordUserClient.create_with_bearer_token(token, domain=emulator.url).get_datasets() == []


# -- strict auth -------------------------------------------------------------------------------------------------------


@pytest.mark.encord_emulator(strict_auth=True)
def test_a_strict_fixture_has_a_random_token_and_registers_users_with_it(emulator):
    assert emulator.control_token and len(emulator.control_token) >= 32
    _, public = new_ssh_key()
    reply = requests.post(emulator.url + "/_emulator/users", json={"email": "mallory@example.com",
                                                                   "public_key": public}, timeout=30)
    assert (reply.status_code, reply.json()["code"]) == (401, "CONTROL_TOKEN_REQUIRED")
    assert emulator.control("GET", "users")["users"] == []
    client = emulator.user_client("alice@example.com")
    assert client.create_dataset("registered", StorageLocation.AWS).title == "registered"


@pytest.mark.encord_emulator(strict_auth=True, control_token=None)
def test_strict_auth_without_a_control_token_registers_nobody(emulator):
    with pytest.raises(ControlError) as e:
        emulator.register_user("mallory@example.com")
    assert (e.value.status, e.value.code, e.value.message) == (
        403, "CONTROL_TOKEN_NOT_CONFIGURED",
        "Under --strict-auth, users are registered by whoever holds the control token, and this emulator has none: "
        "start it with --control-token (or ENCORD_EMULATOR_CONTROL_TOKEN) and send it as 'Authorization: Bearer "
        "<token>' (the fixtures' handle and the encord-emulator commands send --control-token / "
        "ENCORD_EMULATOR_CONTROL_TOKEN).")
    assert emulator.control("GET", "users")["users"] == []


@pytest.mark.encord_emulator(strict_auth=True, control_token=TOKEN)
def test_the_marker_may_give_the_strict_fixtures_token(emulator):
    assert emulator.control_token == TOKEN
    assert emulator.register_user("bob@example.com").email == "bob@example.com"


# -- the commands ------------------------------------------------------------------------------------------------------


@guarded
def test_the_commands_send_the_token_from_the_option_or_the_environment(encord_server, monkeypatch, capsys, tmp_path):
    integration = ["integration", "--title", "cli", "--bucket", "cli-bucket", "--url", encord_server.url]
    with pytest.raises(SystemExit) as e:
        main(integration)
    assert str(e.value) == f"error: {MISSING}"
    assert main([*integration, "--control-token", TOKEN]) == 0
    integration_id = json.loads(capsys.readouterr().out)["id"]

    monkeypatch.setenv("ENCORD_EMULATOR_CONTROL_TOKEN", TOKEN)
    _, public = new_ssh_key()
    assert main(["seed", "blueberries-and-cherries", "--email", "me@example.com", "--public-key", public,
                 "--url", encord_server.url]) == 0
    assert json.loads(capsys.readouterr().out)["project_hash"] == "7d4ead9c-4087-4832-a301-eb2545e7d43b"
    dataset_hash = encord_server.user_client().create_dataset("cli", StorageLocation.AWS).dataset_hash
    encord_server.put_object("cli-bucket", "a.txt", b"not an image")
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps({"images": [{"objectUrl": "s3://cli-bucket/a.txt"}]}))
    assert main(["upload", str(spec), "--dataset", dataset_hash, "--integration", integration_id,
                 "--url", encord_server.url]) == 1  # the job ran (and failed on its media), so the token was taken
    assert "ERROR (0 done, 1 failed, 0 cancelled)" in capsys.readouterr().out


@guarded
def test_the_control_commands_refuse_without_the_token_and_work_with_it(encord_server, capsys, tmp_path):
    encord_server.user_client().create_dataset("kept", StorageLocation.AWS)
    state = tmp_path / "state.json"
    commands = [["state", "export", str(state)], ["users", "list", "--json"], ["datasets", "--json"],
                ["projects", "--json"], ["jobs", "--json"], ["reset"], ["state", "import", str(state)]]
    for command in commands:
        with pytest.raises(SystemExit) as e:
            main([*command, "--url", encord_server.url])
        assert str(e.value) == f"error: {MISSING}", command
        with pytest.raises(SystemExit) as e:
            main([*command, "--url", encord_server.url, "--control-token", "not-it"])
        assert str(e.value) == f"error: {WRONG}", command
        assert main([*command, "--url", encord_server.url, "--control-token", TOKEN]) == 0, command
    capsys.readouterr()
    assert main(["datasets", "--json", "--url", encord_server.url, "--control-token", TOKEN]) == 0
    assert [d["title"] for d in json.loads(capsys.readouterr().out)] == ["kept"]  # exported, reset, imported back


# -- the warning ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("host, loopback", [
    ("127.0.0.1", True), ("127.1.2.3", True), ("::1", True), ("[::1]", True), ("localhost", True),
    ("0.0.0.0", False), ("::", False), ("", False), ("192.168.1.20", False), ("emulator.example.com", False),
])
def test_which_hosts_count_as_loopback(host, loopback):
    assert is_loopback(host) is loopback


@pytest.mark.parametrize("host, token, warned", [("0.0.0.0", None, True), ("0.0.0.0", TOKEN, False),
                                                 ("127.0.0.1", None, False)])
def test_listening_beyond_loopback_without_a_token_logs_the_risk(caplog, host, token, warned):
    with caplog.at_level(logging.WARNING, logger="encord_emulator"):
        with ThreadedEncordServer(host=host, config=EmulatorConfig(control_token=token)):
            pass
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings == ([
        "encord-emulator listens on '0.0.0.0', beyond loopback, without a control token: anyone who reaches its "
        "ports can reset the state, read it and write the buckets. Start it with --control-token (or "
        "ENCORD_EMULATOR_CONTROL_TOKEN) to require a token, or listen on 127.0.0.1."] if warned else [])
