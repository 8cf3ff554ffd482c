"""The figures behind the charts: backlog points (against kpi.backlog), first-reply
bands, the staffing shortfall of an hour of the week, and agents' rows."""

from __future__ import annotations

from datetime import timedelta

from servicekit import Ticket
from servicekit.kpi import backlog
from servicekit.report import weekly_report
from servicekit.report._details import owner
from servicekit.tickets import Assigned, Replied
from tests.report.test_weekly import CONFIG, MONDAY, WEEK, _chat, _tickets


def test_backlog_points_are_kpi_backlog_at_each_day_end() -> None:
    details = weekly_report(_tickets(), start=MONDAY, end=WEEK, config=CONFIG).details
    assert details is not None
    ends = [MONDAY + timedelta(days=n) for n in range(1, 8)]
    assert [at for at, _ in details.backlog] == ends
    assert [count for _, count in details.backlog] == [
        backlog(_tickets(), now=e).count for e in ends
    ]


def test_long_reports_draw_the_backlog_per_period() -> None:
    end = MONDAY + timedelta(days=70)
    weekly = weekly_report(_tickets(), start=MONDAY, end=end, config=CONFIG)
    assert weekly.details is not None
    assert [at for at, _ in weekly.details.backlog] == [r.summary.end for r in weekly.periods]


def test_first_reply_bands() -> None:
    details = weekly_report(_tickets(), start=MONDAY, end=WEEK, config=CONFIG).details
    assert details is not None
    counts = {low: count for low, _, count in details.first_reply_bins}
    # 30 s and 40 s, 5 min, 2 h; T-4 has no reply
    assert counts[timedelta(0)] == 2
    assert counts[timedelta(minutes=5)] == 1
    assert counts[timedelta(hours=2)] == 1
    assert sum(counts.values()) == 4


def test_shortfall_of_an_hour_of_the_week() -> None:
    details = weekly_report(_tickets(), start=MONDAY, end=WEEK, config=CONFIG).details
    assert details is not None
    assert len(details.shortfall) == 168
    ten = details.shortfall[10]  # Monday 10:00 UTC: T-3, T-4, T-5, answered by ana or nobody
    assert (ten.weekday, ten.hour, ten.contacts, ten.needed, ten.seen) == (0, 10, 3.0, 2, 1.0)
    assert ten.shortfall == 1.0
    # 09:00: T-1 (ana) and T-2 (bo); 0.2 erlangs, one agent answers 82.5% within 1m
    nine = details.shortfall[9]
    assert (nine.needed, nine.seen, nine.shortfall) == (1, 2.0, 0.0)


def test_agents_rows_and_owners() -> None:
    details = weekly_report(_tickets(), start=MONDAY, end=WEEK, config=CONFIG).details
    assert details is not None
    assert [(a.agent, a.tickets) for a in details.agents] == [("ana", 3), ("bo", 1)]
    at = MONDAY + timedelta(hours=9)
    ticket = Ticket.create(id="T-1", at=at, requester="c")
    replied = ticket.apply(Replied(at=at, by="agent", author_id="cy"))
    assert owner(ticket) is None
    assert owner(replied) == "cy"
    assert owner(replied.apply(Assigned(at=at, agent="di"))) == "di"
    assert owner(_chat(1, at, None)) is None
