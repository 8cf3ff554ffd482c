"""Reading metric inputs: lists, generators, NumPy arrays and pandas Series, counted or
converted in C where the input allows it, with errors that give the bad value and its
position.

NumPy and pandas are never imported here: an array can only be passed by a caller who
has imported them already, so they are looked up in ``sys.modules``."""

from __future__ import annotations

import math
import sys
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from datetime import timedelta
from typing import Any, Generic, Self, TypeVar

from servicekit._checks import collection
from servicekit.errors import InvalidInputError, short

_SECOND_US = 1_000_000
T = TypeVar("T")


def as_array(values: object) -> Any:
    """``values`` as a NumPy array when it is one (or a pandas Series or Index), else
    ``None``."""
    pandas = sys.modules.get("pandas")
    if pandas is not None and isinstance(values, pandas.Series | pandas.Index):
        return values.to_numpy()
    numpy = sys.modules.get("numpy")
    if numpy is not None and isinstance(values, numpy.ndarray):
        return values
    return None


def refuse_mapping(values: object) -> None:
    """A mapping is refused: its keys would be counted as the values, though a caller
    passing ``{5: 120, 1: 30}`` means 120 fives and 30 ones."""
    if isinstance(values, Mapping):
        raise InvalidInputError(
            f"expected a collection of values, got a mapping {short(values)}; for counts "
            "per value pass collections.Counter(...).elements()"
        )


def iterable(values: object) -> Iterable[Any]:
    """``values`` if it is a collection of inputs (a list, generator, array, Series);
    a mapping, a string or a single value is refused."""
    refuse_mapping(values)
    array = as_array(values)
    if array is not None:
        return array  # type: ignore[no-any-return]
    return collection(values, "values")


def materialized(values: Iterable[Any]) -> Sequence[Any]:
    """``values`` as a sequence (a generator is read once, into a list)."""
    found = iterable(values)
    array = as_array(found)
    if array is not None:
        return array.tolist()  # type: ignore[no-any-return]
    if isinstance(found, Sequence):
        return found
    return list(found)


def counted(values: Iterable[Any]) -> tuple[Counter[Any], Sequence[Any] | Any]:
    """How often each distinct value occurs, and the values again (to locate a bad
    one). Numeric arrays are counted by ``numpy.unique``; anything else by
    ``collections.Counter``."""
    array = as_array(values)
    if array is not None and array.dtype.kind in "biuf":
        numpy = sys.modules["numpy"]
        keys, counts = numpy.unique(array, return_counts=True)
        return Counter(dict(zip(keys.tolist(), counts.tolist(), strict=True))), array
    items = array.tolist() if array is not None else materialized(values)
    try:
        return Counter(items), items
    except TypeError:  # an unhashable item: no metric input is a list or a dict
        position = position_of(items, lambda item: not isinstance(item, Hashable))
        raise InvalidInputError(
            f"not a single value at position {position}: {short(items[position])}"
        ) from None


def position_of(values: Sequence[Any] | Any, bad: Callable[[Any], bool]) -> int:
    """The index of the first value for which ``bad`` holds."""
    for index, value in enumerate(values):
        if bad(value):
            return index
    raise AssertionError("a bad value was counted but not found")  # pragma: no cover


def check_keys(
    counts: Counter[Any], values: Sequence[Any] | Any, valid: Callable[[Any], bool], rule: str
) -> None:
    """Raise for the first value (by position) that ``valid`` rejects; ``rule`` says
    what is expected (``"NPS scores are whole numbers from 0 to 10"``)."""
    if all(valid(key) for key in counts):
        return
    index = position_of(values, lambda value: not valid(value))
    value = values[index]
    shown = value.item() if hasattr(value, "item") else value
    raise InvalidInputError(f"{rule}; got {short(shown)} at position {index}")


def missing(value: object) -> bool:
    """Whether ``value`` marks a missing answer: ``None``, NaN, pandas' ``NA`` or
    ``NaT``, or a NumPy ``NaT``."""
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    pandas = sys.modules.get("pandas")
    if pandas is not None and (value is pandas.NaT or value is pandas.NA):
        return True
    numpy = sys.modules.get("numpy")
    if numpy is not None and isinstance(value, numpy.floating):
        return bool(numpy.isnan(value))
    if numpy is not None and isinstance(value, numpy.datetime64 | numpy.timedelta64):
        return bool(numpy.isnat(value))
    return False


def split_missing(values: Iterable[Any]) -> tuple[Iterable[Any], int]:
    """``values`` without the missing ones (see :func:`missing`), and how many were
    missing. A pandas Series or NumPy array stays one (filtered in C).

    >>> split_missing([5, None, 4, float("nan")])
    ([5, 4], 2)
    """
    refuse_mapping(values)
    pandas = sys.modules.get("pandas")
    if pandas is not None and isinstance(values, pandas.Series | pandas.Index):
        gone = values.isna()
        count = int(gone.sum())
        return (values[~gone] if count else values), count
    numpy = sys.modules.get("numpy")
    if numpy is not None and isinstance(values, numpy.ndarray):
        if values.dtype.kind == "f":
            gone = numpy.isnan(values)
        elif values.dtype.kind in "mM":
            gone = numpy.isnat(values)
        elif values.dtype.kind == "O":
            gone = numpy.fromiter((missing(v) for v in values.flat), bool, values.size)
        else:
            return values, 0
        count = int(gone.sum())
        return (values[~gone] if count else values), count
    items = materialized(values)
    present = [value for value in items if not missing(value)]
    return present, len(items) - len(present)


class _Missing:
    """The key missing inputs are counted under in a counting tally: one object, also
    after pickling (tallies travel to Dask and Spark workers and back)."""

    def __repr__(self) -> str:
        return "MISSING"

    def __reduce__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


class KeysMissing(Generic[T]):
    """Mixin for a counting tally whose ``valid`` accepts missing inputs and whose
    ``key`` counts them under :data:`MISSING` (so positions in error messages stay
    those of the caller's input). Results read :meth:`present` and :attr:`missing`."""

    counts: Counter[Any]

    @property
    def missing(self) -> int:
        """How many inputs were missing."""
        return self.counts.get(MISSING, 0)

    def present(self) -> Counter[Any]:
        """The counts of the inputs that were not missing."""
        return Counter({k: n for k, n in self.counts.items() if k is not MISSING})


class CountsMissing(Generic[T]):
    """Mixin for a tally over single values: missing inputs are skipped and counted
    in ``missing`` (merges add the counts up). Put it before the tally base class."""

    missing: int = 0

    def add(self, value: Any) -> None:
        """Count one input (a missing one only in ``missing``)."""
        if missing(value):
            self.missing += 1
            return
        super().add(value)  # type: ignore[misc]

    def update(self, values: Iterable[Any]) -> Self:
        """Count many inputs, skipping and counting the missing ones."""
        present, gone = split_missing(values)
        self.missing += gone
        super().update(present)  # type: ignore[misc]
        return self

    def merge(self, other: Self) -> Self:
        """Both sides' inputs, missing counts added up."""
        merged: Self = super().merge(other)  # type: ignore[misc]
        merged.missing = self.missing + other.missing
        return merged


def whole_number_in(low: int, high: int) -> Callable[[Any], bool]:
    """A check: a whole number (an integral float counts) in [low, high]."""

    def valid(value: Any) -> bool:
        if isinstance(value, bool) or not isinstance(value, int | float):
            numpy = sys.modules.get("numpy")
            if numpy is None or not isinstance(value, numpy.integer | numpy.floating):
                return False
        return not missing(value) and low <= value <= high and value == math.floor(value)

    return valid


def microseconds(values: Iterable[Any], what: str) -> list[int]:
    """Durations as whole microseconds: ``timedelta`` values (pandas ``Timedelta``
    included), NumPy ``timedelta64`` arrays, or numbers of seconds. Negative or
    missing (NaN, NaT, ``None``) durations raise, naming the position."""
    found = optional_microseconds(values, what)
    for index, us in enumerate(found):
        if us is None:
            raise InvalidInputError(f"{what}: missing duration at position {index}")
    return found  # type: ignore[return-value]


def present_microseconds(values: Iterable[Any], what: str) -> tuple[list[int], int]:
    """Durations as :func:`microseconds` reads them, missing ones skipped, and how
    many were missing. Negative durations still raise.

    >>> from datetime import timedelta
    >>> present_microseconds([timedelta(seconds=1), None, float("nan")], "waits")
    ([1000000], 2)
    """
    found = optional_microseconds(values, what)
    present = [us for us in found if us is not None]
    return present, len(found) - len(present)


def optional_microseconds(values: Iterable[Any], what: str) -> list[int | None]:
    """Durations as whole microseconds, ``None`` where missing (None, NaN, NaT,
    ``pd.NA``), in input order. Negative or non-duration values raise, naming the
    position."""
    array = as_array(values)
    found: list[int | None]
    if array is not None and array.dtype.kind == "m":
        numpy = sys.modules["numpy"]
        gone = numpy.isnat(array).tolist()
        ints = array.astype("timedelta64[us]").astype("int64").tolist()
        found = [None if g else us for us, g in zip(ints, gone, strict=True)]
    elif array is not None and array.dtype.kind in "iuf":
        numpy = sys.modules["numpy"]
        gone = numpy.isnan(array).tolist() if array.dtype.kind == "f" else [False] * len(array)
        clean = numpy.where(gone, 0, array.astype("float64"))
        beyond = numpy.flatnonzero(numpy.abs(clean) > _MAX_SECONDS)
        if beyond.size:
            _refuse_beyond(float(clean[beyond[0]]), int(beyond[0]), what)
        ints = numpy.rint(clean * _SECOND_US).astype("int64").tolist()
        found = [None if g else us for us, g in zip(ints, gone, strict=True)]
    else:
        found = [
            None if missing(value) else _one(value, index, what)
            for index, value in enumerate(materialized(values))
        ]
    for index, us in enumerate(found):
        if us is not None and us < 0:
            raise InvalidInputError(f"{what}: negative duration at position {index}")
    return found


MAX_DURATION_US = timedelta.max // timedelta(microseconds=1)
"""The longest duration an input may give, in microseconds: what ``timedelta`` holds."""
_MAX_SECONDS = MAX_DURATION_US / _SECOND_US


def _refuse_beyond(seconds: object, index: int, what: str) -> None:
    raise InvalidInputError(
        f"{what}: {short(seconds)} s at position {index} is longer than a duration can be "
        f"({timedelta.max.days} days)"
    )


def _one(value: object, index: int, what: str) -> int:
    if isinstance(value, timedelta):
        return value // timedelta(microseconds=1)
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not abs(value) <= _MAX_SECONDS:
            _refuse_beyond(value, index, what)
        return round(value * _SECOND_US)
    raise InvalidInputError(
        f"{what}: {short(value)} at position {index} is not a duration "
        "(a timedelta or a number of seconds)"
    )
