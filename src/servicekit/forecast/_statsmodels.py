"""Adapters for statsmodels (extra ``forecast``): Holt-Winters exponential smoothing
with an additive weekly season, and MSTL with a daily and a weekly season, each fitted
to the wall-clock cells of recent weeks."""

from __future__ import annotations

import math
import warnings
from datetime import date, timedelta
from typing import Any

from servicekit.errors import InvalidInputError, MissingExtraError, short
from servicekit.forecast._baselines import Forecast
from servicekit.forecast._slots import SlotCounts, SlotGrid, check_day, check_days, slot_grid

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
        raise InvalidInputError(f"history must be SlotCounts, got {short(history)}")
    origin = check_day("start", start)
    span = check_days("days", days)
    if isinstance(weeks, bool) or not isinstance(weeks, int) or not 2 <= weeks <= 12:
        raise InvalidInputError(f"weeks must be a whole number 2 to 12, got {short(weeks)}")
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


MAX_MSTL_CELLS = 2_016
"""The most wall-clock cells an MSTL fit reads: each day trimmed to the hours between
the earliest opening and the latest closing, times the weeks read. 2,016 cells are six
weeks of half hours over 24 open hours a day, or 12 weeks of hours; a call that size
takes under half a second on a busy 2-core machine, where statsmodels' default MSTL
takes 4 to 8 s (``benchmarks/forecast_mstl.py``)."""

MSTL_MIN_WEEKS = 3
"""MSTL needs more than two whole weekly cycles to estimate a weekly season."""

_SEASONAL_WINDOW = 1_001  # wider than any cycle-subseries: a (nearly) periodic season


def _open_span(*grids: SlotGrid) -> tuple[int, int] | None:
    """The first and past-the-last wall-clock cell of a day any of ``grids`` opens."""
    cells = [int(item.start / grid.slot) for grid in grids for item in grid.slots]
    return (min(cells), max(cells) + 1) if cells else None


def mstl_forecast(
    history: SlotCounts,
    /,
    *,
    start: date,
    days: int = 7,
    weeks: int = 6,
) -> Forecast:
    """MSTL (statsmodels' multiple seasonal-trend decomposition by LOESS) of recent
    weeks, projected forward: a daily and a weekly season, and the trend's level.

    The cells are the wall-clock cells of each day between the earliest opening and
    the latest closing of the calendar (so a 08:00-18:00 desk has 10 hourly cells a
    day, not 24; closed cells inside that span, a Saturday afternoon, are zeros). The
    decomposition is configured to fit within a second: one pass (``iterate=1``),
    non-robust STL, seasons that are nearly periodic (degree 0, windows wider than
    the history: each season is the same from week to week), and LOESS evaluated
    every ``cells a day // 8`` points for the trend and low-pass smoothers. The
    forecast is the last week's mean trend plus the last full cycle of each season.
    A day the calendar closes entirely (a holiday) is read as the mean of the same
    weekday's open days in the weeks read, not as a day of none; a holiday in the
    forecast gets no slots, as in the baselines. Only history before ``start`` is
    read, so it is a :class:`~servicekit.forecast.Method` for
    :func:`~servicekit.forecast.backtest`.

    Args:
        history: contacts per slot; at least three weeks before ``start``.
        start: the first local date to forecast (after the history's end, the days
            between are forecast too and dropped).
        days: local dates to forecast.
        weeks: weeks of history to fit, 3 to 12, fewer when :data:`MAX_MSTL_CELLS`
            would be exceeded.

    Raises:
        InvalidInputError: a bad argument; less than three weeks of history before
            ``start``; or slots so fine that three weeks exceed
            :data:`MAX_MSTL_CELLS` (aggregate to longer slots, e.g. ``1h``, or use
            :func:`ets_forecast` or the baselines).
        MissingExtraError: statsmodels is missing (``pip install
            'servicekit[forecast]'``).

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
    >>> ahead = mstl_forecast(history, start=date(2026, 3, 30))
    >>> [round(v) for v in ahead.values[:3]], ahead.method
    ([10, 10, 12], 'MSTL (4 weeks, statsmodels)')
    """
    if not isinstance(history, SlotCounts):
        raise InvalidInputError(f"history must be SlotCounts, got {short(history)}")
    origin = check_day("start", start)
    span = check_days("days", days)
    if isinstance(weeks, bool) or not isinstance(weeks, int) or not 3 <= weeks <= 12:
        raise InvalidInputError(f"weeks must be a whole number 3 to 12, got {short(weeks)}")
    grid = history.grid
    end = min(origin, grid.end)
    target = slot_grid(grid.calendar, start=origin, days=span, slot=grid.slot)
    reach = grid.window(max(grid.start, end - timedelta(weeks=weeks)), weeks * 7)
    opened = _open_span(target, *([reach] if reach is not None else []))
    per_day = 1 if opened is None else opened[1] - opened[0]
    low = 0 if opened is None else opened[0]
    per_week = 7 * per_day
    if per_week * MSTL_MIN_WEEKS > MAX_MSTL_CELLS:
        raise InvalidInputError(
            f"MSTL reads at most {MAX_MSTL_CELLS:,} cells (to fit within a second): "
            f"{grid.slot} slots over {per_day} cells a day give fewer than "
            f"{MSTL_MIN_WEEKS} weeks; aggregate to longer slots (1h) or use ets_forecast"
        )
    weeks = min(weeks, MAX_MSTL_CELLS // per_week)
    first = max(grid.start, end - timedelta(weeks=weeks))
    if (end - first).days < 7 * MSTL_MIN_WEEKS:
        raise InvalidInputError(
            f"MSTL needs three weeks of history before {origin}; the history has "
            f"{max(0, (end - grid.start).days)} days"
        )
    cells = _cells(history, first, end)
    rows = [
        cells[day * grid.cells_per_day + low : day * grid.cells_per_day + low + per_day]
        for day in range((end - first).days)
    ]
    series = [value for row in _fill_closed_days(rows, history, first) for value in row]
    skip = (origin - end).days
    predicted = _fit_mstl(series, per_day, (skip + span) * per_day)
    values: list[float | None] = []
    for item in target.slots:
        cell = (skip + (item.day - origin).days) * per_day + int(item.start / grid.slot) - low
        values.append(max(0.0, predicted[cell]) * (item.open_time / grid.slot))
    read = (end - first).days
    label = f"{read // 7} weeks" if read % 7 == 0 else f"{read} days"
    return Forecast(method=f"MSTL ({label}, statsmodels)", grid=target, values=tuple(values))


def _fill_closed_days(
    rows: list[list[float]], history: SlotCounts, first: date
) -> list[list[float]]:
    """Each day's cells, a day the calendar closes entirely (a holiday) replaced by the
    mean of the same weekday's open days read, so it does not read as a day of no
    contacts (it would drag the trend and the seasons down)."""
    opened = {item.day for item in history.grid.slots}
    days = [first + timedelta(days=offset) for offset in range(len(rows))]
    filled = []
    for offset, day in enumerate(days):
        if day in opened:
            filled.append(rows[offset])
            continue
        like = [
            rows[k]
            for k, other in enumerate(days)
            if other in opened and (other - day).days % 7 == 0
        ]
        if not like:  # this weekday is always closed: its zeros are its season
            filled.append(rows[offset])
            continue
        filled.append([math.fsum(column) / len(like) for column in zip(*like, strict=True)])
    return filled


def _fit_mstl(series: list[float], per_day: int, steps: int) -> list[float]:
    """The decomposition's projection ``steps`` cells past the end of ``series``."""
    try:
        import numpy as np  # noqa: PLC0415
        from statsmodels.tsa.seasonal import MSTL  # noqa: PLC0415
    except ImportError as exc:  # pragma: no cover - exercised only without the extra
        raise MissingExtraError(
            "forecast.mstl_forecast needs statsmodels: pip install 'servicekit[forecast]'"
        ) from exc
    if not any(series):
        return [0.0] * steps
    jump = max(1, per_day // 8)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            model: Any = MSTL(
                np.asarray(series, dtype=float),
                periods=(per_day, 7 * per_day),
                windows=(_SEASONAL_WINDOW, _SEASONAL_WINDOW),
                iterate=1,
                stl_kwargs={
                    "robust": False,
                    "seasonal_deg": 0,
                    "trend_jump": jump,
                    "low_pass_jump": jump,
                },
            )
            fit = model.fit()
        except (ValueError, ArithmeticError, np.linalg.LinAlgError) as exc:
            raise InvalidInputError(f"MSTL could not fit this history: {exc}"[:120]) from exc
    n = len(series)
    trend = np.asarray(fit.trend, dtype=float)
    seasonal = np.asarray(fit.seasonal, dtype=float).reshape(n, -1)
    level = float(trend[-7 * per_day :].mean())
    steps_at = np.arange(steps)
    predicted = np.full(steps, level)
    for column, period in enumerate(model.periods):
        predicted += seasonal[n - period + steps_at % period, column]
    if not np.isfinite(predicted).all():
        raise InvalidInputError("MSTL gave no finite forecast for this history")
    return [float(v) for v in predicted]
