"""``serve --import FILE``, ``--seed NAME`` and ``--init-dir DIR``: an emulator that starts with data, as Firebase's
emulator takes ``--import`` and LocalStack runs its ready.d scripts."""

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
import requests
from encord.orm.dataset import StorageLocation
from encord.user_client import EncordUserClient

from emulator import EmulatorConfig
from emulator.cli import main
from emulator.testing import EmulatorHandle, new_ssh_key

ROOT = Path(__file__).resolve().parents[1]

INIT_SCRIPT = '''
import os, requests
url = os.environ["ENCORD_EMULATOR_URL"]
headers = {"Authorization": "Bearer " + os.environ["ENCORD_EMULATOR_CONTROL_TOKEN"]}
key = PUBLIC_KEY
reply = requests.post(url + "/_emulator/users", json={"email": "init@example.com", "public_key": key},
                      headers=headers)
print("registered", reply.status_code)
'''


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def emails(handle: EmulatorHandle) -> set[str]:
    return {u["email"] for u in handle.control("GET", "users")["users"]}


def test_serve_imports_a_state_and_runs_its_init_scripts_in_order(encord_emulator, tmp_path):
    owner = encord_emulator.register_user("owner@example.com")
    dataset = encord_emulator.user_client("owner@example.com").create_dataset("Carried over", StorageLocation.AWS)
    state = tmp_path / "state.json"
    state.write_text(json.dumps(encord_emulator.state()))
    init = tmp_path / "init"
    init.mkdir()
    (init / "10-user.py").write_text(INIT_SCRIPT.replace("PUBLIC_KEY", repr(new_ssh_key()[1])))
    (init / "20-fails.sh").write_text("echo about to fail; exit 3\n")
    (init / "30-after.sh").write_text("echo still run\n")
    (init / "notes.txt").write_text("not a script")

    port, token = free_port(), "start-up-token"
    log = tmp_path / "serve.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith("ENCORD_EMULATOR_")}
    process = subprocess.Popen([sys.executable, "-m", "emulator.cli", "serve", "--port", str(port), "--import",
                                str(state), "--init-dir", str(init), "--control-token", token],
                               env={**env, "PYTHONPATH": str(ROOT)}, stderr=log.open("w"),
                               stdout=subprocess.DEVNULL)
    try:
        handle = EmulatorHandle(f"http://127.0.0.1:{port}", None, SimpleNamespace(config=EmulatorConfig(
            control_token=token)))
        for _ in range(300):
            if "init scripts finished" in log.read_text():
                break
            assert process.poll() is None, log.read_text()
            time.sleep(0.1)
        else:
            raise AssertionError(log.read_text())
        assert emails(handle) == {"owner@example.com", "init@example.com"}
        imported = EncordUserClient.create_with_ssh_private_key(ssh_private_key=owner.private_key, domain=handle.url)
        assert imported.get_dataset(dataset.dataset_hash).title == "Carried over"
        text = log.read_text()
        assert "init script 10-user.py: registered 201" in text
        assert "init script 20-fails.sh failed (exit 3)" in text
        assert text.index("20-fails.sh failed") < text.index("init script 30-after.sh: still run")
        assert "notes.txt" not in text
    finally:
        process.terminate()
        process.wait(timeout=30)


def wait_until_healthy(url: str, process: subprocess.Popen, log: Path) -> None:
    for _ in range(300):
        try:
            if requests.get(f"{url}/_emulator/health", timeout=1).ok:
                return
        except requests.ConnectionError:
            pass
        assert process.poll() is None, log.read_text()
        time.sleep(0.1)
    raise AssertionError(log.read_text())


def test_serve_seeds_the_documented_project_for_the_owner_the_environment_names(tmp_path):
    """As a docker run would: ENCORD_EMULATOR_SEED and the owner's public key in the environment; the SDK signing
    with the private half finds the documentation's project."""
    private, public = new_ssh_key()
    port, log = free_port(), tmp_path / "serve.log"
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("ENCORD_EMULATOR_")}, "PYTHONPATH": str(ROOT),
           "ENCORD_EMULATOR_SEED": "blueberries-and-cherries", "ENCORD_EMULATOR_SEED_PUBLIC_KEY": public,
           "ENCORD_EMULATOR_SEED_EMAIL": "annotator-lead@example.com"}
    url = f"http://127.0.0.1:{port}"
    process = subprocess.Popen([sys.executable, "-m", "emulator.cli", "serve", "--port", str(port), "--s3-port", "0"],
                               env=env, stderr=log.open("w"), stdout=subprocess.DEVNULL)
    try:
        wait_until_healthy(url, process, log)
        owner = EncordUserClient.create_with_ssh_private_key(ssh_private_key=private, domain=url)
        assert [p.title for p in owner.list_projects()] == ["Blueberries and Cherries"]
        assert [u["email"] for u in requests.get(f"{url}/_emulator/users").json()["users"]] == [
            "annotator-lead@example.com"]
    finally:
        process.terminate()
        process.wait(timeout=30)
    assert "seeded blueberries-and-cherries for annotator-lead@example.com" in log.read_text()


def test_a_seed_is_not_created_over_a_data_directorys_state(tmp_path):
    from emulator.server import StartUpData, ThreadedEncordServer, seed_an_empty_store

    with ThreadedEncordServer(config=EmulatorConfig(data_dir=str(tmp_path / "data"))) as server:
        server.backend.users.register_user("kept@example.com", new_ssh_key()[1])
        seed_an_empty_store(server.backend, StartUpData(seed="blueberries-and-cherries",
                                                        seed_public_key=new_ssh_key()[1]))
        assert [u.email for u in server.backend.users.users()] == ["kept@example.com"]
        assert server.backend.store.counts().get("project", 0) == 0


@pytest.mark.parametrize("arguments, message", [
    (["--seed", "blueberries-and-cherries"], "error: --seed needs the owner's public key: --seed-public-key FILE or "
                                             "KEY (env ENCORD_EMULATOR_SEED_PUBLIC_KEY)"),
    (["--seed", "apples", "--seed-public-key", "0" * 64],
     "error: seed: unknown seed 'apples'; available: blueberries-and-cherries. (see --seed)"),
    (["--seed", "blueberries-and-cherries", "--seed-public-key", "missing.pub"],
     "error: --seed-public-key: no such file: missing.pub"),
])
def test_serve_refuses_a_seed_it_cannot_create_in_one_line(arguments, message):
    with pytest.raises(SystemExit) as e:
        main(["serve", "--port", "0", "--s3-port", "0", *arguments])
    assert str(e.value) == message


def test_import_does_not_overwrite_a_data_directorys_state(encord_emulator, tmp_path):
    state = tmp_path / "state.json"
    encord_emulator.register_user("imported@example.com")
    state.write_text(json.dumps(encord_emulator.state()))
    data_dir = tmp_path / "data"
    from emulator.server import ThreadedEncordServer

    with ThreadedEncordServer(config=EmulatorConfig(data_dir=str(data_dir))) as server:
        EmulatorHandle(server.url, None, server.backend).register_user("kept@example.com")
    from emulator.backend import EmulatorBackend
    from emulator.server import import_into_an_empty_store

    backend = EmulatorBackend(EmulatorConfig(data_dir=str(data_dir)))
    try:
        import_into_an_empty_store(backend, str(state))
        assert [u.email for u in backend.users.users()] == ["kept@example.com"]
    finally:
        backend.close()


@pytest.mark.parametrize("content, message", [
    (None, "error: cannot read the state to import from {path}: No such file or directory (see --import)"),
    ("{not json", "error: {path} is not a JSON state document: Expecting property name enclosed in double quotes: "
                  "line 1 column 2 (char 1) (see --import)"),
])
def test_serve_refuses_an_import_it_cannot_read_in_one_line(tmp_path, content, message):
    path = tmp_path / "state.json"
    if content is not None:
        path.write_text(content)
    with pytest.raises(SystemExit) as e:
        main(["serve", "--port", "0", "--import", str(path)])
    assert str(e.value) == message.format(path=path)


def test_serve_refuses_a_state_document_that_means_nothing(tmp_path):
    path = tmp_path / "state.json"
    path.write_text(json.dumps({"format": "something else"}))
    with pytest.raises(SystemExit) as e:
        main(["serve", "--port", "0", "--import", str(path)])
    assert str(e.value).startswith(f"error: {path}: ") and str(e.value).endswith("(see --import)")


def test_serve_refuses_an_init_dir_that_is_not_there(tmp_path):
    with pytest.raises(SystemExit) as e:
        main(["serve", "--port", "0", "--init-dir", str(tmp_path / "missing")])
    assert str(e.value) == (f"error: cannot read the init scripts of {tmp_path / 'missing'}: No such file or "
                            "directory (see --init-dir)")


