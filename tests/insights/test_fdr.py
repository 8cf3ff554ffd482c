"""Benjamini-Hochberg across many tests."""

from __future__ import annotations

import contextlib
import itertools

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from servicekit.errors import InvalidInputError, ServicekitError
from servicekit.insights import benjamini_hochberg, bh_adjusted

# Benjamini and Hochberg (1995), section 4: the 15 p-values of a multiple-endpoint
# study; the procedure at q = 0.05 rejects the four smallest.
BH_1995 = [
    0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344,
    0.0459, 0.3240, 0.4262, 0.5719, 0.6528, 0.7590, 1.000,
]  # fmt: skip


def slow_bh(p_values: list[float], q: float) -> tuple[bool, ...]:
    """Step-up as written in the paper: the largest k with p_(k) <= k q / m."""
    m = len(p_values)
    ordered = sorted(p_values)
    k = max((i for i in range(1, m + 1) if ordered[i - 1] <= i * q / m), default=0)
    cut = ordered[k - 1] if k else -1.0
    return tuple(p <= cut for p in p_values)


def test_benjamini_hochberg_1995_rejects_four() -> None:
    rejected = benjamini_hochberg(BH_1995, q=0.05)
    assert sum(rejected) == 4
    assert rejected[:4] == (True, True, True, True)


@given(st.lists(st.floats(0, 1), max_size=30), st.floats(0.001, 0.5))
def test_matches_the_step_up_procedure(p_values: list[float], q: float) -> None:
    # Equal up to ties at the boundary, where float rounding of k q / m can differ.
    fast = benjamini_hochberg(p_values, q=q)
    slow = slow_bh(p_values, q)
    m = len(p_values)
    for p, a, b in zip(p_values, fast, slow, strict=True):
        if a != b:
            assert any(abs(p - i * q / m) < 1e-12 for i in range(1, m + 1))


@given(st.lists(st.floats(0, 1), min_size=1, max_size=30))
def test_adjusted_values_match_scipy(p_values: list[float]) -> None:
    expected = stats.false_discovery_control(np.array(p_values), method="bh")
    assert np.allclose(bh_adjusted(p_values), expected, rtol=1e-12, atol=0)


@given(st.lists(st.floats(0, 1), max_size=30))
def test_adjusted_values_are_monotone_in_p_and_at_least_p(p_values: list[float]) -> None:
    adjusted = bh_adjusted(p_values)
    pairs = sorted(zip(p_values, adjusted, strict=True))
    assert all(a <= 1 for a in adjusted)
    assert all(adj >= p for p, adj in pairs)
    assert all(x[1] <= y[1] for x, y in itertools.pairwise(pairs))


@pytest.mark.parametrize("bad", [[1.5], [-0.1], [float("nan")], ["0.1"], [True], 0.3])
def test_bad_p_values_are_named(bad: object) -> None:
    with pytest.raises(InvalidInputError):
        bh_adjusted(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("q", [0, 1, -0.1, float("nan")])
def test_q_must_be_a_rate(q: float) -> None:
    with pytest.raises(InvalidInputError, match="q"):
        benjamini_hochberg([0.1], q=q)


def test_empty_input() -> None:
    assert benjamini_hochberg([]) == ()


@given(st.one_of(st.lists(st.one_of(st.floats(), st.integers(), st.text(), st.none())), st.text()))
def test_fuzz_only_servicekit_errors_escape(data: object) -> None:
    with contextlib.suppress(ServicekitError):
        benjamini_hochberg(data)  # type: ignore[arg-type]
