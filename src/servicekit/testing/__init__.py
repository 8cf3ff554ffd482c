"""Tools for test suites that check their servicekit configuration: table assertions
that report every mismatching row at once, a slow reference calendar
(:mod:`servicekit.testing.reference`) and hypothesis strategies
(:mod:`servicekit.testing.strategies`, with the ``testing`` extra).

>>> from datetime import datetime, timedelta
>>> from zoneinfo import ZoneInfo
>>> from servicekit import BusinessCalendar
>>> ny = ZoneInfo("America/New_York")
>>> hours = BusinessCalendar(tz=ny, weekly={"mon-fri": ["09:00-17:00"]})
>>> assert_due_dates(hours, [
...     (datetime(2026, 3, 6, 16, tzinfo=ny), "4h", datetime(2026, 3, 9, 12, tzinfo=ny)),
... ])
"""

from servicekit.testing._assertions import assert_due_dates, assert_sla_states
from servicekit.testing.reference import ReferenceCalendar

__all__ = ["ReferenceCalendar", "assert_due_dates", "assert_sla_states"]
