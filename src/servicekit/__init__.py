"""servicekit: customer-service domain logic as plain, typed, I/O-free objects.

The names most users need are here; the rest live in their namespaces
(``servicekit.calendars``, ``servicekit.tickets``, ``servicekit.sla``,
``servicekit.conditions``, ``servicekit.escalation``, ``servicekit.routing``,
``servicekit.kpi``, ``servicekit.report``, ``servicekit.staffing``, ``servicekit.simulation``,
``servicekit.testing``, ``servicekit.errors``, ``servicekit.durations``).

>>> import servicekit
>>> servicekit.format_duration(servicekit.parse_duration("PT4H30M"))
'4h 30m'
"""

from importlib.metadata import version as _version

from servicekit.calendars import BusinessCalendar, HolidaySet
from servicekit.durations import format_duration, parse_duration
from servicekit.errors import ServicekitError
from servicekit.sla import PolicySet, SLAPolicy
from servicekit.tickets import Channel, Priority, Status, Ticket

__version__ = _version("servicekit")

__all__ = [
    "BusinessCalendar",
    "Channel",
    "HolidaySet",
    "PolicySet",
    "Priority",
    "SLAPolicy",
    "ServicekitError",
    "Status",
    "Ticket",
    "__version__",
    "format_duration",
    "parse_duration",
]
