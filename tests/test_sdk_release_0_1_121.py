"""encord 0.1.121 against the emulator: the release matrix's scenario (tests/sdk_matrix/suite.py)."""

from sdk_matrix.suite import ReleaseSuite, Seed002Suite


class TestRelease(ReleaseSuite):
    release = "0.1.121"


class TestSeed002(Seed002Suite):
    release = "0.1.121"
