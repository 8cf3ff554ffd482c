"""Erlang B, C and A on plain floats: stable recursions and sums, never a factorial.

Time is measured in average handling times (AHTs) here, so a model needs only the
offered traffic ``a`` (erlangs), the number of agents ``n``, the answer-time target
``tau`` and, for Erlang A, the mean patience ``r`` (all in AHTs). Every quantity stays a
probability or a ratio of sums scaled by their largest term, so 20,000 agents neither
overflow nor underflow into NaN.
"""

from __future__ import annotations

import math
import numbers
import operator
from itertools import accumulate, repeat

import attrs

from servicekit.errors import InvalidInputError, short

MAX_TRAFFIC = 1_000_000.0
"""The largest offered traffic (erlangs) the models accept: work grows with it."""

_TAIL_TERMS = 2_000_000
_NEGLIGIBLE = -40.0  # log of a relative contribution too small to change a float


def erlang_b(traffic: float, servers: int) -> float:
    """The probability that a contact finds every server busy in a loss system.

    Computed by the recursion ``B(0) = 1``, ``B(k) = A*B(k-1) / (k + A*B(k-1))``, which
    is stable for any number of servers (no factorials, no powers). Up to ``A + 1``
    servers, where a staffing search starts, the same value comes faster from
    ``1/B = sum over i of N(N-1)...(N-i+1) / A^i``, summed only while its terms count
    (about ``9*sqrt(A)`` of them instead of ``N``).

    Args:
        traffic: offered load in erlangs (contacts per unit time x handling time), >= 0.
        servers: number of servers, >= 0.

    Raises:
        InvalidInputError: a negative, infinite or NaN traffic, traffic above
            :data:`MAX_TRAFFIC`, or a negative, non-integer or larger than
            :data:`MAX_AGENTS` number of servers.

    >>> round(erlang_b(10.0, 14), 4)
    0.0568
    >>> erlang_b(10.0, 0)
    1.0
    """
    a = _check_traffic(traffic)
    n = check_count("servers", servers)
    if a == 0 or n > a + 1:
        blocking = 1.0
        for k in range(1, n + 1):
            blocking = a * blocking / (k + a * blocking)
            if blocking == 0.0:  # underflowed: every further server keeps it 0
                break
        return blocking
    # With n <= a + 1 the i-th term is at most exp(-i(i-3)/2a): past i = sqrt(84a) + 3
    # every term, and the geometric rest, is below 1e-16 of the sum for any a <= 10^6.
    stop = max(0, n - math.ceil(math.sqrt(84 * a)) - 3)
    terms = accumulate(map(operator.truediv, range(n, stop, -1), repeat(a)), operator.mul)
    inverse: float = 1.0 + sum(terms)
    return 1.0 / inverse


def erlang_c(traffic: float, agents: int) -> float:
    """The probability that a contact waits in a queue with patient callers (Erlang C).

    ``1.0`` when ``agents <= traffic``: the queue never empties and everyone waits.

    Args:
        traffic: offered load in erlangs, >= 0.
        agents: number of agents, >= 0.

    Raises:
        InvalidInputError: as for :func:`erlang_b`.

    >>> round(erlang_c(10.0, 14), 4)
    0.1741
    >>> erlang_c(10.0, 10)
    1.0
    """
    blocking = erlang_b(traffic, agents)
    agents = int(agents)
    if agents <= traffic:
        return 1.0
    return _waiting(traffic, agents, blocking)


def _waiting(a: float, n: int, blocking: float) -> float:
    """Erlang C from Erlang B, for a stable queue (``n > a``)."""
    return n * blocking / (n - a * (1.0 - blocking))


def check_number(name: str, value: object, *, maximum: float = math.inf, unit: str = "") -> float:
    """``value`` as a ``float`` >= 0 (NumPy numbers welcome), at most ``maximum``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise InvalidInputError(f"{name} must be a number >= 0, got {short(value)}")
    number = float(value)
    if not number >= 0:
        raise InvalidInputError(f"{name} must be a number >= 0, got {short(value)}")
    if number > maximum:
        raise InvalidInputError(f"{name} must be at most {maximum:,.0f}{unit}, got {short(value)}")
    return number


def _check_traffic(traffic: object) -> float:
    return check_number("traffic", traffic, maximum=MAX_TRAFFIC, unit=" erlangs")


MAX_AGENTS = 2_000_000
"""The most agents (servers) any staffing call considers: every search and sum is
bounded by it, so no call runs away on a huge team."""


def check_count(name: str, value: object) -> int:
    """``value`` as an ``int`` (NumPy integers welcome), if it is a count of agents
    from 0 to :data:`MAX_AGENTS`."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 0:
        raise InvalidInputError(f"{name} must be a whole number >= 0, got {short(value)}")
    count = int(value)
    if count > MAX_AGENTS:
        raise InvalidInputError(f"{name} must be at most {MAX_AGENTS:,}, got {short(value)}")
    return count


class BlockingTable:
    """Erlang B for one traffic at ``first``, ``first + 1``, ... servers, extended on
    demand, so a search over agent counts pays for the recursion once."""

    def __init__(self, traffic: float, first: int) -> None:
        self._traffic = traffic
        self._first = first
        self._values = [erlang_b(traffic, first)]

    def at(self, servers: int) -> float:
        """Erlang B at ``servers`` (at least ``first``)."""
        values, a = self._values, self._traffic
        for k in range(self._first + len(values), servers + 1):
            values.append(a * values[-1] / (k + a * values[-1]))
        return values[servers - self._first]


@attrs.frozen
class Outcome:
    """What a queue model predicts, with waits in AHTs."""

    p_wait: float
    p_abandon: float
    service_level: float
    wait: float | None  # mean wait of answered contacts; None when none is answered
    occupancy: float


_IDLE = Outcome(p_wait=0.0, p_abandon=0.0, service_level=1.0, wait=0.0, occupancy=0.0)


def erlang_c_outcome(a: float, n: int, blocking: float, tau: float) -> Outcome:
    """M/M/n with patient callers: service level ``1 - C*exp(-(n-a)*tau)``."""
    if a == 0:
        return _IDLE
    if n <= a:
        return Outcome(p_wait=1.0, p_abandon=0.0, service_level=0.0, wait=None, occupancy=1.0)
    waiting = _waiting(a, n, blocking)
    return Outcome(
        p_wait=waiting,
        p_abandon=0.0,
        service_level=1.0 - waiting * math.exp(-(n - a) * tau),
        wait=waiting / (n - a),
        occupancy=a / n,
    )


def erlang_a_outcome(a: float, n: int, blocking: float, tau: float, r: float) -> Outcome:
    """M/M/n+M: callers abandon after an exponential patience of mean ``r``.

    A birth-death chain. A contact that finds ``k`` others waiting is answered with
    probability ``x/(x+k+1)`` (``x = n*r``) after a sum of ``k+1`` exponential stages
    of rates ``(x+j+1)/r``; its chance of being answered within ``tau`` is then the
    regularised incomplete beta ``I_p(k+1, x+1)``, ``p = 1 - exp(-tau/r)``, which a
    recurrence in ``k`` yields term by term. The queue-length weights are summed on a
    log scale that follows their largest term.
    """
    if a == 0:
        return _IDLE
    if n == 0:
        return Outcome(p_wait=1.0, p_abandon=1.0, service_level=0.0, wait=None, occupancy=0.0)
    if blocking == 0.0:  # so many agents that waiting underflows: nobody waits
        return attrs.evolve(_IDLE, occupancy=a / n)
    x, y = n * r, a * r
    log_q = -tau / r
    log_p = math.log(-math.expm1(log_q)) if tau > 0 else -math.inf
    within = -math.expm1((x + 1) * log_q)  # I_p(1, x+1)
    log_step = log_p + (x + 1) * log_q + math.log(x + 1)  # log of I_p(k+1) - I_p(k+2)
    total = answered = abandoned = waited = in_time = 0.0
    scale = log_weight = 0.0
    stages = 0.0
    for k in range(_TAIL_TERMS):
        weight = math.exp(log_weight - scale)
        stages += r / (x + k + 1)
        answer = x / (x + k + 1)
        total += weight
        answered += weight * answer
        abandoned += weight * (k + 1) / (x + k + 1)
        waited += weight * answer * stages
        in_time += weight * answer * min(max(within, 0.0), 1.0)
        if tau > 0:
            within -= math.exp(log_step)
            log_step += log_p + math.log((k + x + 2) / (k + 2))
        ratio = y / (x + k + 1)
        log_weight += math.log(ratio)
        if log_weight > scale:
            shrink = math.exp(scale - log_weight)
            total, answered, abandoned = total * shrink, answered * shrink, abandoned * shrink
            waited, in_time = waited * shrink, in_time * shrink
            scale = log_weight
        elif ratio < 1 and log_weight - math.log1p(-ratio) - scale < _NEGLIGIBLE:
            break
    else:
        raise InvalidInputError(
            f"patience of {r:g} handling times is too long for {a:g} erlangs on {n} agents; "
            "use patience=None (Erlang C) for callers who never hang up"
        )
    log_front = math.log1p(-blocking) - math.log(blocking)  # states with a free agent
    log_queue = math.log(total) + scale
    top = max(log_front, log_queue)
    log_norm = top + math.log(math.exp(log_front - top) + math.exp(log_queue - top))
    p_wait = math.exp(log_queue - log_norm)
    p_free = math.exp(log_front - log_norm)
    p_answered = p_free + p_wait * answered / total
    return Outcome(
        p_wait=p_wait,
        p_abandon=_clamped(p_wait * abandoned / total),
        service_level=_clamped(p_free + p_wait * in_time / total),
        wait=p_wait * waited / total / p_answered,
        occupancy=_clamped(a * p_answered / n),
    )


def _clamped(probability: float) -> float:
    """``probability`` kept inside [0, 1] against the last bit of rounding."""
    return min(1.0, max(0.0, probability))
