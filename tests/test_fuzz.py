"""Property-based fuzzing of every route the emulator serves: the SDK's (every route of ``all_routes()``, i.e. every
served row of COVERAGE.md), the control API and DataGym's, enumerated from their url tables so that a new route is
fuzzed without a change here. Bodies are generated from each route's request contract (valid and mutated),
as arbitrary JSON and bytes, and as the malformed bodies that once crashed handlers; ids are ones the emulator holds
(the documentation's seed, a manual-QA project, label rows, a DataGym project) or random; requests are signed (v1 and
v2 by a registered key, by a stranger, or not at all). No answer may be a 5xx, none may hang, and the state the
campaign leaves must be a valid state document that reloads (imported into a fresh emulator, and after a restart
on the same data directory).

The campaign runs in-process through Flask's test client (fast), then a smaller one over a ThreadedEncordServer
socket. Hypothesis is derandomized, so CI runs the same requests every time.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

import media_factory
import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from moto import mock_aws

from fuzz_tools import bodies, from_contract, ids_or_text, json_bytes, mutated, weighted
from wire_tools import sign_v1, sign_v2
from emulator.app import all_routes, create_app
from emulator.backend import EmulatorBackend
from emulator.config import EmulatorConfig
from emulator.control import urls as control_urls
from emulator.core import contracts, wire
from emulator.core.store import check_state_document
from emulator.datagym import urls as datagym_urls
from emulator.server import ThreadedEncordServer
from emulator.testing import new_ssh_key

IN_PROCESS_EXAMPLES = 40  # per route: ~190 routes, so over 7,500 requests a run (80 each took 4 minutes)
SOCKET_EXAMPLES = 5
HANG_SECONDS = 60  # no request may take longer (the longest hold, a long poll, is capped at 60 s)
SEED = "blueberries-and-cherries"
PNG = media_factory.png()
PROJECT = "7d4ead9c-4087-4832-a301-eb2545e7d43b"
BUCKET = "fuzz-bucket"
# Mostly the fuzz bucket and S3-safe keys, so requests reach what lies behind them; else any text, which the
# buckets' naming rules must refuse cleanly (a key with a control character once broke every later reset).
BUCKETS = weighted((8, st.just(BUCKET)), (2, st.text(max_size=70)))
OBJECT_KEYS = weighted((8, st.from_regex(r"[A-Za-z0-9!_.*'()-][A-Za-z0-9!_.*'()/-]{0,30}", fullmatch=True)),
                       (2, st.text(min_size=1, max_size=40)))
QUERY_NAMES = ["pageSize", "pageToken", "includeOrgAccess", "statuses", "dataHashes", "search", "itemTypes",
               "isInDataset", "order", "desc", "includeClientMetadata", "clientMetadataAsSignedUrl", "signUrls",
               "timeoutSeconds", "titleEq", "titleLike", "descLike", "createdBefore", "createdAfter",
               "editedBefore", "editedAfter", "filterIntegrationUuids", "filterIntegrationTitles", "wait",
               "expires", "signature", "token"]
# Where the ids a path parameter (or a legacy ResourceID) names are found in the state: a table's keys, or values at a
# path inside its documents. Parameters not listed take any id.
PARAM_IDS = {"project_hash": "project", "dataset_hash": "dataset", "ontology_hash": "ontology",
             "folder_uuid": "storage_folder", "label_hash": "label_row", "job_id": "upload_job", "data_hash": "data_row",
             "stage_uuid": "project/workflow/stages/*/uuid", "project_id": "datagym_project",
             "dataset_id": "datagym_dataset", "media_id": "datagym_media",
             "config_id": "datagym_project/labelConfigurationId", "export_hash": "label_version"}
HOP_BY_HOP = {"content-length", "transfer-encoding", "connection"}  # set by whichever client sends the request
HEADER_TEXT = st.from_regex(r"[!-~]{0,40}", fullmatch=True)
_BODY_CONTRACT = re.compile(r'_body\("([a-z0-9-]+)"\)|json_body\(request\.get_data\(\), "([a-z0-9-]+)"\)')

settings.register_profile("fuzz", deadline=None, derandomize=True, database=None, print_blob=True,
                          suppress_health_check=list(HealthCheck))


@dataclass
class Request:
    method: str
    path: str
    query: list[tuple[str, str]] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    @property
    def target(self) -> str:
        return self.path + (f"?{urlencode(self.query)}" if self.query else "")


class Campaign:
    """Sends requests to one emulator, signs them, counts them and checks every answer."""

    def __init__(self, send):
        self.send = send
        self.count = 0
        self.ids: list[str] = []  # every id of the seeded state, and the owner's email
        self.ids_of: dict[str, list[str]] = {}  # by path parameter (PARAM_IDS)
        self.owner_key = self.stranger_key = ""
        self.token = ""
        self.examples: dict[str, list] = {}  # by route name: bodies (legacy: values) the SDK would send

    def request(self, request: Request, signing: str = "none") -> tuple[int, bytes]:
        if signing in ("owner", "stranger"):
            key = self.owner_key if signing == "owner" else self.stranger_key
            prepared = requests.Request(request.method, "http://emulator" + request.target, data=request.body,
                                        headers=request.headers).prepare()
            (sign_v1 if request.path.startswith("/public") else sign_v2)(prepared, key)
            request.headers = dict(prepared.headers)
        request.headers = {k: v for k, v in request.headers.items() if k.lower() not in HOP_BY_HOP}
        started = time.monotonic()
        status, body = self.send(request)
        self.count += 1
        assert time.monotonic() - started < HANG_SECONDS, f"{request.method} {request.target} hung"
        assert status < 500 or _meant(request, status, body), (
            f"{request.method} {request.target} -> {status}: {body[:500]!r}\nheaders {request.headers}\n"
            f"body {request.body[:500]!r}")
        return status, body

    def control(self, method: str, path: str, body=None) -> dict:
        status, reply = self.request(Request(method, "/_emulator/" + path, body=json.dumps(body).encode()
                                             if body is not None else b""))
        assert status < 400, reply
        return json.loads(reply) if reply else {}


def _meant(request: Request, status: int, body: bytes) -> bool:
    """The 5xx answers that are the emulated service's own: DataGym's GenericException (500 ex_gen_*), and an
    emulator that reports itself degraded (503)."""
    if request.path.startswith(datagym_urls.PREFIX + "/") and status == 500:
        return json.loads(body or b"{}").get("key", "").startswith("ex_gen_")
    return status == 503 and request.path == "/_emulator/health"


def seed(campaign: Campaign) -> None:
    """The documentation's seed, a manual-QA project, label rows on two branches, a folder and a DataGym project."""
    campaign.owner_key, public = new_ssh_key()
    campaign.stranger_key, _ = new_ssh_key()
    campaign.control("POST", "users", {"email": "owner@example.com", "public_key": public})
    seeded = campaign.control("POST", f"seeds/{SEED}", {"email": "owner@example.com"})
    campaign.control("POST", "projects", {"email": "owner@example.com", "title": "qa", "project_type": "manual_qa",
                                          "dataset_hashes": [seeded["dataset_hash"]]})
    campaign.control("POST", f"datasets/{seeded['dataset_hash']}/data-rows",  # only what the control API requires
                     {"rows": [{"data_title": "scene", "data_type": "SCENE"}]})
    data_hashes = [h for title, h in seeded["data_hashes"].items() if title.endswith(".png")]
    for branch in ("main", "fuzz"):
        envelope = {"query_type": "labelrow", "query_method": "PUT", "values": {
            "uid": data_hashes[:2], "payload": {"multi_request": True, "branch_name": branch}}}
        status, reply = campaign.request(Request("POST", "/public", headers={
            "ResourceType": "project", "ResourceID": PROJECT}, body=json.dumps(envelope).encode()), "owner")
        assert status == 200, reply
    [row, _] = json.loads(reply)["response"]
    [unit] = row["data_units"].values()
    ontology = campaign.control("GET", "state")["tables"]["ontology"][seeded["ontology_hash"]]
    [bounding_box] = [o for o in ontology["editor"]["objects"] if o["shape"] == "bounding_box"]
    unit["labels"] = {"objects": [{"objectHash": "cherry01", "featureHash": bounding_box["featureNodeHash"], "name": "Cherry", "value": "cherry",
                                   "shape": "bounding_box", "boundingBox": {"x": 0.1, "y": 0.1, "w": 0.2, "h": 0.2}}],
                      "classifications": []}
    row["object_answers"] = {"cherry01": {"objectHash": "cherry01", "classifications": []}}
    campaign.examples["legacy project labelrow.POST"] = [
        {"uid": [row["label_hash"]], "payload": {"multi_request": True, "labels": [row], "validate_before_saving": True}}]
    campaign.request(Request("PUT", f"/_emulator/buckets/{BUCKET}/a.png", body=PNG))
    campaign.token = campaign.control("POST", "datagym/tokens", {"name": "fuzz"})["token"]
    dataset = json.loads(campaign.request(Request("POST", datagym_urls.BASES[0] + "/dataset", [("token", campaign.token)],
                                                  body=b'{"name": "d"}'))[1])
    campaign.control("POST", "datagym/projects", {"name": "p", "token": campaign.token, "datasets": [dataset["id"]],
                                                  "label_config": [{"entryKey": "car", "entryValue": "Car",
                                                                    "type": "rectangle", "children": []}]})
    state = campaign.control("GET", "state")
    found = {key for table in state["tables"].values() for key in table}
    found |= {v for table in state["tables"].values() for doc in table.values() for v in _strings(doc)
              if re.fullmatch(r"[0-9a-f-]{32,64}", v)}
    campaign.examples["control PUT /state"] = [state]
    campaign.ids = sorted(found) + ["owner@example.com", SEED]
    for param, where in PARAM_IDS.items():
        table, _, path = where.partition("/")
        docs = state["tables"].get(table, {})
        campaign.ids_of[param] = sorted(docs) if not path else sorted(
            {v for doc in docs.values() for v in contracts.values_at(doc, path.split("/"))})
    campaign.ids_of["resource_id"] = campaign.ids_of["project_hash"] + campaign.ids_of["dataset_hash"]


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


# -- the requests of each kind of route ------------------------------------------------------------------------------

def _path(rule: str, campaign: Campaign):
    """The rule with each <param> an id, a random text, or (a bucket) the fuzz bucket, percent-encoded."""
    parts = []
    for part in re.split(r"(<[^>]+>)", rule):
        if not part.startswith("<"):
            parts.append(st.just(part))
        elif part.strip("<>").split(":")[-1] == "bucket":
            parts.append(BUCKETS.filter(bool).map(lambda b: quote(b, safe="")))
        elif part == "<path:key>":
            parts.append(OBJECT_KEYS.map(lambda k: quote(k, safe="/")))
        else:
            own = campaign.ids_of.get(part.strip("<>"))
            own = st.sampled_from(own) if own else st.nothing()
            parts.append(weighted((8, own), (2, ids_or_text(campaign.ids))).filter(bool).map(lambda p: quote(p, safe="")))
    return st.tuples(*parts).map("".join)


def _query(ids):
    value = ids_or_text(ids) | st.sampled_from(["True", "False", "0", "1", "1000", "-1", "abc", ""])
    return weighted((1, st.just([])), (1, st.lists(st.tuples(st.sampled_from(QUERY_NAMES), value), max_size=3)))


SIGNINGS = st.sampled_from(["owner"] * 8 + ["stranger", "none"])


def legacy_requests(route: wire.LegacyRoute, campaign: Campaign):
    ids = campaign.ids
    values = st.fixed_dictionaries({"uid": from_contract(route.uid_contract, ids),
                                    "payload": from_contract(route.payload_contract, ids)})
    values = _with_examples(values, campaign.examples.get(route.wire), ids)
    envelope = st.fixed_dictionaries({"query_type": weighted((9, st.just(route.query_type)), (1, st.text(max_size=12))),
                                      "query_method": st.just(route.query_method),
                                      "values": weighted((4, values), (1, mutated(values, ids)))})
    body = weighted((7, json_bytes(envelope)), (2, json_bytes(mutated(envelope, ids))), (1, bodies(None, ids)))
    path = "/public/user" if route.resource_type == wire.USER_SCOPE else "/public"
    own = campaign.ids_of.get(f"{route.resource_type}_hash") or [""]
    headers = st.fixed_dictionaries({"ResourceType": weighted((9, st.just(route.resource_type)), (1, HEADER_TEXT)),
                                     "ResourceID": weighted((8, st.sampled_from(own)), (1, st.sampled_from(ids)),
                                                            (1, HEADER_TEXT))})
    return st.builds(Request, st.just("POST"), st.just(path), st.just([]), headers, body)


def _with_examples(values, examples, ids):
    """The generated values, and the examples (as they are, and mutated) where the route has some."""
    if not examples:
        return values
    return weighted((3, values), (1, st.sampled_from(examples)), (2, mutated(st.sampled_from(examples), ids)))


def rest_requests(route: wire.RestRoute, campaign: Campaign):
    body = bodies(route.body_contract, campaign.ids)
    if route.body_contract == "no-body":  # what the SDK sends, mostly
        body = weighted((3, st.just(b"")), (1, body))
    return st.builds(Request, st.just(route.method), _path("/v2/public" + route.rule, campaign), _query(campaign.ids),
                     st.just({"Content-Type": "application/json"}), body)


def _view_contract(view) -> str | None:
    """The contract a control or DataGym view reads its body with (found in its source: those routes declare none)."""
    import inspect

    found = _BODY_CONTRACT.search(inspect.getsource(view))
    return next((g for g in found.groups() if g), None) if found else None


def plain_requests(method: str, rule: str, view, campaign: Campaign):
    examples = campaign.examples.get(f"control {method} {rule.removeprefix(control_urls.PREFIX)}")
    body = bodies(_view_contract(view), campaign.ids)
    if examples:
        body = weighted((1, body), (2, json_bytes(_with_examples(st.nothing(), examples, campaign.ids))))
    return st.builds(Request, st.just(method), _path(rule, campaign), _query(campaign.ids), st.just({}), body)


def datagym_requests(method, rule, view, campaign: Campaign):
    tokens = weighted((8, st.just(campaign.token)), (2, st.text(max_size=8)))
    query = st.tuples(_query(campaign.ids), tokens).map(lambda q: [*q[0], ("token", q[1])])
    paths = st.tuples(st.sampled_from(datagym_urls.BASES), _path(rule, campaign)).map("".join)
    return st.builds(Request, st.just(method), paths, query, st.just({}), bodies(_view_contract(view), campaign.ids))


def _put_back_the_state(campaign: Campaign) -> None:
    campaign.control("PUT", "state", campaign.examples["control PUT /state"][0])
    campaign.request(Request("PUT", f"/_emulator/buckets/{BUCKET}/a.png", body=PNG))


# Control requests that would undo the campaign's own seed, or turn later answers into injected errors or held polls,
# run last, and what each changed is put back after every one of them that succeeds.
REPAIRS = {
    ("POST", "/reset"): _put_back_the_state,
    ("PUT", "/state"): _put_back_the_state,
    ("POST", "/faults"): lambda campaign: campaign.control("DELETE", "faults"),
    ("PUT", "/upload-jobs/progression"):
        lambda campaign: campaign.control("PUT", "upload-jobs/progression", {"progression": "immediate"}),
}


def routes_to_fuzz():
    """(name, strategy factory, signed, repair) for every route, in the order the campaign runs them."""
    found = []
    for route in all_routes().legacy.values():
        found.append((route.wire, lambda c, r=route: legacy_requests(r, c), True, None))
    for route in all_routes().rest:
        found.append((route.wire, lambda c, r=route: rest_requests(r, c), True, None))
    for method, rule, view, _ in datagym_urls.routes:
        found.append((f"DataGym {method} {rule}",
                      lambda c, m=method, r=rule, v=view: datagym_requests(m, r, v, c), False, None))
    for method, rule, view in datagym_urls.control_routes:
        found.append((f"control {method} /datagym{rule}",
                      lambda c, m=method, r=rule, v=view: plain_requests(m, "/_emulator/datagym" + r, v, c),
                      False, None))
    for method, rule, view in sorted(control_urls.routes, key=lambda route: route[:2] in REPAIRS):
        found.append((f"control {method} {rule}",
                      lambda c, m=method, r=rule, v=view: plain_requests(m, control_urls.PREFIX + r, v, c),
                      False, REPAIRS.get((method, rule))))
    return found


def fuzz(campaign: Campaign, strategy, signed: bool, repair, examples: int) -> None:
    @settings(settings.get_profile("fuzz"), max_examples=examples)
    @given(strategy(campaign), SIGNINGS if signed else st.just("none"))
    def send(request, signing):
        status, _ = campaign.request(request, signing)
        if repair is not None and status < 400:
            repair(campaign)

    send()


def check_state(state: dict) -> None:
    assert contracts.state_violations(check_state_document(state)) == []


# -- in-process ------------------------------------------------------------------------------------------------------

@pytest.fixture(scope="class")
def in_process(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("fuzz-data")
    config = EmulatorConfig(data_dir=str(data_dir), validate_responses=True)
    with mock_aws():
        backend = EmulatorBackend(config)
        client = create_app(config, backend).test_client()

        def send(request: Request):
            reply = client.open(request.path, method=request.method, query_string=urlencode(request.query),
                                headers=request.headers, data=request.body,
                                environ_overrides={"RAW_URI": request.target, "REQUEST_URI": request.target})
            return reply.status_code, reply.get_data()

        campaign = Campaign(send)
        campaign.backend, campaign.config, campaign.started = backend, config, time.monotonic()
        seed(campaign)
        yield campaign
        if not backend.store.closed:
            backend.close()


ROUTES = routes_to_fuzz()


class TestInProcess:
    @pytest.mark.parametrize("name,strategy,signed,repair", ROUTES, ids=[r[0] for r in ROUTES])
    def test_no_request_to_a_route_is_answered_with_a_server_error(self, in_process, name, strategy, signed, repair):
        fuzz(in_process, strategy, signed, repair, IN_PROCESS_EXAMPLES)

    def test_the_state_after_the_campaign_is_valid_and_reloads(self, in_process, record_property):
        state = in_process.control("GET", "state")
        check_state(state)
        fresh = create_app(EmulatorConfig(validate_responses=True)).test_client()  # a fresh emulator takes it whole
        assert fresh.put("/_emulator/state", json=state).status_code == 200
        assert fresh.get("/_emulator/state").get_json() == state
        in_process.backend.close()  # and the same data directory, reopened, holds it
        reopened = EmulatorBackend(in_process.config)
        try:
            assert reopened.store.export_state() == state
        finally:
            reopened.close()
        elapsed = time.monotonic() - in_process.started
        record_property("figure", f"fuzz: {in_process.count} requests in-process over {len(ROUTES)} routes in "
                                f"{elapsed:.0f} s, no 5xx")
        print(f"fuzz: {in_process.count} requests in-process over {len(ROUTES)} routes in {elapsed:.0f} s")
        assert in_process.count >= 5000


# -- over a socket ---------------------------------------------------------------------------------------------------

@pytest.mark.long
def test_no_request_over_a_socket_is_answered_with_a_server_error(record_property):
    started = time.monotonic()
    with ThreadedEncordServer(config=EmulatorConfig(validate_responses=True)) as server, requests.Session() as http:
        def send(request: Request):
            reply = http.request(request.method, server.url + request.target, headers=request.headers,
                                 data=request.body, timeout=HANG_SECONDS, allow_redirects=False)
            return reply.status_code, reply.content

        campaign = Campaign(send)
        seed(campaign)
        for _, strategy, signed, repair in ROUTES:
            fuzz(campaign, strategy, signed, repair, SOCKET_EXAMPLES)
        check_state(campaign.control("GET", "state"))
    elapsed = time.monotonic() - started
    record_property("figure", f"fuzz: {campaign.count} requests over a socket in {elapsed:.0f} s, no 5xx")
    print(f"fuzz: {campaign.count} requests over a socket in {elapsed:.0f} s")
