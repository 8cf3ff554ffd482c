"""Result values and the statistics behind them: proportions with Wilson intervals,
NPS with its margin of error, CES, and duration summaries with exact percentiles."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import timedelta
from fractions import Fraction
from statistics import NormalDist
from typing import Any

import attrs

from servicekit._checks import count
from servicekit.errors import InvalidInputError, InvalidTypeError, short
from servicekit.kpi._inputs import iterable, materialized

Interval = tuple[float, float]


def z_score(confidence: float) -> float:
    """The two-sided normal quantile for ``confidence`` (1.959964 for 0.95).

    Raises:
        InvalidInputError: ``confidence`` is not strictly between 0 and 1.
    """
    if isinstance(confidence, bool) or not isinstance(confidence, int | float):
        raise InvalidInputError(f"confidence must be a number in (0, 1), got {short(confidence)}")
    if not 0 < confidence < 1:
        raise InvalidInputError(f"confidence must be in (0, 1), got {short(confidence)}")
    return NormalDist().inv_cdf(0.5 + confidence / 2)


def wilson_interval(successes: int, trials: int, confidence: float = 0.95) -> Interval:
    """The Wilson score interval for a proportion: well behaved near 0 and 1 and for
    small samples, unlike the normal approximation.

    Raises:
        InvalidInputError: counts that are not whole numbers with
            ``0 <= successes <= trials`` and ``trials >= 1``, or a bad confidence.

    >>> low, high = wilson_interval(8, 10)
    >>> round(low, 4), round(high, 4)
    (0.4902, 0.9433)
    """
    for name, value in (("successes", successes), ("trials", trials)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidInputError(f"{name} must be a whole number, got {short(value)}")
    if trials < 1 or not 0 <= successes <= trials:
        raise InvalidInputError(
            f"need 0 <= successes <= trials and trials >= 1, got {successes} of {trials}"
        )
    z = z_score(confidence)
    p = successes / trials
    spread = z * z / trials
    center = (p + spread / 2) / (1 + spread)
    half = z * math.sqrt(p * (1 - p) / trials + spread / (4 * trials)) / (1 + spread)
    low = 0.0 if successes == 0 else max(0.0, center - half)  # exact at the ends
    high = 1.0 if successes == trials else min(1.0, center + half)
    return low, high


@attrs.frozen(kw_only=True)
class Proportion:
    """``successes`` out of ``count`` as a fraction in [0, 1], with its Wilson
    interval. Empty input: ``count == 0`` and ``value`` and ``interval`` are ``None``.

    >>> Proportion.of(45, 50)
    Proportion(successes=45, count=50, value=0.9, interval=(0.7863..., 0.9565...))
    >>> Proportion.of(0, 0).value is None
    True
    """

    successes: int
    count: int
    value: float | None
    interval: Interval | None
    missing: int = attrs.field(default=0, repr=False)
    """Inputs skipped as missing (None, NaN, ``pd.NA``, NaT); not in ``count``."""

    @classmethod
    def of(
        cls, successes: int, count: int, confidence: float = 0.95, *, missing: int = 0
    ) -> Proportion:
        """The proportion and its interval at ``confidence``."""
        if count == 0:
            return cls(successes=0, count=0, value=None, interval=None, missing=missing)
        interval = wilson_interval(successes, count, confidence)
        return cls(
            successes=successes,
            count=count,
            value=successes / count,
            interval=interval,
            missing=missing,
        )

    def to_dict(self) -> dict[str, Any]:
        """One entry per field, the interval as ``low`` and ``high`` (for
        ``pd.DataFrame.from_records`` or :func:`to_frame`).

        >>> Proportion.of(1, 2, missing=3).to_dict()
        {'successes': 1, 'count': 2, 'value': 0.5, 'low': 0.0945..., 'high': 0.9054..., \
'missing': 3}
        """
        return flat(self)


@attrs.frozen(kw_only=True)
class NPS:
    """Net Promoter Score in points [-100, 100]: % promoters (9-10) minus %
    detractors (0-6). ``margin_of_error`` is the half-width of the confidence
    interval from the per-response variance ``p+ + p- - (p+ - p-)^2``, in points.
    Empty input: ``count == 0`` and ``score``, margin and interval are ``None``.
    """

    score: float | None
    promoters: int
    passives: int
    detractors: int
    count: int
    margin_of_error: float | None
    interval: Interval | None
    missing: int = attrs.field(default=0, repr=False)
    """Answers skipped as missing (None, NaN, ``pd.NA``, NaT); not in ``count``."""

    def to_dict(self) -> dict[str, Any]:
        """One entry per field, the interval as ``low`` and ``high``."""
        return flat(self)


@attrs.frozen(kw_only=True)
class CES:
    """Customer Effort Score: the ``mean`` on the survey's scale with a normal
    interval from the sample variance (``None`` below two responses), and ``agree``,
    the share of responses on the easy side of ``agree_from``."""

    mean: float | None
    interval: Interval | None
    agree: Proportion
    count: int
    missing: int = attrs.field(default=0, repr=False)
    """Answers skipped as missing (None, NaN, ``pd.NA``, NaT); not in ``count``."""

    def to_dict(self) -> dict[str, Any]:
        """One entry per field, the interval as ``low`` and ``high``, ``agree`` as
        ``agree_value``, ``agree_low``, ``agree_high`` and ``agree_successes``."""
        return flat(self)


def _round_us(value: Fraction) -> int:
    return round(value)  # half to even, exact


@attrs.frozen
class DurationSummary:
    """Count, mean, median, min, max and any percentile of a set of durations,
    exact to the microsecond (means and interpolations round half to even).

    Percentiles use linear interpolation between closest ranks, NumPy's default
    (``method="linear"``): for ``n`` sorted values, percentile ``q`` sits at rank
    ``(n - 1) * q / 100``. Empty input: ``count == 0`` and every statistic ``None``.

    >>> s = DurationSummary.of_microseconds([60_000_000, 120_000_000, 600_000_000])
    >>> s.count, s.median, s.percentile(90)
    (3, datetime.timedelta(seconds=120), datetime.timedelta(seconds=504))
    """

    sorted_microseconds: tuple[int, ...] = attrs.field(repr=False)
    missing: int = attrs.field(default=0, kw_only=True, repr=False)
    """Durations skipped as missing (None, NaN, ``pd.NA``, NaT); not in ``count``."""

    @classmethod
    def of_microseconds(cls, values: Sequence[int], *, missing: int = 0) -> DurationSummary:
        """A summary of durations given in whole microseconds."""
        found = tuple(materialized(values))
        if not all(type(us) is int for us in found):
            raise InvalidTypeError(f"values must be whole microseconds, got {short(found)}")
        return cls(tuple(sorted(found)), missing=count(missing, "missing"))

    def to_dict(self) -> dict[str, Any]:
        """``count``, ``mean``, ``median``, ``p90``, ``min``, ``max`` and ``missing``.

        >>> DurationSummary.of_microseconds([60_000_000]).to_dict()["median"]
        datetime.timedelta(seconds=60)
        """
        return flat(self)

    @property
    def count(self) -> int:
        """How many durations."""
        return len(self.sorted_microseconds)

    @property
    def mean(self) -> timedelta | None:
        """The arithmetic mean."""
        if not self.count:
            return None
        return timedelta(
            microseconds=_round_us(Fraction(sum(self.sorted_microseconds), self.count))
        )

    @property
    def median(self) -> timedelta | None:
        """The 50th percentile."""
        return self.percentile(50)

    @property
    def min(self) -> timedelta | None:
        """The shortest."""
        return timedelta(microseconds=self.sorted_microseconds[0]) if self.count else None

    @property
    def max(self) -> timedelta | None:
        """The longest."""
        return timedelta(microseconds=self.sorted_microseconds[-1]) if self.count else None

    def percentile(self, q: float) -> timedelta | None:
        """The ``q``-th percentile, ``q`` in [0, 100] (linear interpolation).

        Raises:
            InvalidInputError: ``q`` outside [0, 100].
        """
        if isinstance(q, bool) or not isinstance(q, int | float) or not 0 <= q <= 100:
            raise InvalidInputError(f"percentile must be a number in [0, 100], got {short(q)}")
        values = self.sorted_microseconds
        if not values:
            return None
        rank = Fraction(q) / 100 * (len(values) - 1)
        low = math.floor(rank)
        high = min(low + 1, len(values) - 1)
        exact = values[low] + (values[high] - values[low]) * (rank - low)
        return timedelta(microseconds=_round_us(exact))

    def __repr__(self) -> str:
        return (
            f"DurationSummary(count={self.count}, mean={self.mean!r}, median={self.median!r}, "
            f"min={self.min!r}, max={self.max!r})"
        )


# -- results as rows ---------------------------------------------------------------------


def flat(result: object) -> dict[str, Any]:
    """A KPI result as one flat row: each field a key, an ``interval`` as ``low`` and
    ``high`` (another interval field ``x`` as ``x_low``/``x_high``), a nested result
    as ``name_field`` keys, a :class:`DurationSummary` as its statistics."""
    if isinstance(result, DurationSummary):
        return {
            "count": result.count,
            "mean": result.mean,
            "median": result.median,
            "p90": result.percentile(90),
            "min": result.min,
            "max": result.max,
            "missing": result.missing,
        }
    row: dict[str, Any] = {}
    for field in attrs.fields(type(result)):  # type: ignore[arg-type]
        value = getattr(result, field.name)
        if field.name == "interval" or field.name.endswith("_interval"):
            prefix = "" if field.name == "interval" else field.name[: -len("interval")]
            row[f"{prefix}low"], row[f"{prefix}high"] = value if value is not None else (None, None)
        elif attrs.has(type(value)) or isinstance(value, DurationSummary):
            inner = flat(value)
            inner.pop("missing", None)
            row.update({f"{field.name}_{key}": item for key, item in inner.items()})
        else:
            row[field.name] = value
    return row


def to_frame(results: Iterable[Any] | Mapping[Any, Any]) -> Any:
    """KPI results as a pandas DataFrame: one row per result, one column per field,
    intervals as ``low``/``high`` columns (see each result's ``to_dict``). A mapping
    (``{week: result}``, as from :func:`by_period` and a metric) gives the keys as the
    index (tuple keys, as from a ``groupby`` on several columns, a MultiIndex). Needs
    pandas (``pip install servicekit[columns]``).

    Raises:
        InvalidInputError: an item that is not a KPI result.
        MissingExtraError: pandas is not installed.

    >>> from servicekit import kpi
    >>> kpi.to_frame({"week 1": kpi.csat([5, 4, None]), "week 2": kpi.csat([1, 5])})
            successes  count  value       low      high  missing
    week 1          2      2    1.0  0.342...  1.000000        1
    week 2          1      2    0.5  0.094...  0.905...        0
    """
    try:
        import pandas  # noqa: PLC0415 -- optional extra, imported on first use
    except ImportError as exc:
        from servicekit.errors import MissingExtraError  # noqa: PLC0415

        raise MissingExtraError(
            "kpi.to_frame needs pandas: pip install servicekit[columns]"
        ) from exc
    keys = list(results) if isinstance(results, Mapping) else None
    items = list(results.values()) if isinstance(results, Mapping) else list(iterable(results))
    rows = []
    for position, item in enumerate(items):
        if not callable(getattr(item, "to_dict", None)) or not (
            attrs.has(type(item)) or isinstance(item, DurationSummary)
        ):
            raise InvalidInputError(f"results[{position}] is not a KPI result: {short(item, 60)}")
        rows.append(flat(item))
    index: Any = keys
    if keys and all(isinstance(key, tuple) for key in keys):
        index = pandas.MultiIndex.from_tuples(keys)  # from a groupby on several columns
    return pandas.DataFrame.from_records(rows, index=index)
