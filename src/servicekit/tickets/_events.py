"""Ticket events: frozen, keyword-only values, each with the instant ``at`` it happened.

A ticket's history is a sequence of these; everything else about a ticket is derived
from it. Apps record events as they happen (or import them) and feed them to
:meth:`Ticket.apply` or :meth:`Ticket.replay`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import attrs

from servicekit._checks import checked_name, flag, named, optional_named, short
from servicekit._time import require_aware
from servicekit.errors import InvalidInputError
from servicekit.tickets._enums import (
    Author,
    Channel,
    Priority,
    Status,
    channel_of,
    to_author,
    to_priority,
    to_status,
)

FieldValue = str | int | float | bool | None
"""A custom field's value: a JSON scalar."""


def _aware(_: object, attribute: attrs.Attribute[datetime], value: datetime) -> None:
    require_aware(value, attribute.name)


def _tags(value: object) -> frozenset[str]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise InvalidInputError(f"tags must be a collection of names, got {short(value)}")
    if isinstance(value, frozenset):  # shared, not copied
        tags: frozenset[str] = value
    else:
        listed = list(value)  # checked before hashing: an unhashable tag is an input error
        for tag in listed:
            checked_name(tag, "tag")
        return frozenset(listed)
    for tag in tags:
        checked_name(tag, "tag")
    return tags


@attrs.frozen(kw_only=True)
class Event:
    """Base class of every ticket event; ``at`` is a tz-aware instant.

    Events of one ticket must come in time order; several may share an instant.
    """

    at: datetime = attrs.field(validator=_aware)


@attrs.frozen(kw_only=True)
class Created(Event):
    """The ticket was opened: always the first event of a history.

    Args:
        at: when it was created.
        ticket_id: the help desk's id for the ticket.
        requester: the customer it is for.
        channel: a :class:`Channel` or a custom channel name.
        priority: the initial priority.
        by: ``customer`` (inbound) or ``agent`` (an agent opened it for the customer).
        author_id: who opened it; defaults to the requester when ``by`` is the customer.
        tags: the initial tags.

    >>> from datetime import datetime, UTC
    >>> Created(at=datetime(2026, 3, 2, 9, tzinfo=UTC), ticket_id="T-1", requester="c-7")
    Created(at=datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.timezone.utc), \
ticket_id='T-1', requester='c-7', channel=<Channel.EMAIL: 'email'>, \
priority=<Priority.NORMAL: 'normal'>, by=<Author.CUSTOMER: 'customer'>, author_id='c-7', \
tags=frozenset())
    """

    ticket_id: str = attrs.field(validator=named)
    requester: str = attrs.field(validator=named)
    channel: Channel | str = attrs.field(default=Channel.EMAIL, converter=channel_of)
    priority: Priority = attrs.field(default=Priority.NORMAL, converter=to_priority)
    by: Author = attrs.field(default=Author.CUSTOMER, converter=to_author)
    author_id: str | None = attrs.field(default=None, validator=optional_named)
    tags: frozenset[str] = attrs.field(default=frozenset(), converter=_tags)

    def __attrs_post_init__(self) -> None:
        if self.by not in (Author.CUSTOMER, Author.AGENT):
            raise InvalidInputError(
                f"a ticket is created by a customer or an agent, not by {short(self.by.value)}"
            )
        if self.author_id is None and self.by is Author.CUSTOMER:
            object.__setattr__(self, "author_id", self.requester)


@attrs.frozen(kw_only=True)
class StatusChanged(Event):
    """Someone set the status explicitly (reopening a solved ticket counts as a reopen).

    >>> from datetime import datetime, UTC
    >>> StatusChanged(at=datetime(2026, 3, 2, 9, tzinfo=UTC), status="pending").status
    <Status.PENDING: 'pending'>
    """

    status: Status = attrs.field(converter=to_status)
    by: Author = attrs.field(default=Author.AGENT, converter=to_author)
    author_id: str | None = attrs.field(default=None, validator=optional_named)


@attrs.frozen(kw_only=True)
class Replied(Event):
    """A message on the ticket: public (the customer sees it) or an internal note.

    Customers only write public replies. A public customer reply moves a ``pending``
    or ``on_hold`` ticket back to ``open`` and reopens a ``solved`` one; a public agent
    reply moves a ``new`` ticket to ``open``.

    >>> from datetime import datetime, UTC
    >>> Replied(at=datetime(2026, 3, 2, 9, tzinfo=UTC), by="agent", author_id="a-1").public
    True
    """

    by: Author = attrs.field(converter=to_author)
    public: bool = attrs.field(default=True, validator=flag)
    author_id: str | None = attrs.field(default=None, validator=optional_named)

    def __attrs_post_init__(self) -> None:
        if self.by is Author.CUSTOMER and not self.public:
            raise InvalidInputError("a customer cannot write an internal note (public=False)")


@attrs.frozen(kw_only=True)
class Assigned(Event):
    """The ticket's assignment became exactly ``agent`` in ``group``; ``None`` means
    no agent (or no group), so ``Assigned(group="billing")`` routes to a group queue.

    >>> from datetime import datetime, UTC
    >>> Assigned(at=datetime(2026, 3, 2, 9, tzinfo=UTC), agent="a-1", group="billing")
    Assigned(at=datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.timezone.utc), \
agent='a-1', group='billing')
    """

    agent: str | None = attrs.field(default=None, validator=optional_named)
    group: str | None = attrs.field(default=None, validator=optional_named)


@attrs.frozen(kw_only=True)
class PriorityChanged(Event):
    """The priority was set (SLA targets follow the priority in force).

    >>> from datetime import datetime, UTC
    >>> PriorityChanged(at=datetime(2026, 3, 2, 9, tzinfo=UTC), priority="urgent").priority
    <Priority.URGENT: 'urgent'>
    """

    priority: Priority = attrs.field(converter=to_priority)


@attrs.frozen(kw_only=True)
class TagsChanged(Event):
    """Tags were added and/or removed (a tag cannot be in both).

    >>> from datetime import datetime, UTC
    >>> TagsChanged(at=datetime(2026, 3, 2, 9, tzinfo=UTC), added=["vip"]).added
    frozenset({'vip'})
    """

    added: frozenset[str] = attrs.field(default=frozenset(), converter=_tags)
    removed: frozenset[str] = attrs.field(default=frozenset(), converter=_tags)

    def __attrs_post_init__(self) -> None:
        if both := self.added & self.removed:
            raise InvalidInputError(f"tags both added and removed: {sorted(both)}")


def _field_value(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, float) and not math.isfinite(value):
        raise InvalidInputError(f"field value must be a finite number, got {short(value)}")
    if value is not None and not isinstance(value, str | int | float | bool):
        raise InvalidInputError(f"field value must be a JSON scalar, got {short(value)}")


@attrs.frozen(kw_only=True)
class FieldChanged(Event):
    """A custom field got a new value (``None`` clears it).

    >>> from datetime import datetime, UTC
    >>> FieldChanged(at=datetime(2026, 3, 2, 9, tzinfo=UTC), name="product", value="api")
    FieldChanged(at=datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.timezone.utc), \
name='product', value='api')
    """

    name: str = attrs.field(validator=named)
    value: FieldValue = attrs.field(validator=_field_value)


def _scale(value: Sequence[int]) -> tuple[int, int]:
    if (
        not isinstance(value, list | tuple)
        or len(value) != 2
        or not all(isinstance(end, int) and not isinstance(end, bool) for end in value)
        or value[0] >= value[1]
    ):
        raise InvalidInputError(f"scale must be a pair of integers (low, high), got {short(value)}")
    return value[0], value[1]


def _comment(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and not isinstance(value, str):
        raise InvalidInputError(f"comment must be text or None, got {short(value)}")


@attrs.frozen(kw_only=True)
class SatisfactionRated(Event):
    """The customer answered the satisfaction survey: ``score`` on ``scale``
    (inclusive; ``(1, 5)`` by default, ``(0, 1)`` for good/bad surveys).

    >>> from datetime import datetime, UTC
    >>> SatisfactionRated(at=datetime(2026, 3, 2, 9, tzinfo=UTC), score=6)
    Traceback (most recent call last):
    ...
    servicekit.errors.InvalidInputError: satisfaction score 6 is outside the scale 1-5
    """

    score: int
    scale: tuple[int, int] = attrs.field(default=(1, 5), converter=_scale)
    comment: str | None = attrs.field(default=None, validator=_comment)

    def __attrs_post_init__(self) -> None:
        low, high = self.scale
        if isinstance(self.score, bool) or not isinstance(self.score, int):
            raise InvalidInputError(
                f"satisfaction score must be an integer, got {short(self.score)}"
            )
        if not low <= self.score <= high:
            raise InvalidInputError(
                f"satisfaction score {self.score} is outside the scale {low}-{high}"
            )


@attrs.frozen(kw_only=True)
class Merged(Event):
    """The ticket was merged into ticket ``into``, which closes it.

    >>> from datetime import datetime, UTC
    >>> Merged(at=datetime(2026, 3, 2, 9, tzinfo=UTC), into="T-2").into
    'T-2'
    """

    into: str = attrs.field(validator=named)


@attrs.frozen(kw_only=True)
class Escalated(Event):
    """The app acted on escalation rule ``rule`` (written after acting on a decision,
    so the rule engine knows it already fired).

    >>> from datetime import datetime, UTC
    >>> Escalated(at=datetime(2026, 3, 2, 9, tzinfo=UTC), rule="urgent-unanswered").rule
    'urgent-unanswered'
    """

    rule: str = attrs.field(validator=named)
