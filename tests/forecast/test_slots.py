"""Slots of a calendar and contacts counted in them: wall clock, DST, holidays, overrides."""

from __future__ import annotations

import contextlib
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from servicekit.calendars import BusinessCalendar
from servicekit.errors import InvalidInputError, NaiveDatetimeError, ServicekitError
from servicekit.forecast import MAX_SLOTS, contacts_per_slot, slot_grid
from servicekit.tickets import Ticket

BERLIN = ZoneInfo("Europe/Berlin")
ALWAYS = BusinessCalendar.always("Europe/Berlin")


def at(day: date, hour: int, minute: int = 0, fold: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=BERLIN, fold=fold)


class TestSlotGrid:
    def test_slots_are_wall_clock_cells_inside_open_hours(self) -> None:
        cal = BusinessCalendar(tz=BERLIN, weekly={"mon-fri": ["09:00-12:15", "13:00-17:00"]})
        grid = slot_grid(cal, start=date(2026, 3, 9), days=1, slot="30m")
        starts = [s.start / timedelta(hours=1) for s in grid.slots]
        assert starts == [9, 9.5, 10, 10.5, 11, 11.5, 12, 13, 13.5, 14, 14.5, 15, 15.5, 16, 16.5]
        assert grid.slots[6].open_time == timedelta(minutes=15)
        assert grid.slots[0].opens_at == at(date(2026, 3, 9), 9)

    def test_holidays_and_overrides_are_the_calendars(self) -> None:
        cal = BusinessCalendar(
            tz=BERLIN,
            weekly={"mon-fri": ["09:00-17:00"]},
            holidays={date(2026, 12, 24), date(2026, 12, 25)},
            overrides={date(2026, 12, 24): ["09:00-12:00"]},
        )
        grid = slot_grid(cal, start=date(2026, 12, 24), days=2, slot="1h")
        assert [s.label for s in grid.slots] == [
            "Thu 2026-12-24 09:00",
            "Thu 2026-12-24 10:00",
            "Thu 2026-12-24 11:00",
        ]

    def test_spring_forward_has_no_gap_cells(self) -> None:
        grid = slot_grid(ALWAYS, start=date(2026, 3, 29), days=1, slot="30m")
        labels = [s.start / timedelta(minutes=30) for s in grid.slots]
        assert len(grid.slots) == 46
        assert 4 not in labels
        assert 5 not in labels
        assert all(s.open_time == timedelta(minutes=30) for s in grid.slots)

    def test_fall_back_folds_the_repeated_hour_into_its_cells(self) -> None:
        grid = slot_grid(ALWAYS, start=date(2026, 10, 25), days=1, slot="30m")
        assert len(grid.slots) == 48
        twice = [s for s in grid.slots if s.open_time == timedelta(hours=1)]
        assert [s.start for s in twice] == [timedelta(hours=2), timedelta(hours=2, minutes=30)]
        assert sum((s.open_time for s in grid.slots), timedelta()) == timedelta(hours=25)

    def test_overnight_hours_belong_to_the_wall_clock_date(self) -> None:
        cal = BusinessCalendar(tz=BERLIN, weekly={"mon": ["22:00-02:00"]})
        grid = slot_grid(cal, start=date(2026, 3, 9), days=2, slot="1h")
        assert [s.label for s in grid.slots] == [
            "Mon 2026-03-09 22:00",
            "Mon 2026-03-09 23:00",
            "Tue 2026-03-10 00:00",
            "Tue 2026-03-10 01:00",
        ]

    @pytest.mark.parametrize("slot", ["7m", "25m", "0s", "2d", "90s", 3.5])
    def test_a_slot_must_divide_a_day_in_minutes(self, slot: object) -> None:
        with pytest.raises(InvalidInputError):
            slot_grid(ALWAYS, start=date(2026, 3, 9), days=1, slot=slot)

    def test_too_many_slots_is_an_error(self) -> None:
        with pytest.raises(InvalidInputError, match="20,000"):
            slot_grid(ALWAYS, start=date(2026, 1, 1), days=MAX_SLOTS // 96 + 2, slot="15m")

    @pytest.mark.parametrize(
        ("start", "days"),
        [(datetime(2026, 1, 1, tzinfo=UTC), 1), ("2026-01-01", 1), (date(2026, 1, 1), 0)],
    )
    def test_bad_dates(self, start: object, days: object) -> None:
        with pytest.raises(InvalidInputError):
            slot_grid(ALWAYS, start=start, days=days)  # type: ignore[arg-type]

    @given(
        zone=st.sampled_from(["Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "UTC"]),
        start=st.dates(date(2020, 1, 1), date(2030, 12, 31)),
        days=st.integers(1, 9),
        slot=st.sampled_from(["15m", "30m", "1h", "2h"]),
    )
    def test_slots_tile_the_open_time(self, zone: str, start: date, days: int, slot: str) -> None:
        cal = BusinessCalendar(tz=zone, weekly={"mon-fri": ["08:00-20:00"], "sat": ["01:00-04:00"]})
        grid = slot_grid(cal, start=start, days=days, slot=slot)
        tz = ZoneInfo(zone)
        begin = datetime.combine(start, datetime.min.time(), tz)
        end = datetime.combine(start + timedelta(days=days), datetime.min.time(), tz)
        assert sum((s.open_time for s in grid.slots), timedelta()) == cal.elapsed(begin, end)
        length = grid.slot
        for s in grid.slots:
            assert timedelta(0) < s.open_time <= 2 * length
            assert s.start % length == timedelta(0)
            assert grid.slot_of(s.opens_at) == grid.slots.index(s)
            local = s.opens_at.astimezone(tz)
            assert local.date() == s.day


class TestContactsPerSlot:
    cal = BusinessCalendar(tz=BERLIN, weekly={"mon-fri": ["09:00-17:00"]})

    def test_counts_closed_and_outside_apart(self) -> None:
        monday = date(2026, 3, 9)
        instants = [at(monday, 9, 5), at(monday, 16, 59), at(monday, 17), at(monday, 8)]
        instants.append(at(monday + timedelta(days=7), 10))
        counted = contacts_per_slot(instants, calendar=self.cal, start=monday, days=7, slot="1h")
        assert counted.counts[0] == 1
        assert counted.counts[7] == 1
        assert (counted.total, counted.closed, counted.outside) == (2, 2, 1)

    def test_tickets_count_at_their_creation(self) -> None:
        created = at(date(2026, 3, 9), 9, 30)
        ticket = Ticket.create(id="t1", at=created, requester="ana")
        counted = contacts_per_slot([ticket], calendar=self.cal, start=date(2026, 3, 9), days=1)
        assert counted.counts[1] == 1

    def test_a_counts_column_weights_each_instant(self) -> None:
        monday = date(2026, 3, 9)
        counted = contacts_per_slot(
            [at(monday, 9), at(monday, 10), at(monday, 9, 10)],
            calendar=self.cal,
            start=monday,
            days=1,
            slot="1h",
            counts=[12, 30.5, 1],
        )
        assert counted.counts[:2] == (13.0, 30.5)

    def test_the_repeated_hour_counts_in_one_slot(self) -> None:
        sunday = date(2026, 10, 25)
        first, second = at(sunday, 2, 10, fold=0), at(sunday, 2, 10, fold=1)
        counted = contacts_per_slot([first, second], calendar=ALWAYS, start=sunday, days=1)
        index = counted.grid.find(sunday, timedelta(hours=2))
        assert index is not None
        assert counted.counts[index] == 2
        assert counted.rate(index) == 2.0  # per hour open: the slot was open an hour

    @pytest.mark.parametrize(
        ("instants", "counts"),
        [
            ([datetime(2026, 3, 9, 10)], None),  # noqa: DTZ001 - naive on purpose
            (["2026-03-09T10:00:00+00:00"], None),
            ([datetime(2026, 3, 9, 10, tzinfo=UTC)], [-1]),
            ([datetime(2026, 3, 9, 10, tzinfo=UTC)], [float("nan")]),
            ([datetime(2026, 3, 9, 10, tzinfo=UTC)], [1, 2]),
            ([datetime(2026, 3, 9, 10, tzinfo=UTC)] * 2, [1]),
            ("2026-03-09", None),
            (42, None),
        ],
    )
    def test_rejects(self, instants: object, counts: object) -> None:
        with pytest.raises((InvalidInputError, NaiveDatetimeError)):
            contacts_per_slot(
                instants,  # type: ignore[arg-type]
                calendar=self.cal,
                start=date(2026, 3, 9),
                days=1,
                counts=counts,  # type: ignore[arg-type]
            )

    @given(
        instants=st.lists(
            st.datetimes(
                datetime(2026, 3, 1),  # noqa: DTZ001 - hypothesis bounds are naive
                datetime(2026, 4, 10),  # noqa: DTZ001
                timezones=st.just(BERLIN),
            ),
            max_size=60,
        )
    )
    def test_every_instant_lands_somewhere_once(self, instants: list[datetime]) -> None:
        counted = contacts_per_slot(instants, calendar=self.cal, start=date(2026, 3, 9), days=21)
        assert counted.total + counted.closed + counted.outside == len(instants)
        for instant in instants:
            index = counted.grid.slot_of(instant)
            assert (index is not None) == self.cal.is_open(instant) or not (
                date(2026, 3, 9) <= instant.date() < date(2026, 3, 30)
            )

    @given(
        instants=st.lists(st.one_of(st.datetimes(), st.integers(), st.text(), st.none())),
        counts=st.none() | st.lists(st.one_of(st.floats(), st.integers(-3, 3), st.text())),
        slot=st.one_of(st.text(max_size=4), st.integers(-5, 10**6), st.sampled_from(["30m"])),
        days=st.integers(-2, 800),
    )
    def test_fuzz_only_servicekit_errors_escape(
        self, instants: list[object], counts: list[object] | None, slot: object, days: int
    ) -> None:
        with contextlib.suppress(ServicekitError):
            contacts_per_slot(
                instants,  # type: ignore[arg-type]
                calendar=self.cal,
                start=date(2026, 3, 9),
                days=days,
                slot=slot,
                counts=counts,  # type: ignore[arg-type]
            )


@given(
    days=st.one_of(st.integers(-3, 900), st.none(), st.text(max_size=2)),
    slot=st.one_of(st.text(max_size=5), st.integers(-10, 10**5), st.floats(), st.none()),
    start=st.one_of(st.dates(), st.integers(), st.datetimes()),
)
def test_fuzz_slot_grid_only_servicekit_errors_escape(
    days: object, slot: object, start: object
) -> None:
    with contextlib.suppress(ServicekitError):
        slot_grid(ALWAYS, start=start, days=days, slot=slot)  # type: ignore[arg-type]
