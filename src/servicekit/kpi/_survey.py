"""Survey scores: CSAT, NPS and CES, each a function over any iterable of responses
and a mergeable tally behind it."""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable
from typing import Any, Self

from servicekit.errors import InvalidInputError, short
from servicekit.kpi._inputs import MISSING, KeysMissing, iterable, missing, whole_number_in
from servicekit.kpi._stats import CES, NPS, Proportion, z_score
from servicekit.kpi._tally import CountingTally

Scale = tuple[int, int]


def _scale(scale: object, what: str) -> Scale:
    if (
        not isinstance(scale, tuple | list)
        or len(scale) != 2
        or not all(isinstance(end, int) and not isinstance(end, bool) for end in scale)
        or scale[0] >= scale[1]
    ):
        raise InvalidInputError(
            f"{what} scale must be (lowest, highest) whole numbers, got {short(scale)}"
        )
    return int(scale[0]), int(scale[1])


class CSATTally(KeysMissing[Proportion], CountingTally[Proportion]):
    """Accumulates CSAT ratings; see :func:`csat`.

    >>> CSATTally().update([5, 4, 2]).merge(CSATTally().update([5])).result().value
    0.75
    """

    def __init__(
        self,
        *,
        scale: Scale | None = (1, 5),
        positive: Iterable[Hashable] | None = None,
        confidence: float = 0.95,
    ) -> None:
        super().__init__(confidence=confidence)
        self.scale = None if scale is None else _scale(scale, "CSAT")
        if positive is None:
            if self.scale is None:
                raise InvalidInputError("csat: with scale=None, say which ratings are positive")
            positive = (self.scale[1] - 1, self.scale[1])
        chosen = tuple(iterable(positive))
        if not all(isinstance(p, Hashable) for p in chosen):
            raise InvalidInputError(f"csat: positive ratings must be ratings, got {short(chosen)}")
        self.positive = frozenset(chosen)
        if self.scale is not None:
            low, high = self.scale
            if not self.positive or not all(whole_number_in(low, high)(p) for p in self.positive):
                shown = sorted(map(repr, self.positive))
                raise InvalidInputError(
                    f"csat: positive ratings {', '.join(shown)} must lie on the scale {low}-{high}"
                )
            self.rule = f"CSAT ratings are whole numbers from {low} to {high}"

    def valid(self, value: Any) -> bool:
        if self.scale is None or missing(value):
            return True
        return whole_number_in(*self.scale)(value)

    def key(self, value: Any) -> Hashable:
        if missing(value):
            return MISSING  # type: ignore[no-any-return]
        return int(value) if self.scale is not None else value

    def settings(self) -> tuple[Hashable, ...]:
        return (self.scale, self.positive, self.confidence)

    def _empty(self) -> Self:
        return type(self)(scale=self.scale, positive=self.positive, confidence=self.confidence)

    def result(self) -> Proportion:
        counts = self.present()
        total = sum(counts.values())
        good = sum(times for rating, times in counts.items() if rating in self.positive)
        return Proportion.of(good, total, self.confidence, missing=self.missing)


def csat(
    ratings: Iterable[Any],
    *,
    scale: Scale | None = (1, 5),
    positive: Iterable[Hashable] | None = None,
    confidence: float = 0.95,
) -> Proportion:
    """Customer satisfaction: the share of ratings that are positive, with its Wilson
    interval.

    ``positive`` defaults to the top two points of ``scale`` (4 and 5 on 1-5, the
    usual "top-2-box"); ``scale=None`` accepts any values (``"good"``/``"bad"``) and
    then needs ``positive``. Integral floats count (pandas gives 4.0).

    Missing ratings (None, NaN, ``pd.NA``, NaT: the unrated rows of a survey) are
    skipped and counted in ``missing``.

    Raises:
        InvalidInputError: a rating off the scale, naming its position; a bad scale
            or positive set.

    >>> csat([5, 4, 4, 3, 1]).value
    0.6
    >>> csat(["good", "bad", "good"], scale=None, positive={"good"}).successes
    2
    >>> result = csat([5, None, 4, float("nan")])
    >>> result.count, result.missing
    (2, 2)
    >>> csat([5, 0])
    Traceback (most recent call last):
    ...
    servicekit.errors.InvalidInputError: CSAT ratings are ... from 1 to 5; got 0 at position 1
    """
    tally = CSATTally(scale=scale, positive=positive, confidence=confidence)
    return tally.update(ratings).result()


class NPSTally(KeysMissing[NPS], CountingTally[NPS]):
    """Accumulates NPS answers (whole numbers 0-10); see :func:`nps`.

    >>> NPSTally().update([10, 9]).merge(NPSTally().update([0])).result().score
    33.333...
    """

    rule = "NPS scores are whole numbers from 0 to 10"

    def valid(self, value: Any) -> bool:
        return missing(value) or whole_number_in(0, 10)(value)

    def key(self, value: Any) -> Hashable:
        return MISSING if missing(value) else int(value)

    def result(self) -> NPS:
        counts = self.present()
        promoters = counts[9] + counts[10]
        detractors = sum(counts[score] for score in range(7))
        count = sum(counts.values())
        passives = count - promoters - detractors
        if count == 0:
            return NPS(score=None, promoters=0, passives=0, detractors=0, count=0,
                       margin_of_error=None, interval=None, missing=self.missing)  # fmt: skip
        up, down = promoters / count, detractors / count
        score = (up - down) * 100
        variance = up + down - (up - down) ** 2
        margin = z_score(self.confidence) * math.sqrt(variance / count) * 100
        interval = (max(-100.0, score - margin), min(100.0, score + margin))
        return NPS(score=score, promoters=promoters, passives=passives, detractors=detractors,
                   count=count, margin_of_error=margin, interval=interval,
                   missing=self.missing)  # fmt: skip


def nps(scores: Iterable[Any], *, confidence: float = 0.95) -> NPS:
    """Net Promoter Score: % promoters (9-10) minus % detractors (0-6), in points.

    The margin of error is ``z * sqrt(v / n) * 100`` with the per-response variance
    ``v = p+ + p- - (p+ - p-)^2`` (each answer scores +1, 0 or -1).

    Missing answers (None, NaN, ``pd.NA``) are skipped and counted in ``missing``.

    Raises:
        InvalidInputError: a score that is not a whole number 0-10 (an 11, 7.5),
            naming its position.

    >>> result = nps([10, 9, 9, 8, 7, 6, 3, 10, 9, 10])
    >>> result.score, result.promoters, result.detractors
    (40.0, 6, 2)
    >>> round(result.margin_of_error, 1)
    49.6
    """
    return NPSTally(confidence=confidence).update(scores).result()


class CESTally(KeysMissing[CES], CountingTally[CES]):
    """Accumulates Customer Effort Score answers; see :func:`ces`."""

    def __init__(
        self,
        *,
        scale: Scale = (1, 7),
        higher_is_easier: bool = True,
        agree_from: int = 5,
        confidence: float = 0.95,
    ) -> None:
        super().__init__(confidence=confidence)
        self.scale = _scale(scale, "CES")
        low, high = self.scale
        if not isinstance(higher_is_easier, bool):
            raise InvalidInputError(
                f"higher_is_easier must be true or false, got {short(higher_is_easier)}"
            )
        if not whole_number_in(low, high)(agree_from):
            raise InvalidInputError(
                f"agree_from must lie on the scale {low}-{high}, got {short(agree_from)}"
            )
        self.higher_is_easier = higher_is_easier
        self.agree_from = agree_from
        self.rule = f"CES scores are whole numbers from {low} to {high}"

    def valid(self, value: Any) -> bool:
        return missing(value) or whole_number_in(*self.scale)(value)

    def key(self, value: Any) -> Hashable:
        return MISSING if missing(value) else int(value)

    def settings(self) -> tuple[Hashable, ...]:
        return (self.scale, self.higher_is_easier, self.agree_from, self.confidence)

    def _empty(self) -> Self:
        return type(self)(scale=self.scale, higher_is_easier=self.higher_is_easier,
                          agree_from=self.agree_from, confidence=self.confidence)  # fmt: skip

    def _agrees(self, score: int) -> bool:
        return score >= self.agree_from if self.higher_is_easier else score <= self.agree_from

    def result(self) -> CES:
        counts = self.present()
        count = sum(counts.values())
        agree_count = sum(t for score, t in counts.items() if self._agrees(int(score)))
        agree = Proportion.of(agree_count, count, self.confidence)
        if count == 0:
            return CES(mean=None, interval=None, agree=agree, count=0, missing=self.missing)
        total = sum(int(score) * t for score, t in counts.items())
        mean = total / count
        interval = None
        if count > 1:
            squares = sum(int(score) ** 2 * t for score, t in counts.items())
            variance = (squares - total * total / count) / (count - 1)
            half = z_score(self.confidence) * math.sqrt(max(variance, 0.0) / count)
            interval = (mean - half, mean + half)
        return CES(mean=mean, interval=interval, agree=agree, count=count, missing=self.missing)


def ces(
    scores: Iterable[Any],
    *,
    scale: Scale = (1, 7),
    higher_is_easier: bool = True,
    agree_from: int = 5,
    confidence: float = 0.95,
) -> CES:
    """Customer Effort Score: the mean answer, its interval, and ``agree``, the share
    of answers on the easy side of ``agree_from`` (at or above it when
    ``higher_is_easier``, the CES 2.0 "the company made it easy" 1-7 agreement scale;
    at or below it for the original 1-5 "how much effort" scale, where low is easy).

    Missing answers are skipped and counted in ``missing``.

    Raises:
        InvalidInputError: a score off the scale, naming its position; a bad scale,
            direction or ``agree_from``.

    >>> result = ces([7, 6, 5, 5, 2])
    >>> result.mean, result.agree.value
    (5.0, 0.8)
    >>> ces([1, 2, 4], scale=(1, 5), higher_is_easier=False, agree_from=2).agree.successes
    2
    """
    tally = CESTally(scale=scale, higher_is_easier=higher_is_easier, agree_from=agree_from,
                     confidence=confidence)  # fmt: skip
    return tally.update(scores).result()
