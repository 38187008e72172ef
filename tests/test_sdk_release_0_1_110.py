"""encord 0.1.110 against the emulator: the release matrix's scenario (tests/sdk_matrix/suite.py). Seed 002's
upload script is not run: it reads ``res.data_unit_errors``, which 0.1.110's upload result does not have yet."""

from sdk_matrix.suite import ReleaseSuite


class TestRelease(ReleaseSuite):
    release = "0.1.110"
