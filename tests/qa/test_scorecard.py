"""Scorecards, review scores and the Internal Quality Score (Zendesk QA semantics)."""

from __future__ import annotations

import contextlib
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from servicekit.errors import ConfigError, InvalidInputError, ServicekitError
from servicekit.qa import Criterion, Review, Scorecard, iqs

# Four pass/fail criteria whose weights add up to 111, so that passing subsets give the
# review scores of Zendesk QA's worked IQS example: 11/111 = 9.91 %, 71/111 = 63.96 %,
# 101/111 = 90.99 %. "Accuracy" is critical: failing it zeroes the fifth review.
CARD = Scorecard(
    name="Email",
    criteria=[
        Criterion(name="Solution", scale=(0, 1), weight=60),
        Criterion(name="Tone", scale=(0, 1), weight=30),
        Criterion(name="Grammar", scale=(0, 1), weight=10),
        Criterion(name="Accuracy", scale=(0, 1), weight=11, critical=True),
    ],
)


def reviews_of_the_worked_example() -> list[Review]:
    passed = [
        {"Solution", "Tone", "Grammar", "Accuracy"},  # 111/111 = 100 %
        {"Accuracy"},  # 11/111 = 9.91 %
        {"Solution", "Accuracy"},  # 71/111 = 63.96 %
        {"Solution", "Tone", "Accuracy"},  # 101/111 = 90.99 %
        {"Solution", "Tone", "Grammar"},  # critical Accuracy failed: 0 %
    ]
    return [
        Review(agent="ana", ratings={c.name: int(c.name in ok) for c in CARD.criteria})
        for ok in passed
    ]


class TestZendeskWorkedExample:
    def test_review_scores(self) -> None:
        scores = [CARD.score(r.ratings).value for r in reviews_of_the_worked_example()]
        assert [round(s, 2) for s in scores if s is not None] == [100.0, 9.91, 63.96, 90.99, 0.0]

    def test_iqs_is_the_mean_of_review_scores(self) -> None:
        # Zendesk QA help centre, "About the Zendesk QA Reviews dashboard calculations"
        # (support.zendesk.com/hc/en-us/articles/7043701093786), "Understanding how the IQS
        # is calculated": (100% + 9.91% + 63.96% + 90.99% + 0%) / 5 = 52.97%.
        (ana,) = iqs(CARD, reviews_of_the_worked_example())
        assert ana.iqs is not None
        assert round(ana.iqs, 2) == 52.97
        assert (ana.reviews, ana.scored, ana.failed) == (5, 5, 1)

    def test_category_view_does_not_zero(self) -> None:
        (ana,) = iqs(CARD, reviews_of_the_worked_example())
        # Solution passed in 4 of 5 reviews, including the review zeroed by Accuracy.
        assert ana.categories == {
            "Solution": 80.0,
            "Tone": 60.0,
            "Grammar": 40.0,
            "Accuracy": 80.0,
        }


class TestCategoryScore:
    @pytest.mark.parametrize(
        ("scale", "rating", "expected"),
        [((0, 1), 1, 100.0), ((1, 3), 2, 50.0), ((1, 4), 2, 100 / 3), ((1, 5), 4, 75.0)],
    )
    def test_zendesk_scale_table(
        self, scale: tuple[int, int], rating: int, expected: float
    ) -> None:
        assert Criterion(name="c", scale=scale).score(rating) == pytest.approx(expected)

    def test_critical_at_exactly_half_does_not_fail(self) -> None:
        card = Scorecard(name="c", criteria=[Criterion(name="x", scale=(1, 3), critical=True)])
        assert card.score({"x": 2}).value == 50.0
        assert card.score({"x": 1}).value == 0.0

    @pytest.mark.parametrize("rating", [0, 6, 2.5, True, "4", float("nan")])
    def test_off_scale_ratings_are_rejected(self, rating: object) -> None:
        with pytest.raises(InvalidInputError, match="Tone"):
            Criterion(name="Tone").score(rating)  # type: ignore[arg-type]


class TestReviewScore:
    def test_na_is_skipped_from_sum_and_weights(self) -> None:
        card = Scorecard(
            name="c",
            criteria=[Criterion(name="a", weight=3), Criterion(name="b", weight=1)],
        )
        result = card.score({"a": 5, "b": None})
        assert card.score({"a": 5, "b": float("nan")}) == result
        assert result.value == 100.0
        assert result.skipped == ("b",)
        assert "1 N/A skipped" in result.reason

    def test_all_na_has_no_score_and_says_why(self) -> None:
        result = CARD.score({})
        assert result.value is None
        assert result.reason == "nothing was rated (all N/A)"
        assert "no score" in result.explain()

    def test_only_weightless_criteria_rated(self) -> None:
        card = Scorecard(name="c", criteria=[Criterion(name="a", weight=0)])
        assert card.score({"a": 3}).value is None
        assert "weight 0" in card.score({"a": 3}).reason

    def test_unknown_criterion_is_rejected(self) -> None:
        with pytest.raises(InvalidInputError, match="no criterion 'Speed'"):
            CARD.score({"Speed": 1})

    def test_to_dict_is_a_row(self) -> None:
        row = CARD.score({"Solution": 1, "Accuracy": 0}).to_dict()
        assert row["value"] == 0.0
        assert row["failed"] == ["Accuracy"]
        assert row["category:Solution"] == 100.0


def test_values_compare_by_ratings_and_hash() -> None:
    one = Review(agent="a", ratings={"Tone": 1})
    assert one != Review(agent="a", ratings={"Tone": 2})
    assert hash(one) == hash(Review(agent="a", ratings={"Tone": 1}))
    assert hash(CARD.score({"Tone": 1})) == hash(CARD.score({"Tone": 1}))
    (ana,) = iqs(CARD, reviews_of_the_worked_example())
    assert hash(ana) == hash(iqs(CARD, reviews_of_the_worked_example())[0])


class TestIQS:
    def test_agents_in_name_order_and_all_na_review_left_out(self) -> None:
        reviews = [
            Review(agent="bo", ratings={"Solution": 1, "Accuracy": 1}),
            Review(agent="ana", ratings={}),
            Review(agent="bo", ratings={}),
        ]
        ana, bo = iqs(CARD, reviews)
        assert (ana.agent, ana.iqs, ana.scored) == ("ana", None, 0)
        assert "all N/A" in ana.reason
        assert (bo.iqs, bo.reviews, bo.scored) == (100.0, 2, 1)
        assert "1 all-N/A reviews left out" in bo.reason
        assert bo.to_dict()["iqs"] == 100.0
        assert bo.explain().startswith("bo: IQS 100.00 %")

    def test_no_reviews_no_agents(self) -> None:
        assert iqs(CARD, []) == ()

    @given(st.lists(st.integers(1, 5), min_size=1, max_size=20))
    def test_iqs_is_the_mean_of_review_scores(self, ratings: list[int]) -> None:
        card = Scorecard(name="c", criteria=[Criterion(name="x")])
        (agent,) = iqs(card, [Review(agent="a", ratings={"x": r}) for r in ratings])
        assert agent.iqs == pytest.approx(sum((r - 1) * 25 for r in ratings) / len(ratings))


class TestConfig:
    def test_round_trip(self) -> None:
        assert Scorecard.from_dict(CARD.to_dict()) == CARD

    @pytest.mark.parametrize(
        ("data", "path"),
        [
            ({"name": "c", "criteria": [{"name": "a", "scale": [3, 1]}]}, "criteria[0].scale"),
            ({"name": "c", "criteria": [{"name": "a", "weight": -1}]}, "criteria[0].weight"),
            ({"name": "c", "criteria": [{"name": "a", "colour": 1}]}, "criteria[0]"),
            ({"name": "c", "criteria": "a"}, "criteria"),
            ({"name": "", "criteria": [{"name": "a"}]}, "name"),
            ({"name": "c", "criteria": []}, "criteria"),
        ],
    )
    def test_errors_name_the_path(self, data: dict[str, Any], path: str) -> None:
        with pytest.raises(ConfigError) as caught:
            Scorecard.from_dict(data)
        assert caught.value.path == path

    def test_duplicate_names_are_rejected(self) -> None:
        with pytest.raises(InvalidInputError, match="repeated"):
            Scorecard(name="c", criteria=[Criterion(name="a"), Criterion(name="a")])


@given(
    st.one_of(st.none(), st.integers(), st.text(), st.dictionaries(st.text(), st.integers())),
    st.dictionaries(
        st.sampled_from(["Solution", "Tone", "x"]),
        st.one_of(st.none(), st.integers(-2, 3), st.floats(), st.text()),
    ),
)
def test_fuzz_only_servicekit_errors_escape(data: object, ratings: dict[str, object]) -> None:
    for call in (
        lambda: Scorecard.from_dict(data),  # type: ignore[arg-type]
        lambda: CARD.score(ratings),  # type: ignore[arg-type]
        lambda: iqs(CARD, [Review(agent="a", ratings=ratings)]),
    ):
        with contextlib.suppress(ServicekitError):
            call()
