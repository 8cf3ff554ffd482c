"""The command line's report and plan paths for the new sections: ``report --reviews``
(the QA section; a bad line is one stderr line naming the file and line) and
``plan --format html``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from servicekit.cli import main
from tests.forecast.test_plan_cli import TEAM_TOML as PLAN_TOML
from tests.report.test_html import tables_of

TEAM_TOML = """\
tz = "UTC"

[insights]
min_count = 2

[scorecard]
name = "Email"
criteria = [{ name = "Solution", scale = [0, 1], weight = 3, critical = true },
            { name = "Tone", scale = [1, 5] }]
"""

EVENTS = [
    {"type": "created", "at": "2026-11-23T10:00:00+00:00", "ticket_id": "T-1",
     "requester": "c-1", "tags": ["refund"]},
    {"type": "replied", "at": "2026-11-23T11:00:00+00:00", "ticket_id": "T-1",
     "by": "agent", "author_id": "ana"},
]  # fmt: skip

REVIEWS = [
    {"agent": "ana", "reviewer": "lee", "conversation": "T-1",
     "ratings": {"Solution": 1, "Tone": 5}},
    {"agent": "ana", "reviewer": "max", "conversation": "T-1",
     "ratings": {"Solution": 1, "Tone": 3}},
]  # fmt: skip


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path, Path]:
    config = tmp_path / "team.toml"
    config.write_text(TEAM_TOML)
    events = tmp_path / "events.jsonl"
    events.write_text("".join(json.dumps(e) + "\n" for e in EVENTS))
    reviews = tmp_path / "reviews.jsonl"
    reviews.write_text("".join(json.dumps(r) + "\n" for r in REVIEWS))
    return events, config, reviews


class TestReviewsOption:
    def test_text_has_the_qa_section(
        self, files: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str]
    ) -> None:
        events, config, reviews = files
        assert main(["report", str(events), "--config", str(config),
                     "--reviews", str(reviews)]) == 0  # fmt: skip
        out = capsys.readouterr().out
        assert "Quality reviews (scorecard 'Email', 2 reviews)" in out
        assert "ana: IQS 93.8%" in out  # (100 + (3 x 100 + 50) / 4) / 2
        assert "Agents compared fairly" in out
        assert "Rising topics (against the 4 weeks before)" in out

    def test_json_and_html(
        self, tmp_path: Path, files: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str]
    ) -> None:
        pytest.importorskip("matplotlib")
        events, config, reviews = files
        assert main(["report", str(events), "--config", str(config), "--reviews", str(reviews),
                     "--format", "json"]) == 0  # fmt: skip
        data = json.loads(capsys.readouterr().out)
        assert data["qa"]["agents"][0]["iqs"] == 93.75
        page = tmp_path / "report.html"
        assert main(["report", str(events), "--config", str(config), "--reviews", str(reviews),
                     "--format", "html", "-o", str(page)]) == 0  # fmt: skip
        assert tables_of(page.read_text()).tables["qa"][1][:2] == ["ana", "93.8%"]

    def test_a_bad_line_is_named(
        self, files: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str]
    ) -> None:
        events, config, reviews = files
        reviews.write_text(
            json.dumps(REVIEWS[0]) + "\n" + '{"agent": "ana", "ratings": {"Tone": 7}}\n'
        )
        assert main(["report", str(events), "--config", str(config),
                     "--reviews", str(reviews)]) == 2  # fmt: skip
        err = capsys.readouterr().err
        assert err.count("\n") == 1
        assert f"{reviews}:2: 'Tone' is rated on whole numbers 1-5" in err

    def test_reviews_need_a_scorecard(
        self, tmp_path: Path, files: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str]
    ) -> None:
        events, _, reviews = files
        bare = tmp_path / "bare.toml"
        bare.write_text('tz = "UTC"\n')
        assert main(["report", str(events), "--config", str(bare),
                     "--reviews", str(reviews)]) == 2  # fmt: skip
        assert f"{bare}: --reviews needs a [scorecard] section" in capsys.readouterr().err

    def test_a_missing_file_is_named(
        self, tmp_path: Path, files: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str]
    ) -> None:
        events, config, _ = files
        missing = tmp_path / "nope.jsonl"
        assert main(["report", str(events), "--config", str(config),
                     "--reviews", str(missing)]) == 2  # fmt: skip
        assert f"{missing}: cannot read" in capsys.readouterr().err


@pytest.fixture
def plan_files(tmp_path: Path) -> tuple[Path, Path]:
    config = tmp_path / "team.toml"
    config.write_text(PLAN_TOML)
    events = tmp_path / "events.jsonl"
    lines = []
    for day in range(2, 30):
        for hour in (9, 10, 11, 14):
            at = f"2026-11-{day:02d}T{hour:02d}:10:00+01:00"
            record = {"type": "created", "at": at, "requester": "c",
                      "ticket_id": f"T-{day}-{hour}", "channel": "chat"}  # fmt: skip
            lines.append(json.dumps(record))
    events.write_text("\n".join(lines) + "\n")
    return events, config


class TestPlanHtml:
    def test_writes_the_page(self, tmp_path: Path, plan_files: tuple[Path, Path]) -> None:
        pytest.importorskip("matplotlib")
        pytest.importorskip("scipy")
        events, config = plan_files
        page = tmp_path / "plan.html"
        assert main(["plan", str(events), "--config", str(config), "--format", "html",
                     "-o", str(page)]) == 0  # fmt: skip
        html = page.read_text()
        assert 'id="plan-forecast-chart"' in html
        assert 'id="plan-coverage-chart"' in html
        assert tables_of(html).tables["plan-shifts"][0][0] == "shift"

    def test_output_takes_every_format(
        self, tmp_path: Path, plan_files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
    ) -> None:
        pytest.importorskip("scipy")
        events, config = plan_files
        for form in ("text", "csv"):
            path = tmp_path / f"plan.{form}"
            assert main(["plan", str(events), "--config", str(config), "--format", form,
                         "-o", str(path)]) == 0  # fmt: skip
            assert capsys.readouterr().out == ""
            assert main(["plan", str(events), "--config", str(config), "--format", form]) == 0
            assert path.read_text() == capsys.readouterr().out
