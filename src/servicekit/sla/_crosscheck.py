"""Cross-checking servicekit's SLA clocks against a help desk's own: Zendesk ticket
metric events, clock by clock, each difference with the likeliest reason.

Uses only the public ticket and SLA APIs (``PolicySet.select``/``evaluate``, clock
fields, ``ticket.facts.status_periods``, ``calendar.elapsed``).
"""

from __future__ import annotations

import enum
import itertools
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from types import MappingProxyType
from typing import Any

import attrs

from servicekit._checks import of_kind, short
from servicekit.errors import InvalidInputError
from servicekit.sla._clock import Clock
from servicekit.sla._metrics import Metric
from servicekit.sla._policy import PolicySet, SLAPolicy
from servicekit.tickets import Status, Ticket

MINUTE = timedelta(minutes=1)
SECOND = timedelta(seconds=1)
MAX_RECORDS = 10_000
"""Most vendor records one ticket's cross-check reads (a bound on the work)."""

_ZENDESK_METRICS = {
    "requester_wait_time": Metric.REQUESTER_WAIT,
    "agent_work_time": Metric.AGENT_WORK,
    "resolution_time": Metric.RESOLUTION,
    "periodic_update_time": Metric.PERIODIC_UPDATE,
    "pausable_update_time": Metric.PAUSABLE_UPDATE,
}
_STOPPING = frozenset({Status.SOLVED, Status.CLOSED})
_ACTIVATE, _PAUSE, _FULFIL = 0, 1, 2


class Reason(enum.StrEnum):
    """Why servicekit's clock and the vendor's differ (the likeliest cause found).

    >>> Reason("deleted_breach")
    <Reason.DELETED_BREACH: 'deleted_breach'>
    """

    NOT_APPLIED_BY_VENDOR = "not_applied_by_vendor"
    """servicekit has a target; the vendor never applied an SLA to this metric."""
    NO_SERVICEKIT_TARGET = "no_servicekit_target"
    """The vendor applied an SLA; servicekit's policies give this metric no target."""
    TARGET_DIFFERS = "target_differs"
    """Both apply a target, of different durations."""
    BUSINESS_VS_CALENDAR = "business_vs_calendar"
    """One side counts business hours, the other calendar hours."""
    POLICY_APPLIED_LATE = "policy_applied_late"
    """The vendor applied its SLA after the metric's clock started."""
    SCHEDULE_CHANGED = "schedule_changed"
    """The vendor changed the policy, target or schedule after the fact (several
    ``apply_sla`` records), or its business hours differ from servicekit's calendar."""
    DELETED_BREACH = "deleted_breach"
    """The vendor recorded a breach and later deleted it."""
    PAUSE_NOT_RECORDED = "pause_not_recorded"
    """The two sides paused (or stopped) the clock over different spans."""
    UNEXPLAINED = "unexplained"
    """None of the above accounts for the difference."""


@attrs.frozen(kw_only=True)
class Difference:
    """One aspect of one clock on which servicekit and the vendor disagree.

    Attributes:
        metric, cycle: the clock (cycles from 1).
        aspect: ``applied``, ``target``, ``breach``, ``fulfilled`` or ``elapsed``.
        servicekit, vendor: each side's value, as text (``None``: no value).
        reason: the likeliest cause.
        detail: one sentence for a person.
    """

    metric: Metric
    cycle: int
    aspect: str
    servicekit: str | None
    vendor: str | None
    reason: Reason
    detail: str


@attrs.frozen(kw_only=True)
class Crosscheck:
    """Every difference between servicekit's clocks and the vendor's for one ticket.

    Attributes:
        ticket_id: the ticket.
        compared: clock aspects compared.
        differences: the disagreements, in metric and cycle order.
        unread: vendor records that were not metric events of this ticket.
    """

    ticket_id: str
    compared: int
    differences: tuple[Difference, ...]
    unread: int = 0

    @property
    def agrees(self) -> bool:
        """Whether no difference was found."""
        return not self.differences

    def explain(self) -> str:
        """The cross-check for a person, one difference a line."""
        head = (
            f"ticket {self.ticket_id}: {self.compared} clock aspects compared, "
            f"{len(self.differences)} differences"
        )
        lines = [head]
        for d in self.differences:
            lines.append(
                f"{d.metric.value} #{d.cycle} {d.aspect}: servicekit {d.servicekit or '-'}, "
                f"vendor {d.vendor or '-'} [{d.reason.value}] {d.detail}"
            )
        return "\n".join(lines)


@attrs.define
class _Vendor:
    """What the vendor recorded about one clock."""

    applies: list[tuple[datetime, timedelta | None, bool | None]] = attrs.field(factory=list)
    activates: list[datetime] = attrs.field(factory=list)
    pauses: list[datetime] = attrs.field(factory=list)
    fulfills: list[datetime] = attrs.field(factory=list)
    breaches: list[tuple[datetime, bool]] = attrs.field(factory=list)
    status: tuple[float, float] | None = None  # (calendar, business) minutes
    pauses_known: bool = True  # Jira's cycles say how long, not when, a clock paused
    breached: bool | None = None  # Zammad says whether, not when, a clock breached
    due: datetime | None = None  # Zammad's escalation instant of a running clock

    def stops(self) -> list[tuple[datetime, datetime | None]]:
        """Spans the vendor did not count: pause or fulfil up to the next activate."""
        marks = sorted(
            [(t, _PAUSE) for t in self.pauses]
            + [(t, _FULFIL) for t in self.fulfills]
            + [(t, _ACTIVATE) for t in self.activates]
        )
        spans: list[tuple[datetime, datetime | None]] = []
        open_at: datetime | None = None
        open_kind = _ACTIVATE
        started = False
        for at, kind in marks:
            if kind != _ACTIVATE and open_at is None and started:
                open_at, open_kind = at, kind
            elif kind == _ACTIVATE:
                started = True
                if open_at is not None:
                    spans.append((open_at, at))
                    open_at = None
        if open_at is not None and open_kind == _PAUSE:
            spans.append((open_at, None))  # still paused; a final fulfil is the stop
        return spans


def crosscheck(
    ticket: Ticket,
    vendor_records: Iterable[Mapping[str, Any]],
    policies: PolicySet | SLAPolicy,
    *,
    now: datetime | None = None,
    jira_metrics: Mapping[str, Metric | str] | None = None,
) -> Crosscheck:
    """Compare servicekit's SLA clocks for ``ticket`` with the vendor's records of them.

    ``vendor_records`` are Zendesk ticket metric events
    (``GET /api/v2/tickets/{id}/metric_events``: ``activate``, ``pause``, ``fulfill``,
    ``apply_sla``, ``breach`` (``deleted`` when withdrawn), ``update_status``) for the
    ticket; ``reply_time`` instance 1 is the first reply, instance *n* the next reply
    cycle *n - 1*. For each clock the SLA target (and its unit), the breach instant,
    the fulfilment instant and the elapsed minutes are compared (instants to the
    second, minutes within one), and each difference gets the likeliest
    :class:`Reason`, or ``unexplained``.

    They may instead be Jira Service Management SLA values of the ticket (each a
    ``name`` with ``completedCycles`` and/or an ``ongoingCycle`` whose ``startTime``,
    ``stopTime``, ``breachTime`` carry ``epochMillis`` or ``iso8601`` and whose
    ``goalDuration``/``elapsedTime`` carry ``millis``), as ``GET /rest/servicedeskapi/
    request/{key}/sla`` or the SLA custom fields return them. ``jira_metrics`` names
    the servicekit metric of each SLA (default :data:`JIRA_METRICS`); a cycling metric's
    cycles pair up in order, the others span every cycle (elapsed summed). Jira says how
    long a clock paused but not when, so pauses are not compared, and a goal's unit is
    taken to be servicekit's.

    Or they may be the ticket's Zammad record (``GET /api/v1/tickets/{id}``):
    ``first_response_at`` / ``_in_min`` / ``_diff_in_min`` / ``_escalation_at`` and the
    same for ``close`` (see :data:`ZAMMAD_METRICS`); Zammad says whether a met clock
    breached but not when, and a running clock's escalation instant is compared with
    servicekit's due instant.

    Args:
        ticket: the ticket, as imported.
        vendor_records: the vendor's metric events (other tickets' are not read), or
            the ticket's Jira SLA values.
        policies: servicekit's policies (a :class:`PolicySet` or one policy).
        now: evaluation instant; default the latest of the ticket's last event and the
            last vendor record.
        jira_metrics: ``{Jira SLA name: servicekit metric}``.

    Raises:
        InvalidInputError: a record is neither a metric event (``metric``/``type``/
            ``time``) nor a Jira SLA value, more than :data:`MAX_RECORDS` records, or
            ``now`` is before the ticket's last event.

    >>> from datetime import datetime, UTC
    >>> from servicekit import Ticket
    >>> from servicekit.tickets import Replied
    >>> policy = SLAPolicy("24/7", targets={"normal": {
    ...     "first_reply": {"duration": "1h", "business_hours": False}}})
    >>> t = Ticket.create(id="7", at=datetime(2026, 3, 2, 9, tzinfo=UTC), requester="c")
    >>> t = t.apply(Replied(at=datetime(2026, 3, 2, 9, 30, tzinfo=UTC), by="agent"))
    >>> events = [
    ...   {"ticket_id": 7, "metric": "reply_time", "instance_id": 1, "type": "activate",
    ...    "time": "2026-03-02T09:00:00Z"},
    ...   {"ticket_id": 7, "metric": "reply_time", "instance_id": 1, "type": "apply_sla",
    ...    "time": "2026-03-02T09:00:00Z", "sla": {"target": 60, "business_hours": False}},
    ...   {"ticket_id": 7, "metric": "reply_time", "instance_id": 1, "type": "fulfill",
    ...    "time": "2026-03-02T09:45:00Z"}]
    >>> print(crosscheck(t, events, policy).explain())
    ticket 7: 4 clock aspects compared, 1 differences
    first_reply #1 fulfilled: servicekit 2026-03-02T09:30:00+00:00, vendor 2026-03-02T09:45:00+00:00 [unexplained] the vendor stopped the clock at another instant
    """  # noqa: E501
    of_kind(ticket, Ticket, "ticket")
    of_kind(policies, (PolicySet, SLAPolicy), "policies")
    policy_set = policies if isinstance(policies, PolicySet) else PolicySet([policies])
    vendor, last, unread, known = _read_vendor(
        ticket.id, vendor_records, jira_metrics, ticket.created_at
    )
    at = now if now is not None else max(ticket.updated_at, last or ticket.updated_at)
    evaluation = policy_set.evaluate(ticket, now=at)
    policy = policy_set.select(ticket, now=at)
    ours = {(clock.metric, clock.cycle): clock for clock in evaluation if clock.metric in known}
    checker = _Checker(ticket, policy, at)
    for key in sorted(set(ours) | set(vendor), key=lambda k: (list(Metric).index(k[0]), k[1])):
        checker.compare(key[0], key[1], ours.get(key), vendor.get(key))
    return Crosscheck(
        ticket_id=ticket.id,
        compared=checker.compared,
        differences=tuple(checker.found),
        unread=unread,
    )


JIRA_METRICS: Mapping[str, Metric] = MappingProxyType(
    {
        "Time to first response": Metric.FIRST_REPLY,
        "Time to resolution": Metric.REQUESTER_WAIT,
    }
)
"""Jira Service Management's default SLAs in servicekit's terms: "Time to resolution"
pauses while waiting for the customer, as ``requester_wait`` does."""


def _read_vendor(
    ticket_id: str,
    records: Iterable[Mapping[str, Any]],
    jira_metrics: Mapping[str, Metric | str] | None,
    created_at: datetime,
) -> tuple[dict[tuple[Metric, int], _Vendor], datetime | None, int, frozenset[Metric]]:
    """The vendor's clocks, its last instant, records not read, and the metrics it
    can speak of (servicekit's other clocks are not compared)."""
    if isinstance(records, str | bytes | Mapping) or not isinstance(records, Iterable):
        raise InvalidInputError(f"vendor_records must be a list of records, got {short(records)}")
    listed = list(itertools.islice(records, MAX_RECORDS + 1))
    if any(
        isinstance(r, Mapping) and ("completedCycles" in r or "ongoingCycle" in r) for r in listed
    ):
        known = frozenset(_jira_names(jira_metrics).values())
        return (*_read_jira(listed, jira_metrics), known)
    if any(isinstance(r, Mapping) and not _ZAMMAD_KEYS.isdisjoint(r) for r in listed):
        return (*_read_zammad(ticket_id, listed, created_at), frozenset(ZAMMAD_METRICS.values()))
    return (*_read_zendesk(ticket_id, listed), frozenset(Metric))


def _read_jira(
    records: list[Any], jira_metrics: Mapping[str, Metric | str] | None
) -> tuple[dict[tuple[Metric, int], _Vendor], datetime | None, int]:
    names = _jira_names(jira_metrics)
    clocks: dict[tuple[Metric, int], _Vendor] = {}
    last: datetime | None = None
    unread = 0
    for index, record in enumerate(records):
        if index >= MAX_RECORDS:
            raise InvalidInputError(f"more than {MAX_RECORDS} vendor records for one ticket")
        if not isinstance(record, Mapping):
            raise InvalidInputError(f"vendor_records[{index}] is not an object: {short(record)}")
        name = record.get("name")
        metric = names.get(name) if isinstance(name, str) else None
        if metric is None:
            unread += 1
            continue
        completed = record.get("completedCycles") or []
        ongoing = record.get("ongoingCycle")
        if not isinstance(completed, list) or len(completed) > MAX_RECORDS:
            raise InvalidInputError(f"vendor_records[{index}].completedCycles: {short(completed)}")
        cycles = [*completed, *([ongoing] if ongoing is not None else [])]
        for number, cycle in enumerate(cycles, start=1):
            where = f"vendor_records[{index}] cycle {number}"
            if not isinstance(cycle, Mapping):
                raise InvalidInputError(f"{where}: not an object: {short(cycle)}")
            key = (metric, number if metric.cycles else 1)
            clock = clocks.setdefault(key, _Vendor(pauses_known=False))
            stop = _jira_instant(cycle.get("stopTime"), f"{where}.stopTime", optional=True)
            seen = _jira_cycle(clock, cycle, stop, where, ongoing=cycle is ongoing)
            last = seen if last is None else max(last, seen)
    return clocks, last, unread


ZAMMAD_METRICS: Mapping[str, Metric] = MappingProxyType(
    {"first_response": Metric.FIRST_REPLY, "close": Metric.RESOLUTION}
)
"""Zammad's escalation fields (``<name>_at``, ``_in_min``, ``_diff_in_min``,
``_escalation_at``) in servicekit's terms."""
_ZAMMAD_KEYS = frozenset(
    {"escalation_at"}
    | {f"{name}{suffix}" for name in ZAMMAD_METRICS for suffix in ("_in_min", "_escalation_at")}
)


def _read_zammad(
    ticket_id: str, records: list[Any], created_at: datetime
) -> tuple[dict[tuple[Metric, int], _Vendor], datetime | None, int]:
    """Zammad tickets: per metric the instant it was met (``first_response_at``), the
    business minutes it took (``_in_min``) and those left of the target
    (``_diff_in_min``, negative once breached), or the due instant while running
    (``_escalation_at``)."""
    clocks: dict[tuple[Metric, int], _Vendor] = {}
    last: datetime | None = None
    unread = 0
    for index, record in enumerate(records):
        if not isinstance(record, Mapping):
            raise InvalidInputError(f"vendor_records[{index}] is not an object: {short(record)}")
        if str(record.get("id", ticket_id)) != ticket_id:
            unread += 1
            continue
        for name, metric in ZAMMAD_METRICS.items():
            where = f"vendor_records[{index}].{name}"
            took = _zammad_number(record.get(f"{name}_in_min"), f"{where}_in_min")
            left = _zammad_number(record.get(f"{name}_diff_in_min"), f"{where}_diff_in_min")
            met = _zammad_instant(record.get(f"{name}_at"), f"{where}_at")
            due = _zammad_instant(record.get(f"{name}_escalation_at"), f"{where}_escalation_at")
            if took is None and due is None:
                continue
            clock = _Vendor(pauses_known=False)
            if took is not None and left is not None and took + left > 0:
                clock.applies.append((created_at, timedelta(minutes=took + left), None))
                clock.breached = left < 0
                clock.status = (took, took)
            else:
                clock.applies.append((created_at, None, None))
                clock.due = due
            clock.activates.append(created_at)
            if met is not None:
                clock.fulfills.append(met)
            clocks[(metric, 1)] = clock
            for instant in (met, due):
                if instant is not None:
                    last = instant if last is None else max(last, instant)
    return clocks, last, unread


def _zammad_number(value: object, where: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool) and abs(value) < 1e8:
        return float(value)
    raise InvalidInputError(f"{where}: expected minutes, got {short(value)}")


def _zammad_instant(value: object, where: str) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str) and len(value) <= 40:
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            parsed = None
        if parsed is not None and parsed.tzinfo is not None:
            return parsed
    raise InvalidInputError(f"{where}: expected an ISO 8601 instant, got {short(value)}")


def _jira_names(jira_metrics: Mapping[str, Metric | str] | None) -> dict[str, Metric]:
    if jira_metrics is None:
        return dict(JIRA_METRICS)
    if not isinstance(jira_metrics, Mapping):
        raise InvalidInputError(
            f"jira_metrics must map SLA names to metrics, got {short(jira_metrics)}"
        )
    names: dict[str, Metric] = {}
    for name, metric in jira_metrics.items():
        try:
            names[name] = Metric(metric)
        except ValueError:
            raise InvalidInputError(
                f"jira_metrics[{short(name)}]: {short(metric)} is not a metric"
            ) from None
    return names


def _jira_cycle(
    clock: _Vendor, cycle: Mapping[str, Any], stop: datetime | None, where: str, *, ongoing: bool
) -> datetime:
    """Fold one Jira cycle into ``clock``; the latest instant it names."""
    start = _jira_instant(cycle.get("startTime"), f"{where}.startTime")
    assert start is not None
    goal = _jira_millis(cycle.get("goalDuration"), f"{where}.goalDuration")
    elapsed = _jira_millis(cycle.get("elapsedTime"), f"{where}.elapsedTime")
    breach = _jira_instant(cycle.get("breachTime"), f"{where}.breachTime", optional=True)
    if goal is None or goal <= timedelta(0):
        raise InvalidInputError(f"{where}.goalDuration: a cycle needs a positive goal")
    clock.applies.append((start, goal, None))
    clock.activates.append(start)
    if stop is not None and not ongoing:
        clock.fulfills.append(stop)
    if cycle.get("breached") is True and breach is not None:
        clock.breaches.append((breach, False))
    if elapsed is not None:
        minutes = elapsed / MINUTE + (clock.status[0] if clock.status else 0.0)
        clock.status = (minutes, minutes)
    return max(t for t in (start, stop, breach) if t is not None)


def _jira_instant(value: object, where: str, *, optional: bool = False) -> datetime | None:
    if value is None and optional:
        return None
    if isinstance(value, Mapping):
        millis = value.get("epochMillis")
        if isinstance(millis, int) and not isinstance(millis, bool) and abs(millis) < 10**14:
            return datetime.fromtimestamp(millis / 1000, UTC)
        text = value.get("iso8601")
        if isinstance(text, str) and len(text) <= 40:
            try:
                parsed = datetime.fromisoformat(text)
            except ValueError:
                parsed = None
            if parsed is not None and parsed.tzinfo is not None:
                return parsed
    raise InvalidInputError(
        f"{where}: expected {{'epochMillis': ...}} or an ISO 8601 instant, got {short(value)}"
    )


def _jira_millis(value: object, where: str) -> timedelta | None:
    if value is None:
        return None
    millis = value.get("millis") if isinstance(value, Mapping) else None
    if isinstance(millis, int) and not isinstance(millis, bool) and abs(millis) < 10**13:
        return timedelta(milliseconds=millis)
    raise InvalidInputError(f"{where}: expected {{'millis': ...}}, got {short(value)}")


def _read_zendesk(
    ticket_id: str, records: list[Any]
) -> tuple[dict[tuple[Metric, int], _Vendor], datetime | None, int]:
    clocks: dict[tuple[Metric, int], _Vendor] = {}
    last: datetime | None = None
    unread = 0
    for index, record in enumerate(records):
        if index >= MAX_RECORDS:
            raise InvalidInputError(f"more than {MAX_RECORDS} vendor records for one ticket")
        if not isinstance(record, Mapping):
            raise InvalidInputError(f"vendor_records[{index}] is not an object: {short(record)}")
        if str(record.get("ticket_id", ticket_id)) != ticket_id:
            unread += 1
            continue
        key, kind, at = _metric_key(record, index)
        if key is None:
            unread += 1
            continue
        last = at if last is None else max(last, at)
        clock = clocks.setdefault(key, _Vendor())
        _record(clock, kind, at, record, index)
    return clocks, last, unread


def _metric_key(
    record: Mapping[str, Any], index: int
) -> tuple[tuple[Metric, int] | None, str, datetime]:
    metric, kind, time = record.get("metric"), record.get("type"), record.get("time")
    instance = record.get("instance_id", 1)
    if not isinstance(metric, str) or not isinstance(kind, str) or not isinstance(time, str):
        raise InvalidInputError(
            f"vendor_records[{index}]: expected a metric event with metric, type and time, "
            f"got {dict(record)!r:.80}"
        )
    try:
        at = datetime.fromisoformat(time)
    except ValueError:
        raise InvalidInputError(
            f"vendor_records[{index}].time: {short(time)} is not ISO 8601"
        ) from None
    if at.tzinfo is None:
        raise InvalidInputError(f"vendor_records[{index}].time: {short(time)} has no offset")
    if (
        isinstance(instance, bool)
        or not isinstance(instance, int)
        or not 1 <= instance <= MAX_RECORDS
    ):
        raise InvalidInputError(f"vendor_records[{index}].instance_id: {short(instance)}")
    if metric == "reply_time":
        key = (Metric.FIRST_REPLY, 1) if instance == 1 else (Metric.NEXT_REPLY, instance - 1)
        return key, kind, at
    found = _ZENDESK_METRICS.get(metric)
    return (None if found is None else (found, instance)), kind, at


def _record(clock: _Vendor, kind: str, at: datetime, record: Mapping[str, Any], index: int) -> None:
    if kind == "activate":
        clock.activates.append(at)
    elif kind == "pause":
        clock.pauses.append(at)
    elif kind == "fulfill":
        clock.fulfills.append(at)
    elif kind == "breach":
        clock.breaches.append((at, record.get("deleted") is True))
    elif kind == "apply_sla":
        sla = record.get("sla")
        target = sla.get("target") if isinstance(sla, Mapping) else None
        business = sla.get("business_hours") if isinstance(sla, Mapping) else None
        if not isinstance(target, int | float) or isinstance(target, bool) or not 0 < target < 1e7:
            raise InvalidInputError(f"vendor_records[{index}].sla.target: {short(target)}")
        if not isinstance(business, bool):
            raise InvalidInputError(
                f"vendor_records[{index}].sla.business_hours: {short(business)}"
            )
        clock.applies.append((at, timedelta(minutes=target), business))
    elif kind == "update_status":
        status = record.get("status")
        values = (
            (status.get("calendar"), status.get("business"))
            if isinstance(status, Mapping)
            else (None, None)
        )
        if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
            raise InvalidInputError(f"vendor_records[{index}].status: {short(status)}")
        calendar, business = values
        assert isinstance(calendar, int | float)
        assert isinstance(business, int | float)
        clock.status = (float(calendar), float(business))


def _text(value: datetime | timedelta | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    return f"{value / MINUTE:g}m"


def _second(value: datetime | None) -> datetime | None:
    return None if value is None else value.replace(microsecond=0)


class _Checker:
    def __init__(self, ticket: Ticket, policy: SLAPolicy | None, now: datetime) -> None:
        self.ticket = ticket
        self.policy = policy
        self.now = now
        self.compared = 0
        self.found: list[Difference] = []

    def add(
        self, key: tuple[Metric, int, str], ours: Any, theirs: Any, why: tuple[Reason, str]
    ) -> None:
        metric, cycle, aspect = key
        reason, detail = why
        self.found.append(
            Difference(
                metric=metric,
                cycle=cycle,
                aspect=aspect,
                servicekit=_text(ours),
                vendor=_text(theirs),
                reason=reason,
                detail=detail,
            )
        )

    def compare(
        self, metric: Metric, cycle: int, ours: Clock | None, theirs: _Vendor | None
    ) -> None:
        self.compared += 1
        if theirs is None or not theirs.applies:
            if ours is not None:
                why = (Reason.NOT_APPLIED_BY_VENDOR, "the vendor applied no SLA to this clock")
                self.add((metric, cycle, "applied"), ours.budget, None, why)
            return
        if ours is None:
            why = (Reason.NO_SERVICEKIT_TARGET, "servicekit's policies set no target here")
            self.add((metric, cycle, "applied"), None, theirs.applies[-1][1], why)
            return
        _, target, business = theirs.applies[-1]
        self.compared += 1
        if business is not None and business != ours.target.business_hours:
            unit = "business" if business else "calendar"
            why = (Reason.BUSINESS_VS_CALENDAR, f"the vendor counts {unit} hours")
            self.add((metric, cycle, "target"), ours.budget, target, why)
        elif target is not None and abs(target - ours.budget) >= SECOND:
            why = (Reason.TARGET_DIFFERS, "the targets differ")
            self.add((metric, cycle, "target"), ours.budget, target, why)
        self._breach(metric, cycle, ours, theirs)
        self._fulfilled(metric, cycle, ours, theirs)
        self._elapsed(metric, cycle, ours, theirs)
        if theirs.due is not None:
            self.compared += 1
            if _second(theirs.due) != _second(ours.due_at):
                why = self._why(ours, theirs, "the due instants differ")
                self.add((metric, cycle, "due"), ours.due_at, theirs.due, why)

    def _breach(self, metric: Metric, cycle: int, ours: Clock, theirs: _Vendor) -> None:
        self.compared += 1
        standing = [at for at, deleted in theirs.breaches if not deleted]
        vendor_at = _second(standing[-1]) if standing else None
        ours_at = _second(ours.breached_at)
        if theirs.due is not None and theirs.breached is None and not theirs.breaches:
            vendor_at = _second(theirs.due) if theirs.due <= self.now else None  # escalated
        if theirs.breached is not None:  # whether, not when
            if theirs.breached == (ours_at is not None):
                return
            vendor_at = ours_at if theirs.breached else None
            ours_at = ours_at if ours_at is not None else None
        if vendor_at == ours_at:
            return
        if any(deleted for _, deleted in theirs.breaches):
            reason, detail = Reason.DELETED_BREACH, "the vendor deleted a breach it had recorded"
        else:
            reason, detail = self._why(ours, theirs, "the breach instants differ")
        self.add((metric, cycle, "breach"), ours_at, vendor_at, (reason, detail))

    def _fulfilled(self, metric: Metric, cycle: int, ours: Clock, theirs: _Vendor) -> None:
        self.compared += 1
        last_fulfil = max(theirs.fulfills, default=None)
        reopened = last_fulfil is not None and any(a > last_fulfil for a in theirs.activates)
        vendor_at = None if reopened else _second(last_fulfil)
        ours_at = _second(ours.stopped_at)
        if vendor_at == ours_at:
            return
        reason, detail = self._why(ours, theirs, "the vendor stopped the clock at another instant")
        self.add((metric, cycle, "fulfilled"), ours_at, vendor_at, (reason, detail))

    def _elapsed(self, metric: Metric, cycle: int, ours: Clock, theirs: _Vendor) -> None:
        if theirs.status is None:
            return
        self.compared += 1
        calendar, business = theirs.status
        vendor = business if ours.target.business_hours else calendar
        if abs(ours.elapsed / MINUTE - vendor) < 1:
            return
        other = calendar if ours.target.business_hours else business
        if abs(ours.elapsed / MINUTE - other) < 1:
            reason, detail = Reason.BUSINESS_VS_CALENDAR, "the vendor's other unit matches"
        else:
            reason, detail = self._why(ours, theirs, "the elapsed minutes differ")
            if reason is Reason.UNEXPLAINED and ours.target.business_hours:
                counted = self._counted(ours)
                if counted is not None and abs(counted / MINUTE - calendar) < 1:
                    reason = Reason.SCHEDULE_CHANGED
                    detail = "calendar minutes agree: the vendor's business hours differ"
        theirs_elapsed = timedelta(minutes=vendor)
        self.add((metric, cycle, "elapsed"), ours.elapsed, theirs_elapsed, (reason, detail))

    def _why(self, ours: Clock, theirs: _Vendor, fallback: str) -> tuple[Reason, str]:
        targets = {(t, b) for _, t, b in theirs.applies}
        if len(targets) > 1:
            return Reason.SCHEDULE_CHANGED, "the vendor changed the SLA after it first applied it"
        first_applied = min(at for at, _, _ in theirs.applies)
        if first_applied - ours.started_at >= SECOND:
            return Reason.POLICY_APPLIED_LATE, "the vendor applied its SLA after the clock started"
        theirs_stops = [(_second(a), _second(b)) for a, b in theirs.stops()]
        if theirs.pauses_known and self._our_stops(ours) != theirs_stops:
            return Reason.PAUSE_NOT_RECORDED, "the two sides paused the clock over different spans"
        if theirs.applies[-1][2] not in (None, ours.target.business_hours):
            return Reason.BUSINESS_VS_CALENDAR, "one side counts business hours"
        return Reason.UNEXPLAINED, fallback

    def _paused_statuses(self, metric: Metric) -> frozenset[Status]:
        pauses = self.policy.pauses.get(metric, frozenset()) if self.policy else frozenset()
        return frozenset(pauses) | (_STOPPING if metric.resumes else frozenset())

    def _our_stops(self, ours: Clock) -> list[tuple[datetime | None, datetime | None]]:
        """Spans in which servicekit's clock did not count, between its start and stop."""
        statuses = self._paused_statuses(ours.metric)
        end = ours.stopped_at
        spans: list[tuple[datetime | None, datetime | None]] = []
        for period in self.ticket.facts.status_periods:
            if period.status not in statuses:
                continue
            start = max(period.start, ours.started_at)
            stop = period.end
            if end is not None and start >= end:
                continue
            if stop is not None and stop <= start:
                continue
            if period.status in _STOPPING and (end is None or stop is None or stop >= end):
                continue  # the final stop is the fulfilment, not a pause
            spans.append((_second(start), _second(stop)))
        merged: list[tuple[datetime | None, datetime | None]] = []
        for span in spans:
            if merged and merged[-1][1] == span[0]:
                merged[-1] = (merged[-1][0], span[1])
            else:
                merged.append(span)
        return merged

    def _counted(self, ours: Clock) -> timedelta | None:
        """Real time the clock counted: start to stop (or now) minus its pauses."""
        end = ours.stopped_at or self.now
        total = end - ours.started_at
        for start, stop in self._our_stops(ours):
            if start is None:
                return None
            total -= (stop or end) - start
        return total
