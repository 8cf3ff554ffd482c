"""CSAT, NPS and CES: worked examples, input forms (lists, generators, NumPy, pandas),
errors naming the position, and the Wilson interval against an independent solution."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from servicekit.errors import InvalidInputError
from servicekit.kpi import ces, csat, nps, wilson_interval

Z95 = 1.959963984540054


def wilson_by_quadratic(successes: int, trials: int, z: float = Z95) -> tuple[float, float]:
    """Independent reference: the p where |p_hat - p| = z * sqrt(p (1 - p) / n), the
    two roots of (1 + z²/n) p² - (2 p_hat + z²/n) p + p_hat² = 0."""
    p_hat, k = successes / trials, z * z / trials
    a, b, c = 1 + k, -(2 * p_hat + k), p_hat * p_hat
    root = math.sqrt(b * b - 4 * a * c)
    return (-b - root) / (2 * a), (-b + root) / (2 * a)


class TestWilson:
    def test_published_value(self) -> None:
        low, high = wilson_interval(8, 10)
        assert (round(low, 4), round(high, 4)) == (0.4902, 0.9433)

    @given(st.integers(1, 5_000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
    def test_agrees_with_the_quadratic(self, case: tuple[int, int]) -> None:
        successes, trials = case
        expected = wilson_by_quadratic(successes, trials)
        actual = wilson_interval(successes, trials)
        assert actual == pytest.approx(expected, abs=1e-12)
        assert 0 <= actual[0] <= successes / trials <= actual[1] <= 1

    @pytest.mark.parametrize(("successes", "trials"), [(3, 2), (-1, 4), (0, 0), (1.5, 3)])
    def test_bad_counts(self, successes: int, trials: int) -> None:
        with pytest.raises(InvalidInputError):
            wilson_interval(successes, trials)

    def test_bad_confidence(self) -> None:
        with pytest.raises(InvalidInputError, match="confidence must be in"):
            wilson_interval(1, 2, confidence=1.0)


class TestCSAT:
    def test_top_two_box(self) -> None:
        result = csat([5, 4, 4, 3, 1, 2, 5, 5])
        assert (result.successes, result.count, result.value) == (5, 8, 0.625)

    def test_custom_positive_and_scale(self) -> None:
        assert csat([10, 9, 8, 7], scale=(1, 10), positive={9, 10}).value == 0.5
        assert csat(["good", "bad", "good"], scale=None, positive={"good"}).value == 2 / 3

    @pytest.mark.parametrize(
        "ratings",
        [[5, 4, 1], (r for r in [5, 4, 1]), np.array([5, 4, 1]), pd.Series([5.0, 4.0, 1.0]),
         np.array([5, 4, 1], dtype=np.int8)],
    )  # fmt: skip
    def test_every_input_form(self, ratings: object) -> None:
        assert (csat(ratings).successes, csat([5, 4, 1]).count) == (2, 3)  # type: ignore[arg-type]

    @pytest.mark.parametrize(
        ("ratings", "message"),
        [
            ([5, 4, 0], "got 0 at position 2"),
            ([5, 4.5], "got 4.5 at position 1"),
            (pd.Series([5, 6]), "got 6 at position 1"),
            ([True], "got True at position 0"),
        ],
    )
    def test_bad_ratings_name_the_position(self, ratings: object, message: str) -> None:
        with pytest.raises(InvalidInputError, match=message):
            csat(ratings)  # type: ignore[arg-type]

    def test_missing_answers_on_an_open_scale(self) -> None:
        result = csat(["good", None, "bad"], scale=None, positive={"good"})
        assert (result.successes, result.count, result.missing) == (1, 2, 1)

    @pytest.mark.parametrize(
        "ratings",
        [
            [5, float("nan"), 1, None],
            np.array([5.0, np.nan, 1.0, np.nan]),
            pd.Series([5, pd.NA, 1, None], dtype="Int64"),
            pd.Series([5.0, np.nan, 1.0, np.nan]),
            pd.Series([5, None, 1, pd.NaT], dtype=object),
        ],
    )
    def test_missing_ratings_are_skipped_and_counted(self, ratings: object) -> None:
        result = csat(ratings)  # type: ignore[arg-type]
        assert (result.successes, result.count, result.missing) == (1, 2, 2)

    def test_bad_value_after_a_missing_one_keeps_its_position(self) -> None:
        with pytest.raises(InvalidInputError, match="got 0 at position 2"):
            csat([None, 5, 0])

    @pytest.mark.parametrize(
        ("arguments", "message"),
        [
            ({"scale": None}, "say which ratings are positive"),
            ({"scale": (5, 1)}, "scale must be"),
            ({"positive": {6}}, "must lie on the scale"),
        ],
    )
    def test_bad_settings(self, arguments: dict[str, object], message: str) -> None:
        with pytest.raises(InvalidInputError, match=message):
            csat([5], **arguments)  # type: ignore[arg-type]

    def test_empty(self) -> None:
        result = csat([])
        assert (result.count, result.value, result.interval) == (0, None, None)


class TestNPS:
    def test_worked_example(self) -> None:
        # 6 promoters, 2 passives, 2 detractors of 10: NPS = 60 - 20 = +40; per-response
        # variance 0.6 + 0.2 - 0.4² = 0.64; margin 1.96 * sqrt(0.64 / 10) * 100 = 49.6.
        result = nps([10, 9, 9, 8, 7, 6, 3, 10, 9, 10])
        assert (
            result.score, result.promoters, result.passives, result.detractors, result.count
        ) == (40.0, 6, 2, 2, 10)  # fmt: skip
        assert result.margin_of_error == pytest.approx(Z95 * math.sqrt(0.064) * 100)
        assert result.interval == pytest.approx((-9.58, 89.58), abs=0.01)

    def test_extremes_and_empty(self) -> None:
        assert (nps([10, 9]).score, nps([10, 9]).margin_of_error) == (100.0, 0.0)
        assert nps([0, 6]).score == -100.0
        empty = nps([])
        assert (empty.score, empty.interval, empty.count) == (None, None, 0)

    @given(st.lists(st.integers(0, 10), min_size=1, max_size=200))
    def test_in_range_and_order_free(self, scores: list[int]) -> None:
        result = nps(scores)
        assert result.score is not None
        assert -100 <= result.score <= 100
        assert result.interval is not None
        assert -100 <= result.interval[0] <= result.score <= result.interval[1] <= 100
        assert result == nps(list(reversed(scores)))
        assert result == nps(np.array(scores))

    def test_eleven_is_named(self) -> None:
        with pytest.raises(
            InvalidInputError,
            match="NPS scores are whole numbers from 0 to 10; got 11 at position 2",
        ):
            nps([10, 0, 11])


class TestCES:
    def test_agreement_scale(self) -> None:
        result = ces([7, 6, 5, 5, 2, 3])
        assert (result.mean, result.agree.successes, result.count) == (28 / 6, 4, 6)
        assert result.interval is not None
        assert result.mean is not None
        assert result.interval[0] < result.mean < result.interval[1]

    def test_effort_scale_lower_is_easier(self) -> None:
        result = ces([1, 2, 4, 5], scale=(1, 5), higher_is_easier=False, agree_from=2)
        assert (result.mean, result.agree.successes) == (3.0, 2)

    def test_one_answer_has_no_interval(self) -> None:
        assert ces([6]).interval is None

    def test_off_scale(self) -> None:
        with pytest.raises(
            InvalidInputError, match="CES scores are whole numbers from 1 to 7; got 8"
        ):
            ces([7, 8])
