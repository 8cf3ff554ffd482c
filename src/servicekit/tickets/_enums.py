"""The vocabularies of a ticket: status, priority, channel and author kind."""

from __future__ import annotations

import enum

from servicekit._checks import checked_name, member, short
from servicekit.errors import InvalidTypeError


class Status(enum.StrEnum):
    """Where a ticket is in its lifecycle (see :data:`~servicekit.tickets.TRANSITIONS`).

    >>> Status("on_hold")
    <Status.ON_HOLD: 'on_hold'>
    """

    NEW = "new"
    OPEN = "open"
    PENDING = "pending"
    ON_HOLD = "on_hold"
    SOLVED = "solved"
    CLOSED = "closed"


class Priority(enum.StrEnum):
    """How urgent a ticket is; ordered ``low < normal < high < urgent`` (also against
    a priority's name, never alphabetically).

    >>> Priority.HIGH > Priority.NORMAL
    True
    >>> Priority.URGENT >= "high"
    True
    >>> max([Priority.LOW, Priority.URGENT, Priority.NORMAL])
    <Priority.URGENT: 'urgent'>
    """

    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"

    @property
    def rank(self) -> int:
        """0 for ``low`` up to 3 for ``urgent``."""
        return _PRIORITY_RANKS[self]

    def _rank_of(self, other: object) -> int:
        """The rank of another priority, also given by name; never alphabetical."""
        if isinstance(other, str) and other in _PRIORITY_RANKS:
            return _PRIORITY_RANKS[Priority(other)]
        raise InvalidTypeError(f"cannot compare a priority with {short(other)}")

    def __lt__(self, other: object) -> bool:
        return self.rank < self._rank_of(other)

    def __le__(self, other: object) -> bool:
        return self.rank <= self._rank_of(other)

    def __gt__(self, other: object) -> bool:
        return self.rank > self._rank_of(other)

    def __ge__(self, other: object) -> bool:
        return self.rank >= self._rank_of(other)


_PRIORITY_RANKS = {priority: rank for rank, priority in enumerate(Priority)}


class Channel(enum.StrEnum):
    """Where a ticket came from. Help desks add their own channels, so wherever a
    channel is accepted a custom name (``"whatsapp"``) is kept as a plain string; see
    :func:`channel_of`.

    >>> Channel.CHAT == "chat"
    True
    """

    EMAIL = "email"
    WEB = "web"
    CHAT = "chat"
    PHONE = "phone"
    MESSAGING = "messaging"
    SOCIAL = "social"
    API = "api"


class Author(enum.StrEnum):
    """Who wrote or did something: a human agent, the customer, a bot or the system.

    Only ``agent`` replies count as agent replies (first reply, one-touch, SLA stops);
    ``bot`` and ``system`` replies never stop an SLA clock.

    >>> Author("bot")
    <Author.BOT: 'bot'>
    """

    AGENT = "agent"
    CUSTOMER = "customer"
    BOT = "bot"
    SYSTEM = "system"


_CHANNELS = {channel.value: channel for channel in Channel}


def channel_of(value: str) -> Channel | str:
    """The :class:`Channel` named ``value``, or ``value`` itself for a custom channel.

    Raises:
        InvalidInputError: ``value`` is not a non-empty string without surrounding
            whitespace.

    >>> channel_of("chat")
    <Channel.CHAT: 'chat'>
    >>> channel_of("whatsapp")
    'whatsapp'
    """
    if isinstance(value, Channel):
        return value
    return _CHANNELS.get(checked_name(value, "channel"), value)


def to_status(value: str) -> Status:
    """Converter: a :class:`Status` from its name."""
    return member(Status, value)


def to_priority(value: str) -> Priority:
    """Converter: a :class:`Priority` from its name."""
    return member(Priority, value)


def to_author(value: str) -> Author:
    """Converter: an :class:`Author` from its name."""
    return member(Author, value)
