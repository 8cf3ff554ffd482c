"""agents_required against pyworkforce's ErlangC.required_positions, same inputs.

For loads around 1,000 and 20,000 erlangs (AHT 3 min, 20 s target, several service
levels and traffic offsets), both answer; the answers must agree, except where
pyworkforce's search starts too high (at ``round(traffic + 1)``): there servicekit's
answer must be one fewer, and pyworkforce's own service level must show that the
fewer agents already meet the goal. Prints the time of each and the ratio. Run with
``make bench``.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from pyworkforce.queuing import ErlangC

from servicekit.staffing import agents_required

AHT_MINUTES = 3
TARGET_MINUTES = 20 / 60
INTERVAL_MINUTES = 30
LEVELS = (0.7, 0.8, 0.9, 0.95)
OFFSETS = (0.0, 0.3, 0.6, 0.9)


def cases(erlangs: int) -> list[tuple[float, float]]:
    """(calls per interval, service level) pairs near ``erlangs`` of traffic."""
    per_erlang = INTERVAL_MINUTES / AHT_MINUTES
    return [((erlangs + offset) * per_erlang, level) for offset in OFFSETS for level in LEVELS]


def ours(calls: float, level: float) -> int:
    plan = agents_required(
        calls=calls,
        interval=f"{INTERVAL_MINUTES}m",
        aht=f"{AHT_MINUTES}m",
        target="20s",
        service_level=level,
    )
    return plan.agents


def theirs(calls: float, level: float) -> int:
    queue = ErlangC(
        transactions=calls, aht=AHT_MINUTES, asa=TARGET_MINUTES, interval=INTERVAL_MINUTES
    )
    return int(queue.required_positions(service_level=level)["raw_positions"])


def timed(
    solve: Callable[[float, float], int], inputs: list[tuple[float, float]]
) -> tuple[list[int], float]:
    """The answers, and the best of five timings of the whole batch (least noise)."""
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        answers = [solve(calls, level) for calls, level in inputs]
        best = min(best, time.perf_counter() - start)
    return answers, best


def check(inputs: list[tuple[float, float]], mine: list[int], peer: list[int]) -> int:
    """Assert agreement; return how many answers pyworkforce overstaffs by one."""
    overstaffed = 0
    for (calls, level), a, b in zip(inputs, mine, peer, strict=True):
        if a == b:
            continue
        assert b == a + 1, (calls, level, a, b)
        queue = ErlangC(
            transactions=calls, aht=AHT_MINUTES, asa=TARGET_MINUTES, interval=INTERVAL_MINUTES
        )
        assert queue.service_level(a) >= level, (calls, level, a)
        overstaffed += 1
    return overstaffed


def main() -> None:
    for erlangs in (1_000, 20_000):
        inputs = cases(erlangs)
        mine, my_seconds = timed(ours, inputs)
        peer, peer_seconds = timed(theirs, inputs)
        overstaffed = check(inputs, mine, peer)
        print(
            f"agents_required at ~{erlangs:,} erlangs, {len(inputs)} cases: servicekit "
            f"{my_seconds * 1e3 / len(inputs):.2f} ms, pyworkforce "
            f"{peer_seconds * 1e3 / len(inputs):.2f} ms per case -> "
            f"{peer_seconds / my_seconds:.0f}x faster (target >= 10x); answers agree "
            f"except {overstaffed} where pyworkforce staffs one agent too many"
        )


if __name__ == "__main__":
    main()
