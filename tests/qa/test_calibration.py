"""Reviewer calibration: Krippendorff's alpha, Fleiss' kappa, Cohen's kappa, drift and
the mergeable tally, against published values and the ``krippendorff`` package."""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Hashable, Sequence
from typing import Any

import krippendorff
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from servicekit.errors import InvalidInputError, ServicekitError
from servicekit.qa import (
    AgreementTally,
    _matrix,
    calibrate,
    cohen_kappa,
    fleiss_kappa,
    krippendorff_alpha,
    reviewer_drift,
)
from servicekit.qa._ratings import Level

LEVELS: list[Level] = ["nominal", "ordinal", "interval", "ratio"]

# Krippendorff (2011), "Computing Krippendorff's alpha-reliability", section C:
# 4 observers x 12 units with missing data (None).
_: None = None
KRIPPENDORFF_2011: dict[str, list[int | None]] = {
    "A": [1, 2, 3, 3, 2, 1, 4, 1, 2, _, _, _],
    "B": [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, _, 3],
    "C": [_, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, _],
    "D": [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, _],
}
ROWS = [(unit, rater, v[unit]) for rater, v in KRIPPENDORFF_2011.items() for unit in range(12)]

# Fleiss (1971) as tabulated on Wikipedia ("Fleiss' kappa", worked example): 10 subjects,
# 14 raters each, 5 categories; each row counts the raters per category.
FLEISS_1971 = [
    [0, 0, 0, 0, 14],
    [0, 2, 6, 4, 2],
    [0, 0, 3, 5, 6],
    [0, 3, 9, 2, 0],
    [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0],
    [3, 2, 6, 3, 0],
    [2, 5, 3, 2, 2],
    [6, 5, 2, 1, 0],
    [0, 2, 2, 3, 7],
]

# SAS/STAT PROC FREQ, "Getting Started: Agreement Study" (skin condition data), rows
# dermatologist 1, columns dermatologist 2: terrible, poor, marginal, clear.
SKIN = [[10, 4, 1, 0], [5, 10, 12, 2], [2, 4, 12, 5], [0, 2, 6, 13]]


def fleiss_rows() -> list[tuple[int, int, int]]:
    rows = []
    for subject, counts in enumerate(FLEISS_1971):
        raters = iter(range(14))
        rows += [(subject, next(raters), c) for c, n in enumerate(counts, 1) for _ in range(n)]
    return rows


def skin_pairs() -> list[tuple[int, int]]:
    return [(i, j) for i in range(4) for j in range(4) for _ in range(SKIN[i][j])]


def oracle(rows: Sequence[tuple[Hashable, Hashable, float | None]], level: Level) -> float:
    units = sorted({u for u, _, _ in rows}, key=repr)
    raters = sorted({r for _, r, _ in rows}, key=repr)
    data = np.full((len(raters), len(units)), np.nan)
    for u, r, v in rows:
        if v is not None:
            data[raters.index(r), units.index(u)] = v
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement=level))


class TestPublishedValues:
    @pytest.mark.parametrize(
        ("level", "expected"),
        [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)],
    )
    def test_krippendorff_2011(self, level: Level, expected: float) -> None:
        result = krippendorff_alpha(ROWS, level=level)
        assert result.value is not None
        assert round(result.value, 3) == expected
        # unit 12 has one rating only: not pairable
        assert (result.units, result.ratings) == (11, 40)

    def test_fleiss_1971(self) -> None:
        result = fleiss_kappa(fleiss_rows())
        assert result.value is not None
        assert round(result.value, 3) == 0.210
        assert (result.units, result.ratings) == (10, 140)

    def test_sas_skin_condition_simple_kappa(self) -> None:
        # SAS's output for this table: Simple Kappa 0.3449, ASE 0.0724, 95% 0.2030-0.4868.
        result = cohen_kappa(skin_pairs(), weights="none")
        assert result.value is not None
        assert result.ase is not None
        assert round(result.value, 4) == 0.3449
        assert round(result.ase, 4) == 0.0724
        assert result.interval is not None
        assert [round(end, 4) for end in result.interval] == [0.2030, 0.4868]

    def test_sas_skin_condition_weighted_kappa(self) -> None:
        # SAS's default weighted kappa (Cicchetti-Allison, linear): 0.5082, ASE 0.0655.
        result = cohen_kappa(skin_pairs(), weights="linear")
        assert result.value is not None
        assert result.ase is not None
        assert (round(result.value, 4), round(result.ase, 4)) == (0.5082, 0.0655)


def slow_kappa(pairs: list[tuple[int, int]], size: int, weights: str) -> float:
    """Cohen (1968) written out: 1 - sum(v * observed) / sum(v * expected), with
    disagreement weights v = 1 - w."""
    n = len(pairs)

    def v(i: int, j: int) -> float:
        if weights == "none":
            return float(i != j)
        if weights == "linear":
            return abs(i - j) / (size - 1)
        return (i - j) ** 2 / (size - 1) ** 2

    first = [sum(a == i for a, _ in pairs) for i in range(size)]
    second = [sum(b == j for _, b in pairs) for j in range(size)]
    seen = sum(v(a, b) for a, b in pairs) / n
    chance = sum(v(i, j) * first[i] * second[j] for i in range(size) for j in range(size)) / n**2
    return 1 - seen / chance


class TestCohenKappa:
    @given(
        st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3)), min_size=2, max_size=40),
        st.sampled_from(["none", "linear", "quadratic"]),
    )
    def test_matches_the_textbook_formula(self, pairs: list[tuple[int, int]], weights: str) -> None:
        result = cohen_kappa(pairs, weights=weights, categories=[0, 1, 2, 3])  # type: ignore[arg-type]
        if result.value is None:
            assert "same single category" in result.reason
        else:
            assert result.value == pytest.approx(slow_kappa(pairs, 4, weights), abs=1e-9)

    def test_perfect_agreement_is_one(self) -> None:
        result = cohen_kappa([(1, 1), (2, 2), (3, 3)], weights="quadratic")
        assert result.value == 1.0

    def test_one_category_everywhere_has_a_reason(self) -> None:
        result = cohen_kappa([("ok", "ok")] * 5, weights="none")
        assert result.value is None
        assert "same single category" in result.reason
        assert "not defined" in result.explain()

    def test_missing_pairs_are_left_out_and_counted(self) -> None:
        result = cohen_kappa([(1, 1), (2, None), (float("nan"), 1), (2, 2)], weights="none")
        assert (result.value, result.count, result.missing) == (1.0, 2, 2)
        assert cohen_kappa([], weights="none").reason == "no unit was rated by both reviewers"

    def test_weighted_kappa_of_words_needs_an_order(self) -> None:
        with pytest.raises(InvalidInputError, match="ordered categories"):
            cohen_kappa([("good", "bad")], weights="linear")
        scale = ["bad", "ok", "good"]
        assert cohen_kappa(
            [("good", "ok")] * 2 + [("bad", "bad")], weights="linear", categories=scale
        )

    def test_convention_is_checked(self) -> None:
        with pytest.raises(InvalidInputError, match="weights must be one of"):
            cohen_kappa([(1, 1)], weights="cubic")  # type: ignore[arg-type]

    def test_to_dict(self) -> None:
        row = cohen_kappa(skin_pairs(), weights="none").to_dict()
        assert row["count"] == 88
        assert row["weights"] == "none"


rating_rows = st.lists(
    st.tuples(
        st.integers(0, 6),  # unit
        st.sampled_from(["ana", "bo", "cy", "dee"]),  # rater
        st.one_of(st.none(), st.integers(1, 5)),
    ),
    max_size=40,
    unique_by=lambda row: (row[0], row[1]),
)


class TestKrippendorffAlpha:
    @given(rating_rows, st.sampled_from(LEVELS))
    def test_matches_the_krippendorff_package(
        self, rows: list[tuple[int, str, int | None]], level: Level
    ) -> None:
        result = krippendorff_alpha(rows, level=level)
        if result.value is None:
            assert result.reason
        else:
            assert result.value == pytest.approx(oracle(rows, level), abs=1e-9)

    @given(rating_rows, st.sampled_from(LEVELS), st.randoms(use_true_random=False))
    def test_invariant_to_unit_order_and_rater_names(
        self, rows: list[tuple[int, str, int | None]], level: Level, rng: random.Random
    ) -> None:
        shuffled = list(rows)
        rng.shuffle(shuffled)
        names = {"ana": "zed", "bo": "ann", "cy": "moe", "dee": "bob"}
        relabelled = [(f"u{u}", names[r], v) for u, r, v in shuffled]
        assert krippendorff_alpha(relabelled, level=level) == krippendorff_alpha(rows, level=level)

    def test_mapping_input_equals_rows(self) -> None:
        table = {u: {r: v for uu, r, v in ROWS if uu == u} for u in range(12)}
        assert krippendorff_alpha(table, level="ordinal") == krippendorff_alpha(
            ROWS, level="ordinal"
        )

    def test_perfect_agreement_is_one(self) -> None:
        rows = [(u, r, u % 3) for u in range(6) for r in "ab"]
        result = krippendorff_alpha(rows, level="nominal")
        assert result.value == 1.0
        assert "identical ratings" in result.reason
        assert "agree well" in result.explain()

    @pytest.mark.parametrize(
        ("rows", "words"),
        [
            ([], "nothing to compare"),
            ([(1, "a", 3), (2, "b", 4)], "nothing to compare"),
            ([(1, "a", 3), (1, "b", None)], "nothing to compare"),
            ([(1, "a", 3), (1, "b", 3), (2, "a", 3), (2, "b", 3)], "no variation"),
            ([(1, "a", 3), (1, "b", 3)], "no variation"),
        ],
    )
    def test_degenerate_input_has_a_reason_never_nan(
        self, rows: list[tuple[int, str, int | None]], words: str
    ) -> None:
        for level in LEVELS:
            result = krippendorff_alpha(rows, level=level, resamples=20, seed=1)
            assert result.value is None
            assert words in result.reason
            assert result.interval is None
        assert fleiss_kappa(rows).value is None

    def test_one_unit_with_disagreement_is_a_value(self) -> None:
        result = krippendorff_alpha([(1, "a", "x"), (1, "b", "y")], level="nominal")
        assert result.value == 0.0
        assert result.units == 1

    def test_bootstrap_is_seeded_and_brackets_the_value(self) -> None:
        first = krippendorff_alpha(ROWS, level="interval", resamples=500, seed=3)
        again = krippendorff_alpha(ROWS, level="interval", resamples=500, seed=3)
        assert first == again
        assert first.interval is not None
        assert first.value is not None
        low, high = first.interval
        assert low < first.value < high <= 1.0
        assert first.to_dict()["low"] == low

    def test_bootstrap_needs_a_seed(self) -> None:
        with pytest.raises(InvalidInputError, match="seed"):
            krippendorff_alpha(ROWS, level="interval", resamples=10)

    @pytest.mark.parametrize(
        ("rows", "level", "words"),
        [
            ([(1, "a", "x")], "interval", "finite number"),
            ([(1, "a", -1)], "ratio", "0 or more"),
            ([(1, "a", 1e300), (1, "b", -1e300)], "interval", "at most 1e12"),
            ([(1, "a", 2), (1, "a", 3)], "nominal", "twice"),
            ([(1, "a")], "nominal", "unit, rater, value"),
            ([(None, "a", 1)], "nominal", "unit"),
            ("abc", "nominal", "rows"),
        ],
    )
    def test_bad_ratings_are_named(self, rows: object, level: Level, words: str) -> None:
        with pytest.raises(InvalidInputError, match=words):
            krippendorff_alpha(rows, level=level)


class TestFleissKappa:
    def test_bootstrap_interval(self) -> None:
        result = fleiss_kappa(fleiss_rows(), resamples=300, seed=5)
        assert result.interval is not None
        assert result.value is not None
        assert result.interval[0] < result.value < result.interval[1]

    def test_unequal_reviewers_per_unit_are_said(self) -> None:
        result = fleiss_kappa([(1, "a", 1), (1, "b", 1), (2, "a", 2), (2, "b", 2), (2, "c", 1)])
        assert "different numbers of reviewers" in result.reason


class TestAgreementTally:
    @given(rating_rows, st.integers(0, 40), st.sampled_from(LEVELS))
    def test_merge_equals_one_pass(
        self, rows: list[tuple[int, str, int | None]], cut: int, level: Level
    ) -> None:
        one = AgreementTally(level=level).update(rows)
        left = AgreementTally(level=level).update(rows[:cut])
        right = AgreementTally(level=level).update(rows[cut:])
        assert left.merge(right).result() == one.result() == right.merge(left).result()
        assert left.merge(right).fleiss() == one.fleiss()
        assert one.result() == krippendorff_alpha(rows, level=level)

    def test_settings_must_match(self) -> None:
        with pytest.raises(InvalidInputError, match="settings differ"):
            AgreementTally(level="nominal").merge(AgreementTally(level="interval"))

    def test_missing_values_are_counted(self) -> None:
        tally = AgreementTally(level="interval").update([(1, None), (1, 2.0), (1, 3)])
        assert tally.missing == 1
        assert "ratings=2" in repr(tally)

    def test_rows_with_raters_are_accepted(self) -> None:
        tally = AgreementTally(level="ordinal").update(ROWS)
        assert tally.result() == krippendorff_alpha(ROWS, level="ordinal")


class TestDrift:
    def test_a_lenient_reviewer_stands_out(self) -> None:
        rows = [
            (u, r, v + (1 if r == "ana" else 0))
            for u in range(5)
            for r, v in (("ana", u % 4 + 1), ("bo", u % 4 + 1), ("cy", u % 4 + 1))
        ]
        ana, bo, _cy = reviewer_drift(rows, level="interval")
        assert ana.mean_difference == 1.0
        assert ana.agreement == 0.0
        assert bo.mean_difference == -0.5
        assert bo.agreement == 0.5
        assert "higher" in ana.reason
        assert "lower" in bo.reason
        assert ana.to_dict()["units"] == 5

    def test_nominal_drift_has_no_difference_and_loner_has_a_reason(self) -> None:
        ana, _bo, cy = reviewer_drift(
            [(1, "ana", "x"), (1, "bo", "x"), (2, "cy", "y")], level="nominal"
        )
        assert (ana.agreement, ana.mean_difference) == (1.0, None)
        assert cy.units == 0
        assert "cannot be compared" in cy.reason

    def test_calibrate_puts_it_together(self) -> None:
        result = calibrate(iter(ROWS), level="interval", resamples=100, seed=2)
        assert result.alpha == krippendorff_alpha(ROWS, level="interval", resamples=100, seed=2)
        assert [d.reviewer for d in result.drift] == ["A", "B", "C", "D"]
        text = result.explain()
        assert "Krippendorff's alpha (interval) = 0.849" in text
        assert "Fleiss' kappa" in text
        assert result.to_dict()["alpha"]["value"] == result.alpha.value


@given(
    st.one_of(
        st.lists(
            st.tuples(
                st.one_of(st.none(), st.integers(), st.text(max_size=2)),
                st.one_of(st.integers(0, 3), st.lists(st.integers(), max_size=1)),
                st.one_of(
                    st.none(), st.integers(-3, 3), st.floats(), st.text(max_size=2), st.booleans()
                ),
            ),
            max_size=12,
        ),
        st.integers(),
        st.dictionaries(st.integers(0, 3), st.integers()),
    ),
    st.sampled_from([*LEVELS, "bogus"]),
    st.sampled_from(["none", "linear", "quadratic", "x"]),
)
def test_fuzz_only_servicekit_errors_escape(rows: Any, level: Any, weights: Any) -> None:
    pairs = [row[1:] for row in rows] if isinstance(rows, list) else rows
    calls: list[Callable[[], object]] = [
        lambda: krippendorff_alpha(rows, level=level, resamples=3, seed=0),
        lambda: fleiss_kappa(rows),
        lambda: reviewer_drift(rows, level=level),
        lambda: calibrate(rows, level=level, resamples=3, seed=0),
        lambda: AgreementTally(level=level).update(rows).result(),
        lambda: cohen_kappa(pairs, weights=weights),
    ]
    for call in calls:
        try:
            result = call()
        except ServicekitError:
            continue
        value = getattr(result, "value", None)
        assert value is None or not math.isnan(value)  # never NaN


def as_matrix(rows: Sequence[tuple[Hashable, Hashable, Any]]) -> np.ndarray[Any, Any]:
    """Rows as a reviewers x units float matrix, NaN where a rating is missing."""
    units = sorted({u for u, _, _ in rows}, key=repr)
    raters = sorted({r for _, r, _ in rows}, key=repr)
    data = np.full((len(raters), len(units)), np.nan)
    for u, r, v in rows:
        if v is not None:
            data[raters.index(r), units.index(u)] = v
    return data


class TestMatrixInput:
    """A NumPy reviewers x units matrix (the krippendorff package's layout) is read
    vectorised and gives the very same results as the rows it holds."""

    @given(rating_rows, st.sampled_from(LEVELS))
    def test_equals_the_rows(self, rows: list[tuple[int, str, int | None]], level: Level) -> None:
        matrix = as_matrix(rows)
        assert krippendorff_alpha(matrix, level=level) == krippendorff_alpha(rows, level=level)
        assert fleiss_kappa(matrix) == fleiss_kappa(rows)
        assert krippendorff_alpha(matrix, level=level, resamples=20, seed=2) == krippendorff_alpha(
            rows, level=level, resamples=20, seed=2
        )

    @pytest.mark.parametrize(("level", "expected"), [("nominal", 0.743), ("ratio", 0.797)])
    def test_krippendorff_2011_as_a_matrix(self, level: Level, expected: float) -> None:
        matrix = np.array(list(KRIPPENDORFF_2011.values()), dtype=float)
        result = krippendorff_alpha(matrix, level=level)
        assert result.value is not None
        assert round(result.value, 3) == expected
        assert (result.units, result.ratings) == (11, 40)

    def test_integer_matrix_and_fractional_values(self) -> None:
        whole = np.array([[1, 2, 3], [1, 3, 3]])
        assert krippendorff_alpha(whole, level="interval") == krippendorff_alpha(
            whole.astype(float), level="interval"
        )
        halves = np.array([[1.5, 2.0, np.nan], [1.5, 2.5, 4.0]])
        rows = [(0, "a", 1.5), (1, "a", 2), (0, "b", 1.5), (1, "b", 2.5), (2, "b", 4.0)]
        assert krippendorff_alpha(halves, level="ordinal") == krippendorff_alpha(
            rows, level="ordinal"
        )

    def test_many_units_and_values_group_unit_by_unit(self, monkeypatch: Any) -> None:
        rng = np.random.default_rng(4)
        matrix = rng.integers(0, 50, size=(3, 400)).astype(float)
        matrix[rng.random(matrix.shape) < 0.2] = np.nan
        dense = krippendorff_alpha(matrix, level="interval")
        monkeypatch.setattr(_matrix, "MAX_DENSE_CELLS", 10)
        assert krippendorff_alpha(matrix, level="interval") == dense
        assert dense.value == pytest.approx(
            krippendorff.alpha(reliability_data=matrix, level_of_measurement="interval"),
            abs=1e-9,
        )

    def test_object_matrix_is_read_as_rows(self) -> None:
        words = np.array([["ok", "bad", None], ["ok", "ok", "bad"]], dtype=object)
        rows = [(0, 0, "ok"), (1, 0, "bad"), (0, 1, "ok"), (1, 1, "ok"), (2, 1, "bad")]
        assert krippendorff_alpha(words, level="nominal") == krippendorff_alpha(
            rows, level="nominal"
        )
        assert calibrate(words, level="nominal", resamples=10, seed=1).alpha.value == (
            krippendorff_alpha(rows, level="nominal").value
        )

    @pytest.mark.parametrize(
        ("matrix", "level", "words"),
        [
            (np.array([1.0, 2.0]), "interval", "2-D"),
            (np.array([[1.0, np.inf], [1.0, 2.0]]), "interval", "finite"),
            (np.array([[1.0, -2.0], [1.0, 2.0]]), "ratio", "0 or more"),
            (np.array([[1.0, 2e12], [1.0, 2.0]]), "interval", "at most 1e12"),
            (np.array([["a", "b"], ["a", "b"]]), "interval", "finite number"),
        ],
    )
    def test_bad_matrices_are_named(self, matrix: Any, level: Level, words: str) -> None:
        with pytest.raises(InvalidInputError, match=words):
            krippendorff_alpha(matrix, level=level)

    def test_too_large_a_matrix_is_refused(self) -> None:
        with pytest.raises(InvalidInputError, match="at most 1,000,000 ratings"):
            krippendorff_alpha(np.zeros((2, 500_001)), level="nominal")

    @given(
        st.lists(
            st.lists(st.one_of(st.floats(), st.integers(-5, 5).map(float)), min_size=3, max_size=3),
            max_size=4,
        ),
        st.sampled_from(LEVELS),
    )
    def test_fuzz_only_servicekit_errors_escape(
        self, cells: list[list[float]], level: Level
    ) -> None:
        matrix = np.array(cells, dtype=float).reshape(len(cells), 3)
        for call in (
            lambda: krippendorff_alpha(matrix, level=level, resamples=3, seed=0),
            lambda: fleiss_kappa(matrix),
            lambda: calibrate(matrix, level=level, resamples=3, seed=0),
        ):
            try:
                result: Any = call()
            except ServicekitError:
                continue
            value = getattr(result, "value", None)
            assert value is None or not math.isnan(value)


def test_matrix_with_many_values_per_unit_packs_or_sorts_rows_alike() -> None:
    # 30 reviewers on a 0-40 scale: count rows too wide to pack into one integer
    rng = np.random.default_rng(8)
    matrix = rng.integers(0, 41, size=(30, 60)).astype(float)
    rows = [(u, r, matrix[r, u]) for r in range(30) for u in range(60)]
    assert krippendorff_alpha(matrix, level="interval") == krippendorff_alpha(
        rows, level="interval"
    )
