"""How each vendor's statuses, priorities and channels map to servicekit's: one default
table per source, which the caller can override (``VendorMap.from_dict``)."""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any, TypeVar

import attrs

from servicekit._checks import checked_name, member, named
from servicekit.errors import ConfigError, InvalidTypeError, short
from servicekit.tickets import Priority, Status

T = TypeVar("T")
E = TypeVar("E", bound=enum.StrEnum)

SOURCES = ("zendesk", "jira", "zammad", "otrs", "freshdesk", "chatwoot")
"""The sources servicekit imports, by the name the importers and the CLI use."""

_STATUS = {status.value: status for status in Status}
_PRIORITY = {priority.value: priority for priority in Priority}


def _key(value: object) -> str:
    return str(value).strip().casefold()


def _table(value: object, what: str, read: Callable[[object], T]) -> Mapping[str, T]:
    """A vendor table: a mapping from vendor names to what ``read`` makes of each value."""
    if not isinstance(value, Mapping):
        raise InvalidTypeError(f"{what} must map vendor names to values, got {short(value)}")
    return MappingProxyType({_key(key): read(item) for key, item in value.items()})


def _optional_member(kind: type[E]) -> Callable[[object], E | None]:
    return lambda value: None if value is None else member(kind, value)


def _statuses(value: object) -> Mapping[str, Status | None]:
    return _table(value, "statuses", _optional_member(Status))


def _priorities(value: object) -> Mapping[str, Priority | None]:
    return _table(value, "priorities", _optional_member(Priority))


def _channels(value: object) -> Mapping[str, str]:
    return _table(value, "channels", lambda name: checked_name(name, "a channel"))


@attrs.frozen(kw_only=True)
class VendorMap:
    """A vendor's vocabulary in servicekit's terms. Keys are the vendor's names,
    matched without regard to case or surrounding spaces; a value of ``None`` means the
    vendor value has no servicekit equivalent, so the record is ignored (and counted).
    A vendor value the table does not list is ignored too, with the reason
    ``unmapped status`` / ``unmapped priority``. Unlisted channels keep the vendor's
    name as a custom channel.

    >>> zd = DEFAULT_MAPS["zendesk"]
    >>> zd.status("Hold"), zd.priority("urgent"), zd.channel("voice")
    (<Status.ON_HOLD: 'on_hold'>, <Priority.URGENT: 'urgent'>, 'phone')
    """

    source: str = attrs.field(validator=named)
    statuses: Mapping[str, Status | None] = attrs.field(converter=_statuses)
    priorities: Mapping[str, Priority | None] = attrs.field(converter=_priorities)
    channels: Mapping[str, str] = attrs.field(factory=dict, converter=_channels)

    def status(self, value: object) -> Status | None:
        """The servicekit status for a vendor status; ``None`` if unmapped."""
        return self.statuses.get(_key(value))

    def priority(self, value: object) -> Priority | None:
        """The servicekit priority for a vendor priority; ``None`` if unmapped."""
        return self.priorities.get(_key(value))

    def knows_status(self, value: object) -> bool:
        """Whether the table lists the vendor status (perhaps as ``None``)."""
        return _key(value) in self.statuses

    def knows_priority(self, value: object) -> bool:
        """Whether the table lists the vendor priority (perhaps as ``None``)."""
        return _key(value) in self.priorities

    def channel(self, value: object) -> str:
        """The servicekit channel name for a vendor channel (the vendor's own name,
        lower case with ``_`` for spaces, when the table does not list it)."""
        key = _key(value)
        return self.channels.get(key, key.replace(" ", "_") or "unknown")

    def with_overrides(self, data: Mapping[str, Any]) -> VendorMap:
        """This table with ``data``'s entries replacing or adding to it.

        ``data`` is ``{"statuses": {vendor: servicekit or null}, "priorities": {...},
        "channels": {...}}``, every key optional.

        Raises:
            ConfigError: an unknown section, or a value that is not a servicekit
                status/priority name (or null), naming its path (``statuses.Waiting``).

        >>> m = DEFAULT_MAPS["jira"].with_overrides({"statuses": {"Waiting for support": "open"}})
        >>> m.status("waiting for support")
        <Status.OPEN: 'open'>
        >>> DEFAULT_MAPS["jira"].with_overrides({"statuses": {"Done": "finished"}})
        Traceback (most recent call last):
        ...
        servicekit.errors.ConfigError: statuses.Done: 'finished' is not a servicekit status; ...
        """
        if not isinstance(data, Mapping):
            raise ConfigError(
                "", f"expected a mapping of statuses/priorities/channels, got {short(data)}"
            )
        unknown = sorted(set(map(str, data)) - {"statuses", "priorities", "channels"})
        if unknown:
            raise ConfigError(
                unknown[0], "unknown section; expected statuses, priorities, channels"
            )
        statuses = dict(self.statuses)
        priorities = dict(self.priorities)
        channels = dict(self.channels)
        for key, value in _section(data, "statuses").items():
            statuses[_key(key)] = _member(_STATUS, value, f"statuses.{key}", "status")
        for key, value in _section(data, "priorities").items():
            priorities[_key(key)] = _member(_PRIORITY, value, f"priorities.{key}", "priority")
        for key, value in _section(data, "channels").items():
            if not isinstance(value, str) or not value.strip() or value.strip() != value:
                raise ConfigError(f"channels.{key}", f"expected a channel name, got {short(value)}")
            channels[_key(key)] = value
        return VendorMap(
            source=self.source, statuses=statuses, priorities=priorities, channels=channels
        )

    def to_dict(self) -> dict[str, Any]:
        """The table as ``with_overrides`` reads it (vendor keys in lower case).

        >>> DEFAULT_MAPS["zendesk"].to_dict()["statuses"]["hold"]
        'on_hold'
        """
        return {
            "statuses": {k: None if v is None else v.value for k, v in self.statuses.items()},
            "priorities": {k: None if v is None else v.value for k, v in self.priorities.items()},
            "channels": dict(self.channels),
        }


def _section(data: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    section = data.get(name, {})
    if not isinstance(section, Mapping):
        raise ConfigError(name, f"expected a mapping of vendor names, got {short(section)}")
    return section


def _member(names: Mapping[str, Any], value: object, path: str, what: str) -> Any:
    if value is None:
        return None
    if isinstance(value, str) and value in names:
        return names[value]
    raise ConfigError(
        path,
        f"{short(value)} is not a servicekit {what}; expected one of {', '.join(names)} or null",
    )


_S = Status
_P = Priority
_STANDARD_PRIORITIES: dict[str, Priority | None] = {p.value: p for p in Priority}

DEFAULT_MAPS: Mapping[str, VendorMap] = MappingProxyType(
    {
        # https://developer.zendesk.com/api-reference/ticketing/tickets/tickets/ (status,
        # priority); via channels: https://developer.zendesk.com/documentation/ticketing/
        # reference-guides/via-object-reference/
        "zendesk": VendorMap(
            source="zendesk",
            statuses={
                "new": _S.NEW,
                "open": _S.OPEN,
                "pending": _S.PENDING,
                "hold": _S.ON_HOLD,
                "solved": _S.SOLVED,
                "closed": _S.CLOSED,
                "deleted": None,
            },
            priorities=_STANDARD_PRIORITIES,
            channels={
                "web": "web",
                "email": "email",
                "chat": "chat",
                "voice": "phone",
                "api": "api",
                "mobile_sdk": "messaging",
                "native_messaging": "messaging",
                "sunshine_conversations_api": "messaging",
                "twitter": "social",
                "facebook": "social",
            },
        ),
        # Jira Service Management's default workflows (Service request / Incident).
        "jira": VendorMap(
            source="jira",
            statuses={
                "open": _S.NEW,
                "waiting for support": _S.OPEN,
                "in progress": _S.OPEN,
                "work in progress": _S.OPEN,
                "escalated": _S.OPEN,
                "waiting for customer": _S.PENDING,
                "pending": _S.ON_HOLD,
                "waiting for approval": _S.ON_HOLD,
                "resolved": _S.SOLVED,
                "completed": _S.SOLVED,
                "done": _S.SOLVED,
                "canceled": _S.SOLVED,
                "declined": _S.SOLVED,
                "closed": _S.CLOSED,
            },
            priorities={
                "lowest": _P.LOW,
                "low": _P.LOW,
                "medium": _P.NORMAL,
                "high": _P.HIGH,
                "highest": _P.URGENT,
            },
            channels={"portal": "web", "email": "email", "jira": "api", "api": "api"},
        ),
        # Zammad's default ticket states and priorities (1 low, 2 normal, 3 high).
        "zammad": VendorMap(
            source="zammad",
            statuses={
                "new": _S.NEW,
                "open": _S.OPEN,
                "pending reminder": _S.ON_HOLD,
                "pending close": _S.PENDING,
                "closed": _S.SOLVED,
                "merged": None,
                "removed": None,
            },
            priorities={
                "1 low": _P.LOW,
                "2 normal": _P.NORMAL,
                "3 high": _P.HIGH,
            },
            channels={"email": "email", "phone": "phone", "web": "web", "chat": "chat"},
        ),
        # OTRS / Znuny default states and priorities.
        "otrs": VendorMap(
            source="otrs",
            statuses={
                "new": _S.NEW,
                "open": _S.OPEN,
                "pending reminder": _S.ON_HOLD,
                "pending auto close+": _S.PENDING,
                "pending auto close-": _S.PENDING,
                "closed successful": _S.SOLVED,
                "closed unsuccessful": _S.SOLVED,
                "merged": None,
                "removed": None,
            },
            priorities={
                "1 very low": _P.LOW,
                "2 low": _P.LOW,
                "3 normal": _P.NORMAL,
                "4 high": _P.HIGH,
                "5 very high": _P.URGENT,
            },
            channels={"email": "email", "phone": "phone", "web": "web", "internal": "api"},
        ),
        # Freshdesk's numeric codes (ticket status 2-5, priority 1-4, source 1-10).
        "freshdesk": VendorMap(
            source="freshdesk",
            statuses={
                "2": _S.OPEN,
                "3": _S.PENDING,
                "4": _S.SOLVED,
                "5": _S.CLOSED,
                "6": _S.ON_HOLD,
                "7": _S.ON_HOLD,
            },
            priorities={"1": _P.LOW, "2": _P.NORMAL, "3": _P.HIGH, "4": _P.URGENT},
            channels={
                "1": "email",
                "2": "web",
                "3": "phone",
                "7": "chat",
                "9": "web",
                "10": "email",
            },
        ),
        # Chatwoot conversation statuses and priorities.
        "chatwoot": VendorMap(
            source="chatwoot",
            statuses={
                "open": _S.OPEN,
                "pending": _S.NEW,
                "snoozed": _S.ON_HOLD,
                "resolved": _S.SOLVED,
            },
            priorities={
                "low": _P.LOW,
                "medium": _P.NORMAL,
                "high": _P.HIGH,
                "urgent": _P.URGENT,
            },
            channels={
                "channel::webwidget": "chat",
                "channel::email": "email",
                "channel::api": "api",
                "channel::whatsapp": "whatsapp",
                "channel::facebookpage": "social",
                "channel::twitterprofile": "social",
                "channel::telegram": "messaging",
                "channel::sms": "messaging",
            },
        ),
    }
)
"""The default :class:`VendorMap` per source (see the tutorial's mapping tables)."""
