"""The JSON Schemas in ``contracts/``: the one description of every wire shape the emulator accepts or emits.

Handlers validate what they accept with :func:`validate` (a failure names the JSON pointer and the rule); the
dispatchers can also check every response they emit against the route's response contract, which the test suite
turns on so that every SDK call in it checks what the emulator sent.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.validators import validator_for
from referencing import Registry, Resource

from emulator.core.errors import EmulatorError, InvalidArgumentsError


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


def names() -> list[str]:
    return sorted(uri[: -len(".schema.json")] for uri in _registry())


def violations(name: str, instance: Any) -> list[str]:
    """Every violation as '<JSON pointer>: <rule>', in document order."""
    errors = sorted(validator(name).iter_errors(instance), key=lambda e: list(map(str, e.absolute_path)))
    return [f"{_pointer(e.absolute_path)}: {e.message}" for e in errors]


def validate(name: str, instance: Any, error: type[EmulatorError] = InvalidArgumentsError) -> None:
    found = violations(name, instance)
    if found:
        raise error("; ".join(found))


def _pointer(path) -> str:
    return "/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in path) if path else "/"
