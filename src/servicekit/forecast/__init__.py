"""Contact volume per business-hour slot of a calendar, baseline forecasts and their
backtest: last month's tickets in, next week's staffing table out.

A slot is a local wall-clock cell (``09:00-09:30``) inside the calendar's open hours,
DST-correct, with holidays and overrides as the calendar has them. Baselines (seasonal
naive, k-week average) need nothing more; :func:`ets_forecast` and
:func:`mstl_forecast` adapt statsmodels' exponential smoothing and MSTL decomposition
(extra ``forecast``). Forecasts compare
slots by their rate (contacts per hour open), so a slot that is open for half its
length, or holds the repeated hour of a DST change, is forecast right.

>>> from datetime import date, datetime, timedelta
>>> from zoneinfo import ZoneInfo
>>> from servicekit import forecast
>>> from servicekit.calendars import BusinessCalendar
>>> cal = BusinessCalendar(tz="Europe/Berlin", weekly={"mon-fri": ["09:00-17:00"]})
>>> monday = datetime(2026, 3, 2, 9, tzinfo=ZoneInfo("Europe/Berlin"))
>>> created = [monday + timedelta(days=d, minutes=m) for d in range(28) for m in range(0, 480, 6)]
>>> history = forecast.contacts_per_slot(created, calendar=cal, start=date(2026, 3, 2),
...                                      days=28, slot="1h")
>>> ahead = forecast.weekly_average(history, start=date(2026, 3, 30))
>>> ahead.total
400.0
>>> table = ahead.to_staffing(aht="5m", target="1m")
>>> table.peak.calls, table.peak.plan.agents
(10.0, 2)
"""

from servicekit.forecast._backtest import (
    DEFAULT_BUCKETS,
    MAX_EVALUATIONS,
    Accuracy,
    Backtest,
    Method,
    backtest,
)
from servicekit.forecast._baselines import (
    EXTRA_WEEKS,
    MAX_WEEKS,
    Forecast,
    seasonal_naive,
    weekly_average,
)
from servicekit.forecast._slots import (
    MAX_DAYS,
    MAX_SLOTS,
    Slot,
    SlotCounts,
    SlotGrid,
    contacts_per_slot,
    slot_grid,
)
from servicekit.forecast._statsmodels import (
    MAX_FIT_CELLS,
    MAX_MSTL_CELLS,
    MSTL_MIN_WEEKS,
    ets_forecast,
    mstl_forecast,
)

__all__ = [
    "DEFAULT_BUCKETS",
    "EXTRA_WEEKS",
    "MAX_DAYS",
    "MAX_EVALUATIONS",
    "MAX_FIT_CELLS",
    "MAX_MSTL_CELLS",
    "MAX_SLOTS",
    "MAX_WEEKS",
    "MSTL_MIN_WEEKS",
    "Accuracy",
    "Backtest",
    "Forecast",
    "Method",
    "Slot",
    "SlotCounts",
    "SlotGrid",
    "backtest",
    "contacts_per_slot",
    "ets_forecast",
    "mstl_forecast",
    "seasonal_naive",
    "slot_grid",
    "weekly_average",
]
