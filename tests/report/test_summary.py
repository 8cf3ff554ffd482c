"""The summary of one period (:func:`servicekit.report.report`)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from servicekit import SLAPolicy
from servicekit.errors import InvalidInputError
from servicekit.report import report
from servicekit.sla import PolicySet
from servicekit.tickets import SatisfactionRated
from tests.kpi.test_tickets import HOURS, MON, NO_REPLY, ONE_TOUCH, OPEN, REOPENED, TWO_TOUCH


class TestReport:
    def test_weekly_report(self) -> None:
        rated = ONE_TOUCH.apply(SatisfactionRated(at=MON + timedelta(hours=1), score=5))
        bad = TWO_TOUCH.apply(SatisfactionRated(at=MON + timedelta(hours=3), score=2))
        policy = SLAPolicy("p", calendar=HOURS, targets={"normal": {"first_reply": "40m"}})
        week = report([rated, bad, REOPENED, NO_REPLY, OPEN], start=MON - timedelta(hours=9),
                      end=MON + timedelta(days=6, hours=15), calendar=HOURS,
                      policies=PolicySet([policy]), nps_scores=[10, 9, 3])  # fmt: skip
        assert (week.created, week.solved, week.backlog.count, week.csat.count) == (5, 4, 1, 2)
        assert week.nps is not None
        assert round(week.nps.score or 0) == 33
        text = week.to_text()
        assert "CSAT                 50% (n=2)" in text
        assert "one-touch FCR        25% (n=4)" in text
        assert "first reply (business hours) p50 30m" in text
        data = week.to_dict()
        assert data["fcr"] == {"value": 0.25, "successes": 1, "count": 4}
        assert data["first_reply"]["p50"] == 1800.0

    def test_period_must_be_forward(self) -> None:
        with pytest.raises(InvalidInputError, match="is not after start"):
            report([], start=MON, end=MON)
