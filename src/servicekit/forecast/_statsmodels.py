"""An adapter for statsmodels' exponential smoothing (extra ``forecast``): Holt-Winters
with an additive weekly season, fitted to the wall-clock cells of recent weeks."""

from __future__ import annotations

import math
import warnings
from datetime import date, timedelta
from typing import Any

from servicekit.errors import InvalidInputError
from servicekit.forecast._baselines import Forecast
from servicekit.forecast._slots import SlotCounts, check_day, check_days, slot_grid

MAX_FIT_CELLS = 4_032
"""The most wall-clock cells an ETS fit reads (six weeks of quarter hours); older
history is left out."""


def _cells(history: SlotCounts, first: date, end: date) -> list[float]:
    """Contacts per whole cell at each cell's rate, closed cells 0, for ``[first, end)``."""
    grid = history.grid
    per_day = grid.cells_per_day
    values = [0.0] * ((end - first).days * per_day)
    for item, count in zip(grid.slots, history.counts, strict=True):
        if first <= item.day < end:
            cell = (item.day - first).days * per_day + int(item.start / grid.slot)
            values[cell] += count * (grid.slot / item.open_time)
    return values


def ets_forecast(
    history: SlotCounts,
    /,
    *,
    start: date,
    days: int = 7,
    weeks: int = 6,
) -> Forecast:
    """Holt-Winters exponential smoothing (statsmodels' ``ExponentialSmoothing``:
    additive weekly season, no trend, heuristic initial states) of the wall-clock cells
    of the last ``weeks`` weeks before ``start``.

    Closed hours are cells of zero contacts, so the weekly pattern of opening hours is
    part of the season; a holiday in the history reads as a day of none (the
    baselines' ``like`` handling is the better tool around holidays). Needs the extra
    ``forecast`` (``pip install 'servicekit[forecast]'``). Only history before
    ``start`` is read, so it is a :class:`~servicekit.forecast.Method` for
    :func:`~servicekit.forecast.backtest` (each run fits once, about 0.1 s).

    Args:
        history: contacts per slot; at least two weeks before ``start``.
        start: the first local date to forecast (after the history's end, the days
            between are forecast too and dropped).
        days: local dates to forecast.
        weeks: weeks of history to fit, 2 to 12, fewer when :data:`MAX_FIT_CELLS`
            cells would be exceeded.

    Raises:
        InvalidInputError: a bad argument, less than two weeks of history before
            ``start``, or a fit that gives no finite forecast.
        ImportError: statsmodels is missing.

    >>> from datetime import date, datetime, timedelta
    >>> from zoneinfo import ZoneInfo
    >>> from servicekit.calendars import BusinessCalendar
    >>> from servicekit.forecast import contacts_per_slot
    >>> cal = BusinessCalendar(tz="UTC", weekly={"mon-fri": ["09:00-12:00"]})
    >>> monday = datetime(2026, 3, 2, tzinfo=ZoneInfo("UTC"))
    >>> created = [monday + timedelta(days=d, hours=h, minutes=m)
    ...            for d in range(28) for h in (9, 10, 11) for m in range(0, 60, 60 // h)]
    >>> history = contacts_per_slot(created, calendar=cal, start=date(2026, 3, 2), days=28,
    ...                             slot="1h")
    >>> [round(v) for v in ets_forecast(history, start=date(2026, 3, 30)).values[:3]]
    [10, 10, 12]
    """
    if not isinstance(history, SlotCounts):
        raise InvalidInputError(f"history must be SlotCounts, got {history!r}"[:120])
    origin = check_day("start", start)
    span = check_days("days", days)
    if isinstance(weeks, bool) or not isinstance(weeks, int) or not 2 <= weeks <= 12:
        raise InvalidInputError(f"weeks must be a whole number 2 to 12, got {weeks!r}")
    grid = history.grid
    per_week = 7 * grid.cells_per_day
    weeks = max(2, min(weeks, MAX_FIT_CELLS // per_week))
    end = min(origin, grid.end)
    first = max(grid.start, end - timedelta(weeks=weeks))
    if (end - first).days < 14:
        raise InvalidInputError(
            f"ETS needs two weeks of history before {origin}; the history has "
            f"{max(0, (end - grid.start).days)} days"
        )
    if per_week * 2 > MAX_FIT_CELLS:
        raise InvalidInputError(f"{grid.slot} slots are too fine for ETS: use 15m or longer")
    target = slot_grid(grid.calendar, start=origin, days=span, slot=grid.slot)
    skip = (origin - end).days * grid.cells_per_day
    predicted = _fit(_cells(history, first, end), per_week, skip + span * grid.cells_per_day)
    values: list[float | None] = []
    for item in target.slots:
        cell = skip + (item.day - origin).days * grid.cells_per_day + int(item.start / grid.slot)
        values.append(max(0.0, predicted[cell]) * (item.open_time / grid.slot))
    return Forecast(method=f"ETS ({weeks} weeks, statsmodels)", grid=target, values=tuple(values))


def _fit(series: list[float], season: int, steps: int) -> list[float]:
    try:
        from statsmodels.tsa.holtwinters import ExponentialSmoothing  # noqa: PLC0415
    except ImportError as exc:  # pragma: no cover - exercised only without the extra
        raise ImportError(
            "forecast.ets_forecast needs statsmodels: pip install 'servicekit[forecast]'"
        ) from exc
    if not any(series):
        return [0.0] * steps
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence notes; the result is checked below
        try:
            model: Any = ExponentialSmoothing(
                series,
                trend=None,
                seasonal="add",
                seasonal_periods=season,
                initialization_method="heuristic",
            )
            predicted = [float(v) for v in model.fit().forecast(steps)]
        except (ValueError, ArithmeticError) as exc:
            raise InvalidInputError(f"ETS could not fit this history: {exc}"[:120]) from exc
    if not all(math.isfinite(v) for v in predicted):
        raise InvalidInputError("ETS gave no finite forecast for this history")
    return predicted
