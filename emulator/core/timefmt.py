"""Timestamps in the forms the SDK parses (it accepts ISO-8601 everywhere; naive means UTC)."""

from datetime import datetime, timezone


def now() -> datetime:
    return datetime.now(timezone.utc)


def now_iso() -> str:
    return now().isoformat()


def parse(value: str) -> datetime:
    """Parse an ISO-8601 timestamp as the SDK sends it in filters; naive means UTC."""
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def legacy(value: str) -> str:
    """The ``%Y-%m-%d %H:%M:%S`` form legacy ORM responses use."""
    return parse(value).strftime("%Y-%m-%d %H:%M:%S")
