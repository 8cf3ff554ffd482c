"""Tools for test suites that check their servicekit configuration: table assertions
that report every mismatching row at once, a slow reference calendar
(:mod:`servicekit.testing.reference`) and hypothesis strategies
(:mod:`servicekit.testing.strategies`, with the ``testing`` extra).

A downstream suite checks its own calendar's due dates against the slow, obviously
correct reference, at a DST change:

>>> from datetime import datetime, timedelta
>>> from zoneinfo import ZoneInfo
>>> from servicekit import BusinessCalendar
>>> support = BusinessCalendar(tz="America/New_York", weekly={"mon-sat": ["08:00-20:00"]})
>>> t = datetime(2026, 3, 7, 19, tzinfo=ZoneInfo("America/New_York"))  # the Saturday before
>>> ReferenceCalendar(support, around=t).add(t, timedelta(hours=3)) == support.add(
...     t, timedelta(hours=3))
True
"""

from servicekit.testing._assertions import assert_due_dates, assert_sla_states
from servicekit.testing.reference import ReferenceCalendar

__all__ = ["ReferenceCalendar", "assert_due_dates", "assert_sla_states"]
