"""COVERAGE.md lists exactly the operations the dispatchers serve, and which SDK releases send each."""

import importlib
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
    release in the range is left without a route for it. The next is sent from a later release, or (a method the
    SDK dropped for one it already had, as Dataset audio uploads for StorageFolder.upload_audio) an earlier one."""
    releases = sorted({int((SENT_BY.match(r["sent_by"])["upto"] or "0.0.0").split(".")[2]) for r in rows()} - {0})
    for upto in releases:
        older = {r["operation"] for r in rows() if r["sent_by"] == f"≤ 0.1.{upto}"}
        newer = {r["operation"] for r in rows() if r["sent_by"].startswith("≥ ")}
        for operation in older:
            names = set(re.findall(r"`([^`]+)`", operation))
            assert any(names & set(re.findall(r"`([^`]+)`", n)) for n in newer), operation


# -- every public SDK method that sends a request (the newest release) -------------------------------------------------

METHOD_ROW = re.compile(r"^\| `(?P<method>[A-Za-z0-9_]+\.[A-Za-z0-9_]+)` \| (?P<wires>`[^|]+`) \| "
                        r"(?P<status>served|partly|not) \| (?P<reason>[^|]*) \|$")
COUNTS = re.compile(r"^Counts: (?P<total>\d+) public methods, (?P<served>\d+) served, (?P<partly>\d+) partly, "
                    r"(?P<not>\d+) not\.$", re.M)
WALKED = ("user_client.EncordUserClient", "project.Project", "dataset.Dataset", "storage.StorageFolder",
          "storage.StorageItem", "ontology.Ontology", "orm.dataset.DataRow", "objects.ontology_labels_impl.LabelRowV2",
          "workflow.workflow.Workflow", "workflow.stages.agent.AgentStage", "workflow.stages.agent.AgentTask",
          "workflow.stages.annotation.AnnotationStage", "workflow.stages.annotation.AnnotationTask",
          "workflow.stages.consensus_annotation.ConsensusAnnotationStage",
          "workflow.stages.consensus_annotation.ConsensusAnnotationTask",
          "workflow.stages.consensus_review.ConsensusReviewStage",
          "workflow.stages.consensus_review.ConsensusReviewTask", "workflow.stages.final.FinalStage",
          "workflow.stages.final.FinalStageTask", "workflow.stages.review.ReviewStage",
          "workflow.stages.review.ReviewTask", "workflow.stages.review.LabelReview", "issues.issue_client.TaskIssues",
          "collection.Collection", "collection.ProjectCollection", "filter_preset.FilterPreset",
          "filter_preset.ProjectFilterPreset", "group.Group", "metadata_schema.MetadataSchema",
          "ml_models_client.MlModelsClient")


def method_rows() -> list[dict]:
    return [{**m.groupdict(), "wires": re.findall(r"`([^`]+)`", m["wires"])}
            for line in COVERAGE.read_text("utf-8").splitlines() if (m := METHOD_ROW.match(line))]


def walked_classes() -> dict[str, type]:
    classes = {}
    for spec in WALKED:
        module, name = spec.rsplit(".", 1)
        classes[name] = getattr(importlib.import_module(f"encord.{module}"), name)
    return classes


def test_every_listed_method_is_a_public_method_of_a_walked_sdk_class_listed_once():
    classes = walked_classes()
    names = [r["method"] for r in method_rows()]
    assert len(names) == len(set(names))
    for name in names:
        cls, member = name.split(".")
        assert cls in classes and not member.startswith("_") and hasattr(classes[cls], member), name
    text = COVERAGE.read_text("utf-8")
    assert all(f"`{cls}`" in text for cls in classes)


def test_each_methods_status_is_what_the_routes_serve_of_its_wires():
    routes = registered()
    for row in method_rows():
        routed = [wire in routes for wire in row["wires"]]
        expected = "served" if all(routed) else "partly" if any(routed) else "not"
        assert row["status"] == expected, (row["method"], row["wires"])
        assert (row["reason"].strip() != "") == (expected != "served"), row["method"]


def test_the_counts_are_the_tables():
    counts = COUNTS.search(COVERAGE.read_text("utf-8"))
    statuses = [r["status"] for r in method_rows()]
    assert int(counts["total"]) == len(statuses)
    assert {s: int(counts[s]) for s in ("served", "partly", "not")} == {s: statuses.count(s)
                                                                         for s in ("served", "partly", "not")}


def test_every_route_the_newest_release_sends_is_a_call_of_some_listed_method():
    newest = {r["wire"] for r in rows() if not r["sent_by"].startswith("≤ ")}
    listed = {wire for r in method_rows() for wire in r["wires"]}
    assert newest <= listed, sorted(newest - listed)
