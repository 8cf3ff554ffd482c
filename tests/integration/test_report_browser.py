"""The report's web page in a real browser: Debian's headless Chromium, network blocked,
renders every chart (non-blank pixels where each chart is), shows tables whose numbers
are the report's, and makes no request outside the page (its network log says so).

Run by ``make test-integration``; fails (does not skip) without ``chromium``."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import pytest

from servicekit import simulation
from servicekit.kpi import period_start
from servicekit.report import ReportConfig, WeeklyReport, weekly_report
from servicekit.report._sla import by_priority
from servicekit.report._weekly import figures
from tests.report.test_html import CHARTS, tables_of

pytest.importorskip("matplotlib")
image = pytest.importorskip("matplotlib.image")

CHART_BOX = (640, 320)  # each chart alone, in a fixed box: width, height in CSS pixels


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        pytest.fail("chromium is not installed: apt-get install -y chromium (see .ci/run)")
    return found


def browse(page: Path, profile: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """Open ``page`` in headless Chromium with every host unresolvable and no proxy
    reachable, so nothing can leave the machine."""
    return subprocess.run(
        [_chromium(), "--headless", "--no-sandbox", "--disable-gpu",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--no-first-run", "--no-default-browser-check", "--hide-scrollbars",
         "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=127.0.0.1:9",
         f"--user-data-dir={profile}", *extra, page.as_uri()],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip


@pytest.fixture(scope="module")
def weekly() -> WeeklyReport:
    """The demo's report (three days, day by day, with the rules evaluated)."""
    config = ReportConfig.from_dict(simulation.EXAMPLE_CONFIG)
    start = period_start(datetime(2026, 11, 23, 12, tzinfo=config.tz), "day", config.tz)
    result = simulation.simulate(simulation.example_team(), start=start, days=3, seed=1)
    return weekly_report(result.tickets, start=result.start, end=result.end, config=config,
                         by="day", evaluate_rules=True)  # fmt: skip


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("browser")


@pytest.fixture(scope="module")
def page(weekly: WeeklyReport, folder: Path) -> Path:
    path = folder / "report.html"
    path.write_text(weekly.to_html(), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def dom(page: Path, folder: Path) -> tuple[str, Path]:
    log = folder / "netlog.json"
    done = browse(page, folder / "profile-dom", "--dump-dom", f"--log-net-log={log}")
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout, log


def test_the_page_refers_to_nothing_outside_it(page: Path) -> None:
    text = page.read_text()
    assert not re.search(r"https?://|//[a-z]", text.replace("</", "")), "an address"
    assert not re.search(r"""(src|href)\s*=\s*["'](?!#)""", text)
    assert "<script" not in text
    assert "@import" not in text
    assert "url(" not in text.replace("url(#", "")


def page_requests(log: Path) -> list[str]:
    """The addresses a page asked for, from Chromium's network log: the requests with
    a page as initiator (the browser's own, such as its clock check, have "not an
    origin"; a ``file:`` page's origin is "null")."""
    data = json.loads(log.read_text())
    start_job = data["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    return [
        event["params"]["url"]
        for event in data["events"]
        if event["type"] == start_job
        and "url" in event.get("params", {})
        and event["params"].get("initiator") != "not an origin"
    ]


def test_no_request_left_the_page(dom: tuple[str, Path], folder: Path) -> None:
    _, log = dom
    assert page_requests(log) == []
    # The check sees a request when a page makes one (blocked, but attempted).
    control = folder / "control.html"
    control.write_text('<!DOCTYPE html><img src="http://example.invalid/x.png">')
    control_log = folder / "control.json"
    browse(control, folder / "profile-control", "--screenshot=" + str(folder / "control.png"),
           f"--log-net-log={control_log}")  # fmt: skip
    assert page_requests(control_log) == ["http://example.invalid/x.png"]


def test_every_chart_is_in_the_page(dom: tuple[str, Path]) -> None:
    html, _ = dom
    for chart in CHARTS:
        section = html.split(f'id="{chart}"', 1)[1].split("</section>", 1)[0]
        assert "<svg" in section, chart
        assert "<table" in section, chart


def test_every_table_holds_the_reports_numbers(dom: tuple[str, Path], weekly: WeeklyReport) -> None:
    html, _ = dom
    parsed = tables_of(html)
    values, shown = parsed.values, parsed.tables
    summary = [row[1] for row in values["summary"][1:]]
    assert summary == [
        None if value is None else repr(value) for _, _, value, _, _ in figures(weekly.summary)
    ]
    expected_sla = [
        (repr(share.successes), repr(share.value))
        for row in weekly.periods
        for share in by_priority(row.sla).values()
        if share.count
    ]
    assert [(row[2], row[4]) for row in values["sla"][1:]] == expected_sla
    assert [row[1] for row in values["csat"][1:]] == [
        repr(row.summary.csat.count) for row in weekly.periods
    ]
    details = weekly.details
    assert details is not None
    assert [row[1] for row in values["backlog"][1:]] == [repr(c) for _, c in details.backlog]
    assert [row[1] for row in values["first-reply"][1:]] == [
        repr(count) for _, _, count in details.first_reply_bins
    ]
    assert [(row[0], row[1]) for row in shown["agents"][1:]] == [
        (a.agent, str(a.tickets)) for a in details.agents
    ]
    busy = [cell for cell in details.shortfall if cell.contacts]
    assert [row[4] for row in values["shortfall"][1:]] == [repr(c.shortfall) for c in busy]


def _chart_page(page: Path, folder: Path) -> Path:
    """Each chart's SVG alone in a fixed box, one under the other."""
    text = page.read_text()
    boxes = []
    width, height = CHART_BOX
    for index, chart in enumerate(CHARTS):
        svg = re.search(r"<svg .*?</svg>", text.split(f'id="{chart}"', 1)[1], re.S)
        assert svg is not None, chart
        boxes.append(
            f'<div style="position:absolute;left:0;top:{index * height}px;width:{width}px;'
            f'height:{height}px">{svg.group(0)}</div>'
        )
    path = folder / "charts.html"
    style = "body{margin:0;background:#fff} svg{width:100%;height:100%}"
    path.write_text(f"<!DOCTYPE html><html><head><style>{style}</style></head><body>"
                    f"{''.join(boxes)}</body></html>")  # fmt: skip
    return path


def test_every_chart_draws_in_the_browser(page: Path, folder: Path) -> None:
    width, height = CHART_BOX
    shot = folder / "charts.png"
    size = f"--window-size={width},{height * len(CHARTS)}"
    done = browse(_chart_page(page, folder), folder / "profile-charts", f"--screenshot={shot}",
                  size)  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    pixels = image.imread(shot)
    assert pixels.shape[:2] == (height * len(CHARTS), width)
    for index, chart in enumerate(CHARTS):
        box = pixels[index * height : (index + 1) * height, :, :3]
        inked = (box.min(axis=2) < 0.9).mean()  # share of pixels that are not near white
        coloured = (box.max(axis=2) - box.min(axis=2) > 0.2).mean()  # bars, lines, cells
        assert inked > 0.01, f"{chart} is blank"
        assert coloured > 0.002, f"{chart} has no coloured marks"


def test_the_whole_page_renders_and_asks_for_nothing(page: Path, folder: Path) -> None:
    shot, log = folder / "page.png", folder / "page.json"
    done = browse(page, folder / "profile-page", f"--screenshot={shot}",
                  "--window-size=1000,1400", f"--log-net-log={log}")  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert page_requests(log) == []
    pixels = image.imread(shot)
    assert (pixels[:, :, :3].min(axis=2) < 0.9).mean() > 0.02


def test_the_fair_comparison_is_in_the_page(dom: tuple[str, Path], weekly: WeeklyReport) -> None:
    html, _ = dom
    parsed = tables_of(html)
    head = parsed.tables["agents"][0]
    column = head.index("CSAT shrunk")
    rows = zip(parsed.tables["agents"][1:], parsed.values["agents"][1:], strict=True)
    shown = {row[0]: raw[column] for row, raw in rows}
    csat = next(score for score in weekly.fair if score.metric == "csat")
    assert csat.rows
    assert {row.agent: repr(row.estimate) for row in csat.rows} == {
        agent: value for agent, value in shown.items() if value is not None
    }
    assert 'id="shrunk-csat-chart"' in html
    assert 'id="rising-topics"' in html
