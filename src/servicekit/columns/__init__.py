"""Business time, tickets and SLA clocks over whole columns: pandas Series and Index
(tz-aware, any zone) and NumPy ``datetime64`` arrays (UTC).

Each calendar function mirrors the scalar API (:meth:`Calendar.elapsed
<servicekit.calendars.Calendar.elapsed>`, ``add``, ...) and gives exactly its answers, to
the microsecond, computed with array operations (a table of the calendar's open
segments and ``searchsorted``), never a Python loop per row. Missing values (NaT) pass
through as missing, a Series keeps its index, and instants come back in the calendar's
zone. Needs the ``columns`` extra (``pip install servicekit[columns]``: numpy and pandas),
imported only when a function runs.

>>> import pandas as pd
>>> from servicekit import BusinessCalendar, columns
>>> cal = BusinessCalendar(tz="Europe/Berlin", weekly={"mon-fri": ["09:00-17:00"]})
>>> created = pd.Series(pd.to_datetime(["2026-05-08 16:00", "2026-05-11 08:00"]))
>>> created = created.dt.tz_localize("Europe/Berlin")
>>> columns.add(cal, created, pd.Timedelta(hours=4))
0   2026-05-11 12:00:00+02:00
1   2026-05-11 13:00:00+02:00
dtype: datetime64[us, Europe/Berlin]
"""

from servicekit.columns._business import (
    add,
    add_business_days,
    elapsed,
    is_open,
    next_close,
    next_open,
    subtract,
)
from servicekit.columns._clocks import sla_clocks
from servicekit.columns._tickets import tickets, tickets_from_timestamps
from servicekit.columns._wide_clocks import sla_clocks_from_timestamps

__all__ = [
    "add",
    "add_business_days",
    "elapsed",
    "is_open",
    "next_close",
    "next_open",
    "sla_clocks",
    "sla_clocks_from_timestamps",
    "subtract",
    "tickets",
    "tickets_from_timestamps",
]
