"""COVERAGE.md lists exactly the operations the dispatchers serve."""

import re
from pathlib import Path

from emulator.app import all_routes

COVERAGE = Path(__file__).resolve().parents[1] / "COVERAGE.md"
ROW = re.compile(r"^\| (?P<operation>[^|]+) \| `(?P<wire>[^`]+)` \| (?P<served>yes|no) \|$")


def rows() -> list[dict]:
    return [m.groupdict() for line in COVERAGE.read_text("utf-8").splitlines() if (m := ROW.match(line))]


def registered() -> set[str]:
    return all_routes().wires()


def test_every_served_operation_in_the_table_has_a_route_and_every_route_a_row():
    served = {r["wire"] for r in rows() if r["served"] == "yes"}
    assert served == registered()


def test_operations_not_served_are_not_routed():
    not_served = {r["wire"] for r in rows() if r["served"] == "no"}
    assert not_served.isdisjoint(registered())
    assert len(rows()) == len({r["wire"] for r in rows()})
