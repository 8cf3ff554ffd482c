"""KPIs for support teams: survey scores, contact-centre metrics and ticket metrics as
plain functions over lists, generators, NumPy arrays or pandas Series, returning frozen
results with counts and confidence intervals. Every metric has a mergeable tally for
Dask or Spark; where the industry disagrees, the convention is a required argument.

>>> from servicekit import kpi
>>> kpi.nps([10, 9, 8, 6, 10]).score
40.0
>>> kpi.csat([]).value is None
True
"""

from servicekit.kpi._contact import (
    AbandonmentTally,
    Convention,
    HandleTimeTally,
    OccupancyTally,
    ServiceLevelTally,
    abandonment_rate,
    aht,
    asa,
    occupancy,
    service_level,
)
from servicekit.kpi._periods import Period, by_period, period_start, segment_by, summarize
from servicekit.kpi._stats import (
    CES,
    NPS,
    DurationSummary,
    Proportion,
    to_frame,
    wilson_interval,
    z_score,
)
from servicekit.kpi._survey import CESTally, CSATTally, NPSTally, ces, csat, nps
from servicekit.kpi._tally import CountingTally, DurationTally, ItemTally, Tally
from servicekit.kpi._tickets import (
    Backlog,
    BacklogTally,
    FCRDefinition,
    FCRTally,
    ReopenTally,
    Resolution,
    SLAAttainment,
    SLAAttainmentTally,
    TicketTimeTally,
    backlog,
    fcr,
    first_reply_times,
    reopen_rate,
    resolution_times,
    sla_attainment,
)

__all__ = [
    "CES",
    "NPS",
    "AbandonmentTally",
    "Backlog",
    "BacklogTally",
    "CESTally",
    "CSATTally",
    "Convention",
    "CountingTally",
    "DurationSummary",
    "DurationTally",
    "FCRDefinition",
    "FCRTally",
    "HandleTimeTally",
    "ItemTally",
    "NPSTally",
    "OccupancyTally",
    "Period",
    "Proportion",
    "ReopenTally",
    "Resolution",
    "SLAAttainment",
    "SLAAttainmentTally",
    "ServiceLevelTally",
    "Tally",
    "TicketTimeTally",
    "abandonment_rate",
    "aht",
    "asa",
    "backlog",
    "by_period",
    "ces",
    "csat",
    "fcr",
    "first_reply_times",
    "nps",
    "occupancy",
    "period_start",
    "reopen_rate",
    "resolution_times",
    "segment_by",
    "service_level",
    "sla_attainment",
    "summarize",
    "to_frame",
    "wilson_interval",
    "z_score",
]
