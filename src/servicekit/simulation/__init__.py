"""A seeded discrete-event simulation of a support team: contacts arrive hour by hour,
wait, are routed to agents on shift, handled, followed up, solved, reopened and rated,
while escalation rules fire. The result is ordinary tickets, so every KPI, SLA and
report of the library reads it; where Erlang C's assumptions hold, its service level
converges to :func:`servicekit.staffing.queue_metrics`.

>>> from datetime import datetime, UTC
>>> from servicekit import simulation
>>> result = simulation.simulate(simulation.example_team(),
...                              start=datetime(2026, 11, 23, tzinfo=UTC), days=1, seed=1)
>>> len(result.tickets) > 50
True
"""

from servicekit.simulation._engine import MAX_DAYS, simulate
from servicekit.simulation._example import EXAMPLE_CONFIG, example_team
from servicekit.simulation._model import AgentPlan, Arrivals, Customers, HandleTime, Team
from servicekit.simulation._result import Contact, SimulationResult

__all__ = [
    "EXAMPLE_CONFIG",
    "MAX_DAYS",
    "AgentPlan",
    "Arrivals",
    "Contact",
    "Customers",
    "HandleTime",
    "SimulationResult",
    "Team",
    "example_team",
    "simulate",
]
