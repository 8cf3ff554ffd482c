"""Quality assurance: scorecards, review scores and each agent's Internal Quality Score
(Zendesk QA's semantics), and reviewer calibration: Cohen's (weighted) kappa, Fleiss'
kappa, Krippendorff's alpha at four levels with seeded bootstrap intervals, each
reviewer's drift from the others, and a mergeable tally for Dask or Spark.

>>> from servicekit import qa
>>> card = qa.Scorecard(name="Email", criteria=[
...     qa.Criterion(name="Solution", scale=(0, 1), weight=3, critical=True),
...     qa.Criterion(name="Tone", scale=(1, 5))])
>>> [a.iqs for a in qa.iqs(card, [qa.Review(agent="ana", ratings={"Solution": 1, "Tone": 5}),
...                               qa.Review(agent="ana", ratings={"Solution": 0, "Tone": 5})])]
[50.0]
"""

from servicekit.qa._agreement import (
    Agreement,
    AgreementTally,
    fleiss_kappa,
    krippendorff_alpha,
)
from servicekit.qa._drift import Calibration, ReviewerDrift, calibrate, reviewer_drift
from servicekit.qa._kappa import Kappa, cohen_kappa
from servicekit.qa._quality import AgentQuality, Review, iqs
from servicekit.qa._scorecard import Criterion, ReviewScore, Scorecard

__all__ = [
    "AgentQuality",
    "Agreement",
    "AgreementTally",
    "Calibration",
    "Criterion",
    "Kappa",
    "Review",
    "ReviewScore",
    "ReviewerDrift",
    "Scorecard",
    "calibrate",
    "cohen_kappa",
    "fleiss_kappa",
    "iqs",
    "krippendorff_alpha",
    "reviewer_drift",
]
