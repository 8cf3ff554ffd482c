""" "Changed" conditions: what the ticket's latest update did to a field."""

from __future__ import annotations

from typing import Any, Final

import attrs

from servicekit._checks import short
from servicekit.conditions._conditions import (
    Condition,
    Context,
    check_field,
    checked_context,
    plain,
    read,
    value_for,
)
from servicekit.errors import InvalidInputError


class _AnyValue:
    """The placeholder for "any value" in :func:`changed`."""

    def __repr__(self) -> str:
        return "ANY"


ANY: Final = _AnyValue()
"""Any value, the default of ``to`` and ``from_`` in :func:`changed`."""


@attrs.frozen(repr=False)
class Changed(Condition):
    """The latest update changed a field; see :func:`changed`."""

    field: str
    to: object = ANY
    from_: object = ANY

    def __attrs_post_init__(self) -> None:
        """Refuse what could never be true; :func:`changed` converts names."""
        check_field(self.field)
        if self.field in ("channel", "requester"):
            raise InvalidInputError(f"{self.field} never changes after creation")
        for value in (self.to, self.from_):
            if value is ANY:
                continue
            if self.field == "tags" and not isinstance(value, str):
                raise InvalidInputError(f"tags: expected a tag, got {short(value)}")
            value_for(self.field, value)

    def _values(self, context: Context) -> tuple[object, object] | None:
        previous = context.previous
        if previous is None:
            return None
        return read(previous, self.field), read(context.ticket, self.field)

    def holds(self, context: Context) -> bool:
        checked_context(context)
        values = self._values(context)
        if values is None:
            return False
        before, after = values
        if isinstance(before, frozenset) and isinstance(after, frozenset):
            added, removed = after - before, before - after
            return (
                bool(added or removed)
                and (self.to is ANY or self.to in added)
                and (self.from_ is ANY or self.from_ in removed)
            )
        return (
            before != after
            and (self.to is ANY or after == self.to)
            and (self.from_ is ANY or before == self.from_)
        )

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"changed": self.field}
        if self.to is not ANY:
            data["to"] = plain(self.to)
        if self.from_ is not ANY:
            data["from"] = plain(self.from_)
        return data

    def describe(self, context: Context) -> str:
        checked_context(context)
        values = self._values(context)
        if values is None:
            return "the latest update created the ticket"
        before, after = (sorted(v) if isinstance(v, frozenset) else plain(v) for v in values)
        if before == after:
            return f"{self.field} unchanged ({after!r})"
        return f"{self.field} went from {before!r} to {after!r}"

    def __repr__(self) -> str:
        text = f"{self.field} changed"
        if self.from_ is not ANY:
            text += f" from {plain(self.from_)!r}"
        if self.to is not ANY:
            text += f" to {plain(self.to)!r}"
        return text


def changed(field: str, *, to: object = ANY, from_: object = ANY) -> Changed:
    """The ticket's latest update (its events at the last instant) changed ``field``.

    For ``tags``, ``to`` is a tag the update added and ``from_`` one it removed. The
    update that creates a ticket (with any event at the creation instant) changes
    nothing.

    Args:
        field: ``priority``, ``status``, ``group``, ``assignee``, ``tags`` or
            ``fields.<name>``.
        to: the value after the update (any value by default).
        from_: the value before it (any value by default).

    Raises:
        InvalidInputError: an unknown field, or a value the field can't hold.

    >>> changed("status", to="pending")
    status changed to 'pending'
    >>> changed("priority", from_="normal", to="urgent")
    priority changed from 'normal' to 'urgent'
    """
    check_field(field)
    if field in ("tags", "channel", "requester"):
        return Changed(field, to, from_)
    return Changed(
        field,
        to if to is ANY else value_for(field, to),
        from_ if from_ is ANY else value_for(field, from_),
    )
