"""Grouping for reports: by calendar period in a time zone (DST-aware days), and by
any key (channel, agent, priority)."""

from __future__ import annotations

import enum
from collections.abc import Callable, Hashable, Iterable, Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import TypeVar
from zoneinfo import ZoneInfo

from servicekit._checks import callback, member
from servicekit._time import require_aware, zone
from servicekit.errors import InvalidInputError, InvalidTypeError, short
from servicekit.kpi._inputs import iterable

T = TypeVar("T")
K = TypeVar("K", bound=Hashable)

_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class Period(enum.StrEnum):
    """A reporting period: local calendar days, weeks or months."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"


def period_start(
    instant: datetime, period: Period | str, tz: str | ZoneInfo, week_start: str = "mon"
) -> datetime:
    """The first instant of the local ``period`` holding ``instant``, in ``tz``: local
    midnight, or the first instant after it where a DST change skips midnight.

    >>> from zoneinfo import ZoneInfo
    >>> sp = ZoneInfo("America/Sao_Paulo")
    >>> period_start(datetime(2018, 11, 4, 12, tzinfo=sp), "day", sp).isoformat()
    '2018-11-04T01:00:00-02:00'
    """
    local = require_aware(instant, "instant").astimezone(zone(tz)).date()
    kind = member(Period, period)
    if kind is Period.WEEK:
        if week_start not in _WEEKDAYS:
            raise InvalidInputError(
                f"week_start must be one of {', '.join(_WEEKDAYS)}, got {short(week_start)}"
            )
        local -= timedelta(days=(local.weekday() - _WEEKDAYS.index(week_start)) % 7)
    elif kind is Period.MONTH:
        local = local.replace(day=1)
    return _local_midnight(local, zone(tz))


def _local_midnight(day: date, tz: ZoneInfo) -> datetime:
    """The first instant of local ``day`` (a skipped midnight resolves forward)."""
    # In a gap, fold=0 reads the wall time with the offset from before the change,
    # which lands on the first instant after the gap.
    return datetime.combine(day, time(), tz).astimezone(UTC).astimezone(tz)


def by_period(
    items: Iterable[T],
    *,
    key: Callable[[T], datetime],
    period: Period | str,
    tz: str | ZoneInfo,
    week_start: str = "mon",
) -> dict[datetime, list[T]]:
    """Items grouped by the local ``period`` (day, week or month in ``tz``) of
    ``key(item)``, ordered by period start; periods without items are left out.

    Raises:
        InvalidInputError: an unknown period or week start;
            NaiveDatetimeError: a key without a time zone.

    >>> from datetime import UTC
    >>> stamps = [datetime(2026, 3, 2, 4, tzinfo=UTC), datetime(2026, 3, 2, 6, tzinfo=UTC)]
    >>> grouped = by_period(stamps, key=lambda t: t, period="day", tz="America/New_York")
    >>> [(start.isoformat(), len(items)) for start, items in grouped.items()]
    [('2026-03-01T00:00:00-05:00', 1), ('2026-03-02T00:00:00-05:00', 1)]
    """
    where = zone(tz)
    callback(key, "key")
    groups: dict[datetime, list[T]] = {}
    for item in iterable(items):
        start = period_start(key(item), period, where, week_start)
        groups.setdefault(start, []).append(item)
    return dict(sorted(groups.items()))


def segment_by(items: Iterable[T], key: Callable[[T], K]) -> dict[K, list[T]]:
    """Items grouped by ``key(item)`` (channel, agent, priority...), keys in sorted
    order when they compare, else in order of first appearance.

    >>> segment_by(["chat:1", "email:2", "chat:3"], key=lambda s: s.split(":")[0])
    {'chat': ['chat:1', 'chat:3'], 'email': ['email:2']}
    """
    callback(key, "key")
    groups: dict[K, list[T]] = {}
    for item in iterable(items):
        group = key(item)
        if not isinstance(group, Hashable):
            raise InvalidInputError(f"key gave {short(group)} for {short(item)}: not a group name")
        groups.setdefault(group, []).append(item)
    try:
        return dict(sorted(groups.items(), key=lambda pair: pair[0]))  # type: ignore[arg-type,return-value]
    except TypeError:
        return groups


def summarize(
    groups: Mapping[K, Iterable[T]], metric: Callable[[Iterable[T]], object]
) -> dict[K, object]:
    """``metric`` applied to every group, keeping the groups' order.

    >>> from servicekit.kpi import csat
    >>> scores = {"chat": [5, 4, 1], "email": [5, 5]}
    >>> {k: v.value for k, v in summarize(scores, csat).items()}
    {'chat': 0.6666666666666666, 'email': 1.0}
    """
    if not isinstance(groups, Mapping):
        raise InvalidTypeError(f"groups must be a mapping of groups to items, got {short(groups)}")
    callback(metric, "metric")
    return {group: metric(items) for group, items in groups.items()}
