"""Hypothesis strategies for the fuzz test: JSON values generated from the contracts in ``contracts/`` (valid, then
mutated), arbitrary JSON and bytes, and the malformed bodies that crashed handlers before (issue 10)."""

from __future__ import annotations

import copy
import json
import re

from hypothesis import strategies as st

from emulator.core import contracts

MAX_DEPTH = 5  # of generated values: deeper schemas (recursive ones) end in null

JSON_SCALARS = st.none() | st.booleans() | st.integers(-2**63, 2**63) | st.floats(allow_nan=False, allow_infinity=False) \
    | st.text(max_size=12)
ANY_JSON = st.recursive(JSON_SCALARS, lambda inner: st.lists(inner, max_size=3)
                        | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=12)
# What once reached a handler and crashed it: wrong types, non-string ids, a lone surrogate, huge numbers.
HOSTILE_VALUES = [None, 0, -1, 2**64, 1.5, True, "", "\ud800", "x" * 400, [], {}, [[]], {"": None}, [None], "../.."]
MALFORMED_BODIES = [
    b"[" * 100_000 + b"]" * 100_000, b'{"a":' * 70 + b"1" + b"}" * 70, b"NaN", b"[1e400]", b"9" * 5000,
    b'"\\ud800"', b'{"a": "\\udfff"}', b"\xff\xfe", b"{", b"", b"null", b"[]", b"\x00",
]


def weighted(*choices):
    """One of the strategies, each drawn as often as its weight says (``one_of`` would not weight repeats)."""
    picks = [strategy for weight, strategy in choices for _ in range(weight)]
    return st.integers(0, len(picks) - 1).flatmap(picks.__getitem__)


def ids_or_text(ids: list[str]):
    """An id the emulator holds, or any text (a random id)."""
    return st.sampled_from(ids) | st.text(max_size=40) if ids else st.text(max_size=40)


def from_contract(name: str, ids: list[str]):
    """Values the contract ``name`` describes (mostly valid: keywords the generator does not know are left out)."""
    resolver = contracts._registry().resolver(base_uri=f"{name}.schema.json")
    return _from_schema(resolver.lookup(f"{name}.schema.json").contents, resolver, ids, 0)


def mutated(values, ids: list[str]):
    """A value with one node replaced by a hostile value, or one key removed."""
    return st.tuples(values, st.randoms(use_true_random=False), st.sampled_from(HOSTILE_VALUES + ids[:5])).map(
        lambda drawn: _mutate(*drawn))


def _mutate(value, rnd, replacement):
    value = copy.deepcopy(value)
    nodes = list(_nodes(value))
    if not nodes:
        return replacement
    parent, key = rnd.choice(nodes)
    if isinstance(parent, dict) and rnd.random() < 0.3:
        del parent[key]
    else:
        parent[key] = replacement
    return value


def _nodes(value):
    if isinstance(value, dict):
        for key, item in value.items():
            yield value, key
            yield from _nodes(item)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield value, index
            yield from _nodes(item)


def _from_schema(schema, resolver, ids, depth):
    if schema is True or schema == {} or not isinstance(schema, dict):
        return ANY_JSON
    if depth > MAX_DEPTH:
        return st.none()
    if "$ref" in schema:
        resolved = resolver.lookup(schema["$ref"])
        merged = {**resolved.contents, **{k: v for k, v in schema.items() if k != "$ref"}}
        merged["required"] = [*resolved.contents.get("required", []), *schema.get("required", [])]
        return _from_schema(merged, resolved.resolver, ids, depth)
    if "const" in schema:
        return st.just(schema["const"])
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    for combinator in ("oneOf", "anyOf"):
        if combinator in schema:
            parent = {k: v for k, v in schema.items() if k != combinator}
            return st.one_of([_from_schema({**parent, **branch,
                                            "required": [*parent.get("required", []), *branch.get("required", [])]},
                                           resolver, ids, depth) for branch in schema[combinator]])
    types = schema.get("type", ["object"] if "properties" in schema else ["string"])
    types = types if isinstance(types, list) else [types]
    values = st.one_of([_of_type(t, schema, resolver, ids, depth) for t in types])
    return weighted((1, st.sampled_from(schema["examples"])), (1, values)) if schema.get("examples") else values


def _of_type(kind, schema, resolver, ids, depth):
    if kind == "null":
        return st.none()
    if kind == "boolean":
        return st.booleans()
    if kind == "integer":
        return st.integers(schema.get("minimum", -1000), schema.get("maximum", 10**6))
    if kind == "number":
        return st.floats(schema.get("minimum", -1000), schema.get("maximum", 10**6), allow_nan=False)
    if kind == "string":
        if schema.get("format") == "email":
            return weighted((3, st.sampled_from([i for i in ids if "@" in i] or [""])), (1, st.text(max_size=20)))
        if "pattern" in schema:
            matching = [i for i in ids if re.fullmatch(schema["pattern"], i)]
            return (st.sampled_from(matching) if matching else st.nothing()) \
                | st.from_regex(schema["pattern"], fullmatch=True).filter(lambda s: len(s) < 200)
        low, high = schema.get("minLength", 0), schema.get("maxLength", 40)
        return (ids_or_text(ids) if low <= 1 else st.nothing()).filter(lambda s: low <= len(s) <= high) \
            | st.text(min_size=low, max_size=max(low, min(high, 40)))
    if kind == "array":
        prefix = [_from_schema(s, resolver, ids, depth + 1) for s in schema.get("prefixItems", [])]
        items = _from_schema(schema.get("items", {}), resolver, ids, depth + 1)
        low = max(schema.get("minItems", 0) - len(prefix), 0)
        rest = st.lists(items, min_size=low, max_size=min(schema.get("maxItems", low + 3), low + 3) - len(prefix))
        return st.tuples(st.tuples(*prefix), rest).map(lambda parts: [*parts[0], *parts[1]])
    properties = schema.get("properties", {})
    required = [k for k in schema.get("required", []) if k in properties] \
        + [k for k in schema.get("required", []) if k not in properties]
    fixed = {k: _from_schema(properties.get(k, {}), resolver, ids, depth + 1) for k in required}
    optional = {k: _from_schema(v, resolver, ids, depth + 1) for k, v in properties.items() if k not in fixed}
    return st.fixed_dictionaries(fixed, optional=optional)


def json_bytes(values):
    return values.map(lambda v: json.dumps(v).encode())


def bodies(contract: str | None, ids: list[str]):
    """Request bodies for a route: from its contract (valid and mutated) if it has one, arbitrary JSON, arbitrary
    bytes, and the malformed bodies."""
    arbitrary = st.one_of(json_bytes(ANY_JSON), st.binary(max_size=64), st.sampled_from(MALFORMED_BODIES))
    if contract is None:
        return arbitrary
    valid = from_contract(contract, ids)
    return weighted((6, json_bytes(valid)), (2, json_bytes(mutated(valid, ids))), (2, arbitrary))
