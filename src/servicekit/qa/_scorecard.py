"""QA scorecards: weighted criteria on rating scales, N/A skipped, critical criteria that
fail a whole review, and the score of one review (Zendesk QA's semantics).

Zendesk QA's help centre ("About the Zendesk QA Reviews dashboard calculations",
support.zendesk.com/hc/en-us/articles/7043701093786) defines:

- category score = (selected - scale minimum) / (scale maximum - scale minimum) x 100;
- review score = sum(category score x weight) / sum(weight), over the rated categories
  only (N/A and skipped categories count neither in the sum nor in the weights);
- if a *critical* category is rated below 50 %, the review score is 0;
- IQS = the mean of review scores (see :mod:`servicekit.qa._quality`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from fractions import Fraction
from typing import Any

import attrs

from servicekit._checks import finite, named, short
from servicekit.errors import ConfigError, InvalidInputError, ServicekitError

Rating = int | float | None

#: A critical category rated strictly below this share of its scale fails the review.
CRITICAL_BELOW = Fraction(1, 2)


def _scale(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if (
        not isinstance(value, tuple)
        or len(value) != 2
        or not all(isinstance(end, int) and not isinstance(end, bool) for end in value)
        or value[0] >= value[1]
    ):
        raise InvalidInputError(
            f"scale must be (lowest, highest) whole numbers with lowest < highest, "
            f"got {short(value)}"
        )


def _to_scale(value: object) -> object:
    return tuple(value) if isinstance(value, list) else value


def _weight(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    finite("weight", value, low=0)


def _critical(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, bool):
        raise InvalidInputError(f"critical must be true or false, got {short(value)}")


@attrs.frozen(kw_only=True)
class Criterion:
    """One line of a scorecard (Zendesk QA calls it a *category*).

    Args:
        name: what is rated ("Empathy", "Correct solution").
        scale: ``(lowest, highest)`` whole-number ratings, e.g. ``(0, 1)`` for pass/fail,
            ``(1, 5)`` for five points.
        weight: its weight in the review score, a finite number >= 0 (Zendesk uses
            whole numbers 0-100); a weight of 0 rates without counting.
        critical: an *auto-fail* criterion: rated below 50 % of its scale, it sets the
            whole review score to 0. Exactly 50 % does not fail.

    >>> Criterion(name="Tone", scale=(1, 5), weight=2).score(4)
    75.0
    """

    name: str = attrs.field(validator=named)
    scale: tuple[int, int] = attrs.field(default=(1, 5), converter=_to_scale, validator=_scale)
    weight: float = attrs.field(default=1, validator=_weight)
    critical: bool = attrs.field(default=False, validator=_critical)

    def score(self, rating: int | float) -> float:
        """The category score in percent: ``(rating - lowest) / (highest - lowest) x 100``.

        Raises:
            InvalidInputError: ``rating`` is not a whole number on the scale.
        """
        return float(self._share(rating) * 100)

    def fails(self, rating: int | float) -> bool:
        """Whether ``rating`` fails the review: critical and below 50 % of the scale."""
        return self.critical and self._share(rating) < CRITICAL_BELOW

    def _share(self, rating: object) -> Fraction:
        low, high = self.scale
        if (
            isinstance(rating, bool)
            or not isinstance(rating, int | float)
            or not math.isfinite(rating)
            or rating != int(rating)
            or not low <= rating <= high
        ):
            raise InvalidInputError(
                f"{short(self.name)} is rated on whole numbers {low}-{high} (or None for N/A), "
                f"got {short(rating)}"
            )
        return Fraction(int(rating) - low, high - low)

    def to_dict(self) -> dict[str, Any]:
        """The plain-dict form read by :meth:`Scorecard.from_dict`."""
        return {
            "name": self.name,
            "scale": list(self.scale),
            "weight": self.weight,
            "critical": self.critical,
        }


@attrs.frozen(kw_only=True)
class ReviewScore:
    """The score of one review on a scorecard.

    Attributes:
        value: the review score in percent [0, 100]; 0 when a critical criterion failed;
            ``None`` when nothing with a weight above 0 was rated (all N/A).
        categories: each rated criterion's category score in percent (not zeroed by a
            critical failure: Zendesk's "scores by category" view).
        failed: the critical criteria that failed the review.
        skipped: criteria rated N/A or not rated.
        reason: one sentence saying how the value came about.
    """

    value: float | None
    categories: Mapping[str, float] = attrs.field(hash=False)
    failed: tuple[str, ...]
    skipped: tuple[str, ...]
    reason: str

    def explain(self) -> str:
        """The score and each category, one per line."""
        head = "no score" if self.value is None else f"{self.value:.2f} %"
        lines = [f"review score {head}: {self.reason}"]
        lines += [f"  {name}: {score:.2f} %" for name, score in self.categories.items()]
        lines += [f"  {name}: N/A" for name in self.skipped]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """One row for a data team: value, reason, and one column per category."""
        return {
            "value": self.value,
            "failed": list(self.failed),
            "skipped": list(self.skipped),
            "reason": self.reason,
            **{f"category:{name}": score for name, score in self.categories.items()},
        }


def _criteria(value: object) -> tuple[Criterion, ...]:
    if isinstance(value, Criterion):
        return (value,)
    if not isinstance(value, Iterable) or isinstance(value, str | Mapping):
        raise InvalidInputError(f"criteria must be Criterion values, got {short(value)}")
    found = tuple(value)
    for item in found:
        if not isinstance(item, Criterion):
            raise InvalidInputError(f"not a Criterion: {short(item)}")
    return found


def _unique(
    instance: Scorecard, attribute: attrs.Attribute[Any], value: tuple[Criterion, ...]
) -> None:
    if not value:
        raise InvalidInputError("a scorecard needs at least one criterion")
    names = [criterion.name for criterion in value]
    if len(set(names)) != len(names):
        twice = sorted({name for name in names if names.count(name) > 1})
        raise InvalidInputError(f"criterion names must be unique, repeated: {short(twice)}")


@attrs.frozen(kw_only=True)
class Scorecard:
    """A QA scorecard: named, weighted criteria.

    >>> card = Scorecard(name="Email", criteria=[
    ...     Criterion(name="Solution", scale=(0, 1), weight=2, critical=True),
    ...     Criterion(name="Tone", scale=(1, 5), weight=1),
    ... ])
    >>> card.score({"Solution": 1, "Tone": 3}).value  # (100 x 2 + 50 x 1) / 3
    83.333...
    >>> card.score({"Solution": 0, "Tone": 5}).value  # a critical criterion failed
    0.0
    >>> card.score({"Solution": 1, "Tone": None}).value  # N/A is skipped
    100.0
    """

    name: str = attrs.field(validator=named)
    criteria: tuple[Criterion, ...] = attrs.field(converter=_criteria, validator=_unique)

    def criterion(self, name: str) -> Criterion:
        """The criterion called ``name``.

        Raises:
            InvalidInputError: the scorecard has no such criterion.
        """
        for criterion in self.criteria:
            if criterion.name == name:
                return criterion
        known = ", ".join(c.name for c in self.criteria)
        raise InvalidInputError(
            f"scorecard {short(self.name)} has no criterion {short(name)} ({known})"
        )

    def score(self, ratings: Mapping[str, Rating]) -> ReviewScore:
        """Score one review: ``ratings`` maps criterion names to a rating on its scale, or
        to ``None`` (or NaN, as a data frame holds it) for N/A; criteria left out are N/A
        too.

        Raises:
            InvalidInputError: an unknown criterion, or a rating off its scale.
        """
        if not isinstance(ratings, Mapping):
            raise InvalidInputError(
                f"ratings must map criterion names to ratings, got {short(ratings)}"
            )
        for name in ratings:
            self.criterion(name)
        categories: dict[str, float] = {}
        failed: list[str] = []
        skipped: list[str] = []
        total = weights = Fraction(0)
        for criterion in self.criteria:
            rating = ratings.get(criterion.name)
            if rating is None or (isinstance(rating, float) and math.isnan(rating)):
                skipped.append(criterion.name)
                continue
            share = criterion._share(rating)
            categories[criterion.name] = float(share * 100)
            weight = Fraction(criterion.weight)
            total += share * 100 * weight
            weights += weight
            if criterion.fails(rating):
                failed.append(criterion.name)
        if failed:
            value: float | None = 0.0
            reason = f"critical {_listed(failed)} rated below 50 %, so the review scores 0"
        elif weights == 0:
            value = None
            reason = (
                "nothing was rated (all N/A)"
                if not categories
                else "only criteria with weight 0 were rated"
            )
        else:
            value = float(total / weights)
            reason = f"weighted mean of {len(categories)} rated criteria"
            if skipped:
                reason += f", {len(skipped)} N/A skipped"
        return ReviewScore(
            value=value,
            categories=categories,
            failed=tuple(failed),
            skipped=tuple(skipped),
            reason=reason,
        )

    def to_dict(self) -> dict[str, Any]:
        """The plain-dict form read by :meth:`from_dict`."""
        return {"name": self.name, "criteria": [c.to_dict() for c in self.criteria]}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Scorecard:
        """A scorecard from plain data (parsed JSON/TOML/YAML).

        >>> card = Scorecard.from_dict({"name": "Chat", "criteria": [
        ...     {"name": "Greeting", "scale": [0, 1]},
        ...     {"name": "Accuracy", "scale": [1, 4], "weight": 3, "critical": True}]})
        >>> Scorecard.from_dict(card.to_dict()) == card
        True

        Raises:
            ConfigError: naming the path of the bad value (``criteria[1].scale``).
        """
        if not isinstance(data, Mapping):
            raise ConfigError("", f"a scorecard is a mapping, got {short(data)}")
        unknown = set(data) - {"name", "criteria"}
        if unknown:
            raise ConfigError("", f"unknown scorecard keys {sorted(map(str, unknown))}")
        items = data.get("criteria")
        if not isinstance(items, list | tuple):
            raise ConfigError("criteria", f"must be a list, got {short(items)}")
        criteria = []
        for index, item in enumerate(items):
            path = f"criteria[{index}]"
            if not isinstance(item, Mapping):
                raise ConfigError(path, f"must be a mapping, got {short(item)}")
            extra = set(item) - {"name", "scale", "weight", "critical"}
            if extra:
                raise ConfigError(path, f"unknown keys {sorted(map(str, extra))}")
            for key in item:
                try:
                    Criterion(**{"name": "x", key: item[key]})
                except ServicekitError as error:
                    raise ConfigError(f"{path}.{key}", str(error)) from None
            try:
                criteria.append(Criterion(**item))
            except ServicekitError as error:
                raise ConfigError(path, str(error)) from None
        try:
            return cls(name=data.get("name"), criteria=criteria)  # type: ignore[arg-type]
        except ServicekitError as error:
            raise ConfigError("name" if "name" in str(error) else "criteria", str(error)) from None


def _listed(names: list[str]) -> str:
    quoted = [repr(name) for name in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]
