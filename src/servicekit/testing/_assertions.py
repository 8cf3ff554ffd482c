"""Table assertions for SLA configuration: every mismatching row reported at once."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta

from servicekit._checks import instant
from servicekit.calendars import Calendar
from servicekit.durations import business_days_of
from servicekit.errors import InvalidInputError, InvalidTypeError, short
from servicekit.sla import ClockState, PolicySet, SLAPolicy
from servicekit.tickets import Ticket


def _utc(instant: datetime) -> str:
    return instant.astimezone(UTC).isoformat(timespec="microseconds")


def _fail(what: str, rows: int, mismatches: list[str]) -> None:
    if mismatches:
        lines = "\n".join(f"  {line}" for line in mismatches)
        raise AssertionError(f"{len(mismatches)} of {rows} {what} differ:\n{lines}")


def assert_due_dates(
    calendar: Calendar, rows: Iterable[tuple[datetime, timedelta | str, datetime]]
) -> None:
    """Check ``calendar.add(start, duration) == expected`` for every row; a
    ``duration`` of business days (``"3bd"``) checks
    ``calendar.add_business_days(start, 3)``. Duration text with a day or week unit
    is refused as :meth:`~servicekit.calendars.Calendar.add` refuses it (``"3d"``
    would be 72 business hours; write ``"72h"`` or ``"3bd"``).

    Instants are compared as instants (in UTC), so a due date in a repeated autumn
    hour matches whichever zone the table writes it in.

    Raises:
        AssertionError: listing every mismatching row (index, start, duration,
            expected and actual, in UTC).

    >>> from datetime import datetime
    >>> from zoneinfo import ZoneInfo
    >>> from servicekit import BusinessCalendar
    >>> ny = ZoneInfo("America/New_York")
    >>> hours = BusinessCalendar(tz=ny, weekly={"mon-fri": ["09:00-17:00"]})
    >>> assert_due_dates(hours, [
    ...     (datetime(2026, 3, 6, 16, tzinfo=ny), "4h", datetime(2026, 3, 9, 12, tzinfo=ny)),
    ...     (datetime(2026, 3, 6, 16, tzinfo=ny), "1h", datetime(2026, 3, 6, 18, tzinfo=ny)),
    ...     (datetime(2026, 3, 6, 16, tzinfo=ny), "3bd", datetime(2026, 3, 11, 16, tzinfo=ny)),
    ... ])
    Traceback (most recent call last):
    ...
    AssertionError: 1 of 3 due dates differ:
      row 1: 2026-03-06T21:00:00.000000+00:00 + 1h: expected 2026-03-06T23:00..., got ...
    """
    if not isinstance(calendar, Calendar):
        raise InvalidTypeError(f"calendar must be a calendar, got {short(calendar)}")
    if isinstance(rows, str | bytes | Mapping) or not isinstance(rows, Iterable):
        raise InvalidTypeError(f"rows must be (start, duration, expected) rows, got {short(rows)}")
    mismatches, count = [], 0
    for index, row in enumerate(rows):
        if not isinstance(row, tuple | list) or len(row) != 3:
            raise InvalidInputError(
                f"row {index}: expected (start, duration, expected), got {short(row)}"
            )
        start, duration, expected = row
        instant(expected, f"row {index}: expected")
        count += 1
        days = business_days_of(duration)
        if days is None:
            actual = calendar.add(start, duration)
        else:
            actual = calendar.add_business_days(start, days)
        if actual != expected:
            mismatches.append(
                f"row {index}: {_utc(start)} + {duration}: expected {_utc(expected)}, "
                f"got {_utc(actual)}"
            )
    _fail("due dates", count, mismatches)


def assert_sla_states(
    policy: SLAPolicy | PolicySet,
    ticket: Ticket,
    now: datetime,
    expected: Mapping[str, ClockState | str],
) -> None:
    """Check the state of each named clock of ``ticket`` at ``now``.

    Args:
        expected: ``{"first_reply": "achieved", "next_reply#2": "breached"}``: a metric
            (its latest cycle) or ``metric#cycle``, and the state it must be in;
            ``"none"`` for a clock that must not exist.

    Raises:
        AssertionError: listing every clock whose state differs, with its reason.

    >>> from datetime import datetime, timedelta, UTC
    >>> from servicekit import SLAPolicy, Ticket
    >>> policy = SLAPolicy("24/7", targets={"normal": {
    ...     "first_reply": {"duration": "1h", "business_hours": False}}})
    >>> t = Ticket.create(id="T-1", at=datetime(2026, 3, 2, 9, tzinfo=UTC), requester="c")
    >>> assert_sla_states(policy, t, t.created_at + timedelta(hours=2),
    ...                   {"first_reply": "running"})
    Traceback (most recent call last):
    ...
    AssertionError: 1 of 1 clocks differ:
      first_reply: expected running, got breached (first reply: breached at ...)
    """
    if not isinstance(policy, SLAPolicy | PolicySet):
        raise InvalidTypeError(f"policy must be an SLAPolicy or PolicySet, got {short(policy)}")
    if not isinstance(expected, Mapping):
        raise InvalidTypeError(f"expected must map clock names to states, got {short(expected)}")
    evaluation = policy.evaluate(ticket, now=now)
    mismatches = []
    for name, state in expected.items():
        metric, _, cycle = str(name).partition("#")
        if cycle and not cycle.isdigit():
            raise InvalidInputError(f"expected: {short(name)} is not metric or metric#cycle")
        clock = evaluation.clock(metric, int(cycle) if cycle else -1)
        actual = "none" if clock is None else clock.state.value
        if actual != str(state):
            why = f" ({clock.reason})" if clock is not None else ""
            mismatches.append(f"{name}: expected {state}, got {actual}{why}")
    _fail("clocks", len(expected), mismatches)
