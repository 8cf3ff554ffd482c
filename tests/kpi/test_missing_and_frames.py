"""Missing KPI inputs are skipped and counted; every result flattens to one row."""

from __future__ import annotations

import pickle
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from servicekit import Ticket, kpi
from servicekit.errors import InvalidInputError
from servicekit.tickets import Replied, StatusChanged

NAN = float("nan")
MISSING = [None, NAN, pd.NA, pd.NaT, np.nan]


class TestMissing:
    @given(st.lists(st.integers(0, 10) | st.sampled_from(MISSING), max_size=30))
    def test_nps_equals_the_answers_present(self, answers: list[Any]) -> None:
        present = [a for a in answers if isinstance(a, int)]
        got, want = kpi.nps(answers), kpi.nps(present)
        assert (got.score, got.count, got.missing) == (
            want.score,
            want.count,
            len(answers) - len(present),
        )

    @given(st.lists(st.integers(0, 600) | st.sampled_from(MISSING), max_size=30))
    def test_service_level_and_asa(self, waits: list[Any]) -> None:
        present = [w for w in waits if isinstance(w, int)]
        level = kpi.service_level(waits, threshold="20s", convention="answered_only")
        assert level.missing == len(waits) - len(present)
        assert (
            level.value
            == kpi.service_level(present, threshold="20s", convention="answered_only").value
        )
        assert kpi.asa(waits).missing == len(waits) - len(present)
        assert kpi.asa(waits).mean == kpi.asa(present).mean

    def test_every_input_kind(self) -> None:
        waits = pd.Series(pd.to_timedelta([10, None, 30], unit="s"))
        assert kpi.asa(waits).missing == 1
        assert kpi.asa(np.array([10.0, np.nan])).missing == 1
        assert kpi.ces([7, None, 5]).missing == 1
        assert kpi.abandonment_rate([10, None], [NAN]).missing == 2
        assert kpi.occupancy([3600, None], [7200]).missing == 1
        handled = kpi.aht(talk=[300, 400, None], hold=[60, None, 0], wrap=[30, 90, 0])
        assert (handled.count, handled.missing, handled.mean) == (1, 2, timedelta(seconds=390))

    def test_invalid_values_still_raise(self) -> None:
        with pytest.raises(InvalidInputError, match="got 11 at position 2"):
            kpi.nps([None, 10, 11])
        with pytest.raises(InvalidInputError, match="negative duration at position 1"):
            kpi.asa([None, -1])

    def test_ticket_metrics_count_missing_items(self) -> None:
        t0 = datetime(2026, 3, 2, 9, tzinfo=UTC)
        ticket = Ticket.create(id="T-1", at=t0, requester="c").apply(
            Replied(at=t0 + timedelta(hours=1), by="agent")
        )
        ticket = ticket.apply(StatusChanged(at=t0 + timedelta(hours=2), status="solved"))
        items: list[Any] = [ticket, None, NAN]
        assert kpi.first_reply_times(items).missing == 2
        assert kpi.reopen_rate(items).missing == 2
        assert kpi.fcr(items, definition="one_touch").missing == 2
        assert kpi.backlog(items, now=t0 + timedelta(hours=1)).missing == 2
        assert kpi.sla_attainment(items[1:]).missing == 2

    def test_pickled_tallies_keep_missing_apart(self) -> None:
        tally = pickle.loads(pickle.dumps(kpi.NPSTally().update([10, None])))
        merged = pickle.loads(pickle.dumps(tally.merge(kpi.NPSTally().update([NAN]))))
        assert (merged.result().count, merged.result().missing) == (1, 2)

    def test_tallies_merge_missing_counts(self) -> None:
        a = kpi.CSATTally().update([5, None])
        b = kpi.CSATTally().update(pd.Series([4.0, np.nan, np.nan]))
        merged = a.merge(b).result()
        assert (merged.count, merged.missing) == (2, 3)
        assert merged == kpi.csat([5, None, 4.0, NAN, NAN])


class TestFrames:
    def test_intervals_become_low_and_high(self) -> None:
        row = kpi.nps([10, 9, 0, None]).to_dict()
        assert set(row) == {
            "score", "promoters", "passives", "detractors", "count", "margin_of_error",
            "low", "high", "missing",
        }  # fmt: skip
        assert row["missing"] == 1
        assert row["low"] < row["score"] < row["high"]

    def test_to_frame_one_row_per_result(self) -> None:
        frame = kpi.to_frame([kpi.csat([5, 4]), kpi.csat([], scale=(1, 5))])
        assert list(frame.columns) == ["successes", "count", "value", "low", "high", "missing"]
        assert frame.loc[0, "value"] == 1.0
        assert pd.isna(frame.loc[1, "value"])

    def test_nested_results_and_summaries(self) -> None:
        ces = kpi.ces([7, 6, 2]).to_dict()
        assert {"mean", "low", "high", "agree_value", "agree_low", "count", "missing"} <= set(ces)
        summary = kpi.asa([10, 20, None]).to_dict()
        assert summary["median"] == timedelta(seconds=15)
        assert summary["missing"] == 1
        frame = kpi.to_frame({"mon": kpi.asa([10]), "tue": kpi.asa([20, 40])})
        assert list(frame.index) == ["mon", "tue"]
        assert frame.loc["tue", "mean"] == timedelta(seconds=30)
        attainment = kpi.sla_attainment([]).to_dict()
        assert {"achieved", "breached", "still_open", "proportion_value"} <= set(attainment)

    def test_rejects_other_things(self) -> None:
        with pytest.raises(InvalidInputError, match=r"results\[1\]"):
            kpi.to_frame([kpi.csat([5]), {"value": 1}])
