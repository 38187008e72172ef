"""Filter semantics shared by listings: SQL ``LIKE`` patterns and time bounds, as the service applies them."""

from __future__ import annotations

import re
from dataclasses import dataclass
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


@dataclass(frozen=True)
class ListingFilters:
    """The filters every listing of titled resources takes (datasets, ontologies, projects)."""

    title_eq: str | None = None
    title_like: str | None = None
    description_eq: str | None = None
    description_like: str | None = None
    created_before: str | None = None
    created_after: str | None = None
    edited_before: str | None = None
    edited_after: str | None = None

    @classmethod
    def from_query(cls, args, description_param: str) -> "ListingFilters":
        """From v2 query parameters (``titleEq``…); the description's are ``descEq`` or ``descriptionEq``."""
        return cls(
            title_eq=args.get("titleEq"), title_like=args.get("titleLike"),
            description_eq=args.get(f"{description_param}Eq"), description_like=args.get(f"{description_param}Like"),
            created_before=args.get("createdBefore"), created_after=args.get("createdAfter"),
            edited_before=args.get("editedBefore"), edited_after=args.get("editedAfter"),
        )

    @classmethod
    def from_legacy(cls, payload: dict) -> "ListingFilters":
        """From a legacy listing's ``{"filter": {"title_eq": …, "desc_like": …, "created_before": …}}``."""
        f = payload.get("filter") or {}
        return cls(
            title_eq=f.get("title_eq"), title_like=f.get("title_like"),
            description_eq=f.get("desc_eq"), description_like=f.get("desc_like"),
            created_before=f.get("created_before"), created_after=f.get("created_after"),
            edited_before=f.get("edited_before"), edited_after=f.get("edited_after"),
        )

    def matcher(self):
        """A predicate over documents with title, description, created_at and last_edited_at."""
        created_after = parse_time("createdAfter", self.created_after)
        created_before = parse_time("createdBefore", self.created_before)
        edited_after = parse_time("editedAfter", self.edited_after)
        edited_before = parse_time("editedBefore", self.edited_before)

        def matches(doc: dict) -> bool:
            return ((self.title_eq is None or doc["title"] == self.title_eq)
                    and (self.title_like is None or sql_like(self.title_like, doc["title"]))
                    and (self.description_eq is None or doc["description"] == self.description_eq)
                    and (self.description_like is None or sql_like(self.description_like, doc["description"]))
                    and within(doc["created_at"], created_after, created_before)
                    and within(doc["last_edited_at"], edited_after, edited_before))

        return matches
