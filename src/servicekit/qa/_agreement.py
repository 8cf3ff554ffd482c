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

Alpha is computed from the distinct value-count profiles of units in time linear in
the ratings: within a unit over its value pairs, and the expected disagreement in
closed form (nominal: ``n**2 - sum n_c**2``; interval, and ordinal on mid-ranks
``P_c``: ``2 n sum n_c (x_c - mean)**2``); only the ratio level pairs every two
distinct values (at most 1,000). Sums are ``math.fsum`` (correctly rounded), so a
tally merged from partitions gives the very same float as one pass, in any order.
Fleiss' kappa is computed in exact fractions.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from fractions import Fraction
from typing import Any, Self

import attrs

from servicekit._checks import short, whole
from servicekit.errors import InvalidInputError
from servicekit.kpi import Tally, z_score
from servicekit.qa._matrix import is_numeric_matrix, matrix_profiles
from servicekit.qa._ratings import (
    MAX_RATINGS,
    Level,
    check_level,
    check_value,
    is_missing,
    read_table,
    sort_key,
)

#: The most bootstrap resamples one call draws, and the most unit draws in all
#: (units x resamples): bounds the time a bootstrap takes.
MAX_RESAMPLES = 10_000
MAX_BOOTSTRAP_DRAWS = 500_000

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
        if self.statistic.startswith("Krippendorff"):
            return f"{text}: {_reading(self.value)}. {self.reason}."
        return f"{text} (1 is perfect agreement, 0 what chance gives). {self.reason}."

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


#: The ratio level pairs every two distinct values for the expected disagreement: at
#: most this many distinct values (and, in a bootstrap, this many value pairs in all).
MAX_RATIO_VALUES = 1_000
MAX_RATIO_WORK = 20_000_000


def _alpha_value(profiles: Mapping[Profile, int], level: Level) -> tuple[float | None, int, str]:
    """Alpha from unit profiles in time linear in the ratings (quadratic in the distinct
    values at the ratio level only). Sums are ``math.fsum`` of per-profile terms, so the
    float does not depend on the order units arrive in (merge equals one pass)."""
    marginals: Counter[Hashable] = Counter()
    for profile, times in profiles.items():
        for value, count in profile:
            marginals[value] += count * times
    n = sum(marginals.values())
    units = sum(profiles.values())
    if len(marginals) == 1:
        (only,) = marginals
        return (
            None,
            n,
            f"all {n} ratings are {only!r}: with no variation, agreement beyond chance "
            "cannot be told apart from chance",
        )
    observed, expected = _disagreements(profiles, marginals, level)
    alpha = 1 - (n - 1) * observed / expected
    if observed == 0:
        reason = f"every one of {units} units got identical ratings from all its reviewers"
    else:
        reason = f"{n} ratings of {units} units rated by two or more reviewers"
    return alpha, n, reason


def _disagreements(
    profiles: Mapping[Profile, int], marginals: Mapping[Hashable, int], level: Level
) -> tuple[float, float]:
    """``sum o_ck d2(c, k)`` and ``sum n_c n_k d2(c, k)`` (both without the 1/n)."""
    n = sum(marginals.values())
    if level == "nominal":
        observed = math.fsum(
            times * (m * m - sum(c * c for _, c in profile)) / (m - 1)
            for profile, times in profiles.items()
            for m in (sum(c for _, c in profile),)
        )
        return observed, float(n * n - sum(c * c for c in marginals.values()))
    if level == "ratio":
        return _ratio(profiles, marginals)
    # Interval on the values, or (ordinal) on their mid-ranks: Krippendorff's ordinal
    # difference (sum of n_g from c to k minus (n_c + n_k) / 2) is the distance between
    # mid-ranks P_c = (ratings below c) + n_c / 2.
    position: dict[Hashable, float] = {}
    if level == "ordinal":
        below = 0
        for value in sorted(marginals, key=sort_key):
            position[value] = below + marginals[value] / 2
            below += marginals[value]
    else:
        position = {value: float(value) for value in marginals}  # type: ignore[arg-type]
    center = math.fsum(position[v] * c for v, c in marginals.items()) / n
    expected = 2 * n * math.fsum(c * (position[v] - center) ** 2 for v, c in marginals.items())
    observed = math.fsum(
        times * _pairs(profile, lambda a, b: (position[a] - position[b]) ** 2)
        for profile, times in profiles.items()
    )
    return observed, expected


def _pairs(profile: Profile, d2: Any) -> float:
    """``sum over ordered value pairs in one unit of n_c n_k d2(c, k) / (m - 1)``."""
    m = sum(count for _, count in profile)
    total = math.fsum(
        2 * n_c * n_k * d2(c, k)
        for i, (c, n_c) in enumerate(profile)
        for k, n_k in profile[i + 1 :]
    )
    return total / (m - 1)


def _ratio_d2(a: Hashable, b: Hashable) -> float:
    x, y = float(a), float(b)  # type: ignore[arg-type]
    return ((x - y) / (x + y)) ** 2 if x + y else 0.0


def _ratio(
    profiles: Mapping[Profile, int], marginals: Mapping[Hashable, int]
) -> tuple[float, float]:
    values = sorted(marginals, key=sort_key)
    if len(values) > MAX_RATIO_VALUES:
        raise InvalidInputError(
            f"the ratio level compares every two distinct values: at most "
            f"{MAX_RATIO_VALUES:,}, got {len(values):,} (round the ratings)"
        )
    observed = math.fsum(times * _pairs(profile, _ratio_d2) for profile, times in profiles.items())
    expected = math.fsum(
        2 * marginals[c] * marginals[k] * _ratio_d2(c, k)
        for i, c in enumerate(values)
        for k in values[i + 1 :]
    )
    return observed, expected


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


def _read_profiles(ratings: object, level: Level) -> Counter[Profile]:
    """The value-count profiles of the pairable units: a numeric NumPy matrix
    (reviewers x units) vectorised, anything else through the row reader."""
    if is_numeric_matrix(ratings):
        return matrix_profiles(ratings, level)[0]
    return _profiles(_counts(ratings, level))


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
        ratings: rows of ``(unit, rater, value)``, a mapping ``unit -> {rater:
            value}``, or a NumPy array of reviewers x units (the ``krippendorff``
            package's ``reliability_data``); ``None``/NaN is a missing rating. A unit
            is what is rated (a conversation, or a conversation's criterion). A
            numeric array is read vectorised (NumPy), every other input rating by
            rating in Python: for large inputs pass an array.
        level: ``nominal`` (categories), ``ordinal`` (ranked), ``interval`` (numbers
            whose differences count) or ``ratio`` (numbers with a true zero, >= 0).
        resamples: bootstrap resamples over units for an interval (0: none; at most
            10,000, and units x resamples at most 500,000: about a second for 500
            units x 1,000 resamples on a laptop core).
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
    >>> import numpy as np
    >>> reviewers_by_units = np.array([[1, 2], [1, 3]])  # ana's row, bo's row
    >>> round(krippendorff_alpha(reviewers_by_units, level="interval").value, 3)
    0.727
    """
    level = check_level(level)
    resamples, seed = _bootstrap_args(resamples, seed, confidence)
    profiles = _read_profiles(ratings, level)
    result = _alpha_of_profiles(profiles, level, f"Krippendorff's alpha ({level})")
    if resamples and result.value is not None:
        if level == "ratio" and resamples * len({v for p in profiles for v, _ in p}) ** 2 > (
            MAX_RATIO_WORK
        ):
            raise InvalidInputError(
                f"a ratio-level bootstrap pairs every two distinct values per resample: "
                f"ask fewer than {resamples} resamples or round the ratings"
            )
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
        ratings: rows of ``(unit, rater, value)``, a mapping ``unit -> {rater: value}``
            or a NumPy array of reviewers x units (numeric arrays read vectorised).
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
    profiles = _read_profiles(ratings, "nominal")
    result = _fleiss_of_profiles(profiles)
    if resamples and result.value is not None:

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
    replacement; resamples where it is undefined are dropped. The same seed gives the
    same interval whatever order the units came in (and from rows or a matrix)."""
    units = sum(profiles.values())
    if units * resamples > MAX_BOOTSTRAP_DRAWS:
        raise InvalidInputError(
            f"a bootstrap of {units:,} units x {resamples:,} resamples is too large "
            f"(at most {MAX_BOOTSTRAP_DRAWS:,} unit draws): ask fewer resamples"
        )
    rng = random.Random(seed)
    # a canonical order, so the draws depend on the seed alone, not on unit order
    kinds = sorted(profiles, key=lambda profile: [(sort_key(v), c) for v, c in profile])
    weights = [profiles[kind] for kind in kinds]
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
