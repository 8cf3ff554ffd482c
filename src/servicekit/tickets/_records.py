"""Tickets and events as plain dicts (JSON-ready) and back, with path-precise errors."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

import attrs

from servicekit._checks import shallow, short
from servicekit.errors import (
    InvalidInputError,
    InvalidRecordError,
    InvalidTypeError,
    ServicekitError,
    join_path,
)
from servicekit.tickets._events import (
    Assigned,
    Created,
    Escalated,
    Event,
    FieldChanged,
    Merged,
    PriorityChanged,
    Replied,
    SatisfactionRated,
    StatusChanged,
    TagsChanged,
)

if TYPE_CHECKING:
    from servicekit.tickets._ticket import Ticket

EVENT_TYPES: Mapping[str, type[Event]] = {
    "created": Created,
    "status_changed": StatusChanged,
    "replied": Replied,
    "assigned": Assigned,
    "priority_changed": PriorityChanged,
    "tags_changed": TagsChanged,
    "field_changed": FieldChanged,
    "satisfaction_rated": SatisfactionRated,
    "merged": Merged,
    "escalated": Escalated,
}
_TYPE_NAMES = {kind: name for name, kind in EVENT_TYPES.items()}


def event_to_dict(event: Event) -> dict[str, Any]:
    """``event`` as a JSON-ready dict: ``{"type": "replied", "at": "<ISO 8601>", ...}``.

    Enums become their names, tag sets sorted lists, instants ISO 8601 strings.

    >>> from datetime import datetime, UTC
    >>> from servicekit.tickets import Replied
    >>> event_to_dict(Replied(at=datetime(2026, 3, 2, 9, tzinfo=UTC), by="agent"))
    {'type': 'replied', 'at': '2026-03-02T09:00:00+00:00', 'by': 'agent', 'public': True, \
'author_id': None}
    """
    name = _TYPE_NAMES.get(type(event))
    if name is None:
        raise InvalidTypeError(f"expected a ticket event, got {short(event)}")
    record: dict[str, Any] = {"type": name}
    for field in attrs.fields(type(event)):
        record[field.name] = _plain(getattr(event, field.name))
    return record


def event_from_dict(data: Mapping[str, Any], path: str = "") -> Event:
    """The event that :func:`event_to_dict` stored; ``path`` prefixes error paths.

    Raises:
        InvalidRecordError: an unknown ``type``, an unknown or missing key, or a bad
            value, naming its path (``events[2].priority``).

    >>> event_from_dict({"type": "priority_changed", "at": "2026-03-02T09:00:00Z",
    ...                  "priority": "top"}, path="events[2]")
    Traceback (most recent call last):
    ...
    servicekit.errors.InvalidRecordError: events[2].priority: 'top' is not a valid priority; ...
    """
    if not isinstance(path, str):
        raise InvalidTypeError(f"path must be text, got {short(path)}")
    shallow(data, path, error=InvalidRecordError)
    if not isinstance(data, Mapping):
        raise InvalidRecordError(path, f"expected an event object, got {short(data)}")
    name = data.get("type")
    kind = EVENT_TYPES.get(name) if isinstance(name, str) else None
    if kind is None:
        expected = ", ".join(EVENT_TYPES)
        raise InvalidRecordError(
            join_path(path, "type"), f"unknown event type {short(name)}; expected one of {expected}"
        )
    fields = {field.name: field for field in attrs.fields(kind)}
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key == "type":
            continue
        field = fields.get(key)
        if field is None:
            raise InvalidRecordError(
                join_path(path, str(key)), f"unknown key for {name}; expected {', '.join(fields)}"
            )
        values[key] = _checked(field, value, join_path(path, key))
    for field in fields.values():
        if field.name not in values and field.default is attrs.NOTHING:
            raise InvalidRecordError(join_path(path, field.name), f"missing (required for {name})")
    try:
        return kind(**values)
    except ServicekitError as exc:
        raise InvalidRecordError(path, str(exc)) from exc


def ticket_from_dict(data: Mapping[str, Any]) -> Ticket:
    """The ticket that ``Ticket.to_dict`` stored (``{"events": [...]}``)."""
    from servicekit.tickets._ticket import Ticket  # noqa: PLC0415 -- Ticket imports us lazily

    shallow(data, error=InvalidRecordError)
    if not isinstance(data, Mapping):
        raise InvalidRecordError("", f"expected a ticket object, got {short(data)}")
    if set(data) != {"events"}:
        unknown = sorted(set(data) - {"events"}, key=str)
        where = str(unknown[0]) if unknown else "events"
        raise InvalidRecordError(where, "a ticket record has exactly one key, 'events'")
    events = data["events"]
    if not isinstance(events, list):
        raise InvalidRecordError("events", f"expected a list of events, got {short(events)}")
    return Ticket.replay(
        event_from_dict(record, f"events[{index}]") for index, record in enumerate(events)
    )


def _checked(field: attrs.Attribute[Any], value: Any, path: str) -> Any:
    """``value`` run through the field's own converter and validator."""
    try:
        if field.name == "at":
            value = _instant(value)
        if field.converter is not None:
            assert callable(field.converter)
            value = field.converter(value)
        if field.validator is not None:
            field.validator(None, field, value)
    except (ServicekitError, TypeError, ValueError) as exc:
        raise InvalidRecordError(path, str(exc)) from exc
    return value


def _instant(value: object) -> datetime:
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str):
        raise InvalidTypeError(f"expected an ISO 8601 instant, got {short(value)}")
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise InvalidInputError(f"{short(value)} is not an ISO 8601 instant") from None


def _plain(value: object) -> object:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, frozenset):
        return sorted(value)
    if isinstance(value, tuple):
        return list(value)
    return value
