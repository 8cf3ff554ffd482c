"""The plan as a web page: the forecast against its history, agents needed against
scheduled, the shifts; every table holds the library's numbers; nothing outside the
page; the same plan gives the same bytes."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from servicekit import forecast, staffing
from servicekit.calendars import BusinessCalendar
from servicekit.errors import InvalidInputError
from servicekit.report import plan_html
from tests.report.test_html import tables_of

pytest.importorskip("matplotlib")
pytest.importorskip("scipy")

BERLIN = ZoneInfo("Europe/Berlin")
CALENDAR = BusinessCalendar(tz="Europe/Berlin", weekly={"mon-fri": ["08:00-18:00"]})


@pytest.fixture(scope="module")
def plan() -> tuple[forecast.SlotCounts, forecast.Forecast, staffing.Schedule]:
    days = [date(2026, 11, 2) + timedelta(days=d) for d in range(28)]
    hours = [datetime.combine(day, time(hour), BERLIN) for day in days if day.weekday() < 5
             for hour in range(8, 18)]  # fmt: skip
    counts = [float(3 + (at.hour in (10, 11, 14)) * 4) for at in hours]
    history = forecast.contacts_per_slot(
        hours, calendar=CALENDAR, start=date(2026, 11, 2), days=28, slot="1h", counts=counts
    )
    ahead = forecast.weekly_average(history, start=date(2026, 11, 30), weeks=4)
    table = ahead.to_staffing(aht="6m", target="1m")
    rota = staffing.schedule(table, shifts=[staffing.Shift(length="8h", earliest="07:00")])
    return history, ahead, rota


@pytest.fixture(scope="module")
def page(plan: tuple[forecast.SlotCounts, forecast.Forecast, staffing.Schedule]) -> str:
    history, ahead, rota = plan
    return plan_html(ahead, rota, history=history)


class TestPlanPage:
    def test_charts_with_titles_notes_svgs_and_tables(self, page: str) -> None:
        for chart in ("plan-forecast-chart", "plan-coverage-chart"):
            section = page.split(f'id="{chart}"', 1)[1].split("</section>", 1)[0]
            assert "<h2>" in section
            assert '<p class="note">' in section
            assert section.count("<svg ") == 1
            assert "<table data-table=" in section
        assert page.count('id="plan-forecast-0"') == 1  # the history line
        assert page.count('id="plan-forecast-1"') == 1  # the forecast line
        assert page.count('id="plan-coverage-1"') == 1  # scheduled agents

    def test_forecast_table_is_the_daily_totals(
        self, page: str, plan: tuple[forecast.SlotCounts, forecast.Forecast, staffing.Schedule]
    ) -> None:
        _, ahead, _ = plan
        rows = tables_of(page).tables["plan-forecast"][1:]
        values = tables_of(page).values["plan-forecast"][1:]
        history_rows = [row for row in rows if row[1] == "history"]
        assert len(history_rows) == 20  # the last 28 days: 20 weekdays open
        assert history_rows[0][0] == "Mon 2 Nov"
        ahead_values = [float(v[2] or 0) for row, v in zip(rows, values, strict=True)
                        if row[1] == "forecast"]  # fmt: skip
        assert sum(ahead_values) == pytest.approx(ahead.total)
        assert ahead_values[0] == pytest.approx(3 * 7 + 7 * 3)  # Monday: 7 hours of 3, 3 of 7

    def test_coverage_table_is_the_schedule(
        self, page: str, plan: tuple[forecast.SlotCounts, forecast.Forecast, staffing.Schedule]
    ) -> None:
        _, _, rota = plan
        rows = tables_of(page).tables["plan-coverage"][1:]
        busy = [c for c in rota.coverage if c.calls or c.needed or c.staffed]
        assert [(r[0], int(r[2]), int(r[3]), int(r[4])) for r in rows] == [
            (c.label, c.needed, c.staffed, c.uncovered) for c in busy
        ]
        shifts = tables_of(page).tables["plan-shifts"][1:]
        assert [(r[0], r[2], int(r[4])) for r in shifts] == [
            (row["shift"], row["start"], row["agents"]) for row in rota.to_rows()
        ]
        assert "every interval covered" in page

    def test_self_contained_and_reproducible(
        self, page: str, plan: tuple[forecast.SlotCounts, forecast.Forecast, staffing.Schedule]
    ) -> None:
        assert page.startswith("<!DOCTYPE html>")
        assert "<script" not in page
        assert "http" not in page
        assert not re.search(r"""(src|href)\s*=\s*["'](?!#)""", page)
        history, ahead, rota = plan
        assert plan_html(ahead, rota, history=history) == page
        assert "Days and hours in Europe/Berlin." in page
        assert "<title>Plan from Mon 30 November 2026</title>" in page

    def test_without_history_only_the_forecast(
        self, plan: tuple[forecast.SlotCounts, forecast.Forecast, staffing.Schedule]
    ) -> None:
        _, ahead, rota = plan
        page = plan_html(ahead, rota, title="Next week")
        rows = tables_of(page).tables["plan-forecast"][1:]
        assert {row[1] for row in rows} == {"forecast"}
        assert "<h1>Next week</h1>" in page

    def test_wrong_kinds_are_named(
        self, plan: tuple[forecast.SlotCounts, forecast.Forecast, staffing.Schedule]
    ) -> None:
        history, ahead, rota = plan
        with pytest.raises(InvalidInputError, match="forecast must be"):
            plan_html(history, rota)  # type: ignore[arg-type]
        with pytest.raises(InvalidInputError, match="schedule must be"):
            plan_html(ahead, None)  # type: ignore[arg-type]
        with pytest.raises(InvalidInputError, match="history must be"):
            plan_html(ahead, rota, history=ahead)  # type: ignore[arg-type]

    def test_uncovered_intervals_are_said(
        self, plan: tuple[forecast.SlotCounts, forecast.Forecast, staffing.Schedule]
    ) -> None:
        _, ahead, _ = plan
        table = ahead.to_staffing(aht="6m", target="1m")
        late = staffing.Shift(length="4h", earliest="12:00", latest="12:00")
        rota = staffing.schedule(table, shifts=[late])
        assert rota.uncovered
        page = plan_html(ahead, rota)
        assert f"{len(rota.uncovered)} intervals left short" in page
        shorts = [int(row[4]) for row in tables_of(page).tables["plan-coverage"][1:]]
        assert sum(shorts) == sum(c.uncovered for c in rota.coverage)
        assert timedelta(hours=4) == late.length
