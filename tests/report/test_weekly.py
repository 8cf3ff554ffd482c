"""The weekly report's sections on hand-built tickets, and its settings loader (errors
name the path; fuzzed input raises nothing but ConfigError)."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from servicekit import Ticket
from servicekit.calendars import CombinedCalendar
from servicekit.errors import ConfigError, InvalidInputError
from servicekit.report import ReportConfig, StaffingGoal, report, weekly_report
from servicekit.simulation import EXAMPLE_CONFIG
from servicekit.tickets import Assigned, Escalated, Replied, StatusChanged

KEYS = ["tz", "calendars", "business_hours", "policies", "rules", "staffing"]
MONDAY = datetime(2026, 3, 2, tzinfo=UTC)
WEEK = MONDAY + timedelta(days=7)
CONFIG = ReportConfig.from_dict({
    "policies": [{"name": "all", "targets": {
        "normal": {"first_reply": {"duration": "1h", "business_hours": False}},
        "urgent": {"first_reply": {"duration": "10m", "business_hours": False}}}}],
    "rules": [{"name": "late", "all": [{"since": "created", "op": ">=", "value": "1h"}],
               "actions": [{"type": "notify", "target": "lead"}]},
              {"name": "quiet", "all": [{"field": "tags", "op": "contains", "value": "x"}],
               "actions": [{"type": "notify", "target": "lead"}]}],
    "staffing": {"channels": {"chat": {"aht": "6m", "target": "1m"}}},
})  # fmt: skip


def _chat(number: int, at: datetime, reply_after: timedelta | None, priority: str = "normal",
          agent: str = "ana") -> Ticket:  # fmt: skip
    ticket = Ticket.create(id=f"T-{number}", at=at, requester="c", channel="chat",
                           priority=priority)  # fmt: skip
    if reply_after is not None:
        ticket = ticket.apply(Assigned(at=at + reply_after, agent=agent))
        ticket = ticket.apply(Replied(at=at + reply_after, by="agent", author_id=agent))
        ticket = ticket.apply(StatusChanged(at=at + reply_after, status="solved"))
    return ticket


def _tickets() -> list[Ticket]:
    nine, ten = MONDAY + timedelta(hours=9), MONDAY + timedelta(hours=10)
    late = _chat(5, ten, timedelta(hours=2))
    late = late.apply(Escalated(at=late.updated_at, rule="late"))
    return [
        _chat(1, nine, timedelta(seconds=30)),
        _chat(2, nine, timedelta(seconds=40), priority="urgent", agent="bo"),
        _chat(3, ten, timedelta(minutes=5)),
        _chat(4, ten, None),
        late,
    ]


class TestWeeklyReport:
    def test_sla_rows_by_metric_and_priority(self) -> None:
        weekly = weekly_report(_tickets(), start=MONDAY, end=WEEK, config=CONFIG)
        rows = {(r.metric.value, r.priority.value): r.attainment for r in weekly.sla}
        assert set(rows) == {("first_reply", "urgent"), ("first_reply", "normal")}
        assert (rows["first_reply", "urgent"].achieved, rows["first_reply", "urgent"].breached) \
            == (1, 0)  # fmt: skip
        normal = rows["first_reply", "normal"]
        assert (normal.achieved, normal.breached) == (2, 2)  # T-4 never answered: breached

    def test_summary_sla_is_the_sum_of_the_rows_and_what_report_says(self) -> None:
        weekly = weekly_report(_tickets(), start=MONDAY, end=WEEK, config=CONFIG)
        alone = report(_tickets(), start=MONDAY, end=WEEK, policies=CONFIG.policies)
        assert weekly.summary.sla == alone.sla
        assert weekly.summary.sla is not None
        assert weekly.summary.sla.breached == sum(r.attainment.breached for r in weekly.sla)

    def test_escalations_recorded_are_not_called_never_fired(self) -> None:
        weekly = weekly_report(_tickets(), start=MONDAY, end=WEEK, config=CONFIG)
        assert weekly.escalations == (("late", 1),)
        assert weekly.would_fire is None
        text = weekly.to_text()
        assert "never fired" not in text
        assert "configured, none recorded: quiet" in text

    def test_rules_evaluated_along_each_history(self) -> None:
        # "late" (1h since creation, once, no status condition) holds an hour after each
        # of the five tickets was created (solved is not closed); only T-5 recorded it.
        weekly = weekly_report(_tickets(), start=MONDAY, end=WEEK, config=CONFIG,
                               evaluate_rules=True)  # fmt: skip
        assert weekly.would_fire == (("late", 5), ("quiet", 0))
        assert "Escalations the configured rules would have fired\n      5  late" in (
            weekly.to_text()
        )

    def test_rules_fire_at_the_next_change_instant_inside_the_period(self) -> None:
        # T-4 waits from Monday 10:00: the rule fires at 11:00, inside a period that
        # ends at 11:00:01 and outside one that ends at 11:00.
        (waiting,) = [t for t in _tickets() if t.id == "T-4"]
        eleven = MONDAY + timedelta(hours=11)
        for end, fired in ((eleven, 0), (eleven + timedelta(seconds=1), 1)):
            weekly = weekly_report([waiting], start=MONDAY, end=end, config=CONFIG,
                                   evaluate_rules=True)  # fmt: skip
            assert dict(weekly.would_fire or ())["late"] == fired

    def test_staffing_advice_for_the_worst_hour(self) -> None:
        (advice,) = weekly_report(_tickets(), start=MONDAY, end=WEEK, config=CONFIG).staffing
        assert advice.start == MONDAY + timedelta(hours=10)  # 0 of 3 within 1m; 09:00 had 2/2
        assert (advice.contacts, advice.answered_within.successes, advice.agents_seen) == (3, 0, 1)
        assert "1 agent took them" in weekly_report(_tickets(), start=MONDAY, end=WEEK,
                                                    config=CONFIG).to_text()  # fmt: skip
        # 0.3 erlangs: one agent answers 73% within 1m (1 - 0.3 e^(-0.7/6)), two 97%
        assert advice.plan.agents == 2
        assert "worst hour Mon 2 Mar 2026 10:00 UTC: 3 contacts, none answered" in (
            weekly_report(_tickets(), start=MONDAY, end=WEEK, config=CONFIG).to_text()
        )

    def test_agents_who_only_replied_took_the_contact(self) -> None:
        at = MONDAY + timedelta(hours=9)
        ticket = Ticket.create(id="T-9", at=at, requester="c", channel="chat")
        ticket = ticket.apply(Replied(at=at + timedelta(minutes=5), by="agent", author_id="cy"))
        (advice,) = weekly_report([ticket], start=MONDAY, end=WEEK, config=CONFIG).staffing
        assert advice.agents_seen == 1

    def test_without_settings_the_sections_say_so(self) -> None:
        text = weekly_report(_tickets(), start=MONDAY, end=WEEK).to_text()
        assert "no SLA policies in the settings" in text
        assert "no staffing goal in the settings" in text

    def test_settings_are_not_missing_in_an_empty_period(self) -> None:
        text = weekly_report([], start=MONDAY, end=WEEK, config=CONFIG).to_text()
        assert "no tickets with SLA targets in this period" in text
        assert "no chat tickets in this period" in text
        assert "not in the settings" not in text
        assert "Support report Mon 2 Mar – Sun 8 Mar 2026" in text

    def test_counts_name_tickets_and_sla_targets_apart(self) -> None:
        text = weekly_report(_tickets(), start=MONDAY, end=WEEK, config=CONFIG).to_text()
        assert "SLA targets met      60% of 5 SLA targets on 5 tickets" in text
        assert "first reply      normal   50%  (2 met, 2 breached)" in text
        for internal in ("first_reply", "clocks", "stints", "1 agents", "n="):
            assert internal not in text

    def test_rows_and_dict_carry_the_same_figures(self) -> None:
        weekly = weekly_report(_tickets(), start=MONDAY, end=WEEK, config=CONFIG)
        data, rows = weekly.to_dict(), weekly.to_rows()
        assert {"section": "summary", "period": "", "name": "created", "label": "tickets created",
                "value": 5, "unit": "tickets", "count": None} in rows  # fmt: skip
        assert data["summary"]["created"] == 5
        assert data["escalations"] == [{"rule": "late", "count": 1}]


class TestReportConfig:
    def test_reads_the_example_team(self) -> None:
        config = ReportConfig.from_dict(EXAMPLE_CONFIG)
        assert isinstance(config.business_hours, CombinedCalendar)
        assert config.staffing == StaffingGoal(aht={"chat": "8m"}, target={"chat": "2m"})
        assert config.rules is not None
        assert len(config.rules) == 4

    @pytest.mark.parametrize(
        ("data", "path"),
        [
            ({"colour": 1}, "colour"),
            ({"tz": "Mars/Base"}, "tz"),
            ({"calendars": {"a": {"union": ["b", "c"]}}}, "calendars.a.union[0]"),
            ({"calendars": {"a": {"tz": "UTC", "weekly": {"mon": ["9-5"]}}}},
             "calendars.a.weekly.mon[0]"),
            ({"policies": [{"name": "p", "targets": {"normal": {"first_reply": "x"}}}]},
             "policies[0].targets.normal.first_reply"),
            ({"rules": [{"name": "r", "all": [{"field": "prio"}]}]}, "rules[0].all[0]"),
            ({"staffing": {"channels": {"chat": {"aht": "6m"}}}}, "staffing.channels.chat"),
            ({"staffing": {"channels": {"chat": {"aht": "0s", "target": "1m"}}}},
             "staffing.channels.chat.aht"),
            ({"staffing": {"service_level": 2, "channels": {"chat": {"aht": "6m",
              "target": "1m"}}}}, "staffing"),
        ],
    )  # fmt: skip
    def test_errors_name_the_path(self, data: dict[str, Any], path: str) -> None:
        with pytest.raises(ConfigError) as caught:
            ReportConfig.from_dict(data)
        assert caught.value.path == path

    def test_values_of_the_wrong_kind_are_named(self) -> None:
        with pytest.raises(InvalidInputError, match="policies must be a PolicySet or None"):
            ReportConfig(policies=[])  # type: ignore[arg-type]

    @given(
        st.dictionaries(
            st.sampled_from(
                [
                    "tz",
                    "calendars",
                    "business_hours",
                    "policies",
                    "rules",
                    "staffing",
                    "insights",
                    "scorecard",
                    "other",
                ]
            ),
            st.recursive(
                st.none() | st.booleans() | st.integers() | st.text(max_size=8),
                lambda inner: (
                    st.lists(inner, max_size=3)
                    | st.dictionaries(st.text(max_size=8), inner, max_size=3)
                ),
                max_leaves=8,
            ),
        )
    )
    def test_fuzzed_settings_raise_only_config_errors(self, data: dict[str, Any]) -> None:
        with contextlib.suppress(ConfigError):
            ReportConfig.from_dict(data)


class TestTrend:
    def test_weeks_add_up_to_the_report(self) -> None:
        tickets = [*_tickets(), _chat(9, WEEK + timedelta(hours=9), timedelta(minutes=3))]
        weekly = weekly_report(tickets, start=MONDAY, end=WEEK + timedelta(days=7),
                               config=CONFIG)  # fmt: skip
        assert [row.summary.start for row in weekly.periods] == [MONDAY, WEEK]
        assert sum(row.summary.created for row in weekly.periods) == weekly.summary.created
        sla = [row.summary.sla for row in weekly.periods]
        assert sum(s.breached for s in sla if s is not None) == 2
        text = weekly.to_text()
        assert "Week by week" in text
        assert "  Mon 9 Mar 2026        1       1            3 min        3 min     100%" in text
        rows = [row for row in weekly.to_rows() if row["section"] == "trend"]
        assert {"section": "trend", "period": "2026-03-09", "name": "created",
                "label": "tickets created", "value": 1, "unit": "tickets",
                "count": None} in rows  # fmt: skip
        assert len(weekly.to_dict()["trend"]) == 2

    def test_by_day_and_month(self) -> None:
        end = MONDAY + timedelta(days=40)
        assert len(weekly_report([], start=MONDAY, end=end, by="day").periods) == 40
        months = weekly_report([], start=MONDAY, end=end, by="month").periods
        assert [(r.summary.start.month, r.summary.end.month) for r in months] == [(3, 4), (4, 4)]

    def test_a_week_has_no_trend_section(self) -> None:
        assert "Week by week" not in weekly_report(_tickets(), start=MONDAY, end=WEEK).to_text()

    def test_too_many_periods_is_an_error(self) -> None:
        with pytest.raises(InvalidInputError, match="more than 1000 days"):
            weekly_report([], start=MONDAY, end=MONDAY + timedelta(days=1001), by="day")

    def test_unknown_period_is_an_error(self) -> None:
        with pytest.raises(InvalidInputError, match="fortnight"):
            weekly_report([], start=MONDAY, end=WEEK, by="fortnight")


class TestArguments:
    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [({"config": {"tz": "UTC"}}, "config must be a ReportConfig"),
         ({"evaluate_rules": "yes"}, "evaluate_rules must be true or false"),
         ({"tickets": ["T-1"]}, "not a ticket: 'T-1'")],
    )  # fmt: skip
    def test_wrong_kinds_are_named(self, kwargs: dict[str, Any], message: str) -> None:
        arguments: dict[str, Any] = {"tickets": [], "start": MONDAY, "end": WEEK, **kwargs}
        with pytest.raises(InvalidInputError, match=message):
            weekly_report(**arguments)
