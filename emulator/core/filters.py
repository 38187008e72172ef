"""Filter semantics shared by listings: SQL ``LIKE`` patterns and time bounds, as the service applies them."""

from __future__ import annotations

import re
from functools import lru_cache

from emulator.core import timefmt
from emulator.core.errors import InvalidArgumentsError


@lru_cache(maxsize=256)
def _like_regex(pattern: str) -> re.Pattern:
    parts = []
    for ch in pattern:
        parts.append(".*" if ch == "%" else "." if ch == "_" else re.escape(ch))
    return re.compile("".join(parts), re.DOTALL)


def sql_like(pattern: str, value: str | None) -> bool:
    """SQL ``LIKE``: ``%`` any run of characters, ``_`` one character; the whole value must match."""
    return value is not None and _like_regex(pattern).fullmatch(value) is not None


def parse_time(name: str, value: str | None):
    if value is None:
        return None
    try:
        return timefmt.parse(value)
    except ValueError:
        raise InvalidArgumentsError(f"{name}: {value!r} is not an ISO-8601 date and time") from None


def within(stamp: str | None, after, before) -> bool:
    """True when ``stamp`` lies strictly after ``after`` and strictly before ``before`` (each bound optional)."""
    if after is None and before is None:
        return True
    if stamp is None:
        return False
    t = timefmt.parse(stamp)
    return (after is None or t > after) and (before is None or t < before)
