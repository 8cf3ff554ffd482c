"""Contact-centre metrics: the service-level conventions on one data set (ICMI's
formulas, Cisco's three abandon treatments), abandonment, handle time, occupancy."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import numpy as np
import pandas as pd
import pytest

from servicekit.errors import InvalidInputError
from servicekit.kpi import (
    Convention,
    abandonment_rate,
    aht,
    asa,
    occupancy,
    service_level,
)

# One interval: 8 answered, 3 abandoned, threshold 20 s (ICMI's and Cisco's setting).
ANSWERED = [5, 12, 18, 25, 40, 60, 8, 20]  # seconds; 20 is exactly at the threshold
ABANDONED = [3, 30, 90]


class TestServiceLevel:
    @pytest.mark.parametrize(
        ("convention", "successes", "count"),
        [
            ("answered_only", 5, 8),  # ICMI formula 1: answered in time / answered
            ("abandoned_fail", 5, 11),  # ICMI 2, Cisco "negatively": / (answered + abandoned)
            ("abandoned_within_success", 6, 11),  # Cisco "positively": the 3 s abandon counts
            ("exclude_abandoned_within", 5, 10),  # ICMI 3, Cisco "ignore": drop the 3 s abandon
        ],
    )
    def test_conventions_on_one_data_set(self, convention: str, successes: int, count: int) -> None:
        level = service_level(ANSWERED, ABANDONED, threshold="20s", convention=convention)
        assert (successes, count) == (level.successes, level.count)

    def test_the_conventions_differ_by_points(self) -> None:
        values = [
            service_level(ANSWERED, ABANDONED, threshold="20s", convention=c).value
            for c in Convention
        ]
        assert values == pytest.approx([0.625, 0.4545, 0.5455, 0.5], abs=1e-4)

    def test_short_abandons_are_dropped_from_everything(self) -> None:
        level = service_level(
            ANSWERED,
            ABANDONED,
            threshold="20s",
            convention="abandoned_within_success",
            short_abandon="5s",
        )
        assert (level.successes, level.count) == (5, 10)

    def test_input_forms_agree(self) -> None:
        expected = service_level(ANSWERED, ABANDONED, threshold="20s", convention="abandoned_fail")
        as_timedeltas = [timedelta(seconds=s) for s in ANSWERED]
        as_numpy = np.array(ANSWERED, dtype="timedelta64[s]")
        as_pandas = pd.to_timedelta(pd.Series(ABANDONED), unit="s")
        as_floats = np.array(ANSWERED, dtype=float)
        forms: list[tuple[Any, Any]] = [
            (as_timedeltas, ABANDONED),
            (as_numpy, as_pandas),
            (as_floats, iter(ABANDONED)),
        ]
        for answered, abandoned in forms:
            level = service_level(answered, abandoned, threshold="20s", convention="abandoned_fail")
            assert expected == level

    @pytest.mark.parametrize(
        ("answered", "message"),
        [
            ([5, -1], "negative duration at position 1"),
            (["5s"], "'5s' at position 0 is not a duration"),
        ],
    )
    def test_bad_waits(self, answered: object, message: str) -> None:
        with pytest.raises(InvalidInputError, match=message):
            service_level(answered, threshold="20s", convention="answered_only")  # type: ignore[arg-type]

    def test_convention_is_required_and_checked(self) -> None:
        with pytest.raises(InvalidInputError, match="'cisco' is not a valid convention"):
            service_level(ANSWERED, threshold="20s", convention="cisco")
        with pytest.raises(TypeError):
            service_level(ANSWERED, threshold="20s")  # type: ignore[call-arg]


class TestOtherContactMetrics:
    def test_abandonment(self) -> None:
        assert (abandonment_rate(ANSWERED, ABANDONED).successes,
                           abandonment_rate(ANSWERED, ABANDONED).count) == (3, 11)  # fmt: skip
        assert abandonment_rate(ANSWERED, ABANDONED, short_abandon="5s").value == 2 / 10

    def test_aht_is_weighted(self) -> None:
        # Two contacts of 5 and 15 minutes: AHT 10 minutes whatever the grouping.
        summary = aht(talk=[240, 600], hold=[30, 200], wrap=[30, 100])
        assert (timedelta(minutes=10), 2) == (summary.mean, summary.count)

    def test_aht_lengths_must_match(self) -> None:
        with pytest.raises(InvalidInputError, match="hold has 1 contacts but talk has 2"):
            aht(talk=[1, 2], hold=[1])

    def test_asa_and_percentiles_match_numpy(self) -> None:
        waits = [3, 8, 13, 21, 34, 55, 89]
        summary = asa(waits)
        for q in (0, 10, 50, 90, 99, 100):
            expected = timedelta(seconds=float(np.percentile(waits, q)))
            assert abs(summary.percentile(q) - expected) <= timedelta(microseconds=1)  # type: ignore[operator]

    def test_occupancy(self) -> None:
        assert occupancy([timedelta(hours=3)], [timedelta(hours=4)]).value == 0.75
        with pytest.raises(InvalidInputError, match="exceeds available time"):
            occupancy([timedelta(hours=5)], [timedelta(hours=4)])
        assert occupancy([], []).value is None
