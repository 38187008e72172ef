"""The import's schema failures in the DataGym server's words: everit's messages for each violation that
python-jsonschema finds against the seed's schema, grouped and ordered as the server prints them."""

from __future__ import annotations

import json
from typing import Iterable, Iterator

from emulator.core import contracts

EVERIT_TYPES = {"string": "String", "number": "Number", "boolean": "Boolean", "object": "JSONObject",
                "array": "JSONArray"}


def _everit_type_name(value) -> str:
    """The Java class of a value as org.json parses it: decimals are BigDecimal, integers Integer, Long or
    BigInteger by their two's-complement bit length, JSON null is JSONObject.Null."""
    if value is None:
        return "Null"
    if isinstance(value, bool):
        return "Boolean"
    if isinstance(value, int):
        bits = (value if value >= 0 else ~value).bit_length()
        return "Integer" if bits <= 31 else "Long" if bits <= 63 else "BigInteger"
    if isinstance(value, float):
        return "BigDecimal"
    return {str: "String", list: "JSONArray", dict: "JSONObject"}[type(value)]


def _everit_messages(error) -> list[str]:
    """everit's message for a python-jsonschema violation of one of the keywords the import schema uses; required
    and additionalProperties give one message per key, as everit does."""
    instance, expected = error.instance, error.validator_value
    match error.validator:
        case "type" if expected == "null":
            return [f"expected: null, found: {_everit_type_name(instance)}"]
        case "type":
            return [f"expected type: {EVERIT_TYPES[expected]}, found: {_everit_type_name(instance)}"]
        case "minItems":
            return [f"expected minimum item count: {expected}, found: {len(instance)}"]
        case "maxItems":
            return [f"expected maximum item count: {expected}, found: {len(instance)}"]
        case "minProperties":
            return [f"minimum size: [{expected}], found: [{len(instance)}]"]
        case "maxProperties":
            return [f"maximum size: [{expected}], found: [{len(instance)}]"]
        case "required":
            return [f"required key [{key}] not found" for key in expected if key not in instance]
        case "additionalProperties":
            return [f"extraneous key [{key}] is not permitted" for key in instance
                    if key not in error.schema["properties"]]
        case "minimum":
            return [f"{json.dumps(instance)} is not greater or equal to {expected}"]
        case "pattern":
            return [f"string [{instance}] does not match pattern {expected}"]
    raise AssertionError(f"the import schema has no keyword {error.validator!r}")


def _everit_pointer(path) -> str:
    return "#" + "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in path)


def _everit_violations(errors: Iterable) -> Iterator[tuple[str, str]]:
    for error in errors:
        if error.validator == "oneOf":  # no alternative matched: the violations of each are listed
            yield from _everit_violations(error.context)
        elif error.validator is None:
            # The published schema's stray "additionalProperties": false in nested geometries' properties is a property
            # whose schema is false; python-jsonschema leaves that property out of the error's path.
            assert error.schema is False, "only that false subschema is expected"
            yield _everit_pointer([*error.absolute_path, "additionalProperties"]), "false schema always fails"
        else:
            for message in _everit_messages(error):
                yield _everit_pointer(error.absolute_path), message


def _java_string_hash(text: str) -> int:
    units = text.encode("utf-16-be")
    value = 0
    for i in range(0, len(units), 2):
        value = (31 * value + int.from_bytes(units[i:i + 2], "big")) & 0xFFFFFFFF
    return value


def _java_hash_set_order(strings: list[str]) -> list[str]:
    """The order a java.util.HashSet copied from these (distinct) strings iterates them in: by hash bucket, then in
    insertion order. The server prints a pointer's messages from such a set."""
    capacity = 1 << (max(int(len(strings) / 0.75) + 1, 16) - 1).bit_length()
    return sorted(strings, key=lambda s: (_java_string_hash(s) ^ (_java_string_hash(s) >> 16)) & (capacity - 1))


def schema_error_messages(items) -> str:
    """The seed's draft-07 schema decides validity, and the text is the server's ('' when valid): "Schema
    validation failed with N error(s)", a blank line, then per JSON pointer (by length, then alphabetically) the
    pointer, "Either: " when it has several messages (a oneOf whose alternatives all failed lists each one's
    violations), everit's messages, and a blank line. N counts pointers, not violations: the server counts the
    entries of its map from pointer to messages. Not reproduced: the server's loop forgets to clear the message set
    it builds between single-violation causes, so it also repeats earlier messages under later pointers, and when
    several alternatives of one oneOf fail with several messages each it keeps only the last alternative's."""
    groups: dict[str, list[str]] = {}
    for pointer, message in _everit_violations(contracts.validator("datagym-import").iter_errors(items)):
        messages = groups.setdefault(pointer, [])
        if message not in messages:
            messages.append(message)
    if not groups:
        return ""
    text = f"Schema validation failed with {len(groups)} error(s)\n\n"
    for pointer in sorted(groups, key=lambda p: (len(p), p)):
        messages = _java_hash_set_order(groups[pointer])
        either = "Either: \n" if len(messages) > 1 else ""
        text += f"{pointer}\n{either}" + "".join(message + "\n" for message in messages) + "\n"
    return text
