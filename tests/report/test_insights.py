"""The report's insight sections: agents compared fairly (the numbers are
``insights.compare_agents``'s, the flags an exact test after Benjamini-Hochberg) and
rising topics (``insights.rising_topics_from_tickets``'s), in text, dict, rows and HTML,
and what each says when the data or scipy are missing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from servicekit import Ticket
from servicekit.errors import MissingExtraError
from servicekit.kpi import Proportion, first_reply_times
from servicekit.report import (
    AgentRow,
    InsightSettings,
    ReportConfig,
    WeeklyReport,
    _insights,
    weekly_report,
)
from servicekit.tickets import Assigned, Replied, SatisfactionRated, StatusChanged, TagsChanged
from tests.report.test_html import tables_of

stats = pytest.importorskip("scipy.stats")
from servicekit import insights  # noqa: E402 -- after the scipy check

MONDAY = datetime(2026, 3, 30, tzinfo=UTC)
END = MONDAY + timedelta(days=7)
CONFIG = ReportConfig.from_dict({"insights": {"min_count": 10}})


def _rated(name: str, agent: str, at: datetime, score: int, tags: tuple[str, ...] = ()) -> Ticket:
    ticket = Ticket.create(id=name, at=at, requester=f"c-{name}", channel="email", tags=tags)
    ticket = ticket.apply(Assigned(at=at + timedelta(minutes=1), agent=agent))
    ticket = ticket.apply(Replied(at=at + timedelta(minutes=20), by="agent", author_id=agent))
    ticket = ticket.apply(StatusChanged(at=at + timedelta(minutes=30), status="solved"))
    return ticket.apply(SatisfactionRated(at=at + timedelta(hours=1), score=score))


def _team() -> list[Ticket]:
    """ana 27 of 30 positive, bo 9 of 30, cy 3 of 3, dee 14 of 20."""
    tickets = []
    for agent, good, total in (("ana", 27, 30), ("bo", 9, 30), ("cy", 3, 3), ("dee", 14, 20)):
        for n in range(total):
            at = MONDAY + timedelta(hours=9, minutes=7 * n)
            tickets.append(_rated(f"{agent}-{n}", agent, at, 5 if n < good else 1))
    return tickets


def _doubled(x: int, n: int, p: float) -> float:
    """The slow obvious two-sided exact p-value: twice the smaller tail, summed."""
    pmf = [stats.binom.pmf(k, n, p) for k in range(n + 1)]
    return min(1.0, 2 * min(float(sum(pmf[: x + 1])), float(sum(pmf[x:]))))


@pytest.fixture(scope="module")
def weekly() -> WeeklyReport:
    return weekly_report(_team(), start=MONDAY, end=END, config=CONFIG)


class TestFairComparison:
    def test_shrunk_numbers_are_compare_agents(self, weekly: WeeklyReport) -> None:
        csat = next(score for score in weekly.fair if score.metric == "csat")
        # in the order of the agents table (most tickets first): the draws follow it
        expected = insights.compare_agents(
            {"ana": (27, 30), "bo": (9, 30), "dee": (14, 20), "cy": (3, 3)}, min_count=10, seed=0
        )
        assert [row.agent for row in csat.rows] == [e.agent for e in expected.agents]
        for row, estimate in zip(csat.rows, expected.agents, strict=True):
            assert (row.successes, row.count) == (estimate.successes, estimate.count)
            assert row.estimate == estimate.estimate
            assert row.interval == estimate.interval
            assert row.rank_interval == estimate.rank_interval
            assert row.enough_data == estimate.enough_data
        assert csat.team_rate == expected.team_rate

    def test_flags_are_exact_tests_after_benjamini_hochberg(self, weekly: WeeklyReport) -> None:
        csat = next(score for score in weekly.fair if score.metric == "csat")
        team = 53 / 83
        tested = {r.agent: r for r in csat.rows if r.enough_data}
        p_values = {a: _doubled(r.successes, r.count, team) for a, r in tested.items()}
        rejected = insights.benjamini_hochberg(list(p_values.values()), q=0.05)
        expected = {a for a, hit in zip(p_values, rejected, strict=True) if hit}
        assert {r.agent for r in csat.flagged} == expected == {"ana", "bo"}
        flags = {r.agent: r.flag for r in csat.rows}
        assert flags == {"ana": "above", "bo": "below", "cy": None, "dee": None}
        assert tested["ana"].p_value == pytest.approx(p_values["ana"])

    def test_too_few_ratings_are_not_tested(self, weekly: WeeklyReport) -> None:
        csat = next(score for score in weekly.fair if score.metric == "csat")
        cy = next(row for row in csat.rows if row.agent == "cy")
        assert (cy.p_value, cy.q_value, cy.flag) == (None, None, None)
        assert cy.raw == 1.0
        assert cy.estimate < 1.0  # pulled toward the team
        assert cy.verdict() == "not enough data"

    def test_text_explains_shrinkage_and_lists_every_agent(self, weekly: WeeklyReport) -> None:
        text = weekly.to_text()
        section = text.split("Agents compared fairly", 1)[1].split("Rising topics", 1)[0]
        assert _insights.EXPLANATION in section
        assert "bo: CSAT 9 of 30 (30%), shrunk" in section
        assert "below the team: a coaching candidate" in section
        assert "cy: CSAT 3 of 3 (100%)" in section

    def test_html_agents_table_shows_raw_and_shrunk(self, weekly: WeeklyReport) -> None:
        page = weekly.to_html()
        found = tables_of(page)
        head = found.tables["agents"][0]
        rows = {row[0]: row for row in found.tables["agents"][1:]}
        values = {
            row[0]: raw
            for row, raw in zip(found.tables["agents"], found.values["agents"], strict=True)
        }
        csat = {row.agent: row for row in weekly.fair[0].rows}
        shrunk = head.index("CSAT shrunk")
        for agent, row in csat.items():
            assert values[agent][shrunk] == repr(row.estimate)
            assert rows[agent][shrunk + 2] == row.verdict()
        assert 'id="shrunk-csat-chart"' in page
        assert "survives a false-discovery-rate check" in page

    def test_dict_and_rows_carry_the_shrunk_rates(self, weekly: WeeklyReport) -> None:
        data = weekly.to_dict()["agents"]
        assert data["note"] == ""
        assert [a["agent"] for a in data["csat"]["agents"]] == [
            r.agent for r in weekly.fair[0].rows
        ]
        rows = {r["name"]: r for r in weekly.to_rows() if r["section"] == "agents"}
        bo = next(r for r in weekly.fair[0].rows if r.agent == "bo")
        assert rows["csat/bo"]["value"] == bo.estimate
        assert rows["csat/bo"]["count"] == 30

    def test_without_scipy_the_section_says_what_to_install(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        def missing(*_: object, **__: object) -> None:
            raise MissingExtraError(
                "compare_agents needs scipy: pip install 'servicekit[insights]'"
            )

        monkeypatch.setattr(_insights, "compare_agents", missing)
        monkeypatch.setattr(_insights, "rising_topics_from_tickets", missing)
        weekly = weekly_report(_team(), start=MONDAY, end=END, config=CONFIG)
        assert weekly.fair == ()
        assert weekly.rising is None
        text = weekly.to_text()
        assert text.count("not shown: compare_agents needs scipy") == 2
        assert "Shrunk scores not shown" in weekly.to_html()

    def test_no_agents_no_rows(self) -> None:
        weekly = weekly_report([], start=MONDAY, end=END, config=CONFIG)
        assert [score.rows for score in weekly.fair] == [(), ()]
        assert "no agent has any yet" in weekly.to_text()


def _topic_tickets() -> list[Ticket]:
    """Four baseline weeks of 'login' and 'billing' half and half; the period has the
    same, and 'refund' from 12 of its 20 requesters."""
    tickets = []
    for n in range(84):  # the baseline: 21 a week
        at = MONDAY - timedelta(days=28) + timedelta(hours=8 * n)
        tags = ("login",) if n % 2 else ("billing",)
        tickets.append(Ticket.create(id=f"B-{n}", at=at, requester=f"b{n}", tags=tags))
    for n in range(20):
        at = MONDAY + timedelta(hours=8 * n)
        tags = ("login",) if n % 2 else ("billing",)
        ticket = Ticket.create(id=f"P-{n}", at=at, requester=f"p{n}", tags=tags)
        if n < 12:  # tagged by triage later: still counts
            ticket = ticket.apply(TagsChanged(at=at + timedelta(minutes=5), added={"refund"}))
        tickets.append(ticket)
    return tickets


class TestRisingTopics:
    def test_the_section_is_rising_topics_from_tickets(self) -> None:
        tickets = _topic_tickets()
        weekly = weekly_report(tickets, start=MONDAY, end=END, config=CONFIG)
        expected = insights.rising_topics_from_tickets(
            tickets, start=MONDAY, end=END, baseline_start=MONDAY - timedelta(weeks=4),
            convention="exact",
        )  # fmt: skip
        assert weekly.rising == expected
        assert [topic.topic for topic in expected.flagged] == ["refund"]
        text = weekly.to_text().split("Rising topics (against the 4 weeks before)", 1)[1]
        assert expected.flagged[0].reason in text
        page = weekly.to_html()
        rows = tables_of(page).tables["rising-topics"]
        assert rows[1][0] == "refund"
        assert rows[1][-1] == "rising"
        data = weekly.to_dict()["rising_topics"]
        assert data["convention"] == "exact"
        assert data["topics"][0]["topic"] == "refund"
        csv_rows = [r for r in weekly.to_rows() if r["section"] == "rising_topics"]
        assert {r["name"]: r["value"] for r in csv_rows}["refund"] == 12 / 20

    def test_without_a_baseline_it_says_there_is_not_enough_data(self) -> None:
        tickets = [t for t in _topic_tickets() if t.created_at >= MONDAY]
        weekly = weekly_report(tickets, start=MONDAY, end=END, config=CONFIG)
        assert weekly.rising is not None
        assert weekly.rising.topics == ()
        assert "not enough data: no requesters in the baseline window" in weekly.to_text()
        assert "Not enough data" in weekly.to_html()

    def test_the_settings_choose_the_baseline_and_the_floor(self) -> None:
        config = ReportConfig(insights=InsightSettings(baseline_weeks=1, min_requesters=13))
        weekly = weekly_report(_topic_tickets(), start=MONDAY, end=END, config=config)
        assert weekly.rising is not None
        assert weekly.rising.baseline_requesters == 21  # one week of the baseline
        assert weekly.rising.flagged == ()  # 12 requesters are below the floor of 13
        assert "no topic rose beyond chance" in weekly.to_text()


class TestSettings:
    def test_read_from_the_file(self) -> None:
        config = ReportConfig.from_dict(
            {"insights": {"min_count": 5, "q": 0.1, "baseline_weeks": 2, "topic_field": "reason"}}
        )
        assert config.insights == InsightSettings(
            min_count=5, q=0.1, baseline_weeks=2, topic_field="reason"
        )

    @pytest.mark.parametrize(
        ("data", "path"),
        [
            ({"min_count": 0}, "insights.min_count"),
            ({"q": 1.5}, "insights.q"),
            ({"baseline_weeks": "4"}, "insights.baseline_weeks"),
            ({"topic_field": " x"}, "insights.topic_field"),
            ({"window": 3}, "insights.window"),
            ([], "insights"),
        ],
    )
    def test_errors_name_the_path(self, data: object, path: str) -> None:
        from servicekit.errors import ConfigError  # noqa: PLC0415

        with pytest.raises(ConfigError) as caught:
            ReportConfig.from_dict({"insights": data})
        assert caught.value.path == path


outcomes = st.lists(
    st.integers(min_value=0, max_value=60).flatmap(
        lambda n: st.tuples(st.integers(min_value=0, max_value=n), st.just(n))
    ),
    min_size=1,
    max_size=8,
)


@settings(max_examples=40, deadline=None)
@given(outcomes, st.integers(min_value=1, max_value=30))
def test_flags_match_the_slow_oracle(pairs: list[tuple[int, int]], min_count: int) -> None:
    """Whatever the outcomes: shrunk rates are compare_agents's, and an agent is flagged
    exactly when the doubled-tail exact test survives BH among agents with enough data."""
    rows = [
        AgentRow(agent=f"a{i}", tickets=n, first_reply=first_reply_times([]),
                 csat=Proportion.of(x, n), fcr=Proportion.of(0, 0), reopened=Proportion.of(0, 0))
        for i, (x, n) in enumerate(pairs)
    ]  # fmt: skip
    (csat, fcr), note = _insights.fair_scores(rows, InsightSettings(min_count=min_count))
    assert note == ""
    assert fcr.rows == ()
    given_pairs = {f"a{i}": pair for i, pair in enumerate(pairs) if pair[1]}
    assert {r.agent: (r.successes, r.count) for r in csat.rows} == given_pairs
    successes = sum(x for x, _ in given_pairs.values())
    total = sum(n for _, n in given_pairs.values())
    tested = {a: (x, n) for a, (x, n) in given_pairs.items() if n >= min_count}
    expected: set[str] = set()
    if total and 0 < successes < total and tested:
        team = successes / total
        p_values = {a: _doubled(x, n, team) for a, (x, n) in tested.items()}
        rejected = insights.benjamini_hochberg(list(p_values.values()), q=0.05)
        expected = {a for a, hit in zip(p_values, rejected, strict=True) if hit}
    assert {r.agent for r in csat.flagged} == expected
    for row in csat.flagged:
        assert (row.flag == "above") == (row.raw > (csat.team_rate or 0))
