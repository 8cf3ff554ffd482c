"""Mergeable tallies: any split, merged in any order, gives the one-pass answer; the
same KPIs through dask.bag over 8 partitions agree with one pass."""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import dask.bag
import pytest
from hypothesis import given
from hypothesis import strategies as st

from servicekit import Ticket
from servicekit.errors import InvalidInputError
from servicekit.kpi import (
    AbandonmentTally,
    BacklogTally,
    CESTally,
    CSATTally,
    DurationTally,
    FCRTally,
    HandleTimeTally,
    NPSTally,
    OccupancyTally,
    ReopenTally,
    ServiceLevelTally,
    Tally,
    TicketTimeTally,
)
from servicekit.testing.strategies import ticket_histories

TALLIES: dict[str, tuple[Callable[[], Tally[Any]], st.SearchStrategy[Any]]] = {
    "csat": (CSATTally, st.integers(1, 5)),
    "nps": (NPSTally, st.integers(0, 10)),
    "ces": (CESTally, st.integers(1, 7)),
    "durations": (DurationTally, st.integers(0, 10**9).map(lambda us: timedelta(microseconds=us))),
    "service_level": (lambda: ServiceLevelTally(threshold="20s", convention="abandoned_fail"),
                      st.integers(0, 60)),
    "abandonment": (lambda: AbandonmentTally(short_abandon="5s"), st.integers(0, 60)),
    "handle_time": (HandleTimeTally, st.integers(0, 3_600)),
    "first_reply": (lambda: TicketTimeTally("first_reply"),
                    ticket_histories(max_events=8).map(Ticket.replay)),
    "fcr": (lambda: FCRTally(definition="repeat_window", window="2d"),
            ticket_histories(max_events=8).map(Ticket.replay)),
    "backlog": (lambda: BacklogTally(datetime(2026, 3, 20, tzinfo=UTC)),
                ticket_histories(max_events=8).map(Ticket.replay)),
    "reopens": (ReopenTally, ticket_histories(max_events=8).map(Ticket.replay)),
}  # fmt: skip


def split(values: list[Any], cuts: list[int]) -> list[list[Any]]:
    points = sorted({0, len(values), *(c % (len(values) + 1) for c in cuts)})
    return [values[a:b] for a, b in itertools.pairwise(points)] or [[]]


@pytest.mark.parametrize("name", sorted(TALLIES))
@given(data=st.data())
def test_any_split_merged_in_any_order_equals_one_pass(name: str, data: st.DataObject) -> None:
    make, values = TALLIES[name]
    items = data.draw(st.lists(values, max_size=30))
    parts = split(items, data.draw(st.lists(st.integers(0, 30), max_size=4)))
    order = data.draw(st.permutations(range(len(parts))))
    tallies = [make().update(parts[i]) for i in order]
    merged = functools.reduce(lambda a, b: a.merge(b), tallies)
    assert make().update(items).result() == merged.result()


def test_merge_refuses_other_settings() -> None:
    with pytest.raises(InvalidInputError, match="settings differ"):
        CSATTally(scale=(1, 5)).merge(CSATTally(scale=(1, 10)))


def test_merge_leaves_both_sides_alone() -> None:
    left, right = NPSTally().update([10]), NPSTally().update([0])
    left.merge(right)
    assert (left.result().score, right.result().score) == (100.0, -100.0)


def test_abandoned_waits_merge() -> None:
    a = AbandonmentTally(short_abandon="5s").update([10, 20], [2, 30])
    b = AbandonmentTally(short_abandon="5s").update([15], [40])
    assert (a.merge(b).result().successes, a.merge(b).result().count) == (2, 5)


def test_occupancy_merges() -> None:
    a = OccupancyTally().update([timedelta(hours=1)], [timedelta(hours=2)])
    b = OccupancyTally().update([timedelta(hours=2)], [timedelta(hours=2)])
    assert a.merge(b).result().value == 0.75


from_sequence: Callable[..., Any] = dask.bag.from_sequence  # untyped in dask


def _through_dask(values: list[Any], make: Callable[[], Tally[Any]]) -> Any:
    bag = from_sequence(values, npartitions=8)
    total = bag.reduction(
        lambda part: make().update(list(part)),
        lambda tallies: functools.reduce(lambda a, b: a.merge(b), tallies),
    )
    return total.compute(scheduler="sync").result()


@pytest.mark.parametrize("name", ["csat", "nps", "ces", "durations", "service_level"])
def test_dask_bag_over_8_partitions_agrees_with_one_pass(name: str) -> None:
    make, _ = TALLIES[name]
    values: list[Any] = [(i * 7919) % 5 + 1 for i in range(1_000)]
    if name == "nps":
        values = [v * 2 for v in values]
    if name == "durations":
        values = [timedelta(seconds=v * 13) for v in values]
    assert from_sequence(values, npartitions=8).npartitions == 8
    assert make().update(values).result() == _through_dask(values, make)


class TestDurationTallyMissing:
    @given(
        st.lists(
            st.integers(0, 10**9).map(lambda us: timedelta(microseconds=us))
            | st.sampled_from([None, float("nan")]),
            max_size=30,
        ),
        st.integers(0, 30),
    )
    def test_skips_and_counts_missing_and_merges(self, values: list[Any], cut: int) -> None:
        present = [v for v in values if isinstance(v, timedelta)]
        whole = DurationTally().update(values).result()
        merged = DurationTally().update(values[:cut]).merge(DurationTally().update(values[cut:]))
        assert whole == merged.result()
        assert whole.count == len(present)
        assert whole.missing == len(values) - len(present)
        assert whole.median == (DurationTally().update(present).result().median)

    def test_add_skips_missing_and_still_refuses_negative(self) -> None:
        tally = DurationTally("waits")
        tally.add(None)
        tally.add(timedelta(seconds=5))
        assert (tally.result().count, tally.result().missing) == (1, 1)
        with pytest.raises(InvalidInputError, match="waits"):
            tally.add(timedelta(seconds=-1))
