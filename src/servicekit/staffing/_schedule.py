"""Shifts and weekly tours that cover a staffing table with the fewest paid hours: a
mixed-integer programme solved by HiGHS through ``scipy.optimize.milp`` (extra ``wfm``).

Coverage is soft: an interval that no allowed shift can cover, or that a cap leaves
short, is reported as uncovered (at a large cost per missing agent), never an
infeasible error. The whole-week goal (Koole & van der Sluis 2003) replaces the
minimum per interval by a service level over the week's contacts, with a floor per
interval, linearised with one binary variable per extra agent in each interval.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from datetime import time, timedelta
from time import perf_counter
from typing import Any, Literal
from zoneinfo import ZoneInfo

import attrs

from servicekit._checks import fraction
from servicekit._time import zone
from servicekit.calendars import BusinessCalendar
from servicekit.calendars._hours import weekday_indexes
from servicekit.durations import checked_duration, format_duration
from servicekit.errors import ConfigError, InvalidInputError, short
from servicekit.routing import AgentState
from servicekit.staffing._plan import Goal, agents_required
from servicekit.staffing._queue import Load, QueueMetrics, queue_metrics
from servicekit.staffing._table import StaffingTable

MAX_VARIABLES = 40_000
"""The most variables one schedule's programme may have (shift starts, tours, slack
and, for the weekly goal, agent steps); more raise
:class:`~servicekit.errors.InvalidInputError`. Weekly 5/2 tours of three shift
lengths starting on any quarter hour need 2,016."""

MAX_NONZEROS = 1_000_000
"""The most (shift, interval) coverage entries one programme may have; more raise
:class:`~servicekit.errors.InvalidInputError` before anything is built. Those tours
have about 320,000."""

MAX_TIME_LIMIT = 600.0
"""The longest solver time limit, in seconds."""

MAX_STEPS = 12
"""The most extra agents per interval the whole-week goal weighs above the floor."""

DAY = 86_400
_DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

_GoalName = Literal["interval", "week"]


def _clock(value: object, name: str) -> timedelta:
    if isinstance(value, timedelta):
        moment = value
    elif isinstance(value, str):
        try:
            parsed = time.fromisoformat(value)
        except ValueError:
            raise InvalidInputError(
                f"{name} must be a clock time 'HH:MM', got {short(value)}"
            ) from None
        if parsed.tzinfo is not None:
            raise InvalidInputError(f"{name} must be a wall-clock time, got {short(value)}")
        moment = timedelta(hours=parsed.hour, minutes=parsed.minute, seconds=parsed.second)
    else:
        raise InvalidInputError(f"{name} must be a clock time 'HH:MM', got {short(value)}")
    if not timedelta(0) <= moment < timedelta(days=1) or moment.microseconds:
        raise InvalidInputError(
            f"{name} must be a time of day in whole seconds, got {short(value)}"
        )
    return moment


def _length(value: object) -> timedelta:
    length = checked_duration("length", value, positive=True)
    if length >= timedelta(days=1):
        raise InvalidInputError(f"a shift must last under 24h, got {short(value)}")
    return length


def _every(value: object) -> timedelta | None:
    return None if value is None else checked_duration("every", value, positive=True)


def _paid(value: object) -> timedelta | None:
    return None if value is None else checked_duration("paid", value, positive=True)


def _earliest(value: object) -> timedelta:
    return _clock(value, "earliest")


def _latest(value: object) -> timedelta | None:
    return None if value is None else _clock(value, "latest")


def _days(value: object) -> frozenset[int]:
    if value is None:
        return frozenset(range(7))
    try:
        return frozenset(weekday_indexes(value, "days"))
    except ConfigError as exc:
        raise InvalidInputError(str(exc)) from exc
    except (TypeError, AttributeError):
        raise InvalidInputError(
            f"days must be weekdays like 'mon-fri', got {short(value)}"
        ) from None


def _name(_: object, attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str) or len(value) > 40:
        raise InvalidInputError(f"name must be a string of up to 40 characters, got {short(value)}")


@attrs.frozen(kw_only=True)
class Shift:
    """A kind of shift: how long it is, when it may start, and on which weekdays.

    A shift may run past midnight and, in a weekly schedule, past the week's end
    into its start (the week repeats).

    Args:
        length: the time it covers, under 24 h (``"8h"``).
        earliest, latest: the start window, clock times ``"HH:MM"``, both included;
            ``latest`` before ``earliest`` wraps past midnight (``"22:00"`` to
            ``"02:00"``). Default: any time of day.
        every: the spacing of allowed starts from ``earliest`` (default: the table's
            interval); a multiple of it.
        paid: the paid time (default ``length``; less for an unpaid break).
        days: the weekdays it may start on (``"mon-fri"``; default every day). In
            tours, a pattern's working days must all be among them.
        name: a label for reports (default: the length, ``"8h"``).

    >>> shift = Shift(length="8h", earliest="06:00", latest="10:00")
    >>> shift.label, [start // 3600 for start in shift.starts(timedelta(hours=1))]
    ('8h', [6, 7, 8, 9, 10])
    """

    length: timedelta = attrs.field(converter=_length)
    earliest: timedelta = attrs.field(default=timedelta(0), converter=_earliest)
    latest: timedelta | None = attrs.field(default=None, converter=_latest)
    every: timedelta | None = attrs.field(default=None, converter=_every)
    paid: timedelta | None = attrs.field(default=None, converter=_paid)
    days: frozenset[int] = attrs.field(default=None, converter=_days)
    name: str = attrs.field(default="", validator=_name)

    @property
    def label(self) -> str:
        """The name, or the length (``"8h"``)."""
        return self.name or format_duration(self.length)

    @property
    def paid_hours(self) -> float:
        """Paid hours of one shift."""
        return (self.length if self.paid is None else self.paid) / timedelta(hours=1)

    def starts(self, interval: timedelta) -> list[int]:
        """Allowed start times, in seconds after midnight, in order of the window."""
        step = interval if self.every is None else self.every
        if step % interval:
            raise InvalidInputError(
                f"every ({format_duration(step)}) must be a multiple of the table's interval "
                f"({format_duration(interval)})"
            )
        if self.earliest % interval:
            raise InvalidInputError(
                f"earliest {_hhmm(self.earliest)} is not on the table's "
                f"{format_duration(interval)} grid"
            )
        first = int(self.earliest.total_seconds())
        span = DAY - 1 if self.latest is None else (int(self.latest.total_seconds()) - first) % DAY
        seconds = int(step.total_seconds())
        return [(first + k) % DAY for k in range(0, span + 1, seconds)]


def _day_names(days: tuple[int, ...], week_start: int) -> str:
    """Weekday names of day indexes, a run across the week's end in its own order
    (``"sat sun mon tue wed"``)."""
    chosen = set(days)
    first = next((d for d in days if (d - 1) % 7 not in chosen), days[0]) if days else 0
    ordered = sorted(days, key=lambda d: (d - first) % 7) if len(chosen) < 7 else list(days)
    return " ".join(_DAY_NAMES[(week_start + d) % 7] for d in ordered)


def _hhmm(value: timedelta) -> str:
    seconds = int(value.total_seconds())
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"


def _tour_patterns(value: object) -> tuple[frozenset[int], ...]:
    """``"5/2"`` (five consecutive days on, two consecutive off: every rotation) or a
    weekday set (``"mon-fri"``); several, as a list."""
    items = (value,) if isinstance(value, str) else value
    if not isinstance(items, Sequence) or not items:
        raise InvalidInputError(
            f"tours must be patterns like '5/2' or 'mon-fri', got {short(value)}"
        )
    patterns: list[frozenset[int]] = []
    for item in items:
        if not isinstance(item, str):
            raise InvalidInputError(f"a tour pattern must be a string, got {short(item)}")
        on, slash, off = item.partition("/")
        if slash:
            if not (on.isdigit() and off.isdigit() and int(on) + int(off) == 7 and int(on) >= 1):
                raise InvalidInputError(f"tour {short(item)}: days on / days off must add up to 7")
            found = [frozenset((r + k) % 7 for k in range(int(on))) for r in range(7)]
        else:
            found = [_days(item)]
        patterns += [p for p in found if p not in patterns]
    return tuple(patterns)


@attrs.frozen(kw_only=True)
class ShiftLine:
    """Agents working one shift at one start time on some days.

    Attributes:
        shift: the kind of shift.
        days: the day indexes worked (0 is the table's first day): one day for a
            plain shift, a tour's working days for a tour.
        start: the start time of day.
        agents: how many agents work it.
        tour: whether this is a weekly tour (the same agents every listed day).
    """

    shift: Shift
    days: tuple[int, ...]
    start: timedelta
    agents: int
    tour: bool

    @property
    def end(self) -> timedelta:
        """The end time of day (may be past midnight: ``"22:00"`` + 8 h is ``06:00``)."""
        return timedelta(seconds=int((self.start + self.shift.length).total_seconds()) % DAY)

    @property
    def paid_hours(self) -> float:
        """Paid hours of all its agents over the schedule."""
        return self.shift.paid_hours * len(self.days) * self.agents


@attrs.frozen(kw_only=True)
class Coverage:
    """One interval of a schedule: what was needed, who is there, and how it serves.

    Attributes:
        start: offset from midnight of the table's first day.
        label: ``"Mon 09:30"``.
        calls: the forecast contacts.
        needed: head count the programme had to reach: the table's per interval,
            or with the whole-week goal the floor's.
        staffed: head count the schedule puts there.
        uncovered: ``needed - staffed`` when short, else 0.
        metrics: :func:`queue_metrics` with the staffed head count after shrinkage.
    """

    start: timedelta
    label: str
    calls: float
    needed: int
    staffed: int
    uncovered: int
    metrics: QueueMetrics


@attrs.frozen(kw_only=True)
class Schedule:
    """Shifts (or tours) covering a staffing table, and how they serve it.

    Attributes:
        lines: the shifts worked, by day and start.
        coverage: one row per interval of the table.
        interval: the table's interval.
        goal: ``"interval"`` (each interval's minimum) or ``"week"``.
        target_service_level: the table's service-level goal.
        floor: the whole-week goal's floor per interval, or ``None``.
        paid_hours: paid hours of all lines.
        optimal: whether the solver proved the paid hours the fewest possible (with
            the coverage reached).
        gap: the solver's relative optimality gap (0 when optimal; ``None`` when no
            solution was found in time).
        status: the solver's word.
        week_start: weekday index of the table's first day.
    """

    lines: tuple[ShiftLine, ...]
    coverage: tuple[Coverage, ...]
    interval: timedelta
    goal: str
    target_service_level: float
    floor: float | None
    paid_hours: float
    optimal: bool
    gap: float | None
    status: str
    week_start: int

    @property
    def agents(self) -> int:
        """Agents needed: each tour is worked by its own agents; plain shifts count
        once per shift."""
        return sum(line.agents for line in self.lines)

    @property
    def uncovered(self) -> tuple[Coverage, ...]:
        """Intervals left short."""
        return tuple(row for row in self.coverage if row.uncovered)

    @property
    def service_level(self) -> float | None:
        """The week's service level re-checked with :func:`queue_metrics`: answered in
        time over all forecast contacts; ``None`` with no contacts."""
        calls = sum(row.calls for row in self.coverage)
        if not calls:
            return None
        return sum(row.calls * row.metrics.service_level for row in self.coverage) / calls

    def to_rows(self) -> list[dict[str, Any]]:
        """One plain dict per line: shift, days, start, end, agents, paid hours."""
        return [
            {
                "shift": line.shift.label,
                "days": _day_names(line.days, self.week_start),
                "start": _hhmm(line.start),
                "end": _hhmm(line.end),
                "agents": line.agents,
                "tour": line.tour,
                "paid_hours": line.paid_hours,
            }
            for line in self.lines
        ]

    def coverage_rows(self) -> list[dict[str, Any]]:
        """One plain dict per interval: needed, staffed, uncovered, service level."""
        return [
            {
                "interval": row.label,
                "calls": row.calls,
                "needed": row.needed,
                "staffed": row.staffed,
                "uncovered": row.uncovered,
                "service_level": row.metrics.service_level,
            }
            for row in self.coverage
        ]

    def explain(self) -> str:
        """What was scheduled, at what cost, and what is left short, for a person."""
        proof = "optimal" if self.optimal else f"not proven optimal ({self.status})"
        if self.gap is not None and not self.optimal:
            proof += f", gap {self.gap:.1%}"
        lines = [f"{self.paid_hours:g} paid hours, {self.agents} agents ({proof})"]
        for line in self.lines:
            days = _day_names(line.days, self.week_start)
            kind = "tour" if line.tour else "shift"
            lines.append(
                f"  {line.agents:>3} x {kind} {line.shift.label:<12} {_hhmm(line.start)}-"
                f"{_hhmm(line.end)}  {days}"
            )
        level = self.service_level
        if level is not None:
            worst = min(
                (row for row in self.coverage if row.calls),
                key=lambda row: row.metrics.service_level,
            )
            goal = f"goal {self.target_service_level:.0%}"
            if self.floor is not None:
                goal += f" over the week, floor {self.floor:.0%} per interval"
            lines.append(
                f"service level re-checked: {level:.1%} overall ({goal}); lowest "
                f"{worst.metrics.service_level:.1%} at {worst.label}"
            )
        short = self.uncovered
        if short:
            listed = ", ".join(f"{row.label} short {row.uncovered}" for row in short[:8])
            more = f" and {len(short) - 8} more" if len(short) > 8 else ""
            lines.append(f"{len(short)} intervals uncovered: {listed}{more}")
        else:
            lines.append("every interval covered")
        return "\n".join(lines)

    def shift_calendars(self, tz: str | ZoneInfo = "UTC") -> tuple[BusinessCalendar, ...]:
        """One weekly calendar per agent: open while that agent works. Plain shifts
        recur on their weekday each week, tours on their days.

        >>> from servicekit.staffing import staffing_table
        >>> table = staffing_table([30] * 48, interval="30m", aht="4m", target="20s")
        >>> plan = schedule(table, shifts=[Shift(length="12h", earliest="08:00",
        ...                                      latest="20:00", every="12h")])
        >>> [c.weekly[0][0].start // 3600 for c in plan.shift_calendars()][:2]
        [8, 8]
        """
        place = zone(tz)
        calendars = []
        for line in self.lines:
            ends = line.start + line.shift.length
            close = "24:00" if ends == timedelta(days=1) else _hhmm(line.end)
            hours = f"{_hhmm(line.start)}-{close}"
            weekly = {_DAY_NAMES[(self.week_start + d) % 7]: [hours] for d in line.days}
            calendar = BusinessCalendar(tz=place, weekly=weekly)
            calendars += [calendar] * line.agents
        return tuple(calendars)

    def roster(
        self, *, agent: AgentState, tz: str | ZoneInfo = "UTC"
    ) -> tuple[tuple[AgentState, BusinessCalendar], ...]:
        """Each agent of the schedule with the calendar of their shifts: what a
        simulator team is made of (``AgentPlan(agent, calendar)`` for each pair).

        Args:
            agent: the template every agent copies (skills, capacity); ids become
                ``"<id>-1"``, ``"<id>-2"``...
            tz: the zone the schedule's clock times are read in.

        >>> from servicekit.routing import AgentState
        >>> from servicekit.simulation import AgentPlan, Arrivals, HandleTime, Team
        >>> from servicekit.staffing import staffing_table
        >>> table = staffing_table([30] * 48, interval="30m", aht="4m", target="20s")
        >>> plan = schedule(table, shifts=[Shift(length="12h", every="12h")])
        >>> pairs = plan.roster(agent=AgentState(id="a", capacity={"chat": 1}))
        >>> team = Team(agents=[AgentPlan(a, shift) for a, shift in pairs],
        ...             arrivals=Arrivals(weekly=60, channels={"chat": 1}),
        ...             handle_times={"chat": HandleTime.exponential("4m")})
        >>> len(team.agents) == plan.agents, pairs[0][0].id
        (True, 'a-1')
        """
        if not isinstance(agent, AgentState):
            raise InvalidInputError(f"agent must be an AgentState template, got {short(agent)}")
        return tuple(
            (attrs.evolve(agent, id=f"{agent.id}-{n}"), shift)
            for n, shift in enumerate(self.shift_calendars(tz), start=1)
        )


# -- the programme ---------------------------------------------------------------------


@attrs.define
class _Model:
    """A MILP in scipy's form, built column by column."""

    costs: list[float] = attrs.field(factory=list)
    upper: list[float] = attrs.field(factory=list)
    integer: list[int] = attrs.field(factory=list)
    rows: list[dict[int, float]] = attrs.field(factory=list)
    low: list[float] = attrs.field(factory=list)
    high: list[float] = attrs.field(factory=list)

    def variable(self, cost: float, upper: float, *, integer: bool) -> int:
        if len(self.costs) >= MAX_VARIABLES:
            raise InvalidInputError(
                f"this schedule needs more than {MAX_VARIABLES:,} variables; allow fewer "
                "start times (a coarser 'every', narrower windows) or fewer shift kinds"
            )
        self.costs.append(cost)
        self.upper.append(upper)
        self.integer.append(1 if integer else 0)
        return len(self.costs) - 1

    def constraint(self, terms: dict[int, float], low: float, high: float) -> None:
        self.rows.append(terms)
        self.low.append(low)
        self.high.append(high)

    def solve_exact(self, time_limit: float, gap: float) -> _Solution:
        """The LP relaxation first: when its vertex is whole (coverage by shifts that
        do not wrap is an interval matrix, so it often is), it is a proven optimum;
        otherwise branch and bound for the rest of the time limit."""
        started = perf_counter()
        relaxed = self.solve(time_limit, gap, relax=True)
        if relaxed.status == 0 and all(
            abs(value - round(value)) < 1e-9
            for value, whole in zip(relaxed.x, self.integer, strict=True)
            if whole
        ):
            return _Solution(
                [round(v) if w else v for v, w in zip(relaxed.x, self.integer, strict=True)],
                0,
                str(relaxed.message),
                0.0,
            )
        left = max(time_limit - (perf_counter() - started), 0.01)
        result = self.solve(left, gap)
        if result.x is None:
            return _Solution(None, result.status, str(result.message), None)
        return _Solution(list(result.x), result.status, str(result.message), result.mip_gap)

    def solve(self, time_limit: float, gap: float, *, relax: bool = False) -> Any:
        try:
            from scipy.optimize import Bounds, LinearConstraint, milp  # noqa: PLC0415
            from scipy.sparse import csr_array  # noqa: PLC0415
        except ImportError as exc:  # pragma: no cover - exercised only without the extra
            raise ImportError(
                "staffing.schedule needs scipy: pip install 'servicekit[wfm]'"
            ) from exc

        data, cols, indptr = [], [], [0]
        for terms in self.rows:
            cols += list(terms)
            data += list(terms.values())
            indptr.append(len(cols))
        matrix = csr_array((data, cols, indptr), shape=(len(self.rows), len(self.costs)))
        return milp(
            self.costs,
            integrality=[0] * len(self.costs) if relax else self.integer,
            bounds=Bounds(0, self.upper),
            constraints=[LinearConstraint(matrix, self.low, self.high)] if self.rows else [],
            options={"time_limit": time_limit, "mip_rel_gap": gap, "disp": False},
        )


@attrs.frozen
class _Solution:
    x: list[float] | None
    status: int
    message: str
    gap: float | None


@attrs.frozen
class _Column:
    shift: Shift
    days: tuple[int, ...]
    start: int  # seconds after midnight
    tour: bool
    cells: tuple[int, ...]


def _columns(
    table: StaffingTable,
    shifts: tuple[Shift, ...],
    patterns: tuple[frozenset[int], ...] | None,
    week_start: int,
    wrap: bool,
) -> list[_Column]:
    interval = int(table.interval.total_seconds())
    offset = int(table.rows[0].start.total_seconds()) // interval
    count = len(table.rows)
    days = -(-(offset + count) // (DAY // interval))
    plans = []
    size = 0
    for shift in shifts:
        if shift.length % table.interval:
            raise InvalidInputError(
                f"shift {shift.label}: length is not a whole number of "
                f"{format_duration(table.interval)} intervals"
            )
        span = int(shift.length.total_seconds()) // interval
        starts = shift.starts(table.interval)
        work_patterns = (
            [frozenset({d}) for d in range(days) if (week_start + d) % 7 in shift.days]
            if patterns is None
            else [p for p in patterns if all((week_start + d) % 7 in shift.days for d in p)]
        )
        size += sum(len(p) for p in work_patterns) * len(starts) * span
        if size > MAX_NONZEROS:
            raise InvalidInputError(
                f"this schedule has more than {MAX_NONZEROS:,} shift-interval entries; allow "
                "fewer start times (a coarser 'every', narrower windows) or fewer shift kinds"
            )
        plans.append((shift, span, starts, work_patterns))
    columns = []
    for shift, span, starts, work_patterns in plans:
        for pattern in work_patterns:
            for start in starts:
                cells: list[int] = []
                for day in sorted(pattern):
                    first = day * (DAY // interval) + start // interval - offset
                    if not 0 <= first < count:
                        break
                    for k in range(span):
                        cell = first + k
                        if wrap:
                            cells.append(cell % count)
                        elif cell < count:
                            cells.append(cell)
                else:
                    columns.append(
                        _Column(
                            shift, tuple(sorted(pattern)), start, patterns is not None, tuple(cells)
                        )
                    )
    return columns


def _steps(table: StaffingTable, floor: float) -> list[tuple[int, list[float], list[int]]]:
    """Per interval, for the whole-week goal: the floor's agents, the service level at
    each agent count from there, and the head count each needs after shrinkage."""
    goal = Goal.of(
        service_level=table.service_level,
        max_occupancy=table.max_occupancy,
        shrinkage=table.shrinkage,
    )
    steps = []
    for row in table.rows:
        if row.calls == 0:
            steps.append((0, [1.0], [0]))
            continue
        low = agents_required(
            calls=row.calls,
            interval=table.interval,
            aht=table.aht,
            target=table.target,
            service_level=floor,
            max_occupancy=table.max_occupancy,
            patience=table.patience,
        ).agents
        high = max(low, min(row.plan.agents + 3, low + MAX_STEPS))
        levels = [
            queue_metrics(
                calls=row.calls,
                interval=table.interval,
                aht=table.aht,
                agents=n,
                target=table.target,
                patience=table.patience,
            ).service_level
            for n in range(low, high + 1)
        ]
        steps.append((low, levels, [goal.scheduled(n) for n in range(low, high + 1)]))
    return steps


def _check_table(table: object) -> StaffingTable:
    if not isinstance(table, StaffingTable):
        raise InvalidInputError(f"table must be a StaffingTable, got {short(table)}")
    interval = table.interval
    if timedelta(days=1) % interval or interval < timedelta(minutes=1):
        raise InvalidInputError(
            f"the table's interval ({format_duration(interval)}) must divide a day evenly"
        )
    if table.rows[0].start % interval:
        raise InvalidInputError("the table must start on a multiple of its interval")
    if table.rows[0].start + len(table.rows) * interval > timedelta(days=7):
        raise InvalidInputError(
            "schedule plans at most one week: the table runs past the 7th day's midnight"
        )
    return table


def _limits(value: object) -> dict[int, int]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise InvalidInputError(f"day_limits must map weekdays to counts, got {short(value)}")
    limits = {}
    for key, limit in value.items():
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
            raise InvalidInputError(f"day_limits.{key} must be a count >= 0, got {short(limit)}")
        for day in _days(key):
            limits[day] = limit
    return limits


def _shift_list(value: object) -> tuple[Shift, ...]:
    items = (value,) if isinstance(value, Shift) else value
    if not isinstance(items, Sequence) or isinstance(items, str) or not items:
        raise InvalidInputError(f"shifts must be one or more Shift values, got {short(value)}")
    for item in items:
        if not isinstance(item, Shift):
            raise InvalidInputError(f"not a Shift: {short(item)}")
    return tuple(items)


def schedule(
    table: StaffingTable,
    *,
    shifts: Shift | Sequence[Shift],
    tours: str | Sequence[str] | None = None,
    week_start: str = "mon",
    wrap: bool | None = None,
    day_limits: Mapping[str, int] | None = None,
    max_agents: int | None = None,
    goal: _GoalName = "interval",
    floor: float = 0.5,
    time_limit: float = 10.0,
    gap: float = 0.0,
) -> Schedule:
    """Shifts, or weekly tours, covering ``table`` with the fewest paid hours.

    Plain shifts (``tours=None``) are chosen day by day: how many of each kind start
    at each allowed time. Tours give every agent a weekly pattern (``"5/2"``: five
    consecutive days on, two off, every rotation) working one kind of shift at one
    start time on each working day. The programme is solved by HiGHS
    (``scipy.optimize.milp``) within ``time_limit`` seconds; an interval it cannot
    cover is reported in :attr:`Schedule.uncovered`, never an error. HiGHS may print a
    stray C-level debug line to stdout (ERGO-Code/HiGHS#2734; no option turns it off);
    the library leaves the process's stdout alone, and ``servicekit plan`` keeps it out
    of its output.

    Args:
        table: a staffing table of at most one week, its interval dividing a day,
            e.g. from :meth:`servicekit.forecast.Forecast.to_staffing`.
        shifts: the kinds of shift allowed.
        tours: tour patterns (``"5/2"``, ``"4/3"``, ``"mon-fri"``); needs a table of
            exactly one week from midnight.
        week_start: the weekday of the table's first day.
        wrap: whether the table repeats, so a shift running past its end covers its
            start (a week: Sunday night into Monday). Default: when the table is
            whole days from midnight. Otherwise the part past the end covers nothing.
        day_limits: most agents working on a weekday (``{"sun": 3}``).
        max_agents: most agents: in tours, in all; with plain shifts, per day.
        goal: ``"interval"``: each interval gets the table's head count;
            ``"week"``: the service level over the week's contacts reaches the
            table's goal, each interval at least ``floor`` (Koole & van der Sluis
            2003); usually fewer paid hours.
        floor: the whole-week goal's floor per interval, in (0, goal].
        time_limit: seconds the solver may run, up to :data:`MAX_TIME_LIMIT`.
        gap: relative optimality gap at which to stop, in [0, 1).

    Raises:
        InvalidInputError: a bad argument, or a programme above
            :data:`MAX_VARIABLES` variables.
        ImportError: scipy is missing (install ``servicekit[wfm]``).

    >>> from servicekit.staffing import staffing_table
    >>> table = staffing_table([20] * 16 + [60] * 16 + [20] * 16, interval="30m",
    ...                        aht="4m", target="20s")
    >>> plan = schedule(table, shifts=[Shift(length="8h")])
    >>> plan.paid_hours, plan.optimal, len(plan.uncovered)
    (168.0, True, 0)
    """
    table = _check_table(table)
    kinds = _shift_list(shifts)
    first_day: list[int] | tuple[int, ...]
    try:
        first_day = weekday_indexes(week_start, "week_start")
    except (ConfigError, TypeError, AttributeError):
        first_day = ()
    if len(first_day) != 1:
        raise InvalidInputError(f"week_start must be one weekday ('mon'), got {short(week_start)}")
    whole_days = table.rows[0].start == timedelta(0) and not (
        len(table.rows) * table.interval
    ) % timedelta(days=1)
    if wrap is None:
        wrap = whole_days
    elif not isinstance(wrap, bool):
        raise InvalidInputError(f"wrap must be true, false or None, got {short(wrap)}")
    elif wrap and not whole_days:
        raise InvalidInputError("wrap needs a table of whole days from midnight")
    patterns = None if tours is None else _tour_patterns(tours)
    if patterns is not None and (not wrap or len(table.rows) * table.interval != timedelta(days=7)):
        raise InvalidInputError("tours need a table of exactly one week from midnight, wrapping")
    if goal not in ("interval", "week"):
        raise InvalidInputError(f"goal must be 'interval' or 'week', got {short(goal)}")
    if goal == "week":
        floor = fraction("floor", floor, 0.0, table.service_level, closed_high=True)
    if isinstance(time_limit, bool) or not isinstance(time_limit, int | float):
        raise InvalidInputError(f"time_limit must be seconds, got {short(time_limit)}")
    if not 0 < time_limit <= MAX_TIME_LIMIT:
        raise InvalidInputError(
            f"time_limit must be in (0, {MAX_TIME_LIMIT:g}], got {short(time_limit)}"
        )
    if isinstance(gap, bool) or not isinstance(gap, int | float) or not 0 <= gap < 1:
        raise InvalidInputError(f"gap must be in [0, 1), got {short(gap)}")
    if max_agents is not None and (
        isinstance(max_agents, bool) or not isinstance(max_agents, int) or max_agents < 0
    ):
        raise InvalidInputError(f"max_agents must be a count >= 0 or None, got {short(max_agents)}")
    limits = _limits(day_limits)
    built = _build(
        table,
        kinds,
        patterns=patterns,
        week_start=first_day[0],
        wrap=wrap,
        limits=limits,
        max_agents=max_agents,
        floor=floor if goal == "week" else None,
    )
    result = built.model.solve_exact(float(time_limit), float(gap))
    return _result(table, built, result, goal=goal, floor=floor, week_start=first_day[0])


@attrs.frozen
class _Built:
    model: _Model
    columns: list[_Column]
    needed: list[int]


def _build(
    table: StaffingTable,
    kinds: tuple[Shift, ...],
    *,
    patterns: tuple[frozenset[int], ...] | None,
    week_start: int,
    wrap: bool,
    limits: dict[int, int],
    max_agents: int | None,
    floor: float | None,
) -> _Built:
    columns = _columns(table, kinds, patterns, week_start, wrap)
    if len(columns) > MAX_VARIABLES:
        raise InvalidInputError(
            f"this schedule needs {len(columns):,} shift variables, more than "
            f"{MAX_VARIABLES:,}; allow fewer start times or fewer shift kinds"
        )
    steps = None if floor is None else _steps(table, floor)
    needed = (
        [row.plan.scheduled for row in table.rows]
        if steps is None
        else [heads[0] for _, _, heads in steps]
    )
    ceiling = max(
        needed if steps is None else [heads[-1] for _, _, heads in steps],
        default=0,
    )
    model = _Model()
    costs = [c.shift.paid_hours * len(c.days) for c in columns]
    # An uncovered head costs more than any shift, and a whole multiple of the costs'
    # common unit (minutes paid), so the objective stays on one grid: HiGHS then rounds
    # its bound up to that grid and proves optimality sooner.
    minutes = [round(cost * 60) for cost in costs]
    unit = math.gcd(*minutes) or 1
    penalty = unit * (2 * max(minutes, default=60) // unit + 1) / 60
    for cost in costs:
        model.variable(cost, ceiling, integer=True)
    cover: list[dict[int, float]] = [{} for _ in table.rows]
    for index, column in enumerate(columns):
        for cell in column.cells:
            cover[cell][index] = cover[cell].get(index, 0.0) + 1.0
    for cell, terms in enumerate(cover):
        slack = model.variable(penalty, needed[cell], integer=True)
        terms[slack] = 1.0
    if steps is not None:
        calls = [row.calls for row in table.rows]
        total = sum(calls)
        level: dict[int, float] = {}
        base = 0.0
        for cell, (_, levels, heads) in enumerate(steps):
            base += calls[cell] * levels[0]
            gains = [b - a for a, b in itertools.pairwise(levels)]
            # With each step one head and gains that shrink, the best use of any whole
            # number of heads takes whole steps in order, so the steps may be continuous.
            exact = all(b - a == 1 for a, b in itertools.pairwise(heads)) and all(
                later <= earlier for earlier, later in itertools.pairwise(gains)
            )
            previous = None
            for k, gain in enumerate(gains, start=1):
                step = model.variable(0.0, 1.0, integer=not exact)
                level[step] = calls[cell] * gain
                cover[cell][step] = -(heads[k] - heads[k - 1])
                if previous is not None and not exact:
                    model.constraint({previous: 1.0, step: -1.0}, 0.0, math.inf)
                previous = step
        shortfall = model.variable(penalty * len(table.rows), math.inf, integer=False)
        level[shortfall] = 1.0
        if total:
            model.constraint(level, table.service_level * total - base, math.inf)
    for cell, terms in enumerate(cover):
        model.constraint(terms, needed[cell], math.inf)
    per_day = DAY // int(table.interval.total_seconds())
    days = -(-(int(table.rows[0].start / table.interval) + len(table.rows)) // per_day)
    for day in range(days):
        weekday = (week_start + day) % 7
        working = {i: 1.0 for i, c in enumerate(columns) if day in c.days}
        if weekday in limits and working:
            model.constraint(working, -math.inf, limits[weekday])
        if max_agents is not None and patterns is None and working:
            model.constraint(working, -math.inf, max_agents)
    if max_agents is not None and patterns is not None and columns:
        model.constraint(dict.fromkeys(range(len(columns)), 1.0), -math.inf, max_agents)
    return _Built(model, columns, needed)


def _label(start: timedelta, week_start: int) -> str:
    seconds = int(start.total_seconds())
    day, rest = divmod(seconds, DAY)
    return f"{_DAY_NAMES[(week_start + day) % 7].title()} {_hhmm(timedelta(seconds=rest))}"


def _result(
    table: StaffingTable,
    built: _Built,
    result: _Solution,
    *,
    goal: str,
    floor: float,
    week_start: int,
) -> Schedule:
    goal_ = Goal.of(
        service_level=table.service_level,
        max_occupancy=table.max_occupancy,
        shrinkage=table.shrinkage,
    )
    solution = [0] * len(built.columns) if result.x is None else result.x
    lines = []
    staffed = [0] * len(table.rows)
    for index, column in enumerate(built.columns):
        agents = round(solution[index])
        if agents <= 0:
            continue
        for cell in column.cells:
            staffed[cell] += agents
        lines.append(
            ShiftLine(
                shift=column.shift,
                days=column.days,
                start=timedelta(seconds=column.start),
                agents=agents,
                tour=column.tour,
            )
        )
    lines.sort(key=lambda line: (line.days, line.start, line.shift.label))
    coverage = []
    queue = Load.of(
        calls=0,
        interval=table.interval,
        aht=table.aht,
        target=table.target,
        patience=table.patience,
    )
    seen: dict[tuple[float, int], QueueMetrics] = {}
    for cell, row in enumerate(table.rows):
        agents = goal_.productive(staffed[cell])
        metrics = seen.get((row.calls, agents))
        if metrics is None:
            load = queue.with_calls(row.calls)
            metrics = seen[row.calls, agents] = load.metrics(
                agents, load.blocking(agents).at(agents)
            )
        coverage.append(
            Coverage(
                start=row.start,
                label=_label(row.start, week_start),
                calls=row.calls,
                needed=built.needed[cell],
                staffed=staffed[cell],
                uncovered=max(0, built.needed[cell] - staffed[cell]),
                metrics=metrics,
            )
        )
    found = result.x is not None
    return Schedule(
        lines=tuple(lines),
        coverage=tuple(coverage),
        interval=table.interval,
        goal=goal,
        target_service_level=table.service_level,
        floor=floor if goal == "week" else None,
        paid_hours=sum(line.paid_hours for line in lines),
        optimal=result.status == 0,
        gap=(0.0 if result.status == 0 else result.gap) if found else None,
        status=result.message if found else "no solution found within the time limit",
        week_start=week_start,
    )
