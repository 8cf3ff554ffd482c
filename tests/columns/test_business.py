"""Every columns calendar function equals the scalar API element-wise, exactly."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from servicekit import columns
from servicekit.calendars import BusinessCalendar, Calendar
from servicekit.errors import InvalidInputError, NaiveDatetimeError, ServicekitError
from servicekit.testing.strategies import calendars, durations, instants

NY = ZoneInfo("America/New_York")
NINE_TO_FIVE = BusinessCalendar(
    tz=NY, weekly={"mon-fri": ["09:00-17:00"]}, holidays={date(2026, 7, 3)}
)


@st.composite
def any_calendar(draw: st.DrawFn) -> Calendar:
    """A random calendar, or a union or intersection of two."""
    first = draw(calendars())
    shape = draw(st.sampled_from(["one", "union", "intersection"]))
    if shape == "one":
        return first
    second = draw(calendars())
    return first | second if shape == "union" else first & second


@st.composite
def cases(draw: st.DrawFn) -> tuple[Calendar, list[datetime | None]]:
    cal = draw(any_calendar())
    anchor = draw(calendars(holidays=False, overrides=False, closures=False))
    times = draw(st.lists(st.none() | instants(anchor), min_size=1, max_size=8))
    return cal, times


def column(times: list[datetime | None], form: str) -> Any:
    """``times`` as a Series in some zone, a DatetimeIndex, or a NumPy array."""
    utc = pd.DatetimeIndex(pd.to_datetime(list(times), utc=True)).as_unit("us")
    if form == "numpy":
        return utc.tz_localize(None).as_unit("us").to_numpy()
    if form == "index":
        return utc.tz_convert("Asia/Kolkata")
    return pd.Series(utc.tz_convert("America/Sao_Paulo"), index=np.arange(len(times)) * 3)


def as_list(result: Any) -> list[Any]:
    """Results back as Python values (UTC datetimes, timedeltas, bools, None)."""
    if isinstance(result, np.ma.MaskedArray):
        mask = np.ma.getmaskarray(result).tolist()
        return [None if m else bool(v) for v, m in zip(result.data.tolist(), mask, strict=True)]
    if isinstance(result, np.ndarray):
        result = pd.Series(result)
        if result.dtype.kind == "M":
            result = result.dt.tz_localize("UTC")
    values = list(pd.Series(result))
    out: list[Any] = []
    for value in values:
        if value is pd.NaT or value is pd.NA:
            out.append(None)
        elif isinstance(value, pd.Timestamp):
            out.append(value.to_pydatetime().astimezone(UTC))
        elif isinstance(value, pd.Timedelta):
            out.append(value.to_pytimedelta())
        else:
            out.append(bool(value))
    return out


def expected(call: Callable[..., Any], *rows: Any) -> list[Any] | type[Exception]:
    """The scalar answers per row (None where an argument is None), or the error type
    the first failing row raises."""
    answers: list[Any] = []
    for args in zip(*rows, strict=True):
        if any(arg is None for arg in args):
            answers.append(None)
            continue
        try:
            answer = call(*args)
        except ServicekitError as exc:
            return type(exc)
        answers.append(answer.astimezone(UTC) if isinstance(answer, datetime) else answer)
    return answers


def check(
    got: Callable[[], Any], want: list[Any] | type[Exception], like: Any, cal: Calendar
) -> None:
    if isinstance(want, type):
        with pytest.raises(want):
            got()
        return
    result = got()
    assert as_list(result) == want
    if isinstance(like, pd.Series):
        assert isinstance(result, pd.Series)
        assert result.index.equals(like.index)
    if isinstance(result, pd.Series | pd.Index) and result.dtype.kind == "M":
        assert str(result.dtype.tz) == cal.tz.key


FORMS = st.sampled_from(["series", "index", "numpy"])


class TestEqualsScalar:
    @settings(max_examples=40)
    @given(cases(), FORMS, st.data())
    def test_elapsed(self, case: Any, form: str, data: st.DataObject) -> None:
        cal, starts = case
        ends = [t + timedelta(days=data.draw(st.integers(-20, 20))) if t else t for t in starts]
        ends = [None if data.draw(st.booleans()) and i == 0 else t for i, t in enumerate(ends)]
        want = expected(cal.elapsed, starts, ends)
        got = lambda: columns.elapsed(cal, column(starts, form), column(ends, form))  # noqa: E731
        check(got, want, column(starts, form), cal)

    @settings(max_examples=40)
    @given(cases(), FORMS, st.data())
    def test_add_and_subtract(self, case: Any, form: str, data: st.DataObject) -> None:
        cal, times = case
        anchor = data.draw(calendars(overnight=False, holidays=False, closures=False))
        spans = [
            data.draw(
                st.sampled_from([timedelta(0), timedelta(microseconds=1)])
                | durations(anchor).map(lambda d: d if data.draw(st.booleans()) else -d)
            )
            for _ in times
        ]
        deltas = pd.TimedeltaIndex(spans).as_unit("us")
        for name in ("add", "subtract"):
            scalar, vector = getattr(cal, name), getattr(columns, name)
            want = expected(scalar, times, spans)
            check(lambda: vector(cal, column(times, form), deltas), want, None, cal)  # noqa: B023
            if len(set(spans)) == 1:  # one timedelta for every row
                single = spans[0]
                got = lambda: vector(cal, column(times, form), single)  # noqa: B023, E731
                check(got, want, column(times, form), cal)

    @settings(max_examples=40)
    @given(cases(), FORMS)
    def test_is_open_next_open_next_close(self, case: Any, form: str) -> None:
        cal, times = case
        for name in ("is_open", "next_open", "next_close"):
            want = expected(getattr(cal, name), times)
            got = lambda: getattr(columns, name)(cal, column(times, form))  # noqa: B023, E731
            check(got, want, column(times, form), cal)

    @settings(max_examples=40)
    @given(cases(), FORMS, st.integers(-12, 12))
    def test_add_business_days(self, case: Any, form: str, n: int) -> None:
        cal, times = case
        want = expected(lambda t: cal.add_business_days(t, n), times)
        got = lambda: columns.add_business_days(cal, column(times, form), n)  # noqa: E731
        check(got, want, column(times, form), cal)

    @settings(max_examples=40)
    @given(cases(), st.data())
    def test_add_business_days_per_row(self, case: Any, data: st.DataObject) -> None:
        cal, times = case
        steps = [data.draw(st.integers(-4, 4)) for _ in times]
        want = expected(cal.add_business_days, times, steps)
        counts = pd.Series(steps, index=np.arange(len(times)) * 3)
        got = lambda: columns.add_business_days(cal, column(times, "series"), counts)  # noqa: E731
        check(got, want, None, cal)


def ny(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=NY)


class TestBoundaries:
    def test_dst_gap_wall_time_moves_forward_like_the_scalar_api(self) -> None:
        always = BusinessCalendar.always("America/New_York")
        t = pd.DatetimeIndex([ny(2026, 3, 7, 2, 30)]).as_unit("us")
        got = columns.add_business_days(always, t, 1)
        assert got[0].to_pydatetime() == always.add_business_days(t[0].to_pydatetime(), 1)
        assert (got[0].hour, got[0].minute) == (3, 30)

    def test_ambiguous_wall_time_takes_the_earlier_instant(self) -> None:
        always = BusinessCalendar.always("America/New_York")
        late = datetime(2026, 10, 31, 5, 30, tzinfo=UTC)  # 01:30 EDT
        got = columns.add_business_days(always, pd.DatetimeIndex([late]), 1)[0].to_pydatetime()
        assert got.astimezone(UTC) == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)
        assert got.astimezone(UTC) == always.add_business_days(late, 1).astimezone(UTC)

    def test_missing_values_pass_through_and_index_is_kept(self) -> None:
        start = pd.Series(
            pd.DatetimeIndex([ny(2026, 3, 6, 16), None], tz=NY), index=["a", "b"], name="created"
        )
        got = columns.add(NINE_TO_FIVE, start, timedelta(hours=2))
        assert list(got.index) == ["a", "b"]
        assert got.name == "created"
        assert got.iloc[0] == ny(2026, 3, 9, 10)
        assert got.iloc[1] is pd.NaT

    def test_numpy_in_utc_out(self) -> None:
        t = np.array(["2026-03-06T21:00"], dtype="datetime64[s]")  # 16:00 in New York
        got = columns.add(NINE_TO_FIVE, t, np.array([3_600_000_000], dtype="timedelta64[us]"))
        assert got.dtype == np.dtype("datetime64[us]")
        assert got[0] == np.datetime64("2026-03-06T22:00", "us")

    def test_is_open_numpy_is_a_masked_array(self) -> None:
        t = np.array(["2026-03-06T21:00", "NaT"], dtype="datetime64[us]")
        got = columns.is_open(NINE_TO_FIVE, t)
        assert isinstance(got, np.ma.MaskedArray)
        assert got.mask.tolist() == [False, True]
        assert bool(got[0]) is True

    def test_nanoseconds_are_floored_as_the_scalar_api_does(self) -> None:
        t = pd.Series([pd.Timestamp("2026-03-09 10:00:00.0000019", tz=NY)])
        got = columns.elapsed(NINE_TO_FIVE, t, pd.Timestamp("2026-03-09 11:00", tz=NY))
        assert got.iloc[0] == NINE_TO_FIVE.elapsed(t.iloc[0], ny(2026, 3, 9, 11))

    def test_holiday_and_empty_columns(self) -> None:
        t = pd.DatetimeIndex([ny(2026, 7, 2, 16)])
        assert columns.add(NINE_TO_FIVE, t, timedelta(hours=2))[0] == ny(2026, 7, 6, 10)
        empty = pd.Series(pd.DatetimeIndex([], tz=NY))
        assert len(columns.next_open(NINE_TO_FIVE, empty)) == 0


class TestBadInput:
    def test_naive_series_names_the_column(self) -> None:
        naive = pd.Series(pd.to_datetime(["2026-03-06 16:00"]), name="created_at")
        with pytest.raises(NaiveDatetimeError, match="created_at"):
            columns.is_open(NINE_TO_FIVE, naive)

    def test_not_datetimes(self) -> None:
        with pytest.raises(InvalidInputError, match=r"'priority'.*dtype"):
            columns.next_open(NINE_TO_FIVE, pd.Series(["high"], name="priority"))
        with pytest.raises(InvalidInputError, match="expected"):
            columns.next_open(NINE_TO_FIVE, ["2026-03-06"])

    def test_mismatched_lengths_and_indexes(self) -> None:
        a = pd.Series(pd.DatetimeIndex([ny(2026, 3, 6, 16)] * 2))
        with pytest.raises(InvalidInputError, match="2 rows"):
            columns.elapsed(NINE_TO_FIVE, a, a.iloc[:1])
        with pytest.raises(InvalidInputError, match="different indexes"):
            columns.elapsed(NINE_TO_FIVE, a, a.set_axis([5, 6]))

    def test_bad_duration_and_calendar(self) -> None:
        t = pd.DatetimeIndex([ny(2026, 3, 6, 16)])
        with pytest.raises(InvalidInputError, match="duration"):
            columns.add(NINE_TO_FIVE, t, "4h")
        with pytest.raises(InvalidInputError, match="calendar"):
            columns.add("cal", t, timedelta(hours=1))  # type: ignore[arg-type]

    @settings(max_examples=30)
    @given(st.one_of(st.none(), st.integers(), st.text(), st.floats(), st.lists(st.integers())))
    def test_fuzz_only_servicekit_errors(self, junk: object) -> None:
        t = pd.DatetimeIndex([ny(2026, 3, 6, 16)])
        calls: list[Callable[[], object]] = [
            lambda: columns.elapsed(NINE_TO_FIVE, junk, t),
            lambda: columns.add(NINE_TO_FIVE, t, junk),
            lambda: columns.subtract(NINE_TO_FIVE, junk, timedelta(hours=1)),
            lambda: columns.is_open(NINE_TO_FIVE, junk),
            lambda: columns.next_open(NINE_TO_FIVE, junk),
            lambda: columns.next_close(NINE_TO_FIVE, junk),
            lambda: columns.add_business_days(NINE_TO_FIVE, t, junk),
        ]
        for call in calls:
            with contextlib.suppress(ServicekitError):
                call()


class TestLargeColumns:
    """Columns of 4,096 rows and more search a grid over the segment table."""

    @settings(max_examples=15)
    @given(any_calendar(), st.integers(0, 2**32))
    def test_grid_search_equals_binary_search(self, cal: Calendar, seed: int) -> None:
        from servicekit.columns._table import Table  # noqa: PLC0415

        rng = np.random.default_rng(seed)
        low = int(pd.Timestamp("2026-01-01", tz="UTC").value // 1000)
        us = rng.integers(low, low + 60 * 86_400_000_000, 5_000)
        table = Table(cal, int(us.min()), int(us.max()) + 1)
        edges = np.concatenate([table.starts, table.ends, table.starts - 1, table.ends - 1])
        edges = edges[(edges >= us.min()) & (edges <= us.max())]
        probe = np.concatenate([us, edges])
        expected = np.searchsorted(table.starts, probe, side="right") - 1
        assert (table.segment_of(probe) == expected).all()
        totals = rng.integers(0, table.total + 1, 5_000)
        totals = np.concatenate([totals, table.after, table.after - 1, table.after + 1])
        totals = totals[(totals >= 0) & (totals <= table.total)]
        expected = np.searchsorted(table.after, totals, side="left")
        assert (table.first_reaching(totals) == expected).all()

    def test_a_million_rows_equal_the_scalar_api_on_a_sample(self) -> None:
        rng = np.random.default_rng(5)
        low = int(pd.Timestamp("2025-06-01", tz="UTC").value // 1000)
        us = rng.integers(low, low + 400 * 86_400_000_000, 20_000)
        t = pd.Series(pd.DatetimeIndex(us.view("datetime64[us]")).tz_localize("UTC"))
        end = t + pd.Timedelta(days=3)
        spent = columns.elapsed(NINE_TO_FIVE, t, end)
        due = columns.add(NINE_TO_FIVE, t, timedelta(hours=37))
        back = columns.subtract(NINE_TO_FIVE, t, timedelta(hours=37))
        for row in range(0, 20_000, 397):
            start = t.iloc[row].to_pydatetime()
            assert spent.iloc[row] == NINE_TO_FIVE.elapsed(start, end.iloc[row].to_pydatetime())
            assert due.iloc[row] == NINE_TO_FIVE.add(start, timedelta(hours=37))
            assert back.iloc[row] == NINE_TO_FIVE.subtract(start, timedelta(hours=37))


class TestBeyondTheHorizon:
    """A duration longer than the horizon raises as the scalar API does, whether one
    duration is given for every row or one per row."""

    def test_same_error_as_the_scalar_api(self) -> None:
        cal = BusinessCalendar(tz="UTC", weekly={"mon-fri": ["09:00-17:00"]})
        t = datetime(2026, 3, 2, 9, tzinfo=UTC)
        huge = timedelta(days=400 * 366)
        with pytest.raises(ServicekitError) as want:
            cal.add(t, huge)
        times = pd.Series(pd.DatetimeIndex([t, t], tz="UTC"))
        for duration in (huge, pd.Series(pd.TimedeltaIndex([huge, huge]))):
            with pytest.raises(type(want.value)) as got:
                columns.add(cal, times, duration)
            assert str(got.value) == str(want.value)
