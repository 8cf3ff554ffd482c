"""The built-in example team that ``servicekit demo`` simulates: two regions following
the sun, with holidays, three priorities, chat and email."""

from __future__ import annotations

from typing import Any

from servicekit.calendars import Calendar
from servicekit.report import ReportConfig
from servicekit.routing import AgentState, Router, most_spare, round_robin
from servicekit.simulation._model import AgentPlan, Arrivals, Customers, HandleTime, Team

_YEARS = list(range(2025, 2031))

EXAMPLE_CONFIG: dict[str, Any] = {
    "tz": "America/New_York",
    "business_hours": "follow-the-sun",
    "calendars": {
        "new-york": {
            "tz": "America/New_York",
            "weekly": {"mon-fri": ["08:00-17:00"]},
            "holidays": {"country": "US", "subdiv": "NY", "years": _YEARS},
        },
        "manila": {
            "tz": "Asia/Manila",
            "weekly": {"mon-fri": ["08:00-17:00"]},
            "holidays": {"country": "PH", "years": _YEARS},
        },
        "follow-the-sun": {"union": ["new-york", "manila"]},
    },
    "policies": [
        {
            "name": "chat",
            "applies_to": {"field": "channel", "op": "is", "value": "chat"},
            "targets": {
                priority: {"first_reply": {"duration": "2m", "business_hours": False}}
                for priority in ("normal", "high", "urgent")
            },
        },
        {
            "name": "email",
            "calendar": "follow-the-sun",
            "targets": {
                "urgent": {"first_reply": "1h", "next_reply": "2h", "resolution": "8h"},
                "high": {"first_reply": "4h", "next_reply": "8h", "resolution": "24h"},
                "normal": {"first_reply": "8h", "next_reply": "16h", "resolution": "40h"},
            },
        },
    ],
    "rules": [
        {
            "name": "urgent first reply at risk",
            "all": [
                {"field": "priority", "op": "is", "value": "urgent"},
                {"sla": "first_reply", "measure": "used", "op": ">=", "value": 0.75},
            ],
            "actions": [{"type": "notify", "target": "team-lead"}],
        },
        {
            "name": "first reply breached",
            "all": [
                {"field": "priority", "op": "<", "value": "urgent"},
                {"field": "channel", "op": "is", "value": "email"},
                {"sla": "first_reply", "measure": "breached_for", "op": ">=", "value": "0s"},
            ],
            "actions": [
                {"type": "set_priority", "priority": "urgent"},
                {"type": "add_tag", "tag": "sla-breach"},
            ],
        },
        {
            "name": "customer waiting a day",
            "all": [
                {"field": "status", "op": "is", "value": "open"},
                {"since": "requester_reply", "op": ">=", "value": "24h"},
            ],
            "actions": [{"type": "notify", "target": "support-manager"}],
        },
        {
            "name": "reopened",
            "all": [{"changed": "status", "from": "solved", "to": "open"}],
            "actions": [
                {"type": "add_tag", "tag": "reopened"},
                {"type": "notify", "target": "quality-lead"},
            ],
            "once": False,
            "cooldown": "1h",
        },
    ],
    "staffing": {
        "interval": "1h",
        "service_level": 0.8,
        "channels": {"chat": {"aht": "8m", "target": "2m"}},
    },
}
"""The example team's report settings, in the format of
:meth:`servicekit.report.ReportConfig.from_dict` (write it as JSON or TOML and
``servicekit report`` reads it)."""

# Contacts per hour on New York's wall clock: a weekday peak, a quieter night and weekend.
_WEEKDAY = [3, 2, 2, 2, 2, 3, 4, 6, 9, 12, 13, 12, 10, 11, 12, 11, 9, 7, 6, 5, 5, 4, 4, 3]
_WEEKEND = [2] * 24


def _agents(region: str, names: list[str], shift: Calendar) -> list[AgentPlan]:
    return [
        AgentPlan(
            AgentState(
                id=name,
                groups={region},
                languages={"en"},
                capacity={"chat": 2, "email": 3},
            ),
            shift,
        )
        for name in names
    ]


def example_team() -> Team:
    """Seven agents in New York and five in Manila, each working 08:00-17:00 local
    time on weekdays with their country's holidays; contacts arrive around the clock
    (55% chat, 45% email; 70% normal, 22% high, 8% urgent), peaking on New York
    weekdays. Chat customers wait 3 minutes on average before giving up; a third of
    email replies get a follow-up; 6% of solved tickets are reopened; 30% are rated.
    SLA policies and escalation rules are those of :data:`EXAMPLE_CONFIG`.

    >>> team = example_team()
    >>> len(team.agents), round(team.arrivals.per_week)
    (12, 881)
    """
    config = ReportConfig.from_dict(EXAMPLE_CONFIG)
    new_york, manila = config.calendars["new-york"], config.calendars["manila"]
    return Team(
        agents=_agents("americas", ["ana", "ben", "cruz", "dana", "eli", "fay", "gus"], new_york)
        + _agents("apac", ["ikaika", "joy", "kris", "lea", "migs"], manila),
        arrivals=Arrivals(
            weekly={"mon-fri": _WEEKDAY, "sat-sun": _WEEKEND},
            tz="America/New_York",
            channels={"chat": 55, "email": 45},
            priorities={"normal": 70, "high": 22, "urgent": 8},
        ),
        handle_times={"chat": HandleTime("8m", 0.5), "email": HandleTime("12m", 0.6)},
        customers=Customers(
            patience={"chat": "3m"},
            followup=0.33,
            followup_delay="3h",
            reopen=0.06,
            reopen_delay="1d",
            survey=0.3,
        ),
        router=Router(keys=[most_spare(), round_robin()]),
        policies=config.policies,
        rules=config.rules,
    )
