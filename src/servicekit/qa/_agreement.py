"""Agreement among many reviewers from value counts per unit: Krippendorff's alpha at
four levels of measurement (missing ratings allowed), Fleiss' kappa, seeded bootstrap
intervals over units, and the mergeable tally both are computed from.

Krippendorff's alpha follows Krippendorff (2011), "Computing Krippendorff's
alpha-reliability": the coincidence matrix ``o[c][k] = sum over units of
n_uc * (n_uk - [c == k]) / (m_u - 1)`` over *pairable* units (``m_u >= 2`` ratings),
``alpha = 1 - (n - 1) * sum(o[c][k] * d2(c, k)) / sum(n_c * n_k * d2(c, k))`` with the
difference functions:

=========  ==================================================================
level      ``d2(c, k)``
=========  ==================================================================
nominal    0 if ``c == k`` else 1
ordinal    ``(sum of n_g for g from c to k - (n_c + n_k) / 2) ** 2`` (ranks)
interval   ``(c - k) ** 2``
ratio      ``((c - k) / (c + k)) ** 2``
=========  ==================================================================

Everything is computed in exact fractions from integer counts, so a tally merged from
partitions gives the very same float as one pass, whatever the order.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from fractions import Fraction
from typing import Any, Self

import attrs

from servicekit._checks import short, whole
from servicekit.errors import InvalidInputError
from servicekit.kpi import Tally, z_score
from servicekit.qa._ratings import (
    MAX_RATINGS,
    Level,
    check_level,
    check_value,
    is_missing,
    read_table,
    sort_key,
)

#: The most bootstrap resamples one call draws.
MAX_RESAMPLES = 10_000

Profile = tuple[tuple[Hashable, int], ...]  # the sorted value counts of one unit


@attrs.frozen(kw_only=True)
class Agreement:
    """An agreement coefficient among reviewers.

    Attributes:
        statistic: which coefficient ("Krippendorff's alpha (interval)", "Fleiss' kappa").
        value: the coefficient: 1 is perfect agreement, 0 what chance alone gives,
            below 0 systematic disagreement; ``None`` when it is undefined (see
            ``reason``).
        interval: a seeded percentile bootstrap interval over units, when asked for.
        confidence: the interval's confidence level.
        units: units with at least two ratings (the only ones that count).
        ratings: ratings in those units.
        reason: one sentence on how the value came about, or why there is none.
    """

    statistic: str
    value: float | None
    interval: tuple[float, float] | None = None
    confidence: float | None = None
    units: int
    ratings: int
    reason: str

    def explain(self) -> str:
        """The value, its interval and the reading a support lead needs."""
        if self.value is None:
            return f"{self.statistic}: not defined. {self.reason}."
        text = f"{self.statistic} = {self.value:.3f}"
        if self.interval is not None and self.confidence is not None:
            low, high = self.interval
            text += f" ({self.confidence:.0%} interval {low:.3f} to {high:.3f})"
        return f"{text}: {_reading(self.value)}. {self.reason}."

    def to_dict(self) -> dict[str, Any]:
        """One row: statistic, value, interval ends, counts and reason."""
        low, high = self.interval if self.interval is not None else (None, None)
        return {
            "statistic": self.statistic,
            "value": self.value,
            "low": low,
            "high": high,
            "confidence": self.confidence,
            "units": self.units,
            "ratings": self.ratings,
            "reason": self.reason,
        }


def _reading(value: float) -> str:
    """Krippendorff's (2004) guide: rely on alpha >= 0.800, tentative from 0.667."""
    if value >= 0.8:
        return "reviewers agree well (>= 0.800, reliable)"
    if value >= 0.667:
        return "reviewers agree moderately (0.667-0.800, tentative conclusions only)"
    if value > 0:
        return "reviewers agree poorly (below 0.667): calibrate before comparing agents"
    return "reviewers agree no better than chance"


class AgreementTally(Tally[Agreement]):
    """Value counts per unit: all that Krippendorff's alpha and Fleiss' kappa need, so
    calibration runs per Dask/Spark partition and merges exactly (a unit's ratings may
    be split across partitions: counts add).

    ``add`` takes one rating as ``(unit, value)`` or ``(unit, rater, value)`` (the rater
    is not needed); ``None``/NaN values are counted as missing.

    >>> a = AgreementTally(level="nominal").update([("t1", "ok"), ("t1", "ok"), ("t2", "ok")])
    >>> b = AgreementTally(level="nominal").update([("t2", "bad"), ("t3", "bad"), ("t3", "bad")])
    >>> round(a.merge(b).result().value, 3)
    0.444
    """

    def __init__(self, *, level: Level) -> None:
        self.level = check_level(level)
        self.counts: dict[Hashable, Counter[Hashable]] = {}
        self.missing = 0
        self._size = 0

    def settings(self) -> tuple[object, ...]:
        return (self.level,)

    def add(self, value: Any) -> None:
        if not isinstance(value, tuple | list) or len(value) not in (2, 3):
            raise InvalidInputError(
                f"a rating is (unit, value) or (unit, rater, value), got {short(value)}"
            )
        unit, rating = value[0], value[-1]
        if unit is None or not isinstance(unit, Hashable) or is_missing(unit):
            raise InvalidInputError(f"a unit must be a hashable, present value, got {short(unit)}")
        if self._size >= MAX_RATINGS:
            raise InvalidInputError(f"a tally holds at most {MAX_RATINGS:,} ratings")
        if is_missing(rating):
            self.missing += 1
            return
        self.counts.setdefault(unit, Counter())[check_value(rating, self.level)] += 1
        self._size += 1

    def update(self, values: Iterable[Any]) -> Self:
        if not isinstance(values, Iterable) or isinstance(values, str | bytes | Mapping):
            raise InvalidInputError(f"expected rows of (unit, value), got {short(values)}")
        return super().update(values)

    def merge(self, other: Self) -> Self:
        self._check_mergeable(other)
        merged = type(self)(level=self.level)
        for source in (self, other):
            for unit, counts in source.counts.items():
                merged.counts.setdefault(unit, Counter()).update(counts)
        merged.missing = self.missing + other.missing
        merged._size = self._size + other._size
        return merged

    def result(self) -> Agreement:
        """Krippendorff's alpha at the tally's level (no interval: see
        :func:`krippendorff_alpha` for bootstrap intervals)."""
        return _alpha(self.counts, self.level)

    def fleiss(self) -> Agreement:
        """Fleiss' kappa over the counted ratings (values as nominal categories)."""
        return _fleiss(self.counts)

    def __repr__(self) -> str:
        return (
            f"AgreementTally(level={self.level!r}, units={len(self.counts)}, ratings={self._size})"
        )


def _profiles(counts: Mapping[Hashable, Counter[Hashable]]) -> Counter[Profile]:
    """How many pairable units share each value-count profile."""
    profiles: Counter[Profile] = Counter()
    for row in counts.values():
        if sum(row.values()) >= 2:
            profiles[tuple(sorted(row.items(), key=lambda item: sort_key(item[0])))] += 1
    return profiles


def _alpha(counts: Mapping[Hashable, Counter[Hashable]], level: Level) -> Agreement:
    statistic = f"Krippendorff's alpha ({level})"
    profiles = _profiles(counts)
    return _alpha_of_profiles(profiles, level, statistic)


def _alpha_of_profiles(profiles: Mapping[Profile, int], level: Level, statistic: str) -> Agreement:
    units = sum(profiles.values())
    if not units:
        return Agreement(
            statistic=statistic,
            value=None,
            units=0,
            ratings=0,
            reason="no unit was rated by two or more reviewers, so there is nothing to compare",
        )
    value, n, reason = _alpha_value(profiles, level)
    return Agreement(statistic=statistic, value=value, units=units, ratings=n, reason=reason)


def _alpha_value(profiles: Mapping[Profile, int], level: Level) -> tuple[float | None, int, str]:
    coincidence: dict[tuple[Hashable, Hashable], Fraction] = {}
    marginals: Counter[Hashable] = Counter()
    for profile, times in profiles.items():
        m = sum(count for _, count in profile)
        for c, n_c in profile:
            marginals[c] += n_c * times
            for k, n_k in profile:
                pairs = n_c * (n_k - (c == k))
                if pairs:
                    key = (c, k)
                    coincidence[key] = coincidence.get(key, Fraction(0)) + Fraction(
                        pairs * times, m - 1
                    )
    n = sum(marginals.values())
    units = sum(profiles.values())
    values = sorted(marginals, key=sort_key)
    if len(values) == 1:
        return (
            None,
            n,
            f"all {n} ratings are {values[0]!r}: with no variation, agreement beyond chance "
            "cannot be told apart from chance",
        )
    d2 = _differences(values, marginals, level)
    observed = sum((o * d2[pair] for pair, o in coincidence.items()), Fraction(0))
    expected = sum(
        (marginals[c] * marginals[k] * d2[(c, k)] for c in values for k in values), Fraction(0)
    )
    alpha = 1 - (n - 1) * observed / expected
    if observed == 0:
        reason = f"every one of {units} units got identical ratings from all its reviewers"
    else:
        reason = f"{n} ratings of {units} units rated by two or more reviewers"
    return float(alpha), n, reason


def _differences(
    values: Sequence[Hashable], marginals: Mapping[Hashable, int], level: Level
) -> dict[tuple[Hashable, Hashable], Fraction]:
    d2: dict[tuple[Hashable, Hashable], Fraction] = {}
    if level == "ordinal":
        cumulative = [Fraction(0)]
        for value in values:
            cumulative.append(cumulative[-1] + marginals[value])
    for i, c in enumerate(values):
        for j, k in enumerate(values):
            if level == "nominal":
                d2[(c, k)] = Fraction(c != k)
            elif level == "ordinal":
                low, high = min(i, j), max(i, j)
                span = cumulative[high + 1] - cumulative[low]
                d2[(c, k)] = (span - Fraction(marginals[c] + marginals[k], 2)) ** 2
            else:
                a, b = Fraction(c), Fraction(k)  # type: ignore[call-overload]
                if level == "interval":
                    d2[(c, k)] = (a - b) ** 2
                else:
                    d2[(c, k)] = ((a - b) / (a + b)) ** 2 if a + b else Fraction(0)
    return d2


def _fleiss(counts: Mapping[Hashable, Counter[Hashable]]) -> Agreement:
    return _fleiss_of_profiles(_profiles(counts))


def _fleiss_of_profiles(profiles: Mapping[Profile, int]) -> Agreement:
    statistic = "Fleiss' kappa"
    units = sum(profiles.values())
    if not units:
        return Agreement(
            statistic=statistic,
            value=None,
            units=0,
            ratings=0,
            reason="no unit was rated by two or more reviewers, so there is nothing to compare",
        )
    totals: Counter[Hashable] = Counter()
    observed = Fraction(0)
    sizes = set()
    for profile, times in profiles.items():
        m = sum(count for _, count in profile)
        sizes.add(m)
        for value, count in profile:
            totals[value] += count * times
        observed += Fraction(sum(c * (c - 1) for _, c in profile) * times, m * (m - 1))
    observed /= units
    n = sum(totals.values())
    chance = sum((Fraction(t, n) ** 2 for t in totals.values()), Fraction(0))
    if chance == 1:
        (only,) = totals
        return Agreement(
            statistic=statistic,
            value=None,
            units=units,
            ratings=n,
            reason=f"all {n} ratings are {only!r}: with no variation, agreement beyond chance "
            "cannot be told apart from chance",
        )
    reason = f"{units} units, {n} ratings"
    if len(sizes) > 1:
        reason += (
            " (units have different numbers of reviewers: each unit's agreement is "
            "averaged with equal weight)"
        )
    return Agreement(
        statistic=statistic,
        value=float((observed - chance) / (1 - chance)),
        units=units,
        ratings=n,
        reason=reason,
    )


def _counts(ratings: object, level: Level) -> dict[Hashable, Counter[Hashable]]:
    table, _ = read_table(ratings, level)
    return {unit: Counter(row.values()) for unit, row in table.items()}


def krippendorff_alpha(
    ratings: object,
    *,
    level: Level,
    resamples: int = 0,
    seed: int | None = None,
    confidence: float = 0.95,
) -> Agreement:
    """Krippendorff's alpha among any number of reviewers, missing ratings allowed.

    Args:
        ratings: rows of ``(unit, rater, value)`` or a mapping ``unit -> {rater:
            value}``; ``None``/NaN is a missing rating. A unit is what is rated (a
            conversation, or a conversation's criterion).
        level: ``nominal`` (categories), ``ordinal`` (ranked), ``interval`` (numbers
            whose differences count) or ``ratio`` (numbers with a true zero, >= 0).
        resamples: bootstrap resamples over units for an interval (0: none; at most
            10,000; cost grows with resamples times distinct unit profiles).
        seed: the seed of the bootstrap (required when ``resamples > 0``).
        confidence: the interval's confidence level.

    Returns:
        An :class:`Agreement`; ``value`` is ``None`` with a ``reason`` when no unit has
        two ratings or every rating is the same value (alpha is 0/0 there).

    Raises:
        InvalidInputError: malformed ratings, a rater rating a unit twice, a value the
            level does not allow, a bad level, resamples, seed or confidence.

    >>> rows = [("t1", "ana", 1), ("t1", "bo", 1), ("t2", "ana", 2), ("t2", "bo", 3)]
    >>> round(krippendorff_alpha(rows, level="interval").value, 3)
    0.727
    """
    level = check_level(level)
    resamples, seed = _bootstrap_args(resamples, seed, confidence)
    counts = _counts(ratings, level)
    result = _alpha(counts, level)
    if resamples and result.value is not None:
        profiles = _profiles(counts)
        draws = _bootstrap(profiles, resamples, seed, lambda p: _alpha_value(p, level)[0])
        result = attrs.evolve(
            result, interval=_percentiles(draws, confidence), confidence=confidence
        )
    return result


def fleiss_kappa(
    ratings: object, *, resamples: int = 0, seed: int | None = None, confidence: float = 0.95
) -> Agreement:
    """Fleiss' kappa: agreement among several reviewers on nominal categories.

    Every unit should have the same number of reviewers (Fleiss 1971); units with
    different numbers are allowed and each unit's agreement is averaged with equal
    weight (said in ``reason``). Units with fewer than two ratings are left out.

    Args:
        ratings: rows of ``(unit, rater, value)`` or a mapping ``unit -> {rater: value}``.
        resamples: bootstrap resamples over units (0: no interval; at most 10,000).
        seed: the bootstrap seed (required when ``resamples > 0``).
        confidence: the interval's confidence level.

    Raises:
        InvalidInputError: malformed ratings or bootstrap arguments.

    >>> rows = [(u, r, "ok") for u in "ab" for r in "xyz"] + [("c", r, "bad") for r in "xyz"]
    >>> fleiss_kappa(rows).value
    1.0
    """
    resamples, seed = _bootstrap_args(resamples, seed, confidence)
    counts = _counts(ratings, "nominal")
    result = _fleiss(counts)
    if resamples and result.value is not None:
        profiles = _profiles(counts)

        def kappa(sample: Mapping[Profile, int]) -> float | None:
            return _fleiss_of_profiles(sample).value

        draws = _bootstrap(profiles, resamples, seed, kappa)
        result = attrs.evolve(
            result, interval=_percentiles(draws, confidence), confidence=confidence
        )
    return result


def _bootstrap_args(resamples: object, seed: object, confidence: object) -> tuple[int, int]:
    count = whole("resamples", resamples, low=0, high=MAX_RESAMPLES)
    z_score(confidence)  # type: ignore[arg-type]
    if count and (isinstance(seed, bool) or not isinstance(seed, int)):
        raise InvalidInputError(
            f"a bootstrap needs a whole-number seed (results are reproducible), got {short(seed)}"
        )
    return count, seed if isinstance(seed, int) else 0


def _bootstrap(
    profiles: Mapping[Profile, int], resamples: int, seed: int, statistic: Any
) -> list[float]:
    """The statistic over ``resamples`` resamples of the pairable units, with
    replacement; resamples where it is undefined are dropped."""
    rng = random.Random(seed)
    kinds = list(profiles)
    weights = [profiles[kind] for kind in kinds]
    units = sum(weights)
    draws = []
    for _ in range(resamples):
        picked = Counter(rng.choices(range(len(kinds)), weights=weights, k=units))
        value = statistic({kinds[i]: times for i, times in sorted(picked.items())})
        if value is not None:
            draws.append(value)
    return draws


def _percentiles(draws: list[float], confidence: float) -> tuple[float, float] | None:
    if not draws:
        return None
    draws.sort()
    tail = (1 - confidence) / 2

    def at(q: float) -> float:
        rank = q * (len(draws) - 1)
        low = int(rank)
        high = min(low + 1, len(draws) - 1)
        return draws[low] + (draws[high] - draws[low]) * (rank - low)

    return at(tail), at(1 - tail)
