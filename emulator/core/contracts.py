"""The JSON Schemas in ``contracts/``: the one description of every wire shape the emulator accepts or emits.

Every JSON body is read by :func:`parse_json` (which bounds its nesting) and checked with :func:`validate` against
the contract its route declares before a handler sees it (a failure names the JSON pointer and the rule); the
dispatchers can also check every response they emit against the route's response contract, which the test suite
turns on so that every SDK call in it checks what the emulator sent.
"""

from __future__ import annotations

import json
import math
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema_rs
from jsonschema import Draft202012Validator, ValidationError
from jsonschema.validators import extend, validator_for
from referencing import Registry, Resource

from emulator.core.errors import EmulatorError, InvalidArgumentsError


# Far deeper than anything the SDK sends (a label row nests about ten levels), and far below where Python's parser,
# jsonschema and json.dumps recurse out of stack: every body deeper than this is refused before it is parsed.
MAX_JSON_DEPTH = 64

_ESCAPE_FREE_STRING = re.compile(rb'"[^"]*"')
_JSON_STRING_OR_BRACKET = re.compile(rb'"(?:[^"\\]|\\.)*"|[][{}]', re.DOTALL)
_NOT_A_QUOTE_OR_BRACKET = bytes(b for b in range(256) if b not in b'"[]{}')
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


class MalformedJson(InvalidArgumentsError):
    """A body that is not JSON, or JSON no platform endpoint takes (nested too deep, a string no UTF-8 can hold)."""

    def __init__(self, reason: str, raw: bytes, offset: int):
        self.reason = reason
        self.line = raw.count(b"\n", 0, offset) + 1
        self.column = offset - (raw.rfind(b"\n", 0, offset) + 1) + 1
        super().__init__(f"The request body is not valid JSON: {reason}: line {self.line} column {self.column} "
                         f"(char {offset})")


def parse_json(raw: bytes) -> Any:
    """The one reader of every JSON request body, of every wire family: UTF-8, nested at most MAX_JSON_DEPTH."""
    too_deep_at = _too_deep_at(raw)
    if too_deep_at is not None:
        raise MalformedJson(f"it nests deeper than {MAX_JSON_DEPTH} levels", raw, too_deep_at)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise MalformedJson(f"byte 0x{raw[e.start]:02x} is not UTF-8", raw, e.start) from None
    try:
        value = json.loads(text, parse_constant=_not_a_json_number, parse_float=_finite_number)
    except json.JSONDecodeError as e:
        raise MalformedJson(e.msg, raw, len(text[:e.pos].encode("utf-8"))) from None
    except ValueError as e:  # a number JSON cannot carry back: NaN, Infinity, 1e999, or more digits than Python reads
        raise MalformedJson(str(e), raw, 0) from None
    if _SURROGATE_ESCAPE.search(raw):  # JSON may escape half a surrogate pair, which no UTF-8 string can hold
        try:
            json.dumps(value, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError as e:
            found = _SURROGATE_ESCAPE.search(raw)
            raise MalformedJson(f"a string holds the lone surrogate {e.object[e.start]!r}, which is not a character",
                                raw, found.start()) from None
    return value


def _not_a_json_number(constant: str):
    raise ValueError(f"{constant} is not a JSON number")


def _finite_number(literal: str) -> float:
    number = float(literal)
    if not math.isfinite(number):
        raise ValueError(f"{literal} is too large a number")
    return number


def json_body(raw: bytes, contract: str) -> Any:
    """A request's JSON body (null when it has none), checked against its contract."""
    body = parse_json(raw) if raw else None
    validate(contract, body)
    return body


def _too_deep_at(raw: bytes) -> int | None:
    """Where the body first nests deeper than MAX_JSON_DEPTH (brackets inside strings do not count), if it does."""
    depth = 0
    for bracket in _brackets_outside_strings(raw):
        depth += 1 if bracket in b"[{" else -1
        if depth > MAX_JSON_DEPTH:
            break
    else:
        return None
    depth = 0
    for token in _JSON_STRING_OR_BRACKET.finditer(raw):  # again, on the body itself, for the position
        if token.group() in (b"[", b"{"):
            depth += 1
            if depth > MAX_JSON_DEPTH:
                return token.start()
        elif token.group() in (b"]", b"}"):
            depth -= 1
    return 0


def _brackets_outside_strings(raw: bytes) -> bytes:
    """The body's brackets that are not inside a string, in order, through whole-buffer operations only (a regular
    expression matched string by string cost a 1,000-row bundle ~20 ms). Escaped backslashes and quotes go first,
    read left to right as a parser reads them; then everything but quotes and brackets, then empty strings: a
    bracket is inside a string exactly when an odd number of quotes precede it, which no step changes."""
    skeleton = raw.replace(b"\\\\", b"").replace(b'\\"', b"").translate(None, _NOT_A_QUOTE_OR_BRACKET)
    return _ESCAPE_FREE_STRING.sub(b"", skeleton.replace(b'""', b""))


class ContractViolation(EmulatorError):
    """The emulator was about to emit something its own contract forbids (a bug in the emulator)."""

    code = "UNKNOWN_ERROR"
    http_status = 500


def _contract_files():
    """``contracts/`` of a source checkout, or the copy a wheel installs as the ``emulator.contracts`` package."""
    checkout = Path(__file__).resolve().parents[2] / "contracts"
    if (checkout / "legacy-request.schema.json").is_file():
        return checkout.iterdir()
    return resources.files("emulator.contracts").iterdir()


@lru_cache(maxsize=None)
def _registry() -> Registry:
    schemas = []
    for entry in _contract_files():
        if entry.name.endswith(".schema.json"):
            schemas.append((entry.name, Resource.from_contents(json.loads(entry.read_text("utf-8")))))
    return Registry().with_resources(schemas)


@lru_cache(maxsize=None)
def validator(name: str) -> Draft202012Validator:
    schema = _registry().get_or_retrieve(f"{name}.schema.json").value.contents
    # Each contract says its dialect: ours are 2020-12, the seed's DataGym import schema is draft-07.
    return validator_for(schema, default=Draft202012Validator)(schema, registry=_registry())


@lru_cache(maxsize=None)
def _compiled_registry() -> jsonschema_rs.Registry:
    return jsonschema_rs.Registry([(uri, _registry().get_or_retrieve(uri).value.contents) for uri in _registry()])


@lru_cache(maxsize=None)
def compiled(name: str) -> jsonschema_rs.Validator:
    """The contract compiled, to tell at native speed that an instance keeps it; only an instance it refuses goes
    through :func:`validator` (jsonschema), which names every violation. Formats are not checked, as jsonschema
    checks none unless asked."""
    schema = _registry().get_or_retrieve(f"{name}.schema.json").value.contents
    return jsonschema_rs.validator_for(schema, registry=_compiled_registry(), validate_formats=False)


def names() -> list[str]:
    return sorted(uri[: -len(".schema.json")] for uri in _registry())


def violations(name: str, instance: Any, at: str = "") -> list[str]:
    """Every violation as '<JSON pointer>: <rule>', in document order; ``at`` is where the instance sits in the
    request (``/payload`` of a legacy call), so the pointer names the field as the caller sent it."""
    if compiled(name).is_valid(instance):
        return []
    errors = sorted(validator(name).iter_errors(instance), key=lambda e: list(map(str, e.absolute_path)))
    return [f"{_pointer(at, e.absolute_path)}: {e.message}" for e in errors]


def validate(name: str, instance: Any, error: type[EmulatorError] = InvalidArgumentsError, at: str = "") -> None:
    found = violations(name, instance, at)
    if found:
        raise error("; ".join(found))


def _pointer(at: str, path) -> str:
    return (at + "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)) or "/"


# -- state documents ------------------------------------------------------------------------------------------------

STATE_TABLE = "state-table-{}"  # the contract of every document of a table of the state


def state_violations(tables: dict[str, dict[str, dict]]) -> list[str]:
    """What keeps a state document's tables from meaning a state: a table no contract describes, a document its
    table's contract refuses (a required field missing, a wrong type), a document kept under another key than its
    own id (``x-key``), or a reference to a document that is not there (``x-table``: ``"<table>"`` names a key of
    that table, ``"<table>/<path>"`` a value at that path, ``*`` for every item, in one of its documents)."""
    validator_class = extend(Draft202012Validator, {"x-table": _reference_rule(tables)})
    found = []
    for kind, docs in sorted(tables.items()):
        name = STATE_TABLE.format(kind)
        if f"{name}.schema.json" not in _registry():
            found.append(f"{_pointer('/tables', [kind])}: no table of this emulator is called {kind!r}")
            continue
        schema = _registry().get_or_retrieve(f"{name}.schema.json").value.contents
        checker = validator_class(schema, registry=_registry())
        for key, doc in docs.items():
            at = _pointer("/tables", [kind, key])
            errors = sorted(checker.iter_errors(doc), key=lambda e: list(map(str, e.absolute_path)))
            found += [f"{_pointer(at, e.absolute_path)}: {e.message}" for e in errors]
            id_field = schema.get("x-key")
            if not errors and id_field and doc[id_field] != key:
                found.append(f"{_pointer(at, [id_field])}: {doc[id_field]!r} is not the key it is kept under")
    return found


def _reference_rule(tables: dict[str, dict[str, dict]]):
    """The ``x-table`` keyword: the string must name a document (or a value inside documents) of the state."""
    targets: dict[str, set] = {}

    def resolvable(reference: str) -> set:
        if reference not in targets:
            table, _, path = reference.partition("/")
            docs = tables.get(table, {})
            targets[reference] = set(docs) if not path else {
                v for doc in docs.values() for v in values_at(doc, path.split("/")) if isinstance(v, str)}
        return targets[reference]

    def rule(validator, reference: str, instance, schema):
        if isinstance(instance, str) and instance not in resolvable(reference):
            table, _, path = reference.partition("/")
            yield ValidationError(f"{instance!r} is the {path} of no {table} of this state" if path
                                  else f"{instance!r} is no {table} of this state")

    return rule


def values_at(value, path: list[str]):
    """Every value at ``path`` inside ``value`` (``*``: every item of a list or value of an object)."""
    if not path:
        yield value
    elif path[0] == "*":
        for item in value if isinstance(value, list) else value.values() if isinstance(value, dict) else ():
            yield from values_at(item, path[1:])
    elif isinstance(value, dict) and path[0] in value:
        yield from values_at(value[path[0]], path[1:])
