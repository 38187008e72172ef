"""The README's fixture quickstart runs as a user would run it: its own test file, pytest, the installed plugin."""

import re
import subprocess
import sys
from pathlib import Path

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()


def test_the_fixture_quickstart_passes(tmp_path):
    [quickstart] = [block for block in re.findall(r"```python\n(.*?)```", README, flags=re.S)
                    if "def test_my_pipeline(encord_emulator)" in block]
    (tmp_path / "test_quickstart.py").write_text(quickstart)
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "0",
                             str(tmp_path / "test_quickstart.py")], cwd=tmp_path, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout
