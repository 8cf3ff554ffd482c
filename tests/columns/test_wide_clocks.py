"""SLA clocks from a wide table, column-wise, equal the scalar evaluation of the
tickets the table describes (``sla_clocks(tickets_from_timestamps(...))``), and what
the column path cannot express fails naming it."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from servicekit import BusinessCalendar, HolidaySet, columns
from servicekit.conditions import all_of, any_of, changed, not_, where
from servicekit.errors import InvalidInputError, InvalidRecordError, ServicekitError
from servicekit.sla import Metric, PolicySet, SLAPolicy

NY = ZoneInfo("America/New_York")
BERLIN = ZoneInfo("Europe/Berlin")
HOURS = BusinessCalendar(
    tz=NY,
    weekly={"mon-fri": ["09:00-17:00"], "sat": ["22:00-24:00"], "sun": ["00:00-03:00"]},
    holidays=HolidaySet.from_country("US", years=range(2025, 2028)),
)
# Around the 2026 spring-forward (Mar 8) and fall-back (Nov 1) in New York, and the
# Thanksgiving and Christmas holidays.
STARTS = [
    datetime(2026, 3, 6, 12, tzinfo=NY),
    datetime(2026, 10, 30, 12, tzinfo=NY),
    datetime(2026, 11, 25, 12, tzinfo=NY),
    datetime(2026, 12, 23, 12, tzinfo=NY),
]
US = 1_000_000
SPREAD = 5 * 86_400 * US
PRIORITIES = ["low", "normal", "high", "urgent"]
MILESTONES = {"first_reply": "replied", "solved": "solved", "closed": "closed"}


def oracle(frame: pd.DataFrame, policies: Any, now: datetime, **names: Any) -> pd.DataFrame:
    """The slow obvious way: a ticket per row, then one evaluation per ticket."""
    tickets = columns.tickets_from_timestamps(frame, **names)
    return columns.sla_clocks(tickets, policies, now=now)


def both(frame: pd.DataFrame, policies: Any, now: datetime, **names: Any) -> None:
    want = oracle(frame, policies, now, **names)
    got = columns.sla_clocks_from_timestamps(frame, policies, now=now, **names)
    pd.testing.assert_frame_equal(got, want)


def instants(values: list[int | None], zone: Any) -> pd.Series:
    raw = np.array([-(2**63) if v is None else v for v in values], np.int64)
    index = pd.DatetimeIndex(raw.view("datetime64[us]")).tz_localize("UTC").tz_convert(zone)
    return pd.Series(index)


@st.composite
def wide_tables(draw: st.DrawFn) -> tuple[pd.DataFrame, datetime]:
    """Valid wide tables (any milestone may be missing; a close follows a solve and
    any reply) and a ``now`` at or after every milestone."""
    base = int(draw(st.sampled_from(STARTS)).timestamp()) * US
    count = draw(st.integers(1, 8))
    offsets = st.integers(0, SPREAD) | st.sampled_from([0, 3600 * US, 8 * 3600 * US])
    rows: dict[str, list[Any]] = {k: [] for k in ("created", "replied", "solved", "closed")}
    last = base
    for _ in range(count):
        created = base + draw(offsets)
        reply = created + draw(offsets) if draw(st.booleans()) else None
        solve = created + draw(offsets) if draw(st.booleans()) else None
        if solve is not None and reply is not None and draw(st.booleans()):
            solve = reply  # solved with the first reply (one instant: the reply comes first)
        close = None
        if solve is not None and draw(st.booleans()):
            close = max(solve, reply or solve) + draw(offsets)
        rows["created"].append(created)
        rows["replied"].append(reply)
        rows["solved"].append(solve)
        rows["closed"].append(close)
        last = max([last, created] + [v for v in (reply, solve, close) if v is not None])
    zone = draw(st.sampled_from([NY, BERLIN, UTC]))
    frame = pd.DataFrame({name: instants(values, zone) for name, values in rows.items()})
    frame["priority"] = draw(st.lists(st.sampled_from([*PRIORITIES, None]), min_size=count,
                                      max_size=count))  # fmt: skip
    frame["channel"] = draw(st.lists(st.sampled_from(["email", "chat", None]), min_size=count,
                                     max_size=count))  # fmt: skip
    frame["group"] = draw(st.lists(st.sampled_from(["billing", "tech", None]), min_size=count,
                                   max_size=count))  # fmt: skip
    frame.index = [f"T-{i}" for i in range(count)]
    now = datetime.fromtimestamp((last + draw(offsets)) / US, UTC).astimezone(
        draw(st.sampled_from([UTC, NY, BERLIN]))
    )
    return frame, now


@st.composite
def policies(draw: st.DrawFn) -> SLAPolicy | PolicySet:
    """A policy, or a set choosing by priority, channel, group and status."""
    durations = st.sampled_from(["30m", "2h", "8h", "37h"])

    def policy(name: str, applies_to: Any = None) -> SLAPolicy:
        targets = {
            priority: {
                metric.value: {"duration": draw(durations), "business_hours": draw(st.booleans())}
                for metric in draw(st.sets(st.sampled_from(list(Metric)), max_size=4))
            }
            for priority in draw(st.sets(st.sampled_from(PRIORITIES), min_size=1))
        }
        extra = {} if applies_to is None else {"applies_to": applies_to}
        return SLAPolicy(name, calendar=HOURS, targets=targets, **extra)

    if draw(st.booleans()):
        return policy("only")
    rules = [
        where("priority", ">=", "high"),
        where("channel", "is", "chat"),
        any_of(where("group", "is", "billing"), where("status", "is", "solved")),
        not_(where("priority", "in", ["low", "normal"])),
        all_of(where("channel", "is", "email"), where("tags", "contains", "vip")),
    ]
    chosen = draw(st.lists(st.sampled_from(rules), max_size=3))
    return PolicySet([policy(f"p{i}", rule) for i, rule in enumerate(chosen)] + [policy("rest")])


NAMES: dict[str, Any] = {
    "created": "created", "first_reply": "replied", "solved": "solved", "closed": "closed",
    "priority": "priority", "channel": "channel", "group": "group",
}  # fmt: skip


class TestEqualsTheScalarEvaluation:
    @settings(max_examples=60, deadline=None)
    @given(wide_tables(), policies())
    def test_random_tables(self, table: tuple[pd.DataFrame, datetime], chosen: Any) -> None:
        frame, now = table
        both(frame, chosen, now, **NAMES)

    def test_open_breached_achieved_across_a_holiday(self) -> None:
        frame = pd.DataFrame(
            {
                "created": instants(
                    [int(datetime(2026, 11, 25, 16, tzinfo=NY).timestamp()) * US] * 3, NY
                ),
                "replied": instants(
                    [int(datetime(2026, 11, 27, 10, tzinfo=NY).timestamp()) * US, None, None], NY
                ),
            }
        )
        policy = SLAPolicy("std", calendar=HOURS, targets={"normal": {"first_reply": "2h"}})
        now = datetime(2026, 11, 27, 10, 30, tzinfo=NY)
        both(frame, policy, now, created="created", first_reply="replied")
        got = columns.sla_clocks_from_timestamps(
            frame, policy, now=now, created="created", first_reply="replied"
        )
        assert list(got["state"]) == ["achieved", "breached", "breached"]

    def test_only_some_milestone_columns(self) -> None:
        stamp = int(datetime(2026, 3, 6, 16, tzinfo=NY).timestamp()) * US
        frame = pd.DataFrame({"created": instants([stamp, stamp + 3600 * US], NY),
                              "solved": instants([None, stamp + 86_400 * US], NY)})  # fmt: skip
        policy = SLAPolicy(
            "all", calendar=HOURS, targets={"normal": {m.value: "4h" for m in Metric}}
        )
        now = datetime(2026, 3, 10, tzinfo=UTC)
        both(frame, policy, now, created="created", solved="solved")

    def test_no_rows(self) -> None:
        frame = pd.DataFrame({"created": instants([], UTC)})
        policy = SLAPolicy("p", calendar=HOURS, targets={"normal": {"first_reply": "1h"}})
        both(frame, policy, datetime(2026, 3, 2, tzinfo=UTC), created="created")


class TestWhatTheColumnPathCannotExpress:
    stamp = int(datetime(2026, 3, 2, 9, tzinfo=UTC).timestamp()) * US
    frame = pd.DataFrame({"created": instants([stamp], UTC)})
    now = datetime(2026, 3, 3, tzinfo=UTC)

    def test_condition_on_changes_is_named(self) -> None:
        policy = SLAPolicy(
            "moved",
            applies_to=changed("priority", to="urgent"),
            targets={"normal": {"first_reply": {"duration": "1h", "business_hours": False}}},
        )
        with pytest.raises(InvalidInputError, match=r"policy 'moved'.*columns\.sla_clocks"):
            columns.sla_clocks_from_timestamps(
                self.frame, PolicySet([policy]), now=self.now, created="created"
            )

    def test_pause_while_open_is_named(self) -> None:
        policy = SLAPolicy(
            "odd",
            pauses={"resolution": ["open"]},
            targets={"normal": {"resolution": {"duration": "1h", "business_hours": False}}},
        )
        with pytest.raises(InvalidInputError, match="pauses resolution while open"):
            columns.sla_clocks_from_timestamps(self.frame, policy, now=self.now, created="created")

    def test_business_day_target_is_named(self) -> None:
        hours = BusinessCalendar(tz="UTC", weekly={"mon-fri": ["09:00-17:00"]})
        policy = SLAPolicy("days", calendar=hours, targets={"normal": {"resolution": "3bd"}})
        with pytest.raises(InvalidInputError, match=r"resolution target is 3 business days"):
            columns.sla_clocks_from_timestamps(self.frame, policy, now=self.now, created="created")

    def test_the_ticket_path_reports_a_business_day_targets_budget(self) -> None:
        hours = BusinessCalendar(tz="UTC", weekly={"mon-fri": ["09:00-17:00"]})
        policy = SLAPolicy("days", calendar=hours, targets={"normal": {"resolution": "1bd"}})
        tickets = columns.tickets_from_timestamps(self.frame, created="created")
        clocks = columns.sla_clocks(tickets, policy, now=self.now)
        assert clocks["target"].tolist() == [pd.Timedelta(hours=8)]  # Mon 09:00 to Tue 09:00


class TestSameErrorsAsTheBuilder:
    stamp = int(datetime(2026, 3, 2, 9, tzinfo=UTC).timestamp()) * US
    policy = SLAPolicy(
        "p", targets={"normal": {"first_reply": {"duration": "1h", "business_hours": False}}}
    )

    @pytest.mark.parametrize(
        ("replied", "solved", "closed"),
        [
            ([None, -1], [None, None], [None, None]),  # reply before creation
            ([None, None], [None, None], [None, 1]),  # closed, never solved
            ([None, None], [None, 2], [None, 1]),  # closed before solved
            ([None, 3], [None, 1], [None, 2]),  # reply after close
        ],
    )
    def test_lifecycle_errors(
        self, replied: list[int | None], solved: list[int | None], closed: list[int | None]
    ) -> None:
        def at(hours: list[int | None]) -> pd.Series:
            return instants([None if h is None else self.stamp + h * 3600 * US for h in hours],
                            UTC)  # fmt: skip

        frame = pd.DataFrame({"created": instants([self.stamp] * 2, UTC), "replied": at(replied),
                              "solved": at(solved), "closed": at(closed)})  # fmt: skip
        names = dict(
            zip(["created", "first_reply", "solved", "closed"], frame.columns, strict=True)
        )
        now = datetime(2026, 3, 9, tzinfo=UTC)
        with pytest.raises(InvalidRecordError) as want:
            oracle(frame, self.policy, now, **names)
        with pytest.raises(InvalidRecordError) as got:
            columns.sla_clocks_from_timestamps(frame, self.policy, now=now, **names)
        assert str(got.value) == str(want.value)
        assert str(got.value).startswith("row 1:")

    def test_now_before_the_last_milestone(self) -> None:
        frame = pd.DataFrame({"created": instants([self.stamp], UTC),
                              "solved": instants([self.stamp + 7200 * US], NY)})  # fmt: skip
        now = datetime(2026, 3, 2, 10, tzinfo=UTC)
        names = {"created": "created", "solved": "solved"}
        with pytest.raises(InvalidInputError) as want:
            oracle(frame, self.policy, now, **names)
        with pytest.raises(InvalidInputError) as got:
            columns.sla_clocks_from_timestamps(frame, self.policy, now=now, **names)
        assert str(got.value) == str(want.value)

    def test_bad_arguments(self) -> None:
        frame = pd.DataFrame({"created": instants([self.stamp], UTC)})
        now = datetime(2026, 3, 3, tzinfo=UTC)
        with pytest.raises(InvalidInputError, match="PolicySet or an SLAPolicy"):
            columns.sla_clocks_from_timestamps(frame, "p", now=now, created="created")  # type: ignore[arg-type]
        with pytest.raises(InvalidInputError, match="created='made'"):
            columns.sla_clocks_from_timestamps(frame, self.policy, now=now, created="made")
        with pytest.raises(InvalidInputError, match="tz-aware"):
            columns.sla_clocks_from_timestamps(frame, self.policy, now="x", created="created")  # type: ignore[arg-type]

    @settings(max_examples=60, deadline=None)
    @given(
        st.dictionaries(
            st.sampled_from(["frame", "now", "created", "first_reply", "priority"]),
            st.none() | st.integers() | st.text(max_size=5) | st.just(pd.DataFrame()),
        )
    )
    def test_fuzz_only_servicekit_errors(self, junk: dict[str, Any]) -> None:
        frame = junk.pop("frame", pd.DataFrame({"created": instants([self.stamp], UTC)}))
        arguments: dict[str, Any] = {"now": datetime(2026, 3, 3, tzinfo=UTC), "created": "created"}
        arguments |= junk
        with contextlib.suppress(ServicekitError):
            columns.sla_clocks_from_timestamps(frame, self.policy, **arguments)


def test_large_table_takes_the_column_path() -> None:
    """A table of a few thousand rows agrees with the oracle on a sample (and runs
    without a ticket per row: no per-row Python work beyond the column checks)."""
    rng = np.random.default_rng(7)
    base = int(datetime(2026, 1, 1, tzinfo=UTC).timestamp()) * US
    created = base + rng.integers(0, 300 * 86_400 * US, 3000)
    frame = pd.DataFrame(
        {
            "created": instants(created.tolist(), NY),
            "replied": instants((created + rng.integers(0, 3 * 86_400 * US, 3000)).tolist(), NY),
            "priority": rng.choice(PRIORITIES, 3000),
        }
    )
    policy = SLAPolicy("p", calendar=HOURS, targets={p: {"first_reply": "8h"} for p in PRIORITIES})
    now = datetime(2027, 1, 1, tzinfo=UTC)
    names = {"created": "created", "first_reply": "replied", "priority": "priority"}
    got = columns.sla_clocks_from_timestamps(frame, policy, now=now, **names)
    want = oracle(frame.iloc[:300], policy, now, **names)
    pd.testing.assert_frame_equal(got.iloc[:300], want)
    assert timedelta(0) <= got["elapsed"].min()
