"""The weekly support report: the metrics a support lead reads every Monday, built from
ticket histories and the team's settings (calendars, SLA policies, escalation rules and a
staffing goal), rendered as text, JSON-ready data, CSV rows or a self-contained web
page with charts (``to_html``, with the ``report`` extra's matplotlib). The report
compares agents fairly and finds rising topics (with the ``insights`` extra's scipy),
and scores QA reviews (:func:`read_reviews`) when given. :func:`plan_html` draws a
staffing plan (forecast, coverage, shifts) as a page of the same kind.

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

from servicekit.report._config import InsightSettings, ReportConfig, StaffingGoal
from servicekit.report._details import AgentRow, ReportDetails, ShortfallCell
from servicekit.report._insights import ShrunkRow, ShrunkScores
from servicekit.report._plan import plan_html
from servicekit.report._qa import QASection, qa_section
from servicekit.report._reviews import read_reviews
from servicekit.report._sla import SLARow
from servicekit.report._summary import Report, report
from servicekit.report._trend import PeriodRow
from servicekit.report._weekly import StaffingAdvice, WeeklyReport, weekly_report

__all__ = [
    "AgentRow",
    "InsightSettings",
    "PeriodRow",
    "QASection",
    "Report",
    "ReportConfig",
    "ReportDetails",
    "SLARow",
    "ShortfallCell",
    "ShrunkRow",
    "ShrunkScores",
    "StaffingAdvice",
    "StaffingGoal",
    "WeeklyReport",
    "plan_html",
    "qa_section",
    "read_reviews",
    "report",
    "weekly_report",
]
