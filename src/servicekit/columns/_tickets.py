"""Tickets from DataFrames: a long table of events (one row per event, the JSON-lines
record fields as columns) or a wide table of milestone timestamps (one row per ticket).

The long table is read exactly as ``servicekit report`` reads a JSON-lines file, with
the same checks and messages, rows in place of lines. The wide table is checked column
by column (names, priorities and channels once per distinct value, instants as
columns), then its events are built directly and each ticket replayed through the
lifecycle table, so 100,000 rows take about a second.
"""

from __future__ import annotations

import functools
import math
import typing
from collections.abc import Hashable
from datetime import UTC, datetime, tzinfo
from typing import Any, Generic, TypeVar

import attrs

from servicekit._checks import checked_name as check_name
from servicekit._time import from_us
from servicekit.columns._deps import numpy_and_pandas
from servicekit.columns._instants import instants
from servicekit.errors import (
    ConfigError,
    InvalidInputError,
    InvalidRecordError,
    InvalidTransitionError,
    ServicekitError,
    short,
)
from servicekit.tickets import (
    EVENT_TYPES,
    Assigned,
    Author,
    Channel,
    Created,
    Event,
    Priority,
    Replied,
    Status,
    StatusChanged,
    Ticket,
    channel_of,
    event_from_dict,
)
from servicekit.tickets._enums import to_priority

E = TypeVar("E", bound=Event)


def _frame(value: object, name: str) -> Any:
    _, pd = numpy_and_pandas()
    if not isinstance(value, pd.DataFrame):
        raise InvalidInputError(f"{name} must be a pandas DataFrame, got {type(value).__name__}")
    return value


def _column(frame: Any, column: object, argument: str) -> Any:
    if not isinstance(column, Hashable) or column not in frame.columns:
        shown = ", ".join(repr(c) for c in list(frame.columns)[:12])
        raise InvalidInputError(
            f"{argument}={short(column)}: no such column; the frame has {shown}"[:200]
        )
    return frame[column]


def _missing(value: object) -> bool:
    _, pd = numpy_and_pandas()
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def _datetimes(series: Any, name: str) -> list[datetime | None]:
    """A datetime column as ``datetime`` values in its own zone (``None`` where NaT)."""
    column = instants(series, name)
    tz: tzinfo = getattr(series.dtype, "tz", None) or UTC
    return [
        None if gone else from_us(us, tz)
        for us, gone in zip(column.values.tolist(), column.missing.tolist(), strict=True)
    ]


def _plain(value: Any) -> Any:
    """A cell as the JSON value it stands for (an integral float from a column that
    NaN made float is the integer it was)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    np, _ = numpy_and_pandas()
    if isinstance(value, np.ndarray):
        return value.tolist()
    return value


def tickets(events: Any) -> list[Ticket]:
    """The tickets a long event table describes: one row per event, with the fields
    of :func:`~servicekit.tickets.event_to_dict` records as columns (``ticket_id``,
    ``type`` (or ``kind``), ``at``, ``by``, ``status``, ``priority``, ...), as
    ``servicekit report`` reads them from JSON lines. A missing cell (NaN, None, NaT)
    is an absent field.

    Each ticket's rows must come in time order, its ``created`` row first (sort by
    ``at`` with a stable sort if needed). ``at`` is a tz-aware datetime column or ISO
    8601 strings with offsets.

    Raises:
        InvalidRecordError: the first bad row, as ``row 3: field 'priority': ...``
            (rows counted from 0 by position, as ``events.iloc[3]``).
        InvalidInputError: not a DataFrame, or no ``ticket_id``/``type``/``at`` column.

    >>> import pandas as pd
    >>> from servicekit import columns
    >>> events = pd.DataFrame({
    ...     "ticket_id": ["T-1", "T-1", "T-1"],
    ...     "type": ["created", "replied", "status_changed"],
    ...     "at": pd.to_datetime(["2026-03-02 09:00", "2026-03-02 10:00",
    ...                           "2026-03-02 11:00"]).tz_localize("UTC"),
    ...     "requester": ["c-7", None, None],
    ...     "by": [None, "agent", None],
    ...     "status": [None, None, "solved"],
    ... })
    >>> [t.facts.one_touch for t in columns.tickets(events)]
    [True]
    >>> columns.tickets(events.assign(status=[None, None, "done"]))
    Traceback (most recent call last):
    ...
    servicekit.errors.InvalidRecordError: row 2: field 'status': 'done' is not a valid status; ...
    """
    frame = _frame(events, "events")
    kind_column = "type" if "type" in frame.columns or "kind" not in frame.columns else "kind"
    for required in ("ticket_id", kind_column, "at"):
        _column(frame, required, "events column")
    names = [str(c) if c != kind_column else "type" for c in frame.columns]
    cells = []
    for name, column in zip(names, frame.columns, strict=True):
        series = frame[column]
        if name == "at" and getattr(series.dtype, "kind", "O") == "M":
            cells.append(_datetimes(series, "events['at']"))
        else:
            cells.append(series.tolist())
    present = set(names)
    found: dict[str, Ticket] = {}
    for row, values in enumerate(zip(*cells, strict=True)):
        record = {
            name: _plain(value)
            for name, value in zip(names, values, strict=True)
            if not _missing(value)
        }
        for name in _nullable(record.get("type")) & present:
            record.setdefault(name, None)  # a null the frame cannot tell from a gap
        _add_row(found, record, f"row {row}")
    return list(found.values())


@functools.cache
def _nullable(kind: object) -> frozenset[str]:
    """The fields of event type ``kind`` that are required yet may be ``None`` (a
    custom field cleared): a missing cell in their column is that ``None``."""
    event = EVENT_TYPES.get(kind) if isinstance(kind, str) else None
    if event is None:
        return frozenset()
    hints = typing.get_type_hints(event)
    return frozenset(
        f.name
        for f in attrs.fields(event)
        if f.default is attrs.NOTHING and type(None) in typing.get_args(hints[f.name])
    )


def _add_row(found: dict[str, Ticket], record: dict[str, Any], where: str) -> None:
    """One event row, checked as the JSON-lines reader checks one line."""
    ticket_id = record.get("ticket_id")
    if not isinstance(ticket_id, str):
        raise InvalidRecordError(
            where, f"field 'ticket_id': expected the ticket's id, got {short(ticket_id)}"
        )
    if record.get("type") != "created":
        del record["ticket_id"]
    try:
        event = event_from_dict(record)
        if isinstance(event, Created):
            if ticket_id in found:
                raise InvalidRecordError(where, f"ticket {short(ticket_id)} is created twice")
            found[ticket_id] = Ticket.replay([event])
        elif ticket_id not in found:
            raise InvalidRecordError(
                where, f"field 'ticket_id': ticket {short(ticket_id)} has no created event yet"
            )
        else:
            found[ticket_id] = found[ticket_id].apply(event)
    except InvalidRecordError as exc:
        if exc.path == where:
            raise
        raise InvalidRecordError(where, f"field {short(exc.path)}: {exc.message}") from exc
    except ConfigError as exc:
        raise InvalidRecordError(where, f"field {short(exc.path)}: {exc.message}") from exc
    except ServicekitError as exc:
        raise InvalidRecordError(where, str(exc)) from exc


# -- wide tables ------------------------------------------------------------------------


class _Maker(Generic[E]):
    """Builds events of one type from values the caller has checked already (column
    by column), without running the per-field converters again: each value goes
    straight into its slot. ``fields`` names the values ``__call__`` takes, in order;
    they must be the event type's fields, in order, so a change to the event classes
    fails here at first use rather than building wrong events."""

    def __init__(self, kind: type[E], fields: tuple[str, ...]) -> None:
        found = tuple(field.name for field in attrs.fields(kind))
        if found != fields:
            raise AssertionError(f"{kind.__name__} fields are {found}, not {fields}")
        self.kind = kind
        self.setters = tuple(getattr(kind, name).__set__ for name in fields)

    def __call__(self, *values: Any) -> E:
        event = object.__new__(self.kind)
        for setter, value in zip(self.setters, values, strict=True):
            setter(event, value)
        return event


@functools.cache
def _makers() -> tuple[_Maker[Created], _Maker[Assigned], _Maker[Replied], _Maker[StatusChanged]]:
    return (
        _Maker(
            Created,
            ("at", "ticket_id", "requester", "channel", "priority", "by", "author_id", "tags"),
        ),
        _Maker(Assigned, ("at", "agent", "group")),
        _Maker(Replied, ("at", "by", "public", "author_id")),
        _Maker(StatusChanged, ("at", "status", "by", "author_id")),
    )


def _names(frame: Any, column: object, argument: str, check: Any) -> list[Any]:
    """A column of names (or enums) checked once per distinct value; missing cells
    (None, NaN, NaT, ``pd.NA``) are ``None``. Errors name the argument, the column and
    the first bad row."""
    np, pd = numpy_and_pandas()
    series = _column(frame, column, argument)
    try:
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
    except TypeError:
        raise InvalidInputError(
            f"{argument}={short(column)}: expected names, got unhashable cells"
        ) from None
    checked = np.empty(len(uniques) + 1, dtype=object)  # the last slot: missing
    for code, value in enumerate(uniques.tolist()):
        try:
            checked[code] = check(value)
        except ServicekitError as exc:
            row = int(np.argmax(codes == code))
            raise InvalidInputError(f"{argument}={short(column)}, row {row}: {exc}") from None
    values: list[Any] = checked[codes].tolist()
    return values


def tickets_from_timestamps(
    frame: Any,
    *,
    created: str,
    first_reply: str | None = None,
    solved: str | None = None,
    closed: str | None = None,
    id: str | None = None,
    priority: str | None = None,
    channel: str | None = None,
    requester: str | None = None,
    group: str | None = None,
) -> list[Ticket]:
    """Tickets from a wide table with one row per ticket and a column per milestone,
    the commonest warehouse shape. Each argument names a column of ``frame``.

    Each ticket is created at ``created`` (by its requester), assigned to ``group``
    there when a group is given, gets a public agent reply at ``first_reply``, and is
    solved at ``solved`` and closed at ``closed``; a missing milestone (NaT) did not
    happen. Milestone columns are tz-aware datetimes (or NumPy datetime64, UTC);
    events keep the column's zone.

    Args:
        frame: the DataFrame.
        created: creation instants (no missing values).
        first_reply, solved, closed: milestone instants, each at or after ``created``.
        id: ticket ids (names); default: the frame's index labels as strings.
        priority: ``low``/``normal``/``high``/``urgent`` (missing: ``normal``).
        channel: a :class:`~servicekit.tickets.Channel` name or a custom channel
            (missing: ``email``).
        requester: the customer (missing or no column: the ticket's id).
        group: the group the ticket is assigned to at creation (missing: none).

    Raises:
        InvalidInputError: an unknown column, a column of the wrong kind, a bad name,
            priority or channel, or a repeated id, naming the column and the row.
        InvalidRecordError: a row whose milestones the lifecycle rejects (``row 3:
            ...``; a reply before creation, say).

    >>> import pandas as pd
    >>> from servicekit import columns
    >>> frame = pd.DataFrame({
    ...     "created_at": pd.to_datetime(["2026-03-02 09:00", "2026-03-02 09:30"]),
    ...     "replied_at": pd.to_datetime(["2026-03-02 10:00", None]),
    ...     "priority": ["high", None],
    ... }, index=["T-1", "T-2"])
    >>> frame = frame.apply(lambda c: c.dt.tz_localize("UTC") if c.dtype.kind == "M" else c)
    >>> found = columns.tickets_from_timestamps(frame, created="created_at",
    ...                                         first_reply="replied_at", priority="priority")
    >>> [(t.id, t.priority.value, t.facts.first_public_agent_reply_at is not None) for t in found]
    [('T-1', 'high', True), ('T-2', 'normal', False)]
    """
    frame = _frame(frame, "frame")
    born = _datetimes(_column(frame, created, "created"), "created")
    if None in born:
        raise InvalidInputError(
            f"created={short(created)}, row {born.index(None)}: missing instant"
        )
    milestones: list[tuple[str, list[datetime | None]]] = []
    for label, column in (("first_reply", first_reply), ("solved", solved), ("closed", closed)):
        if column is not None:
            series = _column(frame, column, label)
            milestones.append((label, _datetimes(series, label)))
    ids, priorities, channels, people, groups = wide_fields(
        frame, id=id, priority=priority, channel=channel, requester=requester, group=group
    )
    columns: list[list[Any]] = [
        ids,
        born,
        priorities,
        channels,
        people,
        groups,
        *(m[1] for m in milestones),
    ]
    return _replayed(columns, [label for label, _ in milestones])


def wide_fields(
    frame: Any,
    *,
    id: str | None,
    priority: str | None,
    channel: str | None,
    requester: str | None,
    group: str | None,
) -> tuple[list[str], list[Any], list[Any], list[Any], list[Any]]:
    """The checked ids, priorities, channels, requesters and groups of a wide table
    (``None`` where a cell is missing or no column is named), as
    :func:`tickets_from_timestamps` reads them.

    Raises:
        InvalidInputError: an unknown column, a bad value or a repeated id.
    """
    count = len(frame)
    ids = (
        _names(frame, id, "id", lambda v: check_name(v, "id"))
        if id is not None
        else [str(label) for label in frame.index]
    )
    if id is None:
        for row, value in enumerate(ids):
            try:
                check_name(value, "id")
            except ServicekitError as exc:
                raise InvalidInputError(f"index label at row {row}: {exc}") from None
    seen: dict[str, int] = {}
    for row, ticket_id in enumerate(ids):
        if ticket_id is None:
            raise InvalidInputError(f"id={short(id)}, row {row}: missing ticket id")
        if ticket_id in seen:
            raise InvalidInputError(
                f"ticket id {short(ticket_id)} appears twice (rows {seen[ticket_id]} and {row})"
            )
        seen[ticket_id] = row
    none = [None] * count
    priorities = none if priority is None else _names(frame, priority, "priority", to_priority)
    channels = none if channel is None else _names(frame, channel, "channel", channel_of)
    people = (
        none
        if requester is None
        else _names(frame, requester, "requester", lambda v: check_name(v, "requester"))
    )
    groups = (
        none if group is None else _names(frame, group, "group", lambda v: check_name(v, "group"))
    )
    return ids, priorities, channels, people, groups


def _replayed(columns: list[list[Any]], labels: list[str], first_row: int = 0) -> list[Ticket]:
    """One ticket per row of checked columns (ids, creation instants, priorities,
    channels, requesters, groups, then the milestones named by ``labels``); errors
    count rows from ``first_row``."""
    found: list[Ticket] = []
    make_created, assigned, replied, status_changed = _makers()
    agent, customer, no_tags = Author.AGENT, Author.CUSTOMER, frozenset[str]()
    stops = {"solved": Status.SOLVED, "closed": Status.CLOSED}
    rows = enumerate(zip(*columns, strict=True), start=first_row)
    for row, (ticket_id, at, rank, via, who, team, *marks) in rows:
        person = who if who is not None else ticket_id
        history: list[Event] = [
            make_created(
                at,
                ticket_id,
                person,
                via if via is not None else Channel.EMAIL,
                rank if rank is not None else Priority.NORMAL,
                customer,
                person,
                no_tags,
            )
        ]
        if team is not None:
            history.append(assigned(at, None, team))
        later: list[tuple[datetime, int, Event]] = []
        for order, (label, mark) in enumerate(zip(labels, marks, strict=True)):
            if mark is None:
                continue
            if mark < at:
                raise InvalidRecordError(
                    f"row {row}", f"{label} {mark.isoformat()} is before creation {at.isoformat()}"
                )
            event: Event = (
                replied(mark, agent, True, None)
                if label == "first_reply"
                else status_changed(mark, stops[label], agent, None)
            )
            later.append((mark, order, event))
        if len(later) > 1:
            later.sort(key=lambda item: (item[0], item[1]))
        history += [event for _, _, event in later]
        try:
            found.append(Ticket.replay(history))
        except InvalidTransitionError as exc:
            raise InvalidRecordError(f"row {row}", str(exc)) from None
    return found
