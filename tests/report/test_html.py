"""The report as a web page, checked without a browser: every chart and its table, the
SVG marks (bars per period and priority, labels as text), golden tables, nothing
outside the page, the same bytes twice, and the size of a year of weekly data."""

from __future__ import annotations

import contextlib
import re
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from servicekit import Ticket
from servicekit.errors import ServicekitError
from servicekit.report import ReportConfig, WeeklyReport, weekly_report
from servicekit.testing.strategies import ticket_histories
from servicekit.tickets import Assigned, Replied, SatisfactionRated, StatusChanged
from tests.report.test_weekly import CONFIG, MONDAY, WEEK, _tickets

CHARTS = ("sla-chart", "backlog-chart", "first-reply-chart", "csat-chart", "shortfall-chart")


class Tables(HTMLParser):
    """The page's tables (by ``data-table``): rows of cell texts, and of raw values."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.values: dict[str, list[list[str | None]]] = {}
        self.current: str | None = None
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "table":
            self.current = found.get("data-table") or "?"
            self.tables[self.current], self.values[self.current] = [], []
        elif tag == "tr" and self.current is not None:
            self.tables[self.current].append([])
            self.values[self.current].append([])
        elif tag in ("td", "th") and self.current is not None:
            self.cell = []
            self.values[self.current][-1].append(found.get("data-value"))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self.current is not None and self.cell is not None:
            self.tables[self.current][-1].append("".join(self.cell).strip())
            self.cell = None
        elif tag == "table":
            self.current = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def tables_of(page: str) -> Tables:
    parser = Tables()
    parser.feed(page)
    return parser


def _rated(number: int, at: datetime, score: int) -> Ticket:
    ticket = Ticket.create(id=f"R-{number}", at=at, requester="c", channel="email")
    ticket = ticket.apply(Assigned(at=at + timedelta(minutes=1), agent="ana"))
    ticket = ticket.apply(Replied(at=at + timedelta(minutes=20), by="agent", author_id="ana"))
    ticket = ticket.apply(StatusChanged(at=at + timedelta(minutes=30), status="solved"))
    return ticket.apply(SatisfactionRated(at=at + timedelta(hours=1), score=score))


def _two_weeks() -> WeeklyReport:
    tickets = [
        *_tickets(),
        _rated(1, MONDAY + timedelta(hours=12), 5),
        _rated(2, WEEK + timedelta(hours=12), 1),
        _rated(3, WEEK + timedelta(hours=13), 5),
    ]
    return weekly_report(tickets, start=MONDAY, end=WEEK + timedelta(days=7), config=CONFIG)


@pytest.fixture(scope="module")
def page() -> str:
    return _two_weeks().to_html()


class TestPage:
    def test_every_chart_has_a_title_a_summary_an_svg_and_a_table(self, page: str) -> None:
        for chart in CHARTS:
            section = page.split(f'id="{chart}"', 1)[1].split("</section>", 1)[0]
            assert "<h2>" in section
            assert '<p class="note">' in section
            assert section.count("<svg ") == 1
            assert 'role="img" aria-label="' in section
            assert "<table data-table=" in section

    def test_nothing_outside_the_page(self, page: str) -> None:
        assert "<script" not in page
        assert "http" not in page
        assert not re.search(r"""(src|href)\s*=\s*["'](?!#)""", page)
        assert "url(" not in page.replace("url(#", "")
        assert "@import" not in page

    def test_the_same_report_gives_the_same_bytes(self, page: str) -> None:
        assert _two_weeks().to_html() == page

    def test_labels_are_text_not_paths(self, page: str) -> None:
        sla = page.split('id="sla-chart"', 1)[1].split("</svg>", 1)[0]
        assert "SLA targets met (%)" in sla
        assert ">Mon 2 Mar<" in sla
        assert ">urgent<" in sla

    def test_one_bar_and_whisker_per_period_and_priority(self, page: str) -> None:
        sla = page.split('id="sla-chart"', 1)[1].split("</section>", 1)[0]
        # week 1: urgent (T-2) and normal (T-1, T-3..5, R-1); week 2: normal
        assert len(re.findall(r'id="sla-bar-\d+"', sla)) == 3
        assert len(re.findall(r'id="sla-whisker-\d+"', sla)) == 3
        bins = page.split('id="first-reply-chart"', 1)[1].split("</section>", 1)[0]
        assert len(re.findall(r'id="first-reply-bar-\d+"', bins)) == 10

    def test_golden_tables(self, page: str) -> None:
        tables = tables_of(page).tables
        assert tables["sla"] == [
            ["week", "priority", "met", "breached", "met (%)", "95% interval"],
            ["Mon 2 Mar", "urgent", "1", "0", "100%", "21% – 100%"],
            ["Mon 2 Mar", "normal", "3", "2", "60%", "23% – 88%"],
            ["Mon 9 Mar", "normal", "2", "0", "100%", "34% – 100%"],
        ]
        assert tables["csat"] == [
            ["week", "ratings", "positive", "CSAT", "95% interval"],
            ["Mon 2 Mar", "1", "1", "100%", "21% – 100%"],
            ["Mon 9 Mar", "2", "1", "50%", "9% – 91%"],
        ]
        assert tables["first-reply"][1:4] == [
            ["under 1 min", "2"], ["1 min – 5 min", "0"], ["5 min – 15 min", "1"]
        ]  # fmt: skip
        assert tables["backlog"][1:3] == [["Mon 2 Mar", "1"], ["Tue 3 Mar", "1"]]  # T-4
        agents = {row[0]: row[1:] for row in tables["agents"][1:]}
        assert agents["ana"][:3] == ["6", "20 min", "1 h 10 min"]  # T-1, T-3, T-5, R-1..3
        assert agents["ana"][3:6] == ["67%", "21% – 94%", "3"]

    def test_raw_values_behind_the_shown_numbers(self, page: str) -> None:
        values = tables_of(page).values
        assert values["summary"][1][1] == "8"  # tickets created
        assert values["csat"][2][3] == "0.5"

    def test_empty_period_says_so_instead_of_charting(self) -> None:
        page = weekly_report([], start=MONDAY, end=WEEK, config=CONFIG).to_html()
        assert "No tickets with SLA targets in this period." in page
        assert "No satisfaction ratings in this period." in page
        assert 'id="backlog-chart"' in page

    def test_a_year_of_weekly_data_stays_small(self) -> None:
        start = datetime(2026, 1, 5, tzinfo=UTC)
        tickets = [
            _rated(n, start + timedelta(hours=7 * n % (364 * 24)), 1 + n % 5) for n in range(1500)
        ]
        config = ReportConfig.from_dict({
            "policies": [{"name": "all", "targets": {
                "normal": {"first_reply": {"duration": "30m", "business_hours": False}}}}],
            "staffing": {"channels": {"email": {"aht": "10m", "target": "1h"}}},
        })  # fmt: skip
        weekly = weekly_report(tickets, start=start, end=start + timedelta(days=364),
                               config=config)  # fmt: skip
        assert len(weekly.periods) == 52
        page = weekly.to_html()
        assert len(page.encode()) < 300_000
        sla = page.split('id="sla-chart"', 1)[1].split("</section>", 1)[0]
        assert len(re.findall(r'id="sla-bar-\d+"', sla)) == 52


@settings(max_examples=4, deadline=None)
@given(st.lists(ticket_histories(max_events=6), max_size=3), st.sampled_from(["day", "week"]))
def test_fuzzed_histories_render_or_raise_servicekit_errors(
    histories: list[list[object]], by: str
) -> None:
    tickets = []
    for history in histories:
        with contextlib.suppress(ServicekitError):
            tickets.append(Ticket.replay(history))  # type: ignore[arg-type]
    start = datetime(2026, 1, 1, tzinfo=UTC)
    with contextlib.suppress(ServicekitError):
        page = weekly_report(tickets, start=start, end=start + timedelta(days=14), by=by,
                             config=CONFIG, evaluate_rules=True).to_html()  # fmt: skip
        assert page.endswith("</html>\n")
