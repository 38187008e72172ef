"""The Dockerfile, kept honest: its install line, ENV and ENTRYPOINT run here in a fresh virtual environment.

No docker engine runs where this project is developed, so instead of building the image the suite reads the
Dockerfile and runs the same commands: a non-editable ``pip install`` of the project (which must ship everything,
contracts included, since nothing is imported from this checkout), then the entrypoint with the image's environment,
driven by the real SDK and boto3, stopped with SIGTERM and restarted on the same data directory. What CI users copy,
``docker/compose.yaml`` and ``docker/github-actions.yml``, is parsed and its service run through the same entrypoint.
"""

import json
import os
import re
import secrets
import shlex
import signal
import socket
import subprocess
import sys
import time
import tomllib
import venv
from pathlib import Path

import boto3
import pytest
import requests
import yaml
from botocore.exceptions import ClientError
from encord.orm.dataset import StorageLocation
from encord.user_client import EncordUserClient

from emulator.testing import new_ssh_key

ROOT = Path(__file__).resolve().parents[1]
DOCKERFILE = (ROOT / "Dockerfile").read_text()
COMPOSE = yaml.safe_load((ROOT / "docker" / "compose.yaml").read_text())
ACTIONS = yaml.safe_load((ROOT / "docker" / "github-actions.yml").read_text())
DOCKER_README = (ROOT / "docker" / "README.md").read_text()


def dockerfile_install_command() -> list[str]:
    [line] = [line for line in DOCKERFILE.splitlines() if line.startswith("RUN pip install")]
    return shlex.split(line[len("RUN "):])


def dockerfile_entrypoint() -> list[str]:
    [line] = [line for line in DOCKERFILE.splitlines() if line.startswith("ENTRYPOINT")]
    return json.loads(line[len("ENTRYPOINT"):])


def dockerfile_env() -> dict[str, str]:
    return dict(re.findall(r"^ENV (\w+)=(\S*)$", DOCKERFILE, flags=re.M))


def dockerfile_healthcheck() -> tuple[dict[str, str], list[str]]:
    """The HEALTHCHECK's options (interval, timeout, start-period) and its command."""
    [line] = [line for line in DOCKERFILE.splitlines() if line.startswith("HEALTHCHECK")]
    options, _, command = line[len("HEALTHCHECK "):].partition(" CMD ")
    return dict(re.findall(r"--([\w-]+)=(\S+)", options)), json.loads(command)


def in_venv(command: list[str], bin_dir: Path) -> list[str]:
    """An image command run here: the image's python is the venv's, its WORKDIR is this checkout (the Dockerfile
    copies docker/ there)."""
    workdir = re.search(r"^WORKDIR (\S+)$", DOCKERFILE, flags=re.M)[1]
    return [str(bin_dir / arg) if arg == "python" else
            str(ROOT / arg[len(workdir) + 1:]) if arg.startswith(workdir + "/") else arg for arg in command]


def published(ports: list[str]) -> set[str]:
    """The container ports of ``HOST_IP:HOST_PORT:CONTAINER_PORT`` mappings, each checked to be on loopback."""
    mappings = [port.split(":") for port in ports]
    assert all(len(m) == 3 and m[0] == "127.0.0.1" and m[1] == m[2] for m in mappings), ports
    return {m[2] for m in mappings}


def interpolate(value: str, environ: dict[str, str]) -> str:
    """Compose's ``${VAR}``, ``${VAR:-default}`` and ``${VAR:?error}`` (an unset or empty VAR is an error)."""
    def one(match: re.Match) -> str:
        found = environ.get(match["name"])
        if not found and match["op"] == ":?":
            raise ValueError(match["arg"])
        return found or (match["arg"] if match["op"] == ":-" else "")

    return re.sub(r"\$\{(?P<name>\w+)(?:(?P<op>:[-?])(?P<arg>[^}]*))?\}", one, value)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh virtual environment with the project installed the way the Dockerfile installs it."""
    env_dir = tmp_path_factory.mktemp("image") / "venv"
    venv.create(env_dir, with_pip=True)
    command = dockerfile_install_command()
    assert command[:2] == ["pip", "install"] and command[-1] == "."
    subprocess.run([str(env_dir / "bin" / "pip"), *command[1:-1], "--quiet", str(ROOT)], check=True,
                   cwd=tmp_path_factory.mktemp("cwd"), timeout=600)
    return env_dir / "bin"


class Container:
    """The entrypoint running as the image would run it (host 127.0.0.1 and free ports instead of 0.0.0.0)."""

    def __init__(self, bin_dir: Path, data_dir: Path, workdir: Path, service_env: dict[str, str]):
        self.port, self.s3_port = free_port(), free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("ENCORD_EMULATOR_")}
        env.update(dockerfile_env())
        env.update(service_env)  # what compose or a CI service adds to the image's environment
        env.update(ENCORD_EMULATOR_HOST="127.0.0.1", ENCORD_EMULATOR_PORT=str(self.port),
                   ENCORD_EMULATOR_S3_PORT=str(self.s3_port), ENCORD_EMULATOR_DATA_DIR=str(data_dir),
                   PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}")
        self.log = workdir / f"serve-{self.port}.log"
        self.process = subprocess.Popen(dockerfile_entrypoint(), env=env, cwd=workdir, stdout=subprocess.DEVNULL,
                                        stderr=open(self.log, "w"))
        self.url = f"http://127.0.0.1:{self.port}"
        for _ in range(300):
            try:
                if requests.get(self.url + "/_emulator/health", timeout=1).json()["status"] == "ok":
                    return
            except requests.RequestException:
                pass
            if self.process.poll() is not None:
                raise AssertionError(f"the entrypoint exited: {self.log.read_text()}")
            time.sleep(0.1)
        raise AssertionError(f"the entrypoint never became healthy: {self.log.read_text()}")

    def terminate(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=30)

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


@pytest.fixture
def container_factory(installed, tmp_path):
    started = []

    def start(service_env: dict[str, str] | None = None) -> Container:
        container = Container(installed, tmp_path / "data", tmp_path, service_env or {})
        started.append(container)
        return container

    yield start
    for container in started:
        container.kill()


def test_every_package_of_the_emulator_is_installed():
    """pyproject.toml lists the packages (contracts/ is installed as emulator.contracts): a new domain left out
    would import in the checkout and fail in every installed copy."""
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "emulator").rglob("__init__.py")}
    assert found - listed == set()


def test_help_explains_every_option_with_its_default(installed, tmp_path):
    result = subprocess.run([str(installed / "encord-emulator"), "serve", "--help"], capture_output=True, text=True,
                            cwd=tmp_path, check=True)
    for option in ("--host", "--port", "--data-dir", "--strict-auth", "--s3-port", "--external-url", "--threads",
                   "--log-level", "--control-token"):
        assert option in result.stdout
    assert "ENCORD_EMULATOR_<OPTION>" in result.stdout and "(default: 8080)" in result.stdout


def test_the_image_serves_the_sdk_and_boto3_and_survives_a_restart(container_factory):
    container = container_factory()
    private, public = new_ssh_key()
    client = EncordUserClient.create_with_ssh_private_key(ssh_private_key=private, domain=container.url)
    dataset = client.create_dataset("packaged", StorageLocation.AWS)
    assert client.get_dataset(dataset.dataset_hash).title == "packaged"

    s3 = boto3.client("s3", endpoint_url=f"http://127.0.0.1:{container.s3_port}", region_name="us-east-1",
                      aws_access_key_id="x", aws_secret_access_key="x")
    s3.create_bucket(Bucket="from-boto3")
    s3.put_object(Bucket="from-boto3", Key="k.txt", Body=b"kept")
    assert requests.get(container.url + "/_emulator/health", timeout=5).json()["buckets"]["count"] == 1

    assert container.terminate() == 0
    assert "stopped; store saved in" in container.log.read_text()

    restarted = container_factory()
    assert client.__class__.create_with_ssh_private_key(ssh_private_key=private, domain=restarted.url).get_dataset(
        dataset.dataset_hash).title == "packaged"
    s3 = boto3.client("s3", endpoint_url=f"http://127.0.0.1:{restarted.s3_port}", region_name="us-east-1",
                      aws_access_key_id="x", aws_secret_access_key="x")
    assert s3.get_object(Bucket="from-boto3", Key="k.txt")["Body"].read() == b"kept"
    log = restarted.log.read_text()
    assert re.search(r"POST /public \[legacy dataset dataset\.GET\] -> 200 \(\d+\.\d ms\)", log), log


def test_a_killed_image_keeps_every_acknowledged_record_and_object(container_factory):
    container = container_factory()
    private, public = new_ssh_key()
    client = EncordUserClient.create_with_ssh_private_key(ssh_private_key=private, domain=container.url)
    dataset = client.create_dataset("survives kill -9", StorageLocation.AWS)
    s3 = boto3.client("s3", endpoint_url=f"http://127.0.0.1:{container.s3_port}", region_name="us-east-1",
                      aws_access_key_id="x", aws_secret_access_key="x")
    s3.create_bucket(Bucket="crash")
    s3.put_object(Bucket="crash", Key="k.png", Body=b"kept", ContentType="image/png")

    container.kill()  # SIGKILL: no shutdown code runs

    restarted = container_factory()
    assert client.__class__.create_with_ssh_private_key(ssh_private_key=private, domain=restarted.url).get_dataset(
        dataset.dataset_hash).title == "survives kill -9"
    s3 = boto3.client("s3", endpoint_url=f"http://127.0.0.1:{restarted.s3_port}", region_name="us-east-1",
                      aws_access_key_id="x", aws_secret_access_key="x")
    reply = s3.get_object(Bucket="crash", Key="k.png")
    assert (reply["Body"].read(), reply["ContentType"]) == (b"kept", "image/png")


def test_the_images_healthcheck_passes_against_the_entrypoint(container_factory, installed):
    container = container_factory()
    result = subprocess.run([str(installed / "python"), str(ROOT / "docker" / "healthcheck.py")],
                            env={**os.environ, "ENCORD_EMULATOR_PORT": str(container.port)})
    assert result.returncode == 0
    container.kill()
    result = subprocess.run([sys.executable, str(ROOT / "docker" / "healthcheck.py")],
                            env={**os.environ, "ENCORD_EMULATOR_PORT": str(container.port)}, capture_output=True,
                            text=True)
    assert result.returncode == 1 and result.stderr.startswith("unhealthy: ")


def test_compose_publishes_on_loopback_and_requires_the_token_from_the_environment():
    service = COMPOSE["services"]["emulator"]
    assert (ROOT / "docker" / service["build"]["context"] / service["build"]["dockerfile"]).resolve() == (
        ROOT / "Dockerfile")
    image_env = dockerfile_env()
    assert published(service["ports"]) == {image_env["ENCORD_EMULATOR_PORT"], image_env["ENCORD_EMULATOR_S3_PORT"]}
    [volume] = service["volumes"]
    name, target = volume.split(":")
    assert target == image_env["ENCORD_EMULATOR_DATA_DIR"] and name in COMPOSE["volumes"]
    options, command = dockerfile_healthcheck()
    assert service["healthcheck"] == {"test": ["CMD", *command], "interval": options["interval"],
                                      "timeout": options["timeout"], "start_period": options["start-period"]}
    for unset in ({}, {"ENCORD_EMULATOR_CONTROL_TOKEN": ""}):
        with pytest.raises(ValueError, match="^set ENCORD_EMULATOR_CONTROL_TOKEN to a secret"):
            interpolate(service["environment"]["ENCORD_EMULATOR_CONTROL_TOKEN"], unset)


def test_the_compose_service_requires_its_token_and_passes_its_healthcheck(container_factory, installed):
    token = secrets.token_urlsafe(32)
    service = COMPOSE["services"]["emulator"]
    container = container_factory({name: interpolate(str(value), {"ENCORD_EMULATOR_CONTROL_TOKEN": token})
                                   for name, value in service["environment"].items()})
    assert requests.post(container.url + "/_emulator/reset", timeout=5).status_code == 401
    assert requests.post(container.url + "/_emulator/reset", headers={"Authorization": f"Bearer {token}"},
                         timeout=5).json() == {"reset": True}
    healthcheck = in_venv(service["healthcheck"]["test"][1:], installed)
    assert subprocess.run(healthcheck, env={**os.environ, "ENCORD_EMULATOR_PORT": str(container.port)}).returncode == 0

    def s3(access_key_id: str):
        return boto3.client("s3", endpoint_url=f"http://127.0.0.1:{container.s3_port}", region_name="us-east-1",
                            aws_access_key_id=access_key_id, aws_secret_access_key="x")

    s3(token).create_bucket(Bucket="compose-bucket")
    with pytest.raises(ClientError) as e:
        s3("x").put_object(Bucket="compose-bucket", Key="k.txt", Body=b"refused")
    assert e.value.response["Error"]["Code"] == "AccessDenied"
    private, _ = new_ssh_key()
    client = EncordUserClient.create_with_ssh_private_key(ssh_private_key=private, domain=container.url)
    assert client.create_dataset("composed", StorageLocation.AWS).title == "composed"


def github_expressions(value: str, token: str) -> str:
    """The job's ``${{ secrets.ENCORD_EMULATOR_CONTROL_TOKEN }}``, as GitHub substitutes it."""
    return value.replace("${{ secrets.ENCORD_EMULATOR_CONTROL_TOKEN }}", token)


def test_the_github_actions_job_waits_for_the_service_and_runs_the_users_tests(container_factory, tmp_path):
    job = ACTIONS["jobs"]["tests"]
    [service] = job["services"].values()
    secret = "${{ secrets.ENCORD_EMULATOR_CONTROL_TOKEN }}"
    assert service["image"] == "${{ vars.ENCORD_EMULATOR_IMAGE }}"
    assert service["env"]["ENCORD_EMULATOR_CONTROL_TOKEN"] == job["env"]["ENCORD_EMULATOR_CONTROL_TOKEN"] == secret
    image_env = dockerfile_env()
    assert published(service["ports"]) == {image_env["ENCORD_EMULATOR_PORT"], image_env["ENCORD_EMULATOR_S3_PORT"]}
    assert (job["env"]["ENCORD_EMULATOR_URL"], job["env"]["ENCORD_EMULATOR_S3_URL"]) == (
        f"http://127.0.0.1:{image_env['ENCORD_EMULATOR_PORT']}",
        f"http://127.0.0.1:{image_env['ENCORD_EMULATOR_S3_PORT']}")

    token = secrets.token_urlsafe(32)
    container = container_factory({k: github_expressions(v, token) for k, v in service["env"].items()})
    [example] = [block for block in re.findall(r"```python\n(.*?)```", DOCKER_README, flags=re.S)
                 if "def test_against_the_service" in block]
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    (checkout / "test_against_the_emulator.py").write_text(example)
    env = {**os.environ, **{k: github_expressions(v, token) for k, v in job["env"].items()},
           "ENCORD_EMULATOR_URL": container.url, "ENCORD_EMULATOR_S3_URL": f"http://127.0.0.1:{container.s3_port}",
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    steps = {step.get("name"): step for step in job["steps"]}
    for name in ("Wait for the emulator", "Run the tests against it"):  # as the runner runs a step: bash -e
        result = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", steps[name]["run"]],
                                env=env, cwd=checkout, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout


def test_the_image_runs_as_an_unprivileged_user_who_owns_the_data_directory():
    [user] = re.findall(r"^USER (\S+)$", DOCKERFILE, flags=re.M)
    created = re.search(rf"useradd [^\n]*--uid (\d+)[^\n]* {user}\b", DOCKERFILE)
    assert created and int(created[1]) != 0, "the USER is created with a non-zero uid"
    data_dir = dockerfile_env()["ENCORD_EMULATOR_DATA_DIR"]
    owned = DOCKERFILE.find(f"chown {user}:{user} {data_dir}")
    # A volume's contents are fixed when it is declared: the chown must come first, and the server start after USER.
    assert 0 <= owned < DOCKERFILE.find(f"VOLUME {data_dir}") and DOCKERFILE.find(f"\nUSER {user}\n") < DOCKERFILE.find(
        "\nENTRYPOINT ")
    assert "--no-cache-dir" in dockerfile_install_command()


USERS_TESTS = '''
import io

import encord.exceptions
import pytest
from encord.orm.dataset import StorageLocation
from PIL import Image


def test_ingests_an_image_in_process(encord_emulator):
    client = encord_emulator.user_client()
    integration = encord_emulator.add_integration("fruit", provider="AWS", buckets=["fruit-bucket"])
    png = io.BytesIO()
    Image.new("RGB", (64, 48), "red").save(png, format="PNG")
    encord_emulator.put_object("fruit-bucket", "cherry.png", png.getvalue())
    dataset = client.get_dataset(client.create_dataset("Fruit", StorageLocation.AWS).dataset_hash)
    dataset.add_private_data_to_dataset(integration["id"], {"images": [{"objectUrl": "s3://fruit-bucket/cherry.png"}]})
    [row] = client.get_dataset(dataset.dataset_hash).data_rows
    assert (row.title, row.width, row.height) == ("cherry.png", 64, 48)


def test_lists_datasets_over_a_socket(encord_server):
    client = encord_server.user_client()
    created = client.create_dataset("Over the socket", StorageLocation.AWS)
    assert [d["dataset"].title for d in client.get_datasets()] == ["Over the socket"]
    assert created.dataset_hash


def test_an_unknown_dataset_is_the_sdks_error(encord_emulator):
    with pytest.raises(encord.exceptions.ResourceNotFoundError):
        encord_emulator.user_client().get_dataset("00000000-0000-0000-0000-000000000000")
'''


@pytest.mark.long
def test_a_users_project_installs_the_pytest_extra_and_its_fixture_tests_pass(installed, tmp_path):
    """``pip install <path>[pytest]`` (what the README tells users) brings the SDK and pytest, and the fixtures that
    the installed package registers run a user's own tests, outside this checkout."""
    subprocess.run([str(installed / "pip"), "install", "--quiet", f"{ROOT}[pytest]"], check=True, cwd=tmp_path,
                   timeout=600)
    project = tmp_path / "users_project"
    project.mkdir()
    (project / "test_pipeline.py").write_text(USERS_TESTS)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ENCORD_EMULATOR_", "PYTEST_", "PYTHONPATH"))}
    result = subprocess.run([str(installed / "python"), "-m", "pytest", "-q", "-p", "no:cacheprovider"], cwd=project,
                            env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 passed" in result.stdout
