"""Rising topics: tags or categories whose share of distinct requesters in a period rises
against their own trailing baseline.

For each topic, ``x1`` of the ``n1`` distinct requesters of the period raised it, and
``x0`` of the ``n0`` of the baseline window. The test treats requesters raising a topic
as a Poisson count with exposure ``n`` (requesters seen) and compares the two rates
exactly, conditionally on ``x0 + x1`` (Przyborowski and Wilenski 1940; the "conditional
binomial" rate-ratio test): under "no change", ``x1 ~ Binomial(x0 + x1, n1 / (n0 + n1))``.
The one-sided p-value asks how likely a count at least this high is. Benjamini-Hochberg
then controls the false discovery rate across topics, and a topic is flagged only when
it also reaches a floor of distinct requesters in the period.

p-value conventions (a required argument, since they differ for small counts):

=========  =====================================================  ======================
name       p-value                                                 false alarms
=========  =====================================================  ======================
``exact``  ``P(X >= x1)``                                          at most the nominal
                                                                   rate (conservative)
``mid_p``  ``P(X > x1) + P(X == x1) / 2`` (Lancaster 1961)         close to nominal, may
                                                                   exceed it slightly
=========  =====================================================  ======================
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping
from datetime import datetime
from typing import Any, Literal, get_args

import attrs

from servicekit._checks import checked_name, fraction, short, whole
from servicekit.errors import InvalidInputError
from servicekit.insights._fdr import bh_adjusted
from servicekit.insights._scipy import scipy_stats
from servicekit.tickets import Created, FieldChanged, TagsChanged, Ticket

#: How the one-sided p-value of a discrete test is taken (see the module table).
PValue = Literal["exact", "mid_p"]

#: The most records one call reads.
MAX_RECORDS = 1_000_000


@attrs.frozen(kw_only=True)
class TopicTrend:
    """One topic in the period against its baseline.

    Attributes:
        topic: the tag or category.
        requesters: distinct requesters who raised it in the period.
        baseline_requesters: distinct requesters who raised it in the baseline window.
        share: ``requesters`` over all distinct requesters of the period, in [0, 1].
        baseline_share: the same share in the baseline window.
        ratio: ``share / baseline_share``; ``None`` for a topic new this period.
        p_value: the one-sided p-value of the rate-ratio test (convention as asked).
        q_value: the Benjamini-Hochberg adjusted p-value across all topics.
        flagged: rising: ``q_value <= q`` and at least the floor of requesters.
        reason: one plain-English sentence.
    """

    topic: str
    requesters: int
    baseline_requesters: int
    share: float
    baseline_share: float
    ratio: float | None
    p_value: float
    q_value: float
    flagged: bool
    reason: str

    def to_dict(self) -> dict[str, Any]:
        """One row per topic."""
        return attrs.asdict(self)


@attrs.frozen(kw_only=True)
class RisingTopics:
    """Every topic seen in the period or its baseline, most significant first.

    Attributes:
        topics: one :class:`TopicTrend` per topic, by p-value then name.
        requesters: distinct requesters in the period (``n1``).
        baseline_requesters: distinct requesters in the baseline window (``n0``).
        convention: the p-value convention used.
        q: the false discovery rate.
        min_requesters: the floor of distinct requesters for a flag.
        reason: why nothing could be tested, or how many topics were tested.
    """

    topics: tuple[TopicTrend, ...]
    requesters: int
    baseline_requesters: int
    convention: PValue
    q: float
    min_requesters: int
    reason: str

    @property
    def flagged(self) -> tuple[TopicTrend, ...]:
        """The rising topics, most significant first."""
        return tuple(topic for topic in self.topics if topic.flagged)

    def explain(self) -> str:
        """One line of context, then one sentence per rising topic."""
        lines = [self.reason]
        lines += [f"- {topic.reason}" for topic in self.flagged]
        return "\n".join(lines)

    def to_rows(self) -> list[dict[str, Any]]:
        """One dict per topic (for a data frame)."""
        return [topic.to_dict() for topic in self.topics]


def _instant(value: object, name: str) -> datetime:
    if not isinstance(value, datetime) or value.tzinfo is None or value.utcoffset() is None:
        raise InvalidInputError(f"{name} must be a tz-aware datetime, got {short(value)}")
    return value


def rising_topics(
    records: Iterable[tuple[str | None, Hashable, datetime]],
    *,
    start: datetime,
    end: datetime,
    baseline_start: datetime,
    convention: PValue,
    q: float = 0.05,
    min_requesters: int = 5,
) -> RisingTopics:
    """Topics whose share of distinct requesters in ``[start, end)`` rose against the
    trailing baseline ``[baseline_start, start)``.

    Args:
        records: ``(topic, requester, instant)`` rows: one per time a requester raised a
            topic (a tag on a ticket, a contact reason); instants tz-aware. A ``None``
            (or NaN) topic is a contact about nothing in particular: it counts the requester in
            the window's total only. Rows outside both windows are ignored; repeats by
            one requester count once per window.
        start: the period's first instant.
        end: the instant after the period.
        baseline_start: the baseline window's first instant (it ends at ``start``).
        convention: ``exact`` or ``mid_p`` (required: see the module table).
        q: the false discovery rate across topics, in (0, 1).
        min_requesters: the fewest distinct requesters in the period for a flag.

    Returns:
        :class:`RisingTopics`; with no requesters in one of the windows, no topic and a
        ``reason``.

    Raises:
        InvalidInputError: malformed rows, naive instants, windows out of order, a bad
            convention, ``q`` or floor.
        MissingExtraError: scipy (extra ``insights``) is not installed.

    >>> from datetime import datetime, UTC
    >>> day = lambda d: datetime(2026, 3, d, tzinfo=UTC)
    >>> rows = [("billing", f"c{i}", day(2)) for i in range(4)]
    >>> rows += [("login", f"c{i}", day(2 + i % 7)) for i in range(40)]
    >>> rows += [("refund", f"r{i}", day(9)) for i in range(12)]
    >>> rows += [("billing", f"b{i}", day(10)) for i in range(4)]
    >>> result = rising_topics(rows, baseline_start=day(2), start=day(9), end=day(16),
    ...                        convention="exact")
    >>> print(result.explain())
    1 of 3 topics tested: 16 requesters this period, 40 in the baseline.
    - 'refund' rose from none of 40 requesters in the baseline to 75.0% (12 of 16) this period ...
    """
    if convention not in get_args(PValue):
        raise InvalidInputError(
            f"convention must be one of {', '.join(get_args(PValue))}; got {short(convention)}"
        )
    q = fraction("q", q, 0, 1, closed_high=False)
    floor = whole("min_requesters", min_requesters, low=1)
    start = _instant(start, "start")
    end = _instant(end, "end")
    baseline_start = _instant(baseline_start, "baseline_start")
    if not baseline_start < start < end:
        raise InvalidInputError(
            f"need baseline_start < start < end, got {baseline_start.isoformat()}, "
            f"{start.isoformat()}, {end.isoformat()}"
        )
    now: dict[str, set[Hashable]] = {}
    before: dict[str, set[Hashable]] = {}
    everyone_now: set[Hashable] = set()
    everyone_before: set[Hashable] = set()
    if not isinstance(records, Iterable) or isinstance(records, str | bytes | Mapping):
        raise InvalidInputError(
            f"records must be (topic, requester, instant) rows, got {short(records)}"
        )
    for index, row in enumerate(records):
        if index >= MAX_RECORDS:
            raise InvalidInputError(f"at most {MAX_RECORDS:,} records per call")
        if not isinstance(row, tuple | list) or len(row) != 3:
            raise InvalidInputError(f"a record is (topic, requester, instant), got {short(row)}")
        raw_topic: object = row[0]
        missing = raw_topic is None or (isinstance(raw_topic, float) and math.isnan(raw_topic))
        topic = None if missing else checked_name(raw_topic, "topic")
        requester = row[1]
        if requester is None or not isinstance(requester, Hashable) or requester == "":
            raise InvalidInputError(f"a requester must be a hashable id, got {short(requester)}")
        at = _instant(row[2], "a record's instant")
        if start <= at < end:
            everyone_now.add(requester)
            if topic is not None:
                now.setdefault(topic, set()).add(requester)
        elif baseline_start <= at < start:
            everyone_before.add(requester)
            if topic is not None:
                before.setdefault(topic, set()).add(requester)
    counts = {
        topic: (len(now.get(topic, ())), len(before.get(topic, ()))) for topic in {*now, *before}
    }
    return _test(counts, len(everyone_now), len(everyone_before), convention, q, floor)


def rising_topics_from_tickets(
    tickets: Iterable[Ticket],
    *,
    start: datetime,
    end: datetime,
    baseline_start: datetime,
    convention: PValue,
    q: float = 0.05,
    min_requesters: int = 5,
    field: str | None = None,
) -> RisingTopics:
    """:func:`rising_topics` over tickets: each ticket created in a window counts its
    requester in the window's total, and once for every topic the ticket carried.

    A ticket's topics are every tag it ever had (tags at creation and tags added later:
    a tag added by triage still names what the ticket was about), or, with ``field``,
    every string value that custom field took.

    Raises:
        InvalidInputError: an item that is not a :class:`~servicekit.tickets.Ticket`,
            or bad arguments as :func:`rising_topics`.
        MissingExtraError: scipy (extra ``insights``) is not installed.

    >>> from datetime import datetime, UTC
    >>> from servicekit.tickets import Ticket
    >>> t = Ticket.create(id="T-1", at=datetime(2026, 3, 9, tzinfo=UTC), requester="c-1",
    ...                   tags=["refund"])
    >>> rising_topics_from_tickets([t], baseline_start=datetime(2026, 3, 2, tzinfo=UTC),
    ...     start=datetime(2026, 3, 9, tzinfo=UTC), end=datetime(2026, 3, 16, tzinfo=UTC),
    ...     convention="exact").reason
    'no requesters in the baseline window, so nothing to compare against'
    """
    if field is not None:
        checked_name(field, "field")
    if not isinstance(tickets, Iterable) or isinstance(tickets, str | bytes | Mapping):
        raise InvalidInputError(f"tickets must be an iterable of Ticket, got {short(tickets)}")

    def records() -> Iterable[tuple[str | None, Hashable, datetime]]:
        for ticket in tickets:
            if not isinstance(ticket, Ticket):
                raise InvalidInputError(f"not a Ticket: {short(ticket)}")
            yield None, ticket.requester, ticket.created_at  # every requester counts
            for topic in _topics(ticket, field):
                yield topic, ticket.requester, ticket.created_at

    return rising_topics(
        records(),
        start=start,
        end=end,
        baseline_start=baseline_start,
        convention=convention,
        q=q,
        min_requesters=min_requesters,
    )


def _topics(ticket: Ticket, field: str | None) -> set[str]:
    found: set[str] = set()
    for event in ticket.history:
        if field is None:
            if isinstance(event, Created):
                found |= event.tags
            elif isinstance(event, TagsChanged):
                found |= event.added
        elif (
            isinstance(event, FieldChanged)
            and event.name == field
            and isinstance(event.value, str)
            and event.value.strip()
        ):
            found.add(event.value)
    return found


def _test(  # noqa: PLR0917 -- private, one call site
    counts: Mapping[str, tuple[int, int]],
    n1: int,
    n0: int,
    convention: PValue,
    q: float,
    floor: int,
) -> RisingTopics:
    def result(topics: tuple[TopicTrend, ...], reason: str) -> RisingTopics:
        return RisingTopics(
            topics=topics,
            requesters=n1,
            baseline_requesters=n0,
            convention=convention,
            q=q,
            min_requesters=floor,
            reason=reason,
        )

    if n1 == 0 or n0 == 0:
        window = "period" if n1 == 0 else "baseline window"
        return result((), f"no requesters in the {window}, so nothing to compare against")
    binom = scipy_stats("rising_topics").binom
    names = sorted(counts)
    share_now = n1 / (n0 + n1)
    p_values = []
    for name in names:
        x1, x0 = counts[name]
        trials = x0 + x1
        upper = float(binom.sf(x1, trials, share_now))  # P(X > x1)
        at = float(binom.pmf(x1, trials, share_now))
        p = upper + (at if convention == "exact" else at / 2)
        p_values.append(min(max(p, 0.0), 1.0))
    adjusted = bh_adjusted(p_values)
    topics = []
    for name, p, adj in zip(names, p_values, adjusted, strict=True):
        x1, x0 = counts[name]
        share, base = x1 / n1, x0 / n0
        ratio = share / base if x0 else None
        flagged = adj <= q and x1 >= floor and share > base
        topics.append(
            TopicTrend(
                topic=name,
                requesters=x1,
                baseline_requesters=x0,
                share=share,
                baseline_share=base,
                ratio=ratio,
                p_value=p,
                q_value=adj,
                flagged=flagged,
                reason=_sentence(name, x1, n1, x0, n0, p, adj, q, floor, flagged),
            )
        )
    topics.sort(key=lambda t: (t.p_value, t.topic))
    flagged_count = sum(t.flagged for t in topics)
    return result(
        tuple(topics),
        f"{flagged_count} of {len(topics)} topics tested: {n1} requesters this period, "
        f"{n0} in the baseline.",
    )


def _sentence(  # noqa: PLR0917 -- private, one call site
    name: str,
    x1: int,
    n1: int,
    x0: int,
    n0: int,
    p: float,
    adj: float,
    q: float,
    floor: int,
    flagged: bool,
) -> str:
    now = f"{x1 / n1:.1%} ({x1} of {n1})"
    before = (
        f"none of {n0} requesters in the baseline"
        if x0 == 0
        else f"{x0 / n0:.1%} of requesters ({x0} of {n0}) in the baseline"
    )
    if flagged:
        times = "" if x0 == 0 else f", {x1 / n1 / (x0 / n0):.1f} times the baseline share"
        return (
            f"{name!r} rose from {before} to {now} this period{times} "
            f"(p = {p:.2g}, adjusted {adj:.2g})"
        )
    if x1 / n1 <= x0 / n0:
        return f"{name!r} did not rise: {now} this period against {before}"
    if x1 < floor:
        return f"{name!r} reached only {x1} requesters this period, below the floor of {floor}"
    return (
        f"{name!r} rose from {before} to {now}, but not beyond chance across all topics "
        f"(adjusted p = {adj:.2g} > {q:g})"
    )
