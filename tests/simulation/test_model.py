"""The simulation's inputs: hourly arrival rates on a local wall clock, handling
times with the mean asked for, and checks that name the bad value."""

from __future__ import annotations

import random
import statistics
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from servicekit.errors import ConfigError, InvalidInputError
from servicekit.simulation import Arrivals, Customers, HandleTime
from servicekit.testing.strategies import ZONES

NEW_YORK = ZoneInfo("America/New_York")


class TestArrivals:
    def test_day_keys_ranges_and_single_numbers(self) -> None:
        arrivals = Arrivals(weekly={"mon-fri": [1] * 24, "sat": 0.5})
        assert arrivals.per_week == 5 * 24 + 12
        assert arrivals.weekly[6] == (0.0,) * 24

    def test_rates_follow_the_local_wall_clock_across_dst(self) -> None:
        nine_only = [0] * 9 + [10] + [0] * 14
        arrivals = Arrivals(weekly={"mon-sun": nine_only}, tz=NEW_YORK)
        for day in (datetime(2026, 3, 7, 9, 30, tzinfo=NEW_YORK),  # EST
                    datetime(2026, 3, 9, 9, 30, tzinfo=NEW_YORK)):  # EDT  # fmt: skip
            assert arrivals.rate_at(day) == 10
            assert arrivals.rate_at(day + timedelta(hours=1)) == 0

    @given(
        st.lists(st.sampled_from([0.0, 0.0, 3.0, 30.0]), min_size=24, max_size=24),
        st.sampled_from(ZONES),
        st.integers(0, 2**32),
    )
    def test_arrivals_only_in_open_hours_in_order(
        self, hours: list[float], tz: str, seed: int
    ) -> None:
        arrivals = Arrivals(weekly={"mon-sun": hours}, tz=tz)
        rng, t = random.Random(seed), datetime(2026, 3, 1, tzinfo=UTC)
        end = t + timedelta(days=2)
        seen = []
        while (found := arrivals.next_arrival(t, end, rng)) is not None:
            assert t < found < end
            assert arrivals.rate_at(found) > 0
            seen.append(found)
            t = found
        if sum(hours) >= 30:
            assert seen

    def test_the_count_matches_the_rate(self) -> None:
        arrivals = Arrivals(weekly={"mon-fri": [20] * 24})  # 2,400 a week
        rng, t = random.Random(1), datetime(2026, 3, 2, tzinfo=UTC)
        end, count = t + timedelta(weeks=4), 0
        while (found := arrivals.next_arrival(t, end, rng)) is not None:
            t, count = found, count + 1
        assert abs(count - 9_600) < 5 * 9_600**0.5

    def test_tiny_rates_do_not_overflow(self) -> None:
        arrivals = Arrivals(weekly=1e-30)
        start = datetime(2026, 3, 2, tzinfo=UTC)
        assert arrivals.next_arrival(start, start + timedelta(days=1), random.Random(0)) is None

    @pytest.mark.parametrize(
        ("weekly", "message"),
        [
            ({"mon": [1] * 23}, r"weekly.mon: expected 24 hourly rates, got 23"),
            ({"mon": [1, -2] + [0] * 22}, r"weekly.mon\[1\]: contacts per hour cannot be neg"),
            ({"monday": 1}, r"weekly.monday: unknown weekday"),
            ({"tue": "busy"}, r"weekly.tue: expected contacts per hour"),
        ],
    )
    def test_bad_rates_name_their_path(self, weekly: object, message: str) -> None:
        with pytest.raises(ConfigError, match=message):
            Arrivals(weekly=weekly)

    def test_mixes_need_a_positive_weight(self) -> None:
        with pytest.raises(InvalidInputError, match="channels weights must not all be zero"):
            Arrivals(weekly=1, channels={"chat": 0})


class TestHandleTime:
    @pytest.mark.parametrize("handle", [HandleTime("6m", 0.8), HandleTime.exponential("6m")])
    def test_draws_have_the_mean_asked_for(self, handle: HandleTime) -> None:
        rng = random.Random(3)
        mean = statistics.fmean(handle.draw(rng).total_seconds() for _ in range(40_000))
        assert abs(mean - 360) < 0.03 * 360

    def test_sigma_is_checked(self) -> None:
        with pytest.raises(InvalidInputError, match="sigma must be a number in"):
            HandleTime("6m", -1)

    def test_mean_must_be_positive(self) -> None:
        with pytest.raises(InvalidInputError, match="handle time mean must be longer than zero"):
            HandleTime("0s")


class TestCustomers:
    def test_probabilities_are_checked(self) -> None:
        with pytest.raises(InvalidInputError, match=r"reopen must be a probability in \[0, 1\]"):
            Customers(reopen=1.5)

    def test_score_weights_are_five(self) -> None:
        with pytest.raises(InvalidInputError, match="expected 5 weights"):
            Customers(satisfied=(1, 2, 3))
