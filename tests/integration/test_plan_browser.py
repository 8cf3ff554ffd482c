"""The plan's web page (``report.plan_html``) in headless Chromium, network blocked:
its charts draw, its tables hold the plan's numbers, and it asks for nothing outside
the page. Run by ``make test-integration``; fails (does not skip) without ``chromium``."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from servicekit import forecast, staffing
from servicekit.calendars import BusinessCalendar
from servicekit.report import plan_html
from tests.integration.test_report_browser import CHART_BOX, browse, image, page_requests
from tests.report.test_html import tables_of

pytest.importorskip("scipy")

BERLIN = ZoneInfo("Europe/Berlin")
CHARTS = ("plan-forecast-chart", "plan-coverage-chart")


@pytest.fixture(scope="module")
def plan() -> tuple[forecast.Forecast, staffing.Schedule, str]:
    calendar = BusinessCalendar(tz=BERLIN, weekly={"mon-sat": ["08:00-18:00"]})
    days = [date(2026, 11, 2) + timedelta(days=d) for d in range(28)]
    hours = [datetime.combine(day, time(hour), BERLIN) for day in days if day.weekday() < 6
             for hour in range(8, 18)]  # fmt: skip
    counts = [float(2 + (at.hour in (10, 11, 14)) * 5 + (at.weekday() == 0) * 2) for at in hours]
    history = forecast.contacts_per_slot(
        hours, calendar=calendar, start=days[0], days=28, slot="1h", counts=counts
    )
    ahead = forecast.weekly_average(history, start=date(2026, 11, 30), weeks=4)
    rota = staffing.schedule(ahead.to_staffing(aht="6m", target="1m"),
                             shifts=[staffing.Shift(length="8h", earliest="07:00")],
                             tours="5/2")  # fmt: skip
    return ahead, rota, plan_html(ahead, rota, history=history)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("plan-browser")


@pytest.fixture(scope="module")
def page(plan: tuple[forecast.Forecast, staffing.Schedule, str], folder: Path) -> Path:
    path = folder / "plan.html"
    path.write_text(plan[2], encoding="utf-8")
    return path


def test_the_dom_holds_the_plans_numbers(
    page: Path, folder: Path, plan: tuple[forecast.Forecast, staffing.Schedule, str]
) -> None:
    log = folder / "netlog.json"
    done = browse(page, folder / "profile-dom", "--dump-dom", f"--log-net-log={log}")
    assert done.returncode == 0, done.stderr[-2000:]
    assert page_requests(log) == []
    ahead, rota, _ = plan
    parsed = tables_of(done.stdout)
    forecast_rows = [
        float(raw[2] or 0)
        for row, raw in zip(parsed.tables["plan-forecast"][1:], parsed.values["plan-forecast"][1:],
                            strict=True)
        if row[1] == "forecast"
    ]  # fmt: skip
    assert sum(forecast_rows) == pytest.approx(ahead.total)
    busy = [c for c in rota.coverage if c.calls or c.needed or c.staffed]
    assert [row[2:4] for row in parsed.values["plan-coverage"][1:]] == [
        [repr(c.needed), repr(c.staffed)] for c in busy
    ]
    assert [row[4] for row in parsed.tables["plan-shifts"][1:]] == [
        str(line["agents"]) for line in rota.to_rows()
    ]


def test_every_chart_draws_in_the_browser(page: Path, folder: Path) -> None:
    width, height = CHART_BOX
    text = page.read_text()
    boxes = []
    for index, chart in enumerate(CHARTS):
        svg = re.search(r"<svg .*?</svg>", text.split(f'id="{chart}"', 1)[1], re.S)
        assert svg is not None, chart
        boxes.append(f'<div style="position:absolute;left:0;top:{index * height}px;'
                     f'width:{width}px;height:{height}px">{svg.group(0)}</div>')  # fmt: skip
    charts = folder / "charts.html"
    charts.write_text("<!DOCTYPE html><html><head><style>body{margin:0;background:#fff} "
                      "svg{width:100%;height:100%}</style></head><body>"
                      f"{''.join(boxes)}</body></html>")  # fmt: skip
    shot = folder / "charts.png"
    done = browse(charts, folder / "profile-charts", f"--screenshot={shot}",
                  f"--window-size={width},{height * len(CHARTS)}")  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    pixels = image.imread(shot)
    for index, chart in enumerate(CHARTS):
        box = pixels[index * height : (index + 1) * height, :, :3]
        assert (box.min(axis=2) < 0.9).mean() > 0.01, f"{chart} is blank"
        assert (box.max(axis=2) - box.min(axis=2) > 0.2).mean() > 0.002, f"{chart} has no colour"
