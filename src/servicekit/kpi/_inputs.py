"""Reading metric inputs: lists, generators, NumPy arrays and pandas Series, counted or
converted in C where the input allows it, with errors that give the bad value and its
position.

NumPy and pandas are never imported here: an array can only be passed by a caller who
has imported them already, so they are looked up in ``sys.modules``."""

from __future__ import annotations

import math
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from datetime import timedelta
from typing import Any

from servicekit.errors import InvalidInputError

_SECOND_US = 1_000_000


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


def materialized(values: Iterable[Any]) -> Sequence[Any]:
    """``values`` as a sequence (a generator is read once, into a list)."""
    array = as_array(values)
    if array is not None:
        return array.tolist()  # type: ignore[no-any-return]
    if isinstance(values, Sequence) and not isinstance(values, str):
        return values
    if isinstance(values, str | bytes) or not isinstance(values, Iterable):
        raise InvalidInputError(f"expected a collection of values, got {values!r}")
    return list(values)


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
    return Counter(items), items


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
    raise InvalidInputError(f"{rule}; got {shown!r} at position {index}")


def missing(value: object) -> bool:
    """Whether ``value`` marks a missing answer: ``None``, NaN or pandas' ``NaT``."""
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    pandas = sys.modules.get("pandas")
    return pandas is not None and value is pandas.NaT


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
    array = as_array(values)
    if array is not None and array.dtype.kind == "m":
        numpy = sys.modules["numpy"]
        if numpy.isnat(array).any():
            index = int(numpy.flatnonzero(numpy.isnat(array))[0])
            raise InvalidInputError(f"{what}: missing duration (NaT) at position {index}")
        found: list[int] = array.astype("timedelta64[us]").astype("int64").tolist()
    elif array is not None and array.dtype.kind in "iuf":
        numpy = sys.modules["numpy"]
        if array.dtype.kind == "f" and numpy.isnan(array).any():
            index = int(numpy.flatnonzero(numpy.isnan(array))[0])
            raise InvalidInputError(f"{what}: missing duration (NaN) at position {index}")
        found = numpy.rint(array.astype("float64") * _SECOND_US).astype("int64").tolist()
    else:
        found = [_one(value, index, what) for index, value in enumerate(materialized(values))]
    for index, us in enumerate(found):
        if us < 0:
            raise InvalidInputError(f"{what}: negative duration at position {index}")
    return found


def _one(value: object, index: int, what: str) -> int:
    if missing(value):
        raise InvalidInputError(f"{what}: missing duration at position {index}")
    if isinstance(value, timedelta):
        return value // timedelta(microseconds=1)
    if isinstance(value, int | float) and not isinstance(value, bool):
        if math.isinf(value):
            raise InvalidInputError(f"{what}: infinite duration at position {index}")
        return round(value * _SECOND_US)
    raise InvalidInputError(
        f"{what}: {value!r} at position {index} is not a duration "
        "(a timedelta or a number of seconds)"
    )
