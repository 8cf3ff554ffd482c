"""Contact-centre metrics: handle time, speed of answer, service level under each
abandon convention, abandonment and occupancy."""

from __future__ import annotations

import enum
from collections.abc import Hashable, Iterable
from datetime import timedelta
from typing import Any, Self

import attrs

from servicekit._checks import member
from servicekit.durations import checked_duration
from servicekit.errors import InvalidInputError
from servicekit.kpi._inputs import MAX_DURATION_US, optional_microseconds, present_microseconds
from servicekit.kpi._stats import DurationSummary, Proportion, z_score
from servicekit.kpi._tally import DurationTally, Tally

_US = timedelta(microseconds=1)


class Convention(enum.StrEnum):
    """How service level treats abandoned contacts; the industry disagrees, so the
    choice is always explicit. With ``A`` answered, ``A_t`` answered within the
    threshold, ``B`` abandoned and ``B_t`` abandoned within it:

    - ``answered_only``: ``A_t / A`` (ICMI's first formula; Zendesk Talk);
    - ``abandoned_fail``: ``A_t / (A + B)`` (ICMI's second; Cisco's "abandoned calls
      affect service level negatively");
    - ``abandoned_within_success``: ``(A_t + B_t) / (A + B)`` (Cisco's "positively");
    - ``exclude_abandoned_within``: ``A_t / (A + B - B_t)`` (ICMI's third; Cisco's
      "ignore abandoned calls" within the threshold).
    """

    ANSWERED_ONLY = "answered_only"
    ABANDONED_FAIL = "abandoned_fail"
    ABANDONED_WITHIN_SUCCESS = "abandoned_within_success"
    EXCLUDE_ABANDONED_WITHIN = "exclude_abandoned_within"


def _short(value: object) -> int | None:
    if value is None:
        return None
    return checked_duration("short_abandon", value, positive=True) // _US


class ServiceLevelTally(Tally[Proportion]):
    """Accumulates answered and abandoned waits; see :func:`service_level`."""

    def __init__(
        self,
        *,
        threshold: timedelta | str,
        convention: Convention | str,
        short_abandon: timedelta | str | None = None,
        confidence: float = 0.95,
    ) -> None:
        self.threshold = checked_duration("threshold", threshold) // _US
        self.convention = member(Convention, convention)
        self.short_abandon = _short(short_abandon)
        z_score(confidence)
        self.confidence = confidence
        self.answered = self.answered_within = self.abandoned = self.abandoned_within = 0
        self.missing = 0

    def settings(self) -> tuple[Hashable, ...]:
        return (self.threshold, self.convention, self.short_abandon, self.confidence)

    def add(self, value: Any) -> None:
        """Count one answered contact's wait (see :meth:`add_abandoned`)."""
        self.update([value])

    def add_abandoned(self, value: Any) -> None:
        """Count one abandoned contact's wait."""
        self.update((), [value])

    def update(self, values: Iterable[Any], abandoned: Iterable[Any] = ()) -> Self:
        """Count answered waits, and abandoned ones."""
        answered, gone = present_microseconds(values, "answered_waits")
        dropped, gone_too = present_microseconds(abandoned, "abandoned_waits")
        self.missing += gone + gone_too
        if self.short_abandon is not None:
            dropped = [wait for wait in dropped if wait >= self.short_abandon]
        self.answered += len(answered)
        self.answered_within += sum(1 for wait in answered if wait <= self.threshold)
        self.abandoned += len(dropped)
        self.abandoned_within += sum(1 for wait in dropped if wait <= self.threshold)
        return self

    def merge(self, other: Self) -> Self:
        self._check_mergeable(other)
        merged = type(self)(threshold=timedelta(microseconds=self.threshold),
                            convention=self.convention, confidence=self.confidence,
                            short_abandon=None if self.short_abandon is None
                            else timedelta(microseconds=self.short_abandon))  # fmt: skip
        for name in ("answered", "answered_within", "abandoned", "abandoned_within", "missing"):
            setattr(merged, name, getattr(self, name) + getattr(other, name))
        return merged

    def result(self) -> Proportion:
        a, a_t, b, b_t = self.answered, self.answered_within, self.abandoned, self.abandoned_within
        successes, count = {
            Convention.ANSWERED_ONLY: (a_t, a),
            Convention.ABANDONED_FAIL: (a_t, a + b),
            Convention.ABANDONED_WITHIN_SUCCESS: (a_t + b_t, a + b),
            Convention.EXCLUDE_ABANDONED_WITHIN: (a_t, a + b - b_t),
        }[self.convention]
        return Proportion.of(successes, count, self.confidence, missing=self.missing)


def service_level(
    answered_waits: Iterable[Any],
    abandoned_waits: Iterable[Any] = (),
    *,
    threshold: timedelta | str,
    convention: Convention | str,
    short_abandon: timedelta | str | None = None,
    confidence: float = 0.95,
) -> Proportion:
    """The share of contacts handled within ``threshold`` (a wait equal to the
    threshold is within it), under an explicit :class:`Convention` for abandons.
    Abandons shorter than ``short_abandon`` (callers who hung up at once) are dropped
    from everything.

    Waits are ``timedelta`` values, NumPy ``timedelta64`` arrays or pandas Series, or
    numbers of seconds.

    Missing waits (None, NaN, NaT, ``pd.NA``) are skipped and counted in ``missing``.

    Raises:
        InvalidInputError: a negative wait (naming its position), an unknown
            convention, a bad threshold.

    >>> answered = [5, 12, 18, 25, 40, 60, 8, 15]  # seconds
    >>> abandoned = [3, 30, 90]
    >>> for convention in Convention:
    ...     level = service_level(answered, abandoned, threshold="20s", convention=convention)
    ...     print(f"{convention:26} {level.successes}/{level.count}")
    answered_only              5/8
    abandoned_fail             5/11
    abandoned_within_success   6/11
    exclude_abandoned_within   5/10
    >>> service_level(answered, abandoned, threshold="20s", convention="abandoned_fail",
    ...               short_abandon="5s").count
    10
    """
    tally = ServiceLevelTally(threshold=threshold, convention=convention,
                              short_abandon=short_abandon, confidence=confidence)  # fmt: skip
    return tally.update(answered_waits, abandoned_waits).result()


class AbandonmentTally(Tally[Proportion]):
    """Accumulates answered and abandoned contacts; see :func:`abandonment_rate`."""

    def __init__(
        self, *, short_abandon: timedelta | str | None = None, confidence: float = 0.95
    ) -> None:
        self.short_abandon = _short(short_abandon)
        z_score(confidence)
        self.confidence = confidence
        self.answered = self.abandoned = self.missing = 0

    def settings(self) -> tuple[Hashable, ...]:
        return (self.short_abandon, self.confidence)

    def add(self, value: Any) -> None:
        """Count one answered contact's wait (see :meth:`add_abandoned`)."""
        self.update([value])

    def add_abandoned(self, value: Any) -> None:
        """Count one abandoned contact's wait."""
        self.update((), [value])

    def update(self, values: Iterable[Any], abandoned: Iterable[Any] = ()) -> Self:
        """Count answered waits, and abandoned ones (short abandons dropped)."""
        answered, gone = present_microseconds(values, "answered_waits")
        self.answered += len(answered)
        short = self.short_abandon
        dropped, gone_too = present_microseconds(abandoned, "abandoned_waits")
        self.missing += gone + gone_too
        self.abandoned += sum(1 for wait in dropped if short is None or wait >= short)
        return self

    def merge(self, other: Self) -> Self:
        self._check_mergeable(other)
        short = self.short_abandon
        merged = type(self)(
            short_abandon=None if short is None else timedelta(microseconds=short),
            confidence=self.confidence,
        )
        merged.answered = self.answered + other.answered
        merged.abandoned = self.abandoned + other.abandoned
        merged.missing = self.missing + other.missing
        return merged

    def result(self) -> Proportion:
        total = self.answered + self.abandoned
        return Proportion.of(self.abandoned, total, self.confidence, missing=self.missing)


def abandonment_rate(
    answered_waits: Iterable[Any],
    abandoned_waits: Iterable[Any],
    *,
    short_abandon: timedelta | str | None = None,
    confidence: float = 0.95,
) -> Proportion:
    """Abandoned contacts as a share of all offered contacts, short abandons dropped.

    >>> abandonment_rate([10, 20, 30], [2, 45], short_abandon="5s").value
    0.25
    """
    tally = AbandonmentTally(short_abandon=short_abandon, confidence=confidence)
    return tally.update(answered_waits, abandoned_waits).result()


class HandleTimeTally(Tally[DurationSummary]):
    """Accumulates per-contact handle times (talk + hold + wrap-up); see :func:`aht`."""

    def __init__(self) -> None:
        self.times = DurationTally("handle times")
        self.missing = 0

    def settings(self) -> tuple[Hashable, ...]:
        return ()

    def add(self, value: Any) -> None:
        """Count one contact's ``(talk, hold, wrap)``."""
        talk, hold, wrap = value
        self.update([talk], [hold], [wrap])

    def update(
        self,
        values: Iterable[Any],
        hold: Iterable[Any] | None = None,
        wrap: Iterable[Any] | None = None,
    ) -> Self:
        """Count contacts: talk times, and their hold and wrap-up times if given."""
        totals = optional_microseconds(values, "talk")
        for name, part in (("hold", hold), ("wrap", wrap)):
            if part is None:
                continue
            extra = optional_microseconds(part, name)
            if len(extra) != len(totals):
                raise InvalidInputError(
                    f"{name} has {len(extra)} contacts but talk has {len(totals)}; "
                    "give one value per contact"
                )
            totals = [
                None if a is None or b is None else a + b
                for a, b in zip(totals, extra, strict=True)
            ]
        for index, total in enumerate(totals):  # a contact with any part missing is missing
            if total is None:
                self.missing += 1
            elif total > MAX_DURATION_US:
                raise InvalidInputError(
                    f"handle time at position {index} is longer than a duration can be "
                    f"({timedelta.max.days} days)"
                )
            else:
                self.times.add_microseconds(total)
        return self

    def merge(self, other: Self) -> Self:
        self._check_mergeable(other)
        merged = type(self)()
        merged.times = self.times.merge(other.times)
        merged.missing = self.missing + other.missing
        return merged

    def result(self) -> DurationSummary:
        return attrs.evolve(self.times.result(), missing=self.missing)


def aht(
    talk: Iterable[Any], hold: Iterable[Any] | None = None, wrap: Iterable[Any] | None = None
) -> DurationSummary:
    """Average handle time as a summary of per-contact handle times (talk + hold +
    wrap-up), so the mean is total handle time / contacts, never a mean of means.

    A contact with any of its times missing (None, NaN, NaT) is skipped and counted
    in ``missing``.

    Raises:
        InvalidInputError: a negative time, or ``hold``/``wrap`` of another length
            than ``talk``.

    >>> aht(talk=[300, 420], hold=[60, 0], wrap=[30, 90]).mean
    datetime.timedelta(seconds=450)
    """
    return HandleTimeTally().update(talk, hold, wrap).result()


def asa(answer_waits: Iterable[Any]) -> DurationSummary:
    """Speed of answer over answered contacts: ``.mean`` is the ASA, and the median
    and percentiles say more than it.

    >>> asa([10, 20, 90]).mean, asa([10, 20, 90]).median
    (datetime.timedelta(seconds=40), datetime.timedelta(seconds=20))
    """
    present, gone = present_microseconds(answer_waits, "answer_waits")
    return DurationSummary.of_microseconds(present, missing=gone)


class OccupancyTally(Tally[Proportion]):
    """Accumulates handle and available time; see :func:`occupancy`."""

    def __init__(self) -> None:
        self.handle = 0
        self.available = 0
        self.missing = 0

    def settings(self) -> tuple[Hashable, ...]:
        return ()

    def add(self, value: Any) -> None:
        """Count one (handle time, available time) pair."""
        handle, available = value
        self.update([handle], [available])

    def update(self, values: Iterable[Any], available: Iterable[Any] = ()) -> Self:
        """Count handle times and available times (any lengths: both are summed)."""
        handle, gone = present_microseconds(values, "handle_time")
        free, gone_too = present_microseconds(available, "available_time")
        self.handle += sum(handle)
        self.available += sum(free)
        self.missing += gone + gone_too
        return self

    def merge(self, other: Self) -> Self:
        self._check_mergeable(other)
        merged = type(self)()
        merged.handle, merged.available = (
            self.handle + other.handle,
            self.available + other.available,
        )
        merged.missing = self.missing + other.missing
        return merged

    def result(self) -> Proportion:
        if self.handle > self.available:
            raise InvalidInputError(
                f"handle time {timedelta(microseconds=self.handle)} exceeds available time "
                f"{timedelta(microseconds=self.available)}"
            )
        if self.available == 0:
            return Proportion(successes=0, count=0, value=None, interval=None, missing=self.missing)
        value = self.handle / self.available
        return Proportion(
            successes=self.handle,
            count=self.available,
            value=value,
            interval=None,
            missing=self.missing,
        )


def occupancy(handle_time: Iterable[Any], available_time: Iterable[Any]) -> Proportion:
    """Share of available (logged-in, not on break) time spent handling contacts.
    ``successes`` and ``count`` are in microseconds; there is no sampling interval.

    Missing times are skipped and counted in ``missing``.

    Raises:
        InvalidInputError: a negative time, or more handle time than available time.

    >>> occupancy([timedelta(hours=5)], [timedelta(hours=6), timedelta(hours=1)]).value
    0.7142857142857143
    """
    return OccupancyTally().update(handle_time, available_time).result()
