"""Krippendorff's alpha: servicekit against the ``krippendorff`` package (NumPy) on the
same ratings, in one process, interleaved (A B A B) so a slow spell of the machine hits
both. Answers must agree to 1e-9; prints seconds per call and the ratio (servicekit's
time over the peer's: below 1 is faster).

Inputs: 5,000 conversations x 4 reviewers on a 1-5 scale with 10 % missing ratings, at
each level of measurement, given to servicekit twice: as the very NumPy matrix the
peer reads (reviewers x units, NaN missing: read vectorised) and as 20,000 Python rows
``(unit, reviewer, value)`` (read and checked one by one); and Benjamini-Hochberg
against ``scipy.stats.false_discovery_control`` on 100,000 p-values. Run with
``make bench``.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import Any

import krippendorff
import numpy as np
from scipy import stats

from servicekit.insights import bh_adjusted
from servicekit.qa import krippendorff_alpha
from servicekit.qa._ratings import Level

ROUNDS = 5


def interleaved(ours: Callable[[], Any], peer: Callable[[], Any]) -> tuple[Any, Any, float, float]:
    best_ours = best_peer = float("inf")
    mine = theirs = None
    for _ in range(ROUNDS):
        start = time.perf_counter()
        mine = ours()
        best_ours = min(best_ours, time.perf_counter() - start)
        start = time.perf_counter()
        theirs = peer()
        best_peer = min(best_peer, time.perf_counter() - start)
    return mine, theirs, best_ours, best_peer


def alpha() -> None:
    rng = random.Random(3)
    units, raters = 5_000, 4
    truth = [rng.randint(1, 5) for _ in range(units)]
    matrix = np.full((raters, units), np.nan)
    rows: list[tuple[int, int, int | None]] = []
    for u in range(units):
        for r in range(raters):
            if rng.random() < 0.1:
                rows.append((u, r, None))
                continue
            value = min(5, max(1, truth[u] + rng.choice((-1, 0, 0, 0, 1))))
            matrix[r, u] = value
            rows.append((u, r, value))
    levels: list[Level] = ["nominal", "ordinal", "interval", "ratio"]
    inputs: list[tuple[str, object]] = [("matrix", matrix), ("rows", rows)]
    for level in levels:
        for name, ratings in inputs:
            mine, theirs, ours_s, peer_s = interleaved(
                lambda level=level, ratings=ratings: (
                    krippendorff_alpha(  # type: ignore[misc]
                        ratings, level=level
                    ).value
                ),
                lambda level=level: krippendorff.alpha(  # type: ignore[misc]
                    reliability_data=matrix, level_of_measurement=level
                ),
            )
            assert abs(mine - theirs) < 1e-9, (level, mine, theirs)
            print(
                f"alpha ({level:8}) 20,000 ratings as {name:6}: servicekit "
                f"{ours_s * 1000:7.1f} ms, krippendorff {peer_s * 1000:7.1f} ms, "
                f"ratio {ours_s / peer_s:5.2f} (alpha {mine:.4f})"
            )


def fdr() -> None:
    rng = random.Random(9)
    p_values = [rng.random() ** 3 for _ in range(100_000)]
    array = np.array(p_values)
    mine, theirs, ours_s, peer_s = interleaved(
        lambda: bh_adjusted(p_values),
        lambda: stats.false_discovery_control(array, method="bh"),
    )
    assert np.allclose(mine, theirs, rtol=0, atol=1e-12)
    print(
        f"Benjamini-Hochberg, 100,000 p-values: servicekit {ours_s * 1000:.1f} ms, "
        f"scipy {peer_s * 1000:.1f} ms, ratio {ours_s / peer_s:.2f}"
    )


if __name__ == "__main__":
    alpha()
    fdr()
