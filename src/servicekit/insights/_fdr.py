"""Benjamini-Hochberg (1995) false discovery rate control across many tests."""

from __future__ import annotations

from collections.abc import Iterable

from servicekit._checks import fraction, short
from servicekit.errors import InvalidInputError

#: The most p-values one call takes.
MAX_TESTS = 1_000_000


def bh_adjusted(p_values: Iterable[float]) -> tuple[float, ...]:
    """Benjamini-Hochberg adjusted p-values ("q-values"), in the input order:
    ``min over j >= i of m * p_(j) / j``, capped at 1. A test is rejected at false
    discovery rate ``q`` exactly when its adjusted value is ``<= q``.

    Raises:
        InvalidInputError: a p-value that is not a number in [0, 1].

    >>> [round(v, 3) for v in bh_adjusted([0.01, 0.04, 0.03, 0.5])]
    [0.04, 0.053, 0.053, 0.5]
    """
    if not isinstance(p_values, Iterable) or isinstance(p_values, str | bytes):
        raise InvalidInputError(f"p_values must be numbers in [0, 1], got {short(p_values)}")
    values = []
    for index, p in enumerate(p_values):
        if index >= MAX_TESTS:
            raise InvalidInputError(f"at most {MAX_TESTS:,} p-values per call")
        if type(p) is not float and (isinstance(p, bool) or not isinstance(p, int | float)):
            raise InvalidInputError(f"a p-value must be a number in [0, 1], got {short(p)}")
        if not 0 <= p <= 1:  # NaN fails this too
            raise InvalidInputError(f"a p-value must be a number in [0, 1], got {short(p)}")
        values.append(float(p))
    m = len(values)
    order = sorted(range(m), key=values.__getitem__)
    adjusted = [1.0] * m
    running = 1.0
    for rank in range(m, 0, -1):
        i = order[rank - 1]
        p = values[i]
        scaled = p * m / rank
        running = min(running, scaled)
        # at least p (as exact arithmetic gives), at most 1
        adjusted[i] = 1.0 if running > 1 else (p if running < p else running)
    return tuple(adjusted)


def benjamini_hochberg(p_values: Iterable[float], *, q: float = 0.05) -> tuple[bool, ...]:
    """Which hypotheses Benjamini-Hochberg rejects at false discovery rate ``q``, in the
    input order: with ``p_(1) <= ... <= p_(m)``, reject the ``k`` smallest for the
    largest ``k`` with ``p_(k) <= k * q / m``.

    Raises:
        InvalidInputError: a p-value outside [0, 1] or ``q`` outside (0, 1).

    >>> benjamini_hochberg([0.001, 0.02, 0.04, 0.3], q=0.05)
    (True, True, False, False)
    """
    level = fraction("q", q, 0, 1, closed_high=False)
    return tuple(value <= level for value in bh_adjusted(p_values))
