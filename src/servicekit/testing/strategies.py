"""Hypothesis strategies for servicekit values: calendars in zones with unusual DST,
instants concentrated around their transitions, durations, valid ticket histories,
and agent snapshots and tasks for routing.

servicekit's own suite uses exactly these. Install with ``pip install
'servicekit[testing]'`` (they need hypothesis).

>>> from hypothesis import given
>>> @given(calendars(zones=("Europe/London",)), st.data())
... def test_add_then_elapsed(cal, data):
...     t, d = data.draw(instants(cal)), data.draw(durations(cal))
...     assert cal.elapsed(t, cal.add(t, d)) == d
>>> test_add_then_elapsed()
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

try:
    from hypothesis import strategies as st
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    raise ImportError(
        "servicekit.testing.strategies needs hypothesis: pip install 'servicekit[testing]'"
    ) from exc

from servicekit.calendars import BusinessCalendar, RecurringClosure, WallInterval
from servicekit.calendars._hours import DAY
from servicekit.routing import AgentState, AgentStatus, Task, WeightedCapacity
from servicekit.tickets import (
    TRANSITIONS,
    Assigned,
    Author,
    Channel,
    Created,
    Escalated,
    Event,
    FieldChanged,
    Merged,
    Priority,
    PriorityChanged,
    Replied,
    SatisfactionRated,
    Status,
    StatusChanged,
    TagsChanged,
    Trigger,
)

__all__ = [
    "AGENT_IDS",
    "ROUTING_AT",
    "ZONES",
    "agent_states",
    "calendars",
    "created_events",
    "durations",
    "events_for",
    "instants",
    "queued_tasks",
    "ticket_histories",
    "transitions",
]

ZONES = (
    "America/New_York",
    "Europe/London",
    "Australia/Lord_Howe",
    "America/Sao_Paulo",
    "America/Santiago",
    "Asia/Kathmandu",
    "Pacific/Chatham",
    "UTC",
)
"""Zones the strategies draw from: half-hour and 45-minute offsets, a 30-minute DST
shift (Lord Howe), southern-hemisphere DST, and UTC."""
YEAR = 2026
MINUTE = 60


def transitions(zone: ZoneInfo, year: int = YEAR) -> list[datetime]:
    """UTC instants in ``year`` at which ``zone``'s offset changes (found hourly)."""
    found = []
    t = datetime(year, 1, 1, tzinfo=UTC)
    previous = t.astimezone(zone).utcoffset()
    while t.year == year:
        t += timedelta(minutes=30)
        offset = t.astimezone(zone).utcoffset()
        if offset != previous:
            found.append(t)
            previous = offset
    return found


_TRANSITIONS = {name: transitions(ZoneInfo(name)) for name in ZONES}


@st.composite
def _day_hours(draw: st.DrawFn) -> list[tuple[int, int]]:
    """0-3 disjoint, non-touching intervals inside one day (seconds)."""
    count = draw(st.integers(0, 3))
    points = draw(
        st.lists(
            st.integers(0, 24 * 4).map(lambda q: q * 15 * MINUTE),
            min_size=2 * count,
            max_size=2 * count,
            unique=True,
        )
    )
    points.sort()
    return [(points[i], points[i + 1]) for i in range(0, len(points), 2)]


@st.composite
def calendars(
    draw: st.DrawFn,
    zones: tuple[str, ...] = ZONES,
    *,
    overnight: bool = True,
    holidays: bool = True,
    overrides: bool = True,
    closures: bool = True,
) -> BusinessCalendar:
    """Random weekly hours (split days, 24:00 closes and, with ``overnight``, shifts
    past midnight), holidays around ``YEAR``, per-date overrides and a fortnightly
    closure, in one of ``zones``. Switch a feature off to narrow what you test."""
    tz = draw(st.sampled_from(zones))
    week = [draw(_day_hours()) for _ in range(7)]
    if not any(week):
        week[0] = [(9 * 3600, 17 * 3600)]
    # Turn some last intervals that close at midnight into overnight shifts.
    for index in range(7):
        following = week[(index + 1) % 7]
        limit = following[0][0] if following else DAY
        if overnight and week[index] and week[index][-1][1] == DAY and draw(st.booleans()):
            start, _ = week[index][-1]
            longest = min(limit, start - MINUTE)  # an interval lasts under 24 hours
            if longest >= MINUTE:
                spill = draw(st.integers(1, longest // MINUTE)) * MINUTE
                week[index][-1] = (start, DAY + spill)
    weekly = {
        name: [WallInterval(s, e) for s, e in hours]
        for name, hours in zip(_WEEKDAYS, week, strict=True)
    }
    closed_days = frozenset[date]()
    if holidays:
        window = st.dates(date(YEAR - 1, 12, 1), date(YEAR + 1, 2, 1))
        closed_days = draw(st.frozensets(window, max_size=12))
    special = {}
    days = st.lists(st.dates(date(YEAR, 1, 1), date(YEAR, 12, 31)), max_size=3, unique=True)
    for day in draw(days) if overrides else []:
        hours = draw(_day_hours())
        if not any(iv.end > DAY for iv in weekly[_WEEKDAYS[(day.weekday() - 1) % 7]]):
            special[day] = [WallInterval(s, e) for s, e in hours]
    recurring = []
    if closures and draw(st.booleans()):
        weekday = draw(st.sampled_from(["MO", "TU", "WE", "TH", "FR", "SA", "SU"]))
        start = draw(st.integers(0, 22)) * 3600
        recurring.append(
            RecurringClosure(
                f"DTSTART:{YEAR - 1}1201T000000\nRRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY={weekday}",
                closed=[WallInterval(start, start + 2 * 3600)],
            )
        )
    return BusinessCalendar(
        tz=tz, weekly=weekly, holidays=closed_days, overrides=special, closures=recurring
    )


_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@st.composite
def instants(
    draw: st.DrawFn,
    calendar: BusinessCalendar,
    *,
    min_value: datetime | None = None,
    max_value: datetime | None = None,
) -> datetime:
    """An instant (microseconds included), often within days of one of the calendar
    zone's DST changes, in the calendar's zone or in UTC. Without bounds it falls in
    ``YEAR``; with ``min_value`` / ``max_value`` (aware, as in ``st.datetimes``) it
    falls between them."""
    low = (min_value or datetime(YEAR, 1, 1, tzinfo=UTC)).astimezone(UTC)
    high = (max_value or datetime(YEAR, 12, 31, tzinfo=UTC)).astimezone(UTC)
    span = (high - low) // timedelta(microseconds=1)
    near = [t for t in _TRANSITIONS.get(calendar.tz.key, []) if low <= t <= high]
    if draw(st.booleans()) and len(near) > 0:
        anchor = draw(st.sampled_from(near))
        window = 4 * 86_400_000_000
        before = (anchor - low) // timedelta(microseconds=1)
        offset = draw(st.integers(-min(window, before), min(window, span - before)))
        t = anchor + timedelta(microseconds=offset)
    else:
        t = low + timedelta(microseconds=draw(st.integers(0, span)))
    if draw(st.booleans()):
        rounded = t.replace(second=0, microsecond=0, minute=t.minute // 15 * 15)
        t = rounded if rounded >= low else t
    return t.astimezone(calendar.tz) if draw(st.booleans()) else t


def _weekly_open_time(calendar: BusinessCalendar) -> timedelta:
    return timedelta(seconds=sum(iv.end - iv.start for day in calendar.weekly for iv in day))


@st.composite
def durations(draw: st.DrawFn, calendar: BusinessCalendar | None = None) -> timedelta:
    """A positive duration to the microsecond: up to two weeks of ``calendar``'s open
    time, or up to 30 days without one."""
    limit = _weekly_open_time(calendar) * 2 if calendar is not None else timedelta(days=30)
    return timedelta(microseconds=draw(st.integers(1, limit // timedelta(microseconds=1))))


NAMES = st.sampled_from(["a-1", "a-2", "a-3", "billing", "vip", "refund", "api"])
_SET_STATUS = {
    Trigger.SET_NEW: Status.NEW,
    Trigger.SET_OPEN: Status.OPEN,
    Trigger.SET_PENDING: Status.PENDING,
    Trigger.SET_ON_HOLD: Status.ON_HOLD,
    Trigger.SET_SOLVED: Status.SOLVED,
    Trigger.SET_CLOSED: Status.CLOSED,
}


@st.composite
def created_events(draw: st.DrawFn) -> Created:
    """A ``Created`` event in 2026, in UTC or a DST-heavy zone."""
    at = datetime(YEAR, 1, 1, tzinfo=UTC) + timedelta(seconds=draw(st.integers(0, 360 * 86_400)))
    by = draw(st.sampled_from([Author.CUSTOMER, Author.AGENT]))
    return Created(
        at=at.astimezone(ZoneInfo(draw(st.sampled_from(ZONES)))),
        ticket_id=draw(st.sampled_from(["T-1", "T-2", "42"])),
        requester="c-1",
        channel=draw(st.sampled_from([*Channel, "whatsapp"])),
        priority=draw(st.sampled_from(Priority)),
        by=by,
        author_id=None if by is Author.CUSTOMER else "a-1",
        tags=draw(st.frozensets(NAMES, max_size=2)),
    )


@st.composite
def events_for(draw: st.DrawFn, trigger: Trigger, at: datetime) -> Event:
    """An event at ``at`` that falls in column ``trigger`` of the lifecycle table."""
    if trigger in _SET_STATUS:
        return StatusChanged(at=at, status=_SET_STATUS[trigger])
    if trigger is Trigger.CUSTOMER_REPLY:
        return Replied(at=at, by=Author.CUSTOMER)
    if trigger is Trigger.AGENT_REPLY:
        return Replied(at=at, by=Author.AGENT, author_id=draw(NAMES))
    if trigger is Trigger.AUTOMATED_REPLY:
        return Replied(at=at, by=draw(st.sampled_from([Author.BOT, Author.SYSTEM])))
    if trigger is Trigger.INTERNAL_NOTE:
        by = draw(st.sampled_from([Author.AGENT, Author.BOT, Author.SYSTEM]))
        return Replied(at=at, by=by, public=False)
    if trigger is Trigger.RATING:
        return SatisfactionRated(at=at, score=draw(st.integers(1, 5)))
    if trigger is Trigger.MERGE:
        return Merged(at=at, into="T-9")
    update = draw(st.integers(0, 4))
    if update == 0:
        return Assigned(at=at, agent=draw(st.none() | NAMES), group=draw(st.none() | NAMES))
    if update == 1:
        return PriorityChanged(at=at, priority=draw(st.sampled_from(Priority)))
    if update == 2:
        added = draw(st.frozensets(NAMES, max_size=2))
        return TagsChanged(
            at=at, added=added, removed=draw(st.frozensets(NAMES, max_size=2)) - added
        )
    if update == 3:
        value = draw(st.none() | st.integers(-3, 3) | st.booleans() | NAMES)
        return FieldChanged(at=at, name=draw(st.sampled_from(["product", "plan"])), value=value)
    return Escalated(at=at, rule=draw(NAMES))


@st.composite
def ticket_histories(draw: st.DrawFn, max_events: int = 20) -> list[Event]:
    """Valid histories: a ``Created`` event, then events the lifecycle table allows,
    in time order, often several at one instant."""
    history: list[Event] = [draw(created_events())]
    status = Status.NEW
    for _ in range(draw(st.integers(0, max_events - 1))):
        if status is Status.CLOSED:
            break
        trigger = draw(st.sampled_from(sorted(TRANSITIONS[status])))
        gap = draw(st.sampled_from([0, 1, 60, 3_600, 86_400]) | st.integers(0, 3 * 86_400))
        event = draw(events_for(trigger, history[-1].at + timedelta(seconds=gap)))
        history.append(event)
        status = TRANSITIONS[status][trigger]
    return history


ROUTING_AT = datetime(2026, 3, 2, 12, tzinfo=UTC)
"""The default instant agent snapshots and tasks are drawn around (as routing's
``now``)."""

AGENT_IDS = tuple(f"agent-{n:02d}" for n in range(12))
"""The ids :func:`agent_states` draws from, so tasks can name them as preferred or
excluded agents (draw a team with ``st.lists(agent_states(), unique_by=lambda a:
a.id)``)."""

_SKILLS = ("billing", "refunds", "shipping", "api")
_LANGUAGES = ("en", "de", "fr")
_GROUPS = ("tier1", "tier2", "vip")
_CHANNELS = ("chat", "email", "phone")
_PRIORITIES = tuple(Priority)


def _before(at: datetime, seconds: int) -> st.SearchStrategy[datetime]:
    """Instants up to ``seconds`` before ``at``, microseconds included."""
    return st.integers(0, seconds * 1_000_000).map(lambda us: at - timedelta(microseconds=us))


@st.composite
def agent_states(
    draw: st.DrawFn,
    *,
    at: datetime = ROUTING_AT,
    skills: tuple[str, ...] = _SKILLS,
    languages: tuple[str, ...] = _LANGUAGES,
    groups: tuple[str, ...] = _GROUPS,
    channels: tuple[str, ...] = _CHANNELS,
    weighted: bool | None = None,
) -> AgentState:
    """Valid agent snapshots at ``at``: any status, skills at levels 0-10, per-channel
    capacity or none, weighted capacity (always with ``weighted=True``, never with
    ``False``, either way by default), loads that may fill or exceed capacity, and
    assignment and idle instants up to a day before ``at``. Ids come from
    :data:`AGENT_IDS`."""
    units = None
    if weighted is True or (weighted is None and draw(st.booleans())):
        units = WeightedCapacity(
            units=draw(st.integers(1, 12)),
            costs=draw(st.dictionaries(st.sampled_from(channels), st.integers(0, 4))),
            priority_extra=draw(
                st.dictionaries(st.sampled_from(list(Priority)), st.integers(0, 2))
            ),
        )
    last = draw(st.none() | _before(at, 86_400))
    return AgentState(
        id=draw(st.sampled_from(AGENT_IDS)),
        status=draw(st.sampled_from(list(AgentStatus))),
        skills=draw(st.dictionaries(st.sampled_from(skills), st.integers(0, 10))),
        languages=draw(st.frozensets(st.sampled_from(languages))),
        groups=draw(st.frozensets(st.sampled_from(groups))),
        capacity=draw(st.none() | st.dictionaries(st.sampled_from(channels), st.integers(0, 4))),
        weighted=units,
        load=draw(st.dictionaries(st.sampled_from(channels), st.integers(0, 4))),
        units_used=draw(st.integers(0, 12)) if units is not None else 0,
        last_assigned_at=last,
        assigned_at_last=0 if last is None else draw(st.integers(0, 3)),
        idle_since=draw(st.none() | _before(at, 86_400)),
        attributes=draw(st.dictionaries(st.just("seniority"), st.integers(0, 20))),
    )


@st.composite
def queued_tasks(
    draw: st.DrawFn,
    *,
    at: datetime = ROUTING_AT,
    skills: tuple[str, ...] = _SKILLS,
    languages: tuple[str, ...] = _LANGUAGES,
    groups: tuple[str, ...] = _GROUPS,
    channels: tuple[str, ...] = _CHANNELS,
) -> Task:
    """Valid tasks waiting at ``at`` (arrived up to 8 hours before): any channel and
    priority, 0-2 required skills at levels 1-10, optional skills, a language or
    none, groups, and preferred or excluded agents from :data:`AGENT_IDS`. Ids are
    ``T-0`` to ``T-999``; draw a queue with ``unique_by=lambda t: t.id``."""
    return Task(
        id=f"T-{draw(st.integers(0, 999))}",
        channel=draw(st.sampled_from(channels)),
        priority=draw(st.sampled_from(_PRIORITIES)),
        arrived_at=draw(_before(at, 8 * 3_600)),
        skills=draw(st.dictionaries(st.sampled_from(skills), st.integers(1, 10), max_size=2)),
        optional_skills=draw(st.frozensets(st.sampled_from(skills), max_size=2)),
        language=draw(st.none() | st.sampled_from(languages)),
        groups=draw(st.frozensets(st.sampled_from(groups), max_size=2)),
        preferred_agents=draw(st.lists(st.sampled_from(AGENT_IDS), max_size=2)),
        excluded_agents=draw(st.frozensets(st.sampled_from(AGENT_IDS), max_size=2)),
    )
