"""Reading single values out of vendor records: ids, instants, flags. A value that
cannot be read raises :class:`Unreadable`, which the importers turn into an ignored
record (counted, with a fixed reason and a sample naming the value)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, tzinfo
from typing import Any

from servicekit._checks import short
from servicekit.errors import InvalidInputError

MAX_ID = 200
"""Longest id (in characters) an importer accepts."""


class Unreadable(Exception):  # noqa: N818 -- a signal inside the importers, never escapes
    """A record value that cannot be read: ``reason`` is a fixed phrase (what the
    report counts by), ``detail`` names the value."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.detail = detail


def text_id(value: object, what: str) -> str:
    """A vendor id (integer or string) as servicekit's string id."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str) and value and value.strip() == value and len(value) <= MAX_ID:
        return value
    raise Unreadable(f"{what} is not an id", f"{what} {short(value)}")


def optional_id(value: object, what: str) -> str | None:
    """An id, or ``None`` for a missing/empty one (``null``, ``""``)."""
    if value is None or value == "":
        return None
    return text_id(value, what)


def instant(value: object, tz: tzinfo | None, what: str = "timestamp") -> datetime:
    """An ISO 8601 string or Unix epoch seconds as a tz-aware instant; a string
    without an offset is read in ``tz`` if given, else refused."""
    if isinstance(value, str):
        text = value.strip()
        if len(text) > 40:
            raise Unreadable(f"unparseable {what}", short(value))
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            raise Unreadable(f"unparseable {what}", short(value)) from None
        if parsed.tzinfo is None:
            if tz is None:
                raise Unreadable(f"{what} without an offset (pass tz=)", short(value))
            parsed = parsed.replace(tzinfo=tz)
        return parsed
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return datetime.fromtimestamp(value, UTC)
        except (OverflowError, OSError, ValueError):
            raise Unreadable(f"unparseable {what}", short(value)) from None
    raise Unreadable(f"unparseable {what}", short(value))


def mapping(value: object, what: str) -> Mapping[str, Any]:
    """``value`` if it is a mapping (a JSON object)."""
    if isinstance(value, Mapping):
        return value
    raise Unreadable(f"{what} is not an object", short(value))


def items(value: object, what: str) -> list[Any]:
    """``value`` if it is a list (a JSON array); ``None`` is an empty list."""
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return list(value)
    raise Unreadable(f"{what} is not a list", short(value))


def flag(value: object, what: str) -> bool:
    """A JSON boolean."""
    if isinstance(value, bool):
        return value
    raise Unreadable(f"{what} is not true or false", short(value))


def names(value: object, what: str) -> frozenset[str]:
    """A list of names (tags); ``None`` is no names, a string a space-separated list."""
    if value is None:
        return frozenset()
    if isinstance(value, str):
        return frozenset(value.split())
    if isinstance(value, list | tuple):
        found = set()
        for item in value:
            if not isinstance(item, str) or not item or item.strip() != item:
                raise Unreadable(f"{what} is not a list of names", short(value))
            found.add(item)
        return frozenset(found)
    raise Unreadable(f"{what} is not a list of names", short(value))


def records(value: object, what: str) -> list[Any]:
    """The top-level records an importer was given: a list (or any iterable but a
    string or mapping).

    Raises:
        InvalidInputError: anything else, naming ``what``.
    """
    if isinstance(value, list):
        return value
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        raise InvalidInputError(f"{what} must be a list of records, got {short(value)}")
    return list(value)


def agent_ids(agents: object, users: object) -> frozenset[str] | None:
    """The agent ids given directly and/or by a users side-load (``role`` agent or
    admin); ``None`` when neither is given.

    Raises:
        InvalidInputError: ``agents`` is not a collection of ids, or a user is not an
            object with an id and a role.
    """
    if agents is None and users is None:
        return None
    found: set[str] = set()
    if agents is not None:
        for agent in records(agents, "agents"):
            try:
                found.add(text_id(agent, "agent"))
            except Unreadable as exc:
                raise InvalidInputError(f"agents: {exc.detail}") from None
    if users is not None:
        for index, user in enumerate(records(users, "users")):
            try:
                record = mapping(user, "user")
                role = record.get("role")
                if role in ("agent", "admin") or record.get("is_agent") is True:
                    found.add(text_id(record.get("id"), "user id"))
            except Unreadable as exc:
                raise InvalidInputError(f"users[{index}]: {exc.reason}: {exc.detail}") from None
    return frozenset(found)
