"""The weekly support report: the metrics a support lead reads every Monday, built from
ticket histories and the team's settings (calendars, SLA policies, escalation rules and a
staffing goal), rendered as text, JSON-ready data or CSV rows.

The report is a consumer of every other subpackage, so it lives apart from
:mod:`servicekit.kpi`: a notebook that imports ``kpi`` gets metrics only.

>>> from datetime import datetime, UTC
>>> from servicekit import Ticket
>>> from servicekit.report import report
>>> t = Ticket.create(id="T-1", at=datetime(2026, 3, 2, 9, tzinfo=UTC), requester="c-7")
>>> summary = report([t], start=datetime(2026, 3, 2, tzinfo=UTC),
...                  end=datetime(2026, 3, 9, tzinfo=UTC))
>>> summary.created
1
"""

from servicekit.report._config import ReportConfig, StaffingGoal
from servicekit.report._summary import Report, report
from servicekit.report._weekly import SLARow, StaffingAdvice, WeeklyReport, weekly_report

__all__ = [
    "Report",
    "ReportConfig",
    "SLARow",
    "StaffingAdvice",
    "StaffingGoal",
    "WeeklyReport",
    "report",
    "weekly_report",
]
