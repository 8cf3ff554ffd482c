"""staffing.schedule (HiGHS MILP through scipy) against pyworkforce's
MinRequiredResources (OR-Tools CP-SAT), on the same demand, plus what only servicekit
does: weekly tours, and the whole-week service-level goal.

1. Shift design on the same per-day demand: 7 days x 96 quarter hours of required
   agents (from Erlang C on a forecast with a midday peak, a different level each
   day), shifts of 8 h (cost 8) and 4 h (cost 4) starting on any hour from 00:00 to
   16:00 / 20:00 (pyworkforce's shifts cannot cross midnight, so neither do these).
   Both must cover every quarter hour; servicekit's paid hours must be <= pyworkforce's,
   and it should be at least twice as fast. Runs interleave A B A B; best of each.
   servicekit's overnight shifts (any start, wrapping into the next day and from Sunday
   into Monday) are shown beside, for what they save.
2. Weekly tours: 5 days on / 2 consecutive off, shifts of 6, 8 and 10 h starting on
   the hour, the same demand: solved to proven optimality, under 30 s (also shown:
   starts on every half hour, twice the tours, not asserted).
3. The whole-week goal (Koole & van der Sluis 2003): 80 % of the week's contacts within
   the target, each hour at least 50 %, against 80 % in every hour; hourly demand,
   8 h and 4 h shifts. Prints the paid hours saved.

Run: ``.venv/bin/python benchmarks/schedule_vs_pyworkforce.py`` (after
``pip install -e '.[dev,bench]'``).
"""

from __future__ import annotations

import time
from typing import Any

from pyworkforce.scheduling import MinRequiredResources

from servicekit.staffing import Schedule, Shift, StaffingTable, schedule, staffing_table

HOURLY = [4, 3, 2, 2, 2, 3, 6, 12, 25, 40, 52, 58, 60, 57, 55, 50, 46, 40, 33, 26, 20, 14, 9, 6]
DAY_LEVEL = [1.0, 0.95, 0.9, 0.9, 0.85, 0.5, 0.35]  # Monday busiest, quiet weekend
ROUNDS = 3


def demand(minutes: int) -> StaffingTable:
    """A week of calls in cells of ``minutes``, planned at 80 % within 30 s."""
    per_minute = [HOURLY[m // 60] / 60 * 4 for m in range(1440)]
    calls = [
        sum(per_minute[c : c + minutes]) * level
        for level in DAY_LEVEL
        for c in range(0, 1440, minutes)
    ]
    return staffing_table(calls, interval=f"{minutes}m", aht="5m", target="30s", service_level=0.8)


def pyworkforce_coverage() -> dict[str, list[int]]:
    shifts = {}
    for length, last in ((8, 16), (4, 20)):
        for start in range(last + 1):
            cells = [1 if start * 4 <= q < (start + length) * 4 else 0 for q in range(96)]
            shifts[f"{length}h@{start:02d}"] = cells
    return shifts


def theirs(required: list[list[int]]) -> tuple[float, str]:
    coverage = pyworkforce_coverage()
    solver = MinRequiredResources(
        num_days=7,
        periods=96,
        shifts_coverage=coverage,
        required_resources=required,
        max_period_concurrency=1000,
        max_shift_concurrency=1000,
        cost_dict={name: int(name.split("h")[0]) for name in coverage},
        max_search_time=240.0,
        num_search_workers=2,
    )
    solution: dict[str, Any] = solver.solve()
    return float(solution["cost"]), str(solution["status"])


def ours(table: StaffingTable) -> Schedule:
    shifts = [
        Shift(length="8h", earliest="00:00", latest="16:00", every="1h"),
        Shift(length="4h", earliest="00:00", latest="20:00", every="1h"),
    ]
    return schedule(table, shifts=shifts, time_limit=240)


def shift_design() -> None:
    table = demand(15)
    required = [[row.plan.scheduled for row in table.rows[d * 96 : (d + 1) * 96]] for d in range(7)]
    best = {"servicekit": float("inf"), "pyworkforce": float("inf")}
    for _ in range(ROUNDS):
        start = time.perf_counter()
        plan = ours(table)
        best["servicekit"] = min(best["servicekit"], time.perf_counter() - start)
        start = time.perf_counter()
        cost, status = theirs(required)
        best["pyworkforce"] = min(best["pyworkforce"], time.perf_counter() - start)
    assert not plan.uncovered, "servicekit left intervals uncovered"
    assert status in {"OPTIMAL", "FEASIBLE"}, status
    assert plan.paid_hours <= cost + 1e-9, (plan.paid_hours, cost)
    ratio = best["pyworkforce"] / best["servicekit"]
    print("1. Shift design, 7 days x 96 quarter hours, 8h/4h shifts on the hour, within the day")
    print(
        f"   servicekit  {plan.paid_hours:7.0f} paid hours  {best['servicekit']:7.3f} s  "
        f"optimal={plan.optimal}"
    )
    print(f"   pyworkforce {cost:7.0f} paid hours  {best['pyworkforce']:7.3f} s  status={status}")
    print(f"   servicekit is {ratio:.1f}x as fast, paid hours {plan.paid_hours - cost:+.0f}")
    start = time.perf_counter()
    overnight = schedule(
        table,
        shifts=[Shift(length="8h", every="1h"), Shift(length="4h", every="1h")],
        time_limit=240,
    )
    took = time.perf_counter() - start
    saved = 1 - overnight.paid_hours / plan.paid_hours
    print(
        f"   with overnight shifts (wrapping past midnight and the week's end): "
        f"{overnight.paid_hours:.0f} paid hours ({saved:.1%} fewer), {took:.3f} s, "
        f"optimal={overnight.optimal}"
    )


def tours() -> None:
    table = demand(15)
    print("2. Weekly tours 5/2, 6/8/10h shifts, on the 7 x 96 quarter-hour demand")
    for every, count, asserted in (("1h", "504", True), ("30m", "1,008", False)):
        shifts = [Shift(length=f"{h}h", every=every) for h in (6, 8, 10)]
        start = time.perf_counter()
        plan = schedule(table, shifts=shifts, tours="5/2", time_limit=120)
        took = time.perf_counter() - start
        print(
            f"   starts every {every:<3} ({count} tours): {plan.paid_hours:.0f} paid hours, "
            f"{plan.agents} agents, optimal={plan.optimal}, gap={plan.gap:.2%}, {took:.1f} s, "
            f"uncovered intervals {len(plan.uncovered)}"
        )
        if asserted:
            assert plan.optimal, plan.status
            assert took < 30, took


def whole_week() -> None:
    table = demand(60)
    shifts = [Shift(length="8h"), Shift(length="4h")]
    start = time.perf_counter()
    each = schedule(table, shifts=shifts, time_limit=120)
    middle = time.perf_counter()
    week = schedule(table, shifts=shifts, goal="week", floor=0.5, time_limit=60)
    end = time.perf_counter()
    saved = 1 - week.paid_hours / each.paid_hours
    print("3. Whole-week service level (Koole & van der Sluis 2003), hourly, 8h/4h shifts")
    print(
        f"   80% in every hour:        {each.paid_hours:6.0f} paid hours, re-checked "
        f"{each.service_level:.1%} over the week, {middle - start:.2f} s"
    )
    lowest = min(row.metrics.service_level for row in week.coverage if row.calls)
    print(
        f"   80% over the week, >=50%: {week.paid_hours:6.0f} paid hours, re-checked "
        f"{week.service_level:.1%} (lowest hour {lowest:.1%}), {end - middle:.2f} s, "
        f"gap {week.gap:.2%}"
    )
    print(f"   saves {saved:.1%} of paid hours")
    assert week.service_level is not None
    assert week.service_level >= 0.8 - 1e-9
    assert not week.uncovered


if __name__ == "__main__":
    shift_design()
    tours()
    whole_week()
