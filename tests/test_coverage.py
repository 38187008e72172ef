"""COVERAGE.md lists exactly the operations the dispatchers serve, and which SDK releases send each."""

import re
from pathlib import Path

from emulator.app import all_routes

COVERAGE = Path(__file__).resolve().parents[1] / "COVERAGE.md"
ROW = re.compile(r"^\| (?P<operation>[^|]+) \| `(?P<wire>[^`]+)` \| (?P<sent_by>[^|]+) \| (?P<served>yes|no) \|$")
SENT_BY = re.compile(r"^(all|≤ (?P<upto>0\.1\.\d+)|≥ (?P<since>0\.1\.\d+))$")
OLDEST, NEWEST = 110, 211  # the supported range, 0.1.110 to 0.1.211


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


def test_every_row_says_which_releases_of_the_supported_range_send_it():
    for row in rows():
        m = SENT_BY.match(row["sent_by"])
        assert m, f"{row['wire']}: sent by {row['sent_by']!r} is not all, ≤ 0.1.N or ≥ 0.1.N"
        bound = m["upto"] or m["since"]
        assert bound is None or OLDEST < int(bound.split(".")[2]) < NEWEST, row


def test_a_call_that_moved_is_served_on_both_sides_of_its_release():
    """Where an operation's wire changed, one dialect is sent up to a release and the next from the one after: no
    release in the range is left without a route for it."""
    releases = sorted({int((SENT_BY.match(r["sent_by"])["upto"] or "0.0.0").split(".")[2]) for r in rows()} - {0})
    for upto in releases:
        older = {r["operation"] for r in rows() if r["sent_by"] == f"≤ 0.1.{upto}"}
        newer = {r["operation"] for r in rows() if r["sent_by"].startswith("≥ ")
                 and int(r["sent_by"].split(".")[2]) > upto}
        for operation in older:
            names = set(re.findall(r"`([^`]+)`", operation))
            assert any(names & set(re.findall(r"`([^`]+)`", n)) for n in newer), operation
