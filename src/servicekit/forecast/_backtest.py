"""A rolling-origin backtest of slot forecasts: MASE and WAPE per horizon bucket."""

from __future__ import annotations

import bisect
import functools
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from itertools import accumulate
from typing import Any, Protocol

import attrs

from servicekit.errors import InvalidInputError, short
from servicekit.forecast._baselines import Forecast, Profiles, seasonal_naive, weekly_average
from servicekit.forecast._slots import SlotCounts


class Method(Protocol):
    """A forecast method: ``method(history, start=origin, days=horizon)`` returns the
    :class:`Forecast` of ``horizon`` days from ``origin``, reading only history before
    ``origin`` (as :func:`seasonal_naive` and :func:`weekly_average` do)."""

    def __call__(self, history: SlotCounts, /, *, start: date, days: int) -> Forecast:
        """Forecast ``days`` days from ``start``."""


DEFAULT_BUCKETS = ((1, 1), (2, 2), (3, 3), (4, 7), (8, 14))
"""Horizon buckets in days ahead (day 1 is the origin's own date)."""

MAX_EVALUATIONS = 100_000
"""The most slot forecasts one backtest scores (origins x slots ahead x methods)."""


def default_methods() -> dict[str, Method]:
    """Seasonal naive and the 4-week average."""
    return {
        "seasonal naive": seasonal_naive,
        "4-week average": functools.partial(weekly_average, weeks=4),
    }


@attrs.frozen(kw_only=True)
class Accuracy:
    """How one method did on one horizon bucket.

    Attributes:
        method: the method's name.
        first_day, last_day: the bucket, in days ahead (1 is the origin's date).
        slots: slot forecasts scored.
        missing: slots the method left without a forecast (not scored).
        mae: mean absolute error in contacts per slot.
        mase: MAE over the in-sample MAE of the one-week seasonal naive before each
            origin (Hyndman & Koehler 2006); below 1 beats last week's same slot.
            ``None`` when that scale is 0 or unknown.
        wape: total absolute error over total actual contacts; ``None`` with none.
    """

    method: str
    first_day: int
    last_day: int
    slots: int
    missing: int
    mae: float | None
    mase: float | None
    wape: float | None

    @property
    def bucket(self) -> str:
        """``"day 1"`` or ``"days 4-7"``."""
        if self.first_day == self.last_day:
            return f"day {self.first_day}"
        return f"days {self.first_day}-{self.last_day}"


def _fmt(value: float | None, form: str) -> str:
    return "-" if value is None else format(value, form)


@attrs.frozen(kw_only=True)
class Backtest:
    """The accuracy of each method per horizon bucket over rolling origins.

    Attributes:
        origins: the forecast origins (first forecast date of each run).
        horizon: days forecast from each origin.
        rows: one :class:`Accuracy` per method and bucket.
    """

    origins: tuple[date, ...]
    horizon: int
    rows: tuple[Accuracy, ...]

    def best(self, bucket: str) -> str | None:
        """The method with the lowest MASE on ``bucket`` (``"day 1"``), if any scored."""
        scored = [row for row in self.rows if row.bucket == bucket and row.mase is not None]
        return min(scored, key=lambda row: row.mase or 0.0).method if scored else None

    def to_rows(self) -> list[dict[str, Any]]:
        """One plain dict per method and bucket."""
        return [
            {
                "method": row.method,
                "bucket": row.bucket,
                "slots": row.slots,
                "missing": row.missing,
                "mae": row.mae,
                "mase": row.mase,
                "wape": row.wape,
            }
            for row in self.rows
        ]

    def explain(self) -> str:
        """A table of MASE and WAPE per method and bucket, for a person."""
        if not self.origins:
            return "no origins: the history is too short for this warm-up and horizon"
        lines = [
            f"{len(self.origins)} origins from {self.origins[0]} to {self.origins[-1]}, "
            f"{self.horizon} days ahead each",
            f"{'method':<20} {'horizon':<10} {'MASE':>6} {'WAPE':>7} {'slots':>7}",
        ]
        lines += [
            f"{row.method:<20} {row.bucket:<10} {_fmt(row.mase, '6.3f')} "
            f"{_fmt(row.wape, '7.1%')} {row.slots:>7}"
            for row in self.rows
        ]
        return "\n".join(lines)


def _buckets(value: object, horizon: int) -> tuple[tuple[int, int], ...]:
    if not isinstance(value, Sequence) or isinstance(value, str) or not value:
        raise InvalidInputError(f"buckets must be (first, last) day pairs, got {short(value)}")
    found = []
    for pair in value:
        if (
            not isinstance(pair, Sequence)
            or len(pair) != 2
            or not all(isinstance(n, int) and not isinstance(n, bool) for n in pair)
            or not 1 <= pair[0] <= pair[1]
        ):
            raise InvalidInputError(f"a bucket must be (first, last) days >= 1, got {short(pair)}")
        if pair[0] <= horizon:
            found.append((pair[0], min(pair[1], horizon)))
    return tuple(found)


def _whole(name: str, value: object, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidInputError(
            f"{name} must be a whole number {low} to {high}, got {short(value)}"
        )
    return value


def _naive_errors(history: SlotCounts) -> tuple[list[date], list[float]]:
    """Each slot's day and its one-step seasonal-naive absolute error, in order."""
    profiles = Profiles.of(history, None, "skip")
    grid = history.grid
    days, errors = [], []
    for at, item in enumerate(grid.slots):
        profile = profiles.reference_profile(item.day)
        if profile is None:
            continue
        for reference in profiles.references(profile, item.day, 1):
            before = grid.find(reference, item.start)
            if before is not None:
                predicted = history.rate(before) * (item.open_time / timedelta(hours=1))
                days.append(item.day)
                errors.append(abs(history.counts[at] - predicted))
    return days, errors


@attrs.define
class _Tally:
    slots: int = 0
    missing: int = 0
    error: float = 0.0
    actual: float = 0.0
    scaled: float = 0.0
    scaled_slots: int = 0


def backtest(
    history: SlotCounts,
    methods: Mapping[str, Method] | None = None,
    *,
    horizon: int = 14,
    warmup: int = 28,
    step: int = 1,
    buckets: Sequence[tuple[int, int]] = DEFAULT_BUCKETS,
) -> Backtest:
    """Forecast from every ``step``-th date after ``warmup`` days of history, ``horizon``
    days ahead, and score each method per horizon bucket against what happened.

    Each run reads only history before its origin (the baselines guarantee it; a
    method of your own must too). MASE divides by the seasonal naive's in-sample
    error before the origin, so the methods and buckets compare on one scale; WAPE
    is in contacts. Taylor (2008) found that beyond two or three days ahead a simple
    average of past same periods is hard to beat: compare the rows of the later
    buckets.

    Args:
        history: contacts per slot.
        methods: name to method, each called ``method(history, start=, days=)``
            (default: seasonal naive and the 4-week average).
        horizon: days ahead, 1 to 56.
        warmup: days of history before the first origin, 7 to 364.
        step: days between origins, 1 to 28.
        buckets: horizon buckets as (first, last) days ahead; those beyond the
            horizon are dropped, the last one clipped.

    Raises:
        InvalidInputError: a bad argument, a method returning something that is not a
            forecast of the asked slots, or more than :data:`MAX_EVALUATIONS` slot
            forecasts to score.

    >>> from datetime import date, datetime, timedelta
    >>> from zoneinfo import ZoneInfo
    >>> from servicekit.calendars import BusinessCalendar
    >>> cal = BusinessCalendar(tz="UTC", weekly={"mon-fri": ["09:00-17:00"]})
    >>> import random
    >>> rng, t = random.Random(7), datetime(2026, 3, 2, tzinfo=ZoneInfo("UTC"))
    >>> created = [t := t + timedelta(minutes=rng.expovariate(1 / 7)) for _ in range(11_000)]
    >>> from servicekit.forecast import contacts_per_slot
    >>> history = contacts_per_slot(created, calendar=cal, start=date(2026, 3, 2), days=56,
    ...                             slot="1h")
    >>> result = backtest(history, horizon=7, warmup=28, step=7)
    >>> [row.bucket for row in result.rows][:5]
    ['day 1', 'day 2', 'day 3', 'days 4-7', 'day 1']
    >>> result.best("days 4-7"), result.origins[0]
    ('4-week average', datetime.date(2026, 3, 30))
    """
    if not isinstance(history, SlotCounts):
        raise InvalidInputError(f"history must be SlotCounts, got {short(history)}")
    chosen = default_methods() if methods is None else methods
    if not isinstance(chosen, Mapping) or not chosen:
        raise InvalidInputError(f"methods must map names to methods, got {short(methods)}")
    for name, method in chosen.items():
        if not isinstance(name, str) or not callable(method):
            raise InvalidInputError(f"methods: {short(name)} must name a callable method")
    ahead = _whole("horizon", horizon, 1, 56)
    first = _whole("warmup", warmup, 7, 364)
    every = _whole("step", step, 1, 28)
    pairs = _buckets(buckets, ahead)
    grid = history.grid
    origins = tuple(
        grid.start + timedelta(days=offset) for offset in range(first, grid.days - ahead + 1, every)
    )
    per_day = len(grid.slots) / grid.days
    cost = len(origins) * per_day * ahead * len(chosen)
    if cost > MAX_EVALUATIONS:
        raise InvalidInputError(
            f"this backtest scores about {cost:,.0f} slot forecasts, over {MAX_EVALUATIONS:,}; "
            "raise step or shorten the horizon"
        )
    days, errors = _naive_errors(history)
    sums = [0.0, *accumulate(errors)]
    tallies = {(name, pair): _Tally() for name in chosen for pair in pairs}
    for origin in origins:
        seen = bisect.bisect_left(days, origin)
        scale = sums[seen] / seen if seen else 0.0
        for name, method in chosen.items():
            forecast = method(history, start=origin, days=ahead)
            _score(
                history,
                forecast,
                name=name,
                origin=origin,
                ahead=ahead,
                scale=scale,
                pairs=pairs,
                tallies=tallies,
            )
    rows = [
        Accuracy(
            method=name,
            first_day=pair[0],
            last_day=pair[1],
            slots=tally.slots,
            missing=tally.missing,
            mae=tally.error / tally.slots if tally.slots else None,
            mase=tally.scaled / tally.scaled_slots if tally.scaled_slots else None,
            wape=tally.error / tally.actual if tally.actual else None,
        )
        for (name, pair), tally in tallies.items()
    ]
    return Backtest(origins=origins, horizon=ahead, rows=tuple(rows))


def _score(
    history: SlotCounts,
    forecast: object,
    *,
    name: str,
    origin: date,
    ahead: int,
    scale: float,
    pairs: tuple[tuple[int, int], ...],
    tallies: dict[tuple[str, tuple[int, int]], _Tally],
) -> None:
    if (
        not isinstance(forecast, Forecast)
        or forecast.grid.start != origin
        or forecast.grid.days != ahead
    ):
        raise InvalidInputError(
            f"method {short(name)} must return a Forecast of {ahead} days from {origin}"
        )
    grid = history.grid
    for item, value in zip(forecast.grid.slots, forecast.values, strict=True):
        day = (item.day - origin).days + 1
        pair = next((p for p in pairs if p[0] <= day <= p[1]), None)
        at = grid.find(item.day, item.start)
        if pair is None or at is None:
            continue
        tally = tallies[name, pair]
        if value is None:
            tally.missing += 1
            continue
        actual = history.counts[at]
        error = abs(value - actual)
        tally.slots += 1
        tally.error += error
        tally.actual += actual
        if scale > 0:
            tally.scaled += error / scale
            tally.scaled_slots += 1
