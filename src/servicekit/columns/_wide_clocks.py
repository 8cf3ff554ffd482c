"""SLA clocks straight from a wide table of milestones, column by column.

A wide row (created, first reply, solved, closed) is a short, fixed history: the
ticket is new from creation, open from a first reply before the solve, solved, then
closed. Under one policy and priority each metric's clock is then one span, so the
clocks of every row come from a few array operations (:func:`elapsed` and :func:`add`
over columns) instead of a ticket and an evaluation per row. The answers are those of
``policies.evaluate(ticket, now=now)`` on the tickets
:func:`~servicekit.columns.tickets_from_timestamps` builds, to the microsecond:

========================  ==========================  =================================
metric                    starts                      stops
========================  ==========================  =================================
``first_reply``           creation                    first reply, or the solve if
                                                      that comes first
``periodic_update``,      first reply, if before the  the solve
``pausable_update``       solve
``resolution``,           creation                    the solve (``closed`` needs it)
``requester_wait``,
``agent_work``
``next_reply``            never (no customer replies in a wide table)
========================  ==========================  =================================

Policies are chosen once per distinct combination of the ticket fields their
conditions read (field comparisons on priority, status, channel, group, requester,
assignee, tags, custom fields, combined with all/any/not). What a wide table cannot
hold raises :class:`~servicekit.errors.InvalidInputError` naming it: conditions on
changes or elapsed time, and pauses in the ``new`` or ``open`` statuses. Build tickets
(:func:`~servicekit.columns.tickets_from_timestamps`) and use
:func:`~servicekit.columns.sla_clocks` for those.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any

from servicekit._time import from_us, require_aware, to_us
from servicekit.columns._business import add, elapsed
from servicekit.columns._clocks import COLUMNS
from servicekit.columns._deps import numpy_and_pandas
from servicekit.columns._instants import Array, instants
from servicekit.columns._tickets import _column, _frame, _replayed, wide_fields
from servicekit.conditions import Combination, Condition, Context, FieldCondition, Not
from servicekit.errors import InvalidInputError, short
from servicekit.sla import Metric, PolicySet, SLAPolicy
from servicekit.tickets import Channel, Priority, Status

_NAT = -(2**63)
_LABELS = ("first_reply", "solved", "closed")
_STOPPING_PAUSES = frozenset({Status.NEW, Status.OPEN})
_ROW_FIELDS = ("priority", "status", "channel", "group", "requester")
_MICROSECOND = timedelta(microseconds=1)


def _fields_read(condition: Condition, policy: str) -> set[str]:
    """The ticket fields ``condition`` reads, if a wide table can answer it."""
    if isinstance(condition, FieldCondition):
        return {condition.field}
    if isinstance(condition, Combination):
        return set().union(*(_fields_read(part, policy) for part in condition.conditions))
    if isinstance(condition, Not):
        return _fields_read(condition.condition, policy)
    raise InvalidInputError(
        f"policy {short(policy)}: the condition {short(condition)} reads more than ticket fields "
        "(changes or elapsed time), which a wide table does not hold; use "
        "columns.sla_clocks(columns.tickets_from_timestamps(...), ...)"
    )


def _checked_policies(policies: object) -> tuple[tuple[SLAPolicy, ...], bool]:
    """The policies, and whether the first matching one applies (a ``PolicySet``)
    or the only one applies to every row (an ``SLAPolicy``)."""
    if isinstance(policies, SLAPolicy):
        found: tuple[SLAPolicy, ...] = (policies,)
        selecting = False
    elif isinstance(policies, PolicySet):
        found, selecting = policies.policies, True
    else:
        raise InvalidInputError(
            f"policies must be a PolicySet or an SLAPolicy, got {type(policies).__name__}"
        )
    for policy in found:
        for rank, targets in policy.targets.items():
            for metric, target in targets.items():
                if target.business_days is not None:
                    raise InvalidInputError(
                        f"policy {short(policy.name)}: the {rank.value} {metric.value} target is "
                        f"{target.business_days} business days, which the wide-table path does "
                        "not compute; use columns.sla_clocks(columns.tickets_from_timestamps"
                        "(...), ...)"
                    )
        for metric in _metrics(policy):
            paused = policy.pauses[metric] & _STOPPING_PAUSES
            if paused:
                raise InvalidInputError(
                    f"policy {short(policy.name)} pauses {metric.value} while "
                    f"{'/'.join(sorted(s.value for s in paused))}; the wide-table path "
                    "cannot split a clock there; use "
                    "columns.sla_clocks(columns.tickets_from_timestamps(...), ...)"
                )
    return found, selecting


def _metrics(policy: SLAPolicy) -> tuple[Metric, ...]:
    """The metrics with a target for some priority, in table order (as evaluated)."""
    return tuple(m for m in Metric if any(m in t for t in policy.targets.values()))


def _codes(np: Any, values: Any) -> Array:
    """Integer codes of ``values`` (equal values, equal codes; ``None`` is -1)."""
    _, pd = numpy_and_pandas()
    codes, _ = pd.factorize(_objects(np, values), use_na_sentinel=True)
    return codes


def _zone(series: Any) -> tzinfo:
    zone: tzinfo = getattr(series.dtype, "tz", None) or UTC
    return zone


def sla_clocks_from_timestamps(
    frame: Any,
    policies: PolicySet | SLAPolicy,
    *,
    now: datetime,
    created: str,
    first_reply: str | None = None,
    solved: str | None = None,
    closed: str | None = None,
    id: str | None = None,
    priority: str | None = None,
    channel: str | None = None,
    requester: str | None = None,
    group: str | None = None,
) -> Any:
    """Every SLA clock of a wide milestone table at ``now``, computed column-wise.

    Equals ``columns.sla_clocks(columns.tickets_from_timestamps(frame, ...), policies,
    now=now)`` (same rows, order, columns and values), without a ticket per row: 100,000
    rows take about a second on business hours. The column arguments are those of
    :func:`~servicekit.columns.tickets_from_timestamps`; the result's columns are
    :data:`~servicekit.columns.COLUMNS`. No clock is ever ``paused`` (a wide table has no
    pending or on-hold spells).

    Args:
        frame: the DataFrame, one row per ticket.
        policies: an ``SLAPolicy`` (applied to every row) or a ``PolicySet`` (first
            match per row; rows no policy selects have no clocks).
        now: the tz-aware instant of evaluation, at or after every milestone; result
            instants are in its zone.
        created, first_reply, solved, closed, id, priority, channel, requester, group:
            column names, as for ``tickets_from_timestamps``.

    Raises:
        InvalidInputError: every error ``tickets_from_timestamps`` raises for the frame;
            ``now`` before a row's last milestone; a policy condition that reads more
            than ticket fields, or pauses in ``new``/``open`` (the message says to build
            tickets and use :func:`~servicekit.columns.sla_clocks`).
        InvalidRecordError: a row whose milestones the lifecycle rejects, as
            ``tickets_from_timestamps`` (``row 3: ...``).
        NaiveDatetimeError: ``now`` or a milestone column without a time zone.

    >>> import pandas as pd
    >>> from datetime import datetime
    >>> from zoneinfo import ZoneInfo
    >>> from servicekit import BusinessCalendar, columns
    >>> from servicekit.sla import SLAPolicy
    >>> hours = BusinessCalendar(tz="America/New_York", weekly={"mon-fri": ["09:00-17:00"]})
    >>> policy = SLAPolicy("standard", calendar=hours,
    ...                    targets={"normal": {"first_reply": "4h", "resolution": "16h"}})
    >>> frame = pd.DataFrame({
    ...     "created": pd.to_datetime(["2026-03-06 16:00", "2026-03-09 09:00"]),
    ...     "replied": pd.to_datetime(["2026-03-09 10:00", None]),
    ... }, index=["T-1", "T-2"]).apply(lambda c: c.dt.tz_localize("America/New_York"))
    >>> now = datetime(2026, 3, 9, 15, tzinfo=ZoneInfo("America/New_York"))
    >>> clocks = columns.sla_clocks_from_timestamps(
    ...     frame, policy, now=now, created="created", first_reply="replied")
    >>> clocks[["ticket_id", "metric", "state", "elapsed", "due_at"]]
      ticket_id       metric     state         elapsed                    due_at
    0       T-1  first_reply  achieved 0 days 02:00:00                       NaT
    1       T-1   resolution   running 0 days 07:00:00 2026-03-10 16:00:00-04:00
    2       T-2  first_reply  breached 0 days 06:00:00 2026-03-09 13:00:00-04:00
    3       T-2   resolution   running 0 days 06:00:00 2026-03-10 17:00:00-04:00
    """
    np, pd = numpy_and_pandas()
    chosen_policies, selecting = _checked_policies(policies)
    if not isinstance(now, datetime):
        raise InvalidInputError(f"now must be a tz-aware datetime, got {short(now)}")
    zone = require_aware(now, "now").tzinfo
    now_us = to_us(now, "now")
    frame = _frame(frame, "frame")
    born_series = _column(frame, created, "created")
    born = instants(born_series, "created")
    if born.missing.any():
        row = int(np.argmax(born.missing))
        raise InvalidInputError(f"created={short(created)}, row {row}: missing instant")
    marks: dict[str, tuple[Array, Array, tzinfo]] = {}
    count = len(born.values)
    for label, column in zip(_LABELS, (first_reply, solved, closed), strict=True):
        if column is not None:
            series = _column(frame, column, label)
            found = instants(series, label)
            marks[label] = (found.values, found.missing, _zone(series))
    ids, priorities, channels, people, groups = wide_fields(
        frame, id=id, priority=priority, channel=channel, requester=requester, group=group
    )
    rows = _Rows(
        np=np,
        created=born.values,
        marks=marks,
        count=count,
        zones=[_zone(born_series), *(m[2] for m in marks.values())],
        fields=(ids, priorities, channels, people, groups),
    )
    rows.check_lifecycle()
    ranks = [p if p is not None else Priority.NORMAL for p in priorities]
    vias = [c if c is not None else Channel.EMAIL for c in channels]
    choice = rows.choose(chosen_policies, selecting, ranks, vias, now)
    rows.check_now(now, now_us)
    parts = [
        part
        for index, policy in enumerate(chosen_policies)
        for part in rows.clocks(policy, index, np.flatnonzero(choice == index), ranks, now_us)
    ]
    return _frame_of(
        np,
        pd,
        parts=parts,
        names=[policy.name for policy in chosen_policies],
        ids=ids,
        vias=vias,
        groups=groups,
        zone=zone,
    )


class _Rows:
    """A wide table's instants as int64 microseconds, and what follows from them."""

    def __init__(
        self,
        *,
        np: Any,
        created: Array,
        marks: dict[str, tuple[Array, Array, tzinfo]],
        count: int,
        zones: list[tzinfo],
        fields: tuple[list[Any], ...],
    ) -> None:
        self.np, self.created, self.marks, self.count = np, created, marks, count
        self.zones, self.fields = zones, fields
        nowhere = np.ones(count, bool)
        zero = np.zeros(count, np.int64)
        self.reply, self.no_reply = self._mark("first_reply", zero, nowhere)
        self.solve, self.no_solve = self._mark("solved", zero, nowhere)
        self.close, self.no_close = self._mark("closed", zero, nowhere)
        # First reply before the solve (at one instant, the reply comes first).
        self.replied_first = ~self.no_reply & (self.no_solve | (self.reply <= self.solve))
        self.status = np.where(
            ~self.no_close,
            3,
            np.where(~self.no_solve, 2, np.where(~self.no_reply, 1, 0)),
        )

    def _mark(self, label: str, zero: Array, nowhere: Array) -> tuple[Array, Array]:
        if label in self.marks:
            values, missing, _ = self.marks[label]
            return values, missing
        return zero, nowhere

    def ticket(self, row: int) -> Any:
        """Row ``row`` as the ticket ``tickets_from_timestamps`` builds (or its error)."""
        ids, priorities, channels, people, groups = self.fields
        columns: list[list[Any]] = [
            [ids[row]],
            [from_us(int(self.created[row]), self.zones[0])],
            [priorities[row]],
            [channels[row]],
            [people[row]],
            [groups[row]],
        ]
        for values, missing, zone in self.marks.values():
            columns.append([None if missing[row] else from_us(int(values[row]), zone)])
        return _replayed(columns, list(self.marks), first_row=row)[0]

    def check_lifecycle(self) -> None:
        """Raise the builder's error for the first row it would reject: a milestone
        before creation, or a close without an earlier (or simultaneous) solve, or a
        reply after the close."""
        np = self.np
        bad = np.zeros(self.count, bool)
        for values, missing, _ in self.marks.values():
            bad |= ~missing & (values < self.created)
        closed = ~self.no_close
        bad |= closed & (self.no_solve | (self.solve > self.close))
        bad |= closed & ~self.no_reply & (self.reply > self.close)
        for row in np.flatnonzero(bad)[:1].tolist():
            self.ticket(row)  # raises InvalidRecordError
            raise AssertionError(f"row {row} should have been rejected")  # pragma: no cover

    def choose(
        self,
        policies: tuple[SLAPolicy, ...],
        selecting: bool,
        ranks: list[Priority],
        vias: list[Any],
        now: datetime,
    ) -> Array:
        """Each row's policy index (-1: none), choosing once per distinct combination
        of the fields the conditions read."""
        np = self.np
        if not selecting:
            return np.zeros(self.count, np.int64)
        read: set[str] = set()
        for policy in policies:
            read |= _fields_read(policy.applies_to, policy.name)
        if not self.count:
            return np.zeros(0, np.int64)
        ids, _, _, people, groups = self.fields
        per_field: dict[str, Callable[[], Any]] = {
            "priority": lambda: ranks,
            "status": lambda: self.status,
            "channel": lambda: vias,
            "group": lambda: groups,
            "requester": lambda: [
                p if p is not None else i for p, i in zip(people, ids, strict=True)
            ],
        }
        codes = [_codes(np, per_field[name]()) for name in _ROW_FIELDS if name in read]
        key = np.zeros(self.count, np.int64)
        for column in codes:  # one integer per combination, renumbered to stay < count
            key = np.unique(key * (int(column.max()) + 2) + column + 1, return_inverse=True)[1]
        _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
        picked = np.array(
            [
                next(
                    (
                        index
                        for index, policy in enumerate(policies)
                        if policy.applies_to.holds(Context(ticket=self.ticket(row), now=now))
                    ),
                    -1,
                )
                for row in first.tolist()
            ],
            np.int64,
        )
        choice: Array = picked[inverse.reshape(-1)]
        return choice

    def last_event(self) -> tuple[Array, Array]:
        """Each row's last event instant, and which column holds it (0: created)."""
        np = self.np
        last, source = self.created.copy(), np.zeros(self.count, np.int64)
        for position, (values, missing, _) in enumerate(self.marks.values(), start=1):
            later = ~missing & (values >= last)
            last = np.where(later, values, last)
            source = np.where(later, position, source)
        return last, source

    def check_now(self, now: datetime, now_us: int) -> None:
        """Raise as the scalar evaluation does for the first row ``now`` precedes."""
        last, source = self.last_event()
        early = self.np.flatnonzero(last > now_us)
        if len(early):
            row = int(early[0])
            at = from_us(int(last[row]), self.zones[int(source[row])])
            raise InvalidInputError(
                f"now={now.isoformat()} is earlier than ticket {self.fields[0][row]}'s last "
                f"event at {at.isoformat()}"
            )

    def spans(self, metric: Metric) -> tuple[Array, Array, Array, Array]:
        """Which rows have a clock for ``metric``, and its start, stop and whether
        it stopped (before any target is applied)."""
        np = self.np
        stopped = ~self.no_solve
        if metric is Metric.FIRST_REPLY:
            has = np.ones(self.count, bool)
            stop = np.where(self.replied_first, self.reply, self.solve)
            return has, self.created, stop, self.replied_first | stopped
        if metric in (Metric.PERIODIC_UPDATE, Metric.PAUSABLE_UPDATE):
            has = ~self.no_reply & (self.no_solve | (self.reply < self.solve))
            return has, self.reply, self.solve, stopped
        if metric.resumes:
            return np.ones(self.count, bool), self.created, self.solve, stopped
        assert metric is Metric.NEXT_REPLY
        nothing = np.zeros(self.count, bool)
        return nothing, self.created, self.created, nothing

    def clocks(
        self, policy: SLAPolicy, index: int, chosen: Array, ranks: list[Priority], now_us: int
    ) -> list[dict[str, Any]]:
        """The clocks of rows ``chosen`` under ``policy`` (number ``index``), one dict
        of columns per metric and priority."""
        np = self.np
        if not len(chosen):
            return []
        rank_of = {p: i for i, p in enumerate(Priority)}
        codes = np.array([rank_of[r] for r in ranks], np.int64)[chosen]
        parts: list[dict[str, Any]] = []
        for order, metric in enumerate(Metric):
            if metric not in _metrics(policy):
                continue
            has, start, stop, stopped = self.spans(metric)
            for rank, targets in policy.targets.items():
                target = targets.get(metric)
                if target is None:
                    continue
                rows = chosen[has[chosen] & (codes == rank_of[rank])]
                if not len(rows):
                    continue
                calendar = policy.calendar if target.business_hours else None
                goal = target.duration // _MICROSECOND
                part = _measured(
                    np, rows=rows, start=start[rows], stop=stop[rows], stopped=stopped[rows],
                    goal=goal, now_us=now_us, calendar=calendar,
                )  # fmt: skip
                part |= {
                    "order": order,
                    "policy": index,
                    "priority": rank_of[rank],
                    "target": goal,
                    "business_hours": target.business_hours,
                }
                parts.append(part)
        return parts


def _measured(
    np: Any,
    *,
    rows: Array,
    start: Array,
    stop: Array,
    stopped: Array,
    goal: int,
    now_us: int,
    calendar: Any,
) -> dict[str, Any]:
    """Elapsed, state, due and breach of one-span clocks ``[start, stop or now)``."""
    end = np.where(stopped, stop, now_us)
    as_time = "datetime64[us]"
    if calendar is None:
        spent = end - start
    else:
        spent = elapsed(calendar, start.view(as_time), end.view(as_time)).view(np.int64)
    breached = (spent > goal) | (~stopped & (spent == goal))
    running = ~breached & ~stopped
    due = np.full(len(rows), _NAT, np.int64)
    if calendar is None:
        due = np.where(breached, start + goal, np.where(running, now_us + goal - spent, _NAT))
    else:
        if breached.any():
            crossed = add(calendar, start[breached].view(as_time), np.timedelta64(goal, "us"))
            due[breached] = crossed.view(np.int64)
        if running.any():
            left = (goal - spent[running]).view("timedelta64[us]")
            waited = add(calendar, np.full(int(running.sum()), now_us).view(as_time), left)
            due[running] = waited.view(np.int64)
    state = np.where(breached, 3, np.where(stopped, 2, 0))
    return {
        "row": rows,
        "state": state,
        "started_at": start,
        "stopped_at": np.where(stopped, stop, _NAT),
        "due_at": due,
        "breached_at": np.where(breached, due, _NAT),
        "elapsed": spent,
    }


_STATES = ("running", "paused", "achieved", "breached")


def _text(np: Any, pd: Any, names: list[Any], codes: Array) -> Any:
    """``names[codes]`` (-1: missing) as the text column a DataFrame infers from
    Python strings and ``None``, built once per distinct value."""
    if len(codes) and (codes >= 0).any():
        cells = np.empty(len(names), dtype=object)
        cells[:] = names
        return pd.array(cells, dtype="str").take(codes, allow_fill=True)
    return pd.array(np.full(len(codes), None, dtype=object), dtype="object")


def _frame_of(
    np: Any,
    pd: Any,
    *,
    parts: list[dict[str, Any]],
    names: list[str],
    ids: list[str],
    vias: list[Any],
    groups: list[Any],
    zone: tzinfo | None,
) -> Any:
    """The clocks as :func:`~servicekit.columns.sla_clocks` lays them out; ``names``
    are the policies' names by index."""
    sizes = [len(part["row"]) for part in parts]

    def joined(name: str, dtype: Any) -> Array:
        if not parts:
            return np.zeros(0, dtype)
        pieces = zip(parts, sizes, strict=True)
        return np.concatenate(
            [np.broadcast_to(np.asarray(p[name], dtype), (n,)) for p, n in pieces]
        )

    row = joined("row", np.int64)
    order = np.lexsort((joined("order", np.int64), row))
    row = row[order]
    channels, channel_names = pd.factorize(_objects(np, vias))
    groups_codes, group_names = pd.factorize(_objects(np, groups), use_na_sentinel=True)
    goal = joined("target", np.int64)[order]
    spent = joined("elapsed", np.int64)[order]
    frame: dict[str, Any] = {
        "ticket_id": _text(np, pd, ids, row),
        "channel": _text(
            np, pd, [getattr(v, "value", v) for v in channel_names.tolist()], channels[row]
        ),
        "group": _text(np, pd, group_names.tolist(), groups_codes[row]),
        "policy": _text(np, pd, names, joined("policy", np.int64)[order]),
        "metric": _text(np, pd, [m.value for m in Metric], joined("order", np.int64)[order]),
        "cycle": np.ones(len(row), np.int64),
        "state": _text(np, pd, list(_STATES), joined("state", np.int64)[order]),
        "priority": _text(np, pd, [p.value for p in Priority], joined("priority", np.int64)[order]),
        "target": goal.view("timedelta64[us]"),
        "business_hours": joined("business_hours", bool)[order],
    }
    for name in ("started_at", "stopped_at", "due_at", "breached_at"):
        raw = joined(name, np.int64)[order].view("datetime64[us]")
        frame[name] = pd.DatetimeIndex(raw).tz_localize("UTC").tz_convert(zone)
    frame["elapsed"] = spent.view("timedelta64[us]")
    frame["remaining"] = (goal - spent).view("timedelta64[us]")
    frame["fraction_used"] = spent / goal
    frame["paused_by"] = pd.array(np.full(len(row), None, dtype=object), dtype="object")
    return pd.DataFrame({name: frame[name] for name in COLUMNS})


def _objects(np: Any, values: list[Any]) -> Array:
    """``values`` as a NumPy object array (one cell per value, never unpacked)."""
    cells = np.empty(len(values), dtype=object)
    cells[:] = values
    return cells
