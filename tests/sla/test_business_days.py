"""Business-day targets ("3bd") and the "3d" business-hours trap (issue #20)."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from servicekit import BusinessCalendar, Ticket
from servicekit.durations import format_duration, parse_duration
from servicekit.errors import (
    ConfigError,
    InvalidDurationError,
    InvalidInputError,
    ServicekitError,
)
from servicekit.sla import ClockState, SLAPolicy, Target
from servicekit.testing.reference import ReferenceCalendar, _day_hours
from servicekit.testing.strategies import calendars, instants
from servicekit.tickets import Replied, StatusChanged

HOURS = BusinessCalendar(tz="UTC", weekly={"mon-fri": ["09:00-17:00"]})
TRAP = "'3d' is 72 business hours, 9 working days on this calendar; write '72h', or '3bd'"


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """An instant in March 2026 (the 6th is a Friday)."""
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


def policy(target: object, cal: BusinessCalendar | None = HOURS) -> SLAPolicy:
    return SLAPolicy("p", calendar=cal, targets={"normal": {"resolution": target}})


class TestTheTrap:
    @pytest.mark.parametrize("text", ["3d", "P3D", " 3 d "])
    def test_config_names_the_path_and_the_meaning(self, text: str) -> None:
        data = {"name": "p", "calendar": HOURS.to_dict(), "targets": {"high": {"resolution": text}}}
        with pytest.raises(ConfigError, match="72 business hours, 9 working days") as info:
            SLAPolicy.from_dict(data)
        assert info.value.path == "targets.high.resolution"

    def test_python_policy_gets_the_same_message(self) -> None:
        with pytest.raises(ConfigError, match=TRAP):
            policy("3d")

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("1w", "'1w' is 168 business hours, 21 working days on this calendar; write "
                   "'168h', or '5bd' for five business days"),
            ("2d4h", "'2d4h' is 52 business hours, 6.5 working days on this calendar; "
                     "write '52h'"),
            ("1d", "'1d' is 24 business hours, 3 working days on this calendar; write '24h', "
                   "or '1bd' for one business day"),
        ],
    )  # fmt: skip
    def test_message_per_unit(self, text: str, expected: str) -> None:
        with pytest.raises(ConfigError) as info:
            policy(text)
        assert str(info.value).endswith(expected)

    def test_a_duration_in_business_hours_is_kept(self) -> None:
        target = policy("72h").targets["normal"]["resolution"]  # type: ignore[index]
        assert target == Target(duration=timedelta(hours=72))

    def test_calendar_hours_and_round_the_clock_calendars_keep_days(self) -> None:
        hours = policy({"duration": "3d", "business_hours": False}, cal=None)
        always = policy("3d", cal=BusinessCalendar.always())
        for made in (hours, always):
            target = made.targets["normal"]["resolution"]  # type: ignore[index]
            assert target.duration == timedelta(days=3)
        assert parse_duration("3d") == timedelta(days=3)

    def test_cal_add_takes_text_but_not_days(self) -> None:
        assert HOURS.add(at(6, 16), "4h") == at(9, 12)
        assert HOURS.subtract(at(9, 12), "4h") == at(6, 16)
        assert HOURS.add(at(9, 12), "-4h") == at(6, 16)
        with pytest.raises(InvalidDurationError, match=TRAP):
            HOURS.add(at(6, 16), "3d")
        with pytest.raises(InvalidDurationError, match="'1w' is 168 business hours"):
            HOURS.subtract(at(6, 16), "1w")
        assert BusinessCalendar.always().add(at(6, 16), "1d") == at(7, 16)

    def test_combined_calendars_say_what_they_can(self) -> None:
        both = HOURS | BusinessCalendar(tz="Asia/Tokyo", weekly={"mon-fri": ["09:00-17:00"]})
        with pytest.raises(InvalidDurationError) as info:
            both.add(at(6, 16), "3d")
        assert str(info.value) == (
            "'3d' is 72 business hours, not a number of business days; write '72h', "
            "or '3bd' for three business days"
        )

    def test_business_time_prints_in_hours(self) -> None:
        assert format_duration(timedelta(days=3, minutes=5), largest="h") == "72h 5m"
        assert format_duration(timedelta(days=3)) == "3d"
        with pytest.raises(InvalidInputError, match="largest"):
            format_duration(timedelta(days=3), largest="d")  # type: ignore[arg-type]

    def test_huge_and_over_precise_durations(self) -> None:
        with pytest.raises(InvalidDurationError, match="finer than a microsecond"):
            parse_duration("1.0000000000000000000000000001s")
        assert parse_duration("1.0000010000000000000000000000s") == timedelta(
            seconds=1, microseconds=1
        )
        for text in ("9" * 5000 + "h", "1." + "0" * 5000 + "1s", "99999999999999999999d"):
            with pytest.raises(InvalidDurationError):
                parse_duration(text)


class TestTargets:
    @pytest.mark.parametrize(
        "value", ["3bd", " 3BD", {"business_days": 3}, Target(business_days=3)]
    )
    def test_spellings(self, value: object) -> None:
        made = policy(value)
        assert made.targets["normal"]["resolution"] == Target(business_days=3)  # type: ignore[index]
        assert made.to_dict()["targets"] == {"normal": {"resolution": "3bd"}}
        assert SLAPolicy.from_dict(made.to_dict()) == made

    @pytest.mark.parametrize(
        ("value", "path", "message"),
        [
            ("0bd", "targets.normal.resolution", r"\[1, 3650\]"),
            ("1.5bd", "targets.normal.resolution", "whole number"),
            ({"business_days": True}, "targets.normal.resolution.business_days", "whole"),
            ({"business_days": 10**400}, "targets.normal.resolution.business_days", "3650"),
            ({"business_days": 3, "business_hours": False},
             "targets.normal.resolution.business_hours", "policy's calendar"),
            ({"business_days": 3, "duration": "1h"}, "targets.normal.resolution", "keys"),
            ({"duration": "3bd", "business_hours": False},
             "targets.normal.resolution.duration", "policy's calendar"),
        ],
    )  # fmt: skip
    def test_bad_targets(self, value: object, path: str, message: str) -> None:
        with pytest.raises(ConfigError, match=message) as info:
            policy(value)
        assert info.value.path == path

    def test_needs_a_calendar(self) -> None:
        with pytest.raises(ConfigError, match="needs the policy's calendar"):
            policy("3bd", cal=None)

    def test_target_values(self) -> None:
        assert str(Target(business_days=1)) == "1 business day"
        assert repr(Target(business_days=3)) == "Target(business_days=3)"
        assert str(Target(duration=timedelta(hours=72))) == "72h (business hours)"
        with pytest.raises(InvalidInputError, match="exactly one"):
            Target()
        with pytest.raises(InvalidInputError, match="exactly one"):
            Target(duration=timedelta(hours=1), business_days=1)
        with pytest.raises(InvalidInputError, match="business_hours must be true"):
            Target(business_days=1, business_hours=False)
        with pytest.raises(InvalidInputError, match="no fixed duration"):
            _ = Target(business_days=2).duration


class TestClock:
    """Created Friday 18:00 (closed) with one business day: due Tuesday 09:00."""

    ticket = Ticket.create(id="T", at=at(6, 18), requester="c")
    made = policy("1bd")

    def test_due_and_budget(self) -> None:
        clock = self.made.evaluate(self.ticket, now=at(6, 18)).clock("resolution")
        assert clock is not None
        assert (clock.state, clock.due_at, clock.budget) == (
            ClockState.RUNNING, at(10, 9), timedelta(hours=8)
        )  # fmt: skip
        assert clock.reason.endswith("0s of 1 business day used (0%), due 2026-03-10T09:00+00:00")

    def test_used_up_at_the_close_is_not_yet_breached(self) -> None:
        evaluation = self.made.evaluate(self.ticket, now=at(9, 20))
        clock = evaluation.clock("resolution")
        assert clock is not None
        assert (clock.state, clock.remaining, clock.due_at) == (
            ClockState.RUNNING, timedelta(0), at(10, 9)
        )  # fmt: skip
        assert evaluation.next_change_at == at(10, 9)

    def test_breached_at_the_due_instant(self) -> None:
        for now in (at(10, 9), at(10, 11)):
            clock = self.made.evaluate(self.ticket, now=now).clock("resolution")
            assert clock is not None
            assert (clock.state, clock.breached_at) == (ClockState.BREACHED, at(10, 9))

    @pytest.mark.parametrize(("solved", "state"), [
        ((9, 20), ClockState.ACHIEVED), ((10, 9), ClockState.ACHIEVED),
        ((10, 10), ClockState.BREACHED),
    ])  # fmt: skip
    def test_stopped(self, solved: tuple[int, int], state: ClockState) -> None:
        done = self.ticket.apply(StatusChanged(at=at(*solved), status="solved"))
        clock = self.made.evaluate(done, now=at(11, 9)).clock("resolution")
        assert clock is not None
        assert clock.state is state

    def test_a_reply_meets_a_first_reply_target(self) -> None:
        made = SLAPolicy("p", calendar=HOURS, targets={"normal": {"first_reply": "2bd"}})
        replied = self.ticket.apply(Replied(at=at(10, 16), by="agent", author_id="a"))
        clock = made.evaluate(replied, now=at(12, 9)).clock("first_reply")
        assert clock is not None
        assert clock.state is ClockState.ACHIEVED
        assert "of 2 business days used" in clock.reason

    def test_before_the_first_opening_the_budget_may_be_zero(self) -> None:
        sunday = Ticket.create(id="S", at=at(8, 8), requester="c")  # Sunday 08:00
        clock = self.made.evaluate(sunday, now=at(8, 8)).clock("resolution")
        assert clock is not None
        assert (clock.due_at, clock.budget, clock.fraction_used) == (
            at(9, 9), timedelta(0), 1.0
        )  # fmt: skip
        late = self.made.evaluate(sunday, now=at(9, 10)).clock("resolution")
        assert late is not None
        assert (late.state, late.breached_at) == (ClockState.BREACHED, at(9, 9))


def oracle_due(cal: BusinessCalendar, ref: ReferenceCalendar, start: datetime, n: int) -> datetime:
    """Step date by date to the n-th next date with open hours, same wall time, then
    the next opening: the design's definition, day by day."""
    local = start.astimezone(cal.tz)
    day, found = local.date(), 0
    while found < n:
        day += timedelta(days=1)
        midnight = datetime.combine(day, time(), cal.tz)
        found += any(
            (midnight + timedelta(seconds=a)).astimezone(UTC)
            < (midnight + timedelta(seconds=b)).astimezone(UTC)
            for a, b in _day_hours(cal, day)
        )
    return ref.next_open(datetime.combine(day, local.time().replace(fold=0), cal.tz))


@st.composite
def cases(draw: st.DrawFn) -> tuple[BusinessCalendar, datetime, int, float]:
    cal = draw(calendars())
    return cal, draw(instants(cal)), draw(st.integers(1, 5)), draw(st.floats(0, 1.2))


class TestAgainstTheOracle:
    @given(cases())
    def test_due_elapsed_and_remaining(
        self, case: tuple[BusinessCalendar, datetime, int, float]
    ) -> None:
        cal, start, n, share = case
        ref = ReferenceCalendar(cal, start)
        due = oracle_due(cal, ref, start, n)
        made = policy(f"{n}bd", cal=cal)
        ticket = Ticket.create(id="T", at=start, requester="c")
        now = start + (due - start) * share
        clock = made.evaluate(ticket, now=now).clock("resolution")
        assert clock is not None
        assert clock.budget == ref.elapsed(start, due)
        if now < due:
            assert clock.state is ClockState.RUNNING
            assert clock.due_at == due
            assert clock.elapsed + clock.remaining == ref.elapsed(start, due)
            assert clock.elapsed == ref.elapsed(start, now)
        else:
            assert clock.state is ClockState.BREACHED
            assert clock.breached_at == due

    @given(cases(), st.floats(0, 1), st.floats(0, 1))
    def test_a_pause_shifts_the_due_by_the_business_time_paused(
        self, case: tuple[BusinessCalendar, datetime, int, float], a: float, length: float
    ) -> None:
        cal, start, n, _ = case
        ref = ReferenceCalendar(cal, start, days=150)
        due = oracle_due(cal, ref, start, n)
        pause = start + (due - start) * a
        resume = pause + (due - start) * length + timedelta(microseconds=1)
        made = SLAPolicy("p", calendar=cal, targets={"normal": {"requester_wait": f"{n}bd"}})
        ticket = Ticket.create(id="T", at=start, requester="c")
        ticket = ticket.apply(StatusChanged(at=pause, status="pending"))
        ticket = ticket.apply(StatusChanged(at=resume, status="open"))
        clock = made.evaluate(ticket, now=resume).clock("requester_wait")
        assert clock is not None
        left = ref.elapsed(start, due) - ref.elapsed(start, pause)
        if left > timedelta(0):
            assert clock.due_at == ref.next_open(ref.add(resume, left))

    @given(st.one_of(st.text(max_size=12), st.integers(), st.none(), st.floats(),
                     st.dictionaries(st.sampled_from(["duration", "business_days",
                                                      "business_hours"]),
                                     st.one_of(st.text(max_size=6), st.integers(),
                                               st.booleans()))))  # fmt: skip
    def test_only_servicekit_errors_escape(self, value: object) -> None:
        with contextlib.suppress(ServicekitError):
            made = policy(value)
            made.evaluate(Ticket.create(id="T", at=at(6, 18), requester="c"), now=at(20, 9))
        with contextlib.suppress(ServicekitError):
            HOURS.add(at(6, 18), value)  # type: ignore[arg-type]
