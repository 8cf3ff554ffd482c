"""Mergeable accumulators: every metric can be computed in parts (Dask or Spark
partitions, days of logs) and combined. ``add`` takes one value, ``update`` many,
``merge`` returns a new accumulator holding both sides (associative and commutative),
``result`` gives the metric."""

from __future__ import annotations

import abc
from collections import Counter
from collections.abc import Hashable, Iterable
from typing import Any, Generic, Self, TypeVar

from servicekit.errors import InvalidInputError, short
from servicekit.kpi._inputs import check_keys, counted, iterable, present_microseconds
from servicekit.kpi._stats import DurationSummary, z_score

R = TypeVar("R")


class Tally(abc.ABC, Generic[R]):
    """An accumulator for one metric with fixed settings (a scale, a threshold...)."""

    @abc.abstractmethod
    def add(self, value: Any) -> None:
        """Count one more input."""

    def update(self, values: Iterable[Any]) -> Self:
        """Count many inputs (a list, generator, NumPy array or pandas Series); returns
        this accumulator. Counts them one by one unless a tally knows a faster way."""
        for value in iterable(values):
            self.add(value)
        return self

    @abc.abstractmethod
    def merge(self, other: Self) -> Self:
        """A new accumulator holding both this one's inputs and ``other``'s.

        Raises:
            InvalidInputError: ``other`` has other settings (a different scale).
        """

    @abc.abstractmethod
    def result(self) -> R:
        """The metric over everything counted so far."""

    def _check_mergeable(self, other: object) -> None:
        if not isinstance(other, type(self)) or self.settings() != other.settings():
            raise InvalidInputError(
                f"cannot merge {short(other)} into {short(self)}: settings differ"
            )

    @abc.abstractmethod
    def settings(self) -> tuple[object, ...]:
        """What must be equal for two accumulators to merge."""


class CountingTally(Tally[R]):
    """A tally that keeps how often each distinct (valid) input occurred: exact, and
    as small as the number of distinct inputs."""

    rule: str = "invalid value"

    def __init__(self, *, confidence: float = 0.95) -> None:
        z_score(confidence)
        self.confidence = confidence
        self.counts: Counter[Any] = Counter()

    def settings(self) -> tuple[object, ...]:
        return (self.confidence,)

    @abc.abstractmethod
    def valid(self, value: Any) -> bool:
        """Whether ``value`` is an allowed input."""

    def key(self, value: Any) -> Hashable:
        """The key a valid input is counted under."""
        return value  # type: ignore[no-any-return]

    def add(self, value: Any) -> None:
        if not isinstance(value, Hashable) or not self.valid(value):
            raise InvalidInputError(f"{self.rule}; got {short(value)}")
        self.counts[self.key(value)] += 1

    def update(self, values: Iterable[Any]) -> Self:
        counts, items = counted(values)
        check_keys(counts, items, self.valid, self.rule)
        for value, times in counts.items():
            self.counts[self.key(value)] += times
        return self

    def merge(self, other: Self) -> Self:
        self._check_mergeable(other)
        merged = self._empty()
        merged.counts = self.counts + other.counts
        return merged

    def _empty(self) -> Self:
        """A new, empty tally with the same settings."""
        return type(self)(confidence=self.confidence)


class ItemTally(CountingTally[R]):
    """A counting tally over objects (tickets, SLA clocks), counted one by one under
    the key each maps to."""

    def update(self, values: Iterable[Any]) -> Self:
        return Tally.update(self, values)  # not CountingTally's Counter: items are big


class DurationTally(Tally[DurationSummary]):
    """Durations, kept exactly (as microseconds) so percentiles of merged parts equal
    those of one pass. Missing values (``None``, NaN, ``pd.NA``, NaT) are skipped and
    counted in the result's ``missing``; negative or non-duration values raise.

    >>> from datetime import timedelta
    >>> a = DurationTally("waits").update([timedelta(seconds=30), timedelta(seconds=10)])
    >>> b = DurationTally("waits").update([timedelta(seconds=20), None])
    >>> summary = a.merge(b).result()
    >>> summary.median, summary.missing
    (datetime.timedelta(seconds=20), 1)
    """

    def __init__(self, what: str = "durations") -> None:
        self.what = what
        self.values: list[int] = []
        self.missing = 0

    def settings(self) -> tuple[Hashable, ...]:
        return ()

    def add(self, value: Any) -> None:
        self.update([value])

    def update(self, values: Iterable[Any]) -> Self:
        present, missing = present_microseconds(values, self.what)
        self.values.extend(present)
        self.missing += missing
        return self

    def add_microseconds(self, value: int) -> None:
        """Count one duration given in whole microseconds (already checked)."""
        self.values.append(value)

    def merge(self, other: Self) -> Self:
        self._check_mergeable(other)
        merged = type(self)(self.what)
        merged.values = self.values + other.values
        merged.missing = self.missing + other.missing
        return merged

    def result(self) -> DurationSummary:
        return DurationSummary.of_microseconds(self.values, missing=self.missing)

    def __repr__(self) -> str:
        return f"DurationTally({self.what!r}, count={len(self.values)}, missing={self.missing})"
