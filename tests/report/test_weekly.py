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

    def test_escalations_most_first_and_quiet_rules(self) -> None:
        weekly = weekly_report(_tickets(), start=MONDAY, end=WEEK, config=CONFIG)
        assert weekly.escalations == (("late", 1),)
        assert weekly.quiet_rules == ("quiet",)

    def test_staffing_advice_for_the_worst_hour(self) -> None:
        (advice,) = weekly_report(_tickets(), start=MONDAY, end=WEEK, config=CONFIG).staffing
        assert advice.start == MONDAY + timedelta(hours=10)  # 0 of 3 within 1m; 09:00 had 2/2
        assert (advice.contacts, advice.answered_within.successes, advice.agents_seen) == (3, 0, 1)
        # 0.3 erlangs: one agent answers 73% within 1m (1 - 0.3 e^(-0.7/6)), two 97%
        assert advice.plan.agents == 2
        assert "worst hour Mon 2026-03-02 10:00 UTC: 3 contacts, 0% answered" in (
            weekly_report(_tickets(), start=MONDAY, end=WEEK, config=CONFIG).to_text()
        )

    def test_without_settings_the_sections_say_so(self) -> None:
        text = weekly_report(_tickets(), start=MONDAY, end=WEEK).to_text()
        assert "no SLA policies given" in text
        assert "no staffing goal given" in text

    def test_rows_and_dict_carry_the_same_figures(self) -> None:
        weekly = weekly_report(_tickets(), start=MONDAY, end=WEEK, config=CONFIG)
        data, rows = weekly.to_dict(), weekly.to_rows()
        assert {"section": "summary", "name": "created", "value": 5, "count": None} in rows
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
                ["tz", "calendars", "business_hours", "policies", "rules", "staffing", "other"]
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
