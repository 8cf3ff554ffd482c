"""Business-hour calendars: opening hours, holidays, time zones and exact business time.

>>> from datetime import datetime, timedelta
>>> from zoneinfo import ZoneInfo
>>> from servicekit.calendars import BusinessCalendar
>>> cal = BusinessCalendar(tz="Europe/Berlin", weekly={"mon-fri": ["08:00-16:00"]})
>>> cal.next_open(datetime(2026, 5, 2, 12, 0, tzinfo=ZoneInfo("Europe/Berlin")))
datetime.datetime(2026, 5, 4, 8, 0, tzinfo=zoneinfo.ZoneInfo(key='Europe/Berlin'))
"""

from servicekit.calendars._calendar import BusinessCalendar, Calendar, CombinedCalendar
from servicekit.calendars._config import any_calendar_from_dict as calendar_from_dict
from servicekit.calendars._holidays import HolidaySet
from servicekit.calendars._hours import WallInterval
from servicekit.calendars._recurring import RecurringClosure
from servicekit.calendars._timeline import HORIZON

__all__ = [
    "HORIZON",
    "BusinessCalendar",
    "Calendar",
    "CombinedCalendar",
    "HolidaySet",
    "RecurringClosure",
    "WallInterval",
    "calendar_from_dict",
]
