"""KPI calls on hostile inputs raise ServicekitErrors naming the value, never a builtin
error (issue #20): unhashable scores, durations longer than ``timedelta`` holds,
instants at the ends of the datetime range, wrong kinds of calendar, key or groups."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import pytest

from servicekit import kpi
from servicekit.errors import BeyondHorizonError, InvalidInputError, InvalidTypeError

loose: Any = kpi  # the calls below break the annotations on purpose


def test_an_unhashable_score_is_named_with_its_position() -> None:
    with pytest.raises(InvalidInputError, match=r"position 1: \[5\]"):
        kpi.csat([4, [5]])


@pytest.mark.parametrize("talk", [[1e14], [float("inf")], np.array([np.inf]), [10**30]])
def test_a_duration_longer_than_timedelta_holds_is_refused(talk: object) -> None:
    with pytest.raises(InvalidInputError, match="longer than a duration can be"):
        kpi.aht(talk)  # type: ignore[arg-type]


def test_handle_time_parts_that_add_up_beyond_timedelta_are_refused() -> None:
    with pytest.raises(InvalidInputError, match="handle time at position 0"):
        kpi.aht([timedelta.max], [timedelta.max])


def test_by_period_of_the_first_instant_datetime_holds() -> None:
    with pytest.raises(BeyondHorizonError, match="outside the years"):
        kpi.by_period([datetime.min.replace(tzinfo=UTC)], key=lambda t: t, period="week", tz="UTC")


def test_a_calendar_name_is_not_a_calendar() -> None:
    with pytest.raises(InvalidTypeError, match="calendar must be a calendar"):
        kpi.first_reply_times([], calendar="UTC")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "call",
    [
        lambda: loose.segment_by([1, 2], key=None),
        lambda: loose.by_period([1], key=5, period="day", tz="UTC"),
        lambda: loose.summarize(None, kpi.csat),
        lambda: loose.to_frame(None),
        lambda: loose.reopen_rate(float("-inf")),
        lambda: loose.CSATTally(positive=float("inf")),
        lambda: loose.DurationSummary.of_microseconds(None),
    ],
    ids=["segment key", "period key", "groups", "to_frame", "reopen", "positive", "summary"],
)
def test_wrong_kinds_are_servicekit_errors(call: object) -> None:
    with pytest.raises((InvalidTypeError, InvalidInputError)):
        call()  # type: ignore[operator]


def test_a_key_that_gives_a_list_is_not_a_group() -> None:
    with pytest.raises(InvalidInputError, match="not a group name"):
        loose.segment_by(["a"], key=lambda item: [item])
