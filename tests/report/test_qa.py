"""The report's QA section (the numbers are ``qa.iqs`` and ``qa.calibrate``'s), the
scorecard in the settings, and the reviews reader (errors name the line; fuzzed lines
raise nothing but ServicekitError)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from servicekit import qa
from servicekit.errors import ConfigError, InvalidInputError, ServicekitError
from servicekit.report import ReportConfig, qa_section, read_reviews, weekly_report
from servicekit.report._qa import calibration_rows
from tests.report.test_html import tables_of

MONDAY = datetime(2026, 3, 2, tzinfo=UTC)
CARD = {
    "name": "Email",
    "criteria": [
        {"name": "Solution", "scale": [0, 1], "weight": 3, "critical": True},
        {"name": "Tone", "scale": [1, 5]},
    ],
}
CONFIG = ReportConfig.from_dict({"scorecard": CARD})
SCORECARD = qa.Scorecard.from_dict(CARD)


def _reviews() -> list[qa.Review]:
    """ana reviewed by lee and max on T-1 and T-2; bo by lee on T-3 (a critical fail)."""
    return [
        qa.Review(agent="ana", reviewer="lee", conversation="T-1",
                  ratings={"Solution": 1, "Tone": 5}),
        qa.Review(agent="ana", reviewer="max", conversation="T-1",
                  ratings={"Solution": 1, "Tone": 4}),
        qa.Review(agent="ana", reviewer="lee", conversation="T-2",
                  ratings={"Solution": 1, "Tone": 3}),
        qa.Review(agent="ana", reviewer="max", conversation="T-2",
                  ratings={"Solution": 1, "Tone": 2}),
        qa.Review(agent="bo", reviewer="lee", conversation="T-3",
                  ratings={"Solution": 0, "Tone": 5}),
        qa.Review(agent="bo", ratings={"Solution": 1, "Tone": None}),
    ]  # fmt: skip


class TestSection:
    def test_iqs_and_calibration_are_the_qa_calls(self) -> None:
        reviews = _reviews()
        weekly = weekly_report([], start=MONDAY, end=MONDAY + timedelta(days=7), config=CONFIG,
                               reviews=reviews)  # fmt: skip
        assert weekly.qa is not None
        assert weekly.qa.agents == qa.iqs(SCORECARD, reviews)
        rows = [
            ("T-1 / Solution", "lee", 100.0), ("T-1 / Tone", "lee", 100.0),
            ("T-1 / Solution", "max", 100.0), ("T-1 / Tone", "max", 75.0),
            ("T-2 / Solution", "lee", 100.0), ("T-2 / Tone", "lee", 50.0),
            ("T-2 / Solution", "max", 100.0), ("T-2 / Tone", "max", 25.0),
            ("T-3 / Solution", "lee", 0.0), ("T-3 / Tone", "lee", 100.0),
        ]  # fmt: skip
        assert sorted(calibration_rows(SCORECARD, reviews)) == sorted(rows)
        expected = qa.calibrate(rows, level="interval", resamples=500, seed=0)
        assert weekly.qa.calibration == expected
        assert weekly.qa.reviews == 6

    def test_text_html_dict_and_rows(self) -> None:
        weekly = weekly_report([], start=MONDAY, end=MONDAY + timedelta(days=7), config=CONFIG,
                               reviews=_reviews())  # fmt: skip
        assert weekly.qa is not None
        ana, bo = weekly.qa.agents
        text = weekly.to_text().split("Quality reviews (scorecard 'Email', 6 reviews)", 1)[1]
        assert f"ana: IQS {ana.iqs:.1f}%" in text
        assert "Reviewer calibration (category scores, interval level)" in text
        page = weekly.to_html()
        found = tables_of(page)
        assert found.tables["qa"][0] == ["agent", "IQS", "reviews", "failed critical",
                                         "Solution", "Tone"]  # fmt: skip
        assert found.values["qa"][1][1] == repr(ana.iqs)
        assert found.tables["qa"][2][3] == "1"  # bo's failed critical review
        assert [row[0] for row in found.tables["qa-drift"][1:]] == ["lee", "max"]
        assert weekly.to_dict()["qa"]["agents"][1]["iqs"] == bo.iqs
        rows = {r["name"]: r for r in weekly.to_rows() if r["section"] == "qa"}
        assert rows["iqs/ana"]["value"] == ana.iqs
        assert weekly.qa.calibration is not None
        assert rows["alpha"]["value"] == weekly.qa.calibration.alpha.value

    def test_without_shared_conversations_calibration_says_why(self) -> None:
        section = qa_section(SCORECARD, [r for r in _reviews() if r.reviewer != "max"])
        assert section.calibration is None
        assert "no conversation was reviewed by two reviewers" in section.note
        assert "no conversation was reviewed by two reviewers" in "\n".join(section.to_text())

    def test_no_reviews_no_section(self) -> None:
        weekly = weekly_report([], start=MONDAY, end=MONDAY + timedelta(days=7), config=CONFIG)
        assert weekly.qa is None
        assert "Quality reviews" not in weekly.to_text()
        assert 'id="qa"' not in weekly.to_html()
        assert weekly.to_dict()["qa"] is None

    def test_reviews_need_a_scorecard(self) -> None:
        with pytest.raises(InvalidInputError, match=r"\[scorecard\]"):
            weekly_report([], start=MONDAY, end=MONDAY + timedelta(days=1), reviews=_reviews())

    def test_reviews_must_fit_the_scorecard(self) -> None:
        bad = [qa.Review(agent="ana", ratings={"Speed": 3})]
        with pytest.raises(InvalidInputError, match="no criterion 'Speed'"):
            weekly_report([], start=MONDAY, end=MONDAY + timedelta(days=1), config=CONFIG,
                          reviews=bad)  # fmt: skip
        with pytest.raises(InvalidInputError, match="not a review"):
            weekly_report([], start=MONDAY, end=MONDAY + timedelta(days=1), config=CONFIG,
                          reviews=["ana"])  # type: ignore[list-item]  # fmt: skip

    def test_a_reviewer_reviewing_a_conversation_twice_is_named(self) -> None:
        twice = [*_reviews(), _reviews()[0]]
        with pytest.raises(InvalidInputError, match="reviewer 'lee' reviewed conversation 'T-1'"):
            qa_section(SCORECARD, twice)


class TestScorecardSetting:
    def test_read_from_the_file(self) -> None:
        assert CONFIG.scorecard == SCORECARD

    def test_errors_name_the_path_inside_the_scorecard(self) -> None:
        with pytest.raises(ConfigError) as caught:
            ReportConfig.from_dict(
                {"scorecard": {"name": "x", "criteria": [{"name": "a", "scale": [3, 1]}]}}
            )
        assert caught.value.path == "scorecard.criteria[0].scale"
        with pytest.raises(ConfigError) as caught:
            ReportConfig.from_dict({"scorecard": "Email"})
        assert caught.value.path == "scorecard"


def _line(**record: Any) -> str:
    return json.dumps(record)


class TestReadReviews:
    def test_the_documented_shape(self) -> None:
        lines = [
            _line(agent="ana", reviewer="lee", conversation="T-1",
                  ratings={"Solution": 1, "Tone": 4}),
            "   ",
            _line(agent="bo", ratings={"Solution": None, "Tone": 2.0}),
        ]  # fmt: skip
        reviews = read_reviews(lines, scorecard=SCORECARD)
        assert reviews == (
            qa.Review(agent="ana", reviewer="lee", conversation="T-1",
                      ratings={"Solution": 1, "Tone": 4}),
            qa.Review(agent="bo", ratings={"Solution": None, "Tone": 2.0}),
        )  # fmt: skip

    @pytest.mark.parametrize(
        ("line", "message"),
        [
            ("{", "line 2: not a JSON object"),
            ("[1, 2]", "line 2: expected a JSON object, got [1, 2]"),
            (_line(agent="ana"), "line 2: field 'ratings' is missing"),
            (_line(ratings={}), "line 2: field 'agent' is missing"),
            (_line(agent="ana", ratings={}, when="today"), "line 2: unknown field 'when'"),
            (_line(agent="", ratings={}), "line 2: agent must be a non-empty name"),
            (_line(agent="ana", ratings=[1]), "line 2: field 'ratings' must map"),
            (_line(agent="ana", ratings={"Tone": True}), "line 2: rating of 'Tone' must be"),
            (_line(agent="ana", ratings={"Tone": 2.5}), "line 2: rating of 'Tone' must be"),
            (_line(agent="ana", ratings={"Tone": 9}), "line 2: 'Tone' is rated on whole"),
            (_line(agent="ana", ratings={"Speed": 1}), "line 2: scorecard 'Email' has no"),
            (_line(agent="ana", reviewer=7, ratings={}), "line 2: reviewer must be"),
            ("[" * 100_000, "line 2: not a JSON object"),
        ],
    )
    def test_errors_name_the_line(self, line: str, message: str) -> None:
        first = _line(agent="ana", ratings={"Tone": 3})
        with pytest.raises(InvalidInputError) as caught:
            read_reviews([first, line], scorecard=SCORECARD)
        assert str(caught.value).startswith(message)

    def test_a_second_review_of_a_conversation_names_both_lines(self) -> None:
        line = _line(agent="ana", reviewer="lee", conversation="T-1", ratings={"Tone": 3})
        with pytest.raises(InvalidInputError, match=r"line 3: .* on line 1"):
            read_reviews([line, "", line])

    def test_wrong_kinds(self) -> None:
        with pytest.raises(InvalidInputError, match="lines must be"):
            read_reviews("{}")
        with pytest.raises(InvalidInputError, match="line 1: expected text"):
            read_reviews([b"{}"])  # type: ignore[list-item]
        with pytest.raises(InvalidInputError, match="scorecard must be"):
            read_reviews([], scorecard=CARD)  # type: ignore[arg-type]

    json_values = st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
        lambda inner: (
            st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
        ),
        max_leaves=12,
    )
    records = st.fixed_dictionaries(
        {},
        optional={
            "agent": json_values | st.sampled_from(["ana", "bo"]),
            "reviewer": json_values | st.sampled_from(["lee", "max"]),
            "conversation": json_values | st.sampled_from(["T-1", "T-2"]),
            "ratings": json_values
            | st.dictionaries(st.sampled_from(["Solution", "Tone", "Speed"]), json_values),
        },
    )

    @given(st.lists(st.one_of(records.map(json.dumps), st.text(max_size=30)), max_size=6),
           st.booleans())  # fmt: skip
    def test_fuzzed_lines_raise_only_servicekit_errors(self, lines: list[str], card: bool) -> None:
        try:
            reviews = read_reviews(lines, scorecard=SCORECARD if card else None)
        except ServicekitError:
            return
        assert all(isinstance(review, qa.Review) for review in reviews)


ratings = st.dictionaries(
    st.sampled_from(["Solution", "Tone"]),
    st.none() | st.integers(min_value=-1, max_value=6),
    max_size=2,
)
fuzzed_reviews = st.lists(
    st.builds(
        qa.Review,
        agent=st.sampled_from(["ana", "bo"]),
        ratings=ratings,
        reviewer=st.none() | st.sampled_from(["lee", "max", "kim"]),
        conversation=st.none() | st.sampled_from(["T-1", "T-2"]),
    ),
    max_size=8,
)


@given(fuzzed_reviews)
def test_fuzzed_reviews_give_a_section_or_a_servicekit_error(reviews: list[qa.Review]) -> None:
    """Any reviews: the section (IQS equal to ``qa.iqs``) or a ServicekitError."""
    try:
        section = qa_section(SCORECARD, reviews)
    except ServicekitError:
        return
    assert section.agents == qa.iqs(SCORECARD, reviews)
    assert section.reviews == len(reviews)
    assert (section.calibration is None) == bool(section.note)
    assert section.to_text()
