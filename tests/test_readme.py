"""The README's code runs as a user would run it: each block of tests as its own test file under pytest with the
installed plugin, and the server quickstart against a running emulator."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from emulator import ThreadedEncordServer
from emulator.testing import new_ssh_key

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()
BLOCKS = re.findall(r"```python\n(.*?)```", README, flags=re.S)
TEST_BLOCKS = [block for block in BLOCKS if re.search(r"^def test_", block, flags=re.M)]


def test_every_python_block_is_run_here():
    [without_fixtures] = [b for b in BLOCKS if "from emulator import mock_encord" in b]
    [server] = [b for b in BLOCKS if 'domain="http://127.0.0.1:8080"' in b]
    assert sorted(map(BLOCKS.index, TEST_BLOCKS + [without_fixtures, server])) == list(range(len(BLOCKS)))


@pytest.mark.parametrize("block", TEST_BLOCKS, ids=lambda b: re.search(r"^def (test_\w+)", b, flags=re.M)[1])
def test_a_readme_test_block_passes(tmp_path, block):
    (tmp_path / "test_readme_block.py").write_text(block)
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "0",
                             str(tmp_path / "test_readme_block.py")], cwd=tmp_path, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{len(re.findall(r'^def test_', block, flags=re.M))} passed" in result.stdout


def test_the_block_without_the_fixtures_runs_as_a_script(tmp_path):
    [without_fixtures] = [b for b in BLOCKS if "from emulator import mock_encord" in b]
    result = subprocess.run([sys.executable, "-c", without_fixtures],
                            cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "In-process\nServed\n"


def test_the_server_quickstart_runs_against_a_served_emulator(tmp_path):
    [server] = [b for b in BLOCKS if 'domain="http://127.0.0.1:8080"' in b]
    private, _ = new_ssh_key()
    (tmp_path / ".ssh").mkdir()
    (tmp_path / ".ssh" / "id_ed25519").write_text(private)
    with ThreadedEncordServer() as served:
        script = server.replace("http://127.0.0.1:8080", served.url) + "\nprint(dataset.title)\n"
        result = subprocess.run([sys.executable, "-c", script], env={**os.environ, "HOME": str(tmp_path)},
                                capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Sandbox\n"
