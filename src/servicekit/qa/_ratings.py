"""Reading ratings for calibration: rows of ``(unit, rater, value)``, a mapping
``unit -> {rater: value}``, or a NumPy matrix of reviewers x units (the
``krippendorff`` package's layout); ``None`` and NaN are missing ratings. The level of
measurement says which values are allowed."""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping
from typing import Literal, get_args

from servicekit._checks import short
from servicekit.errors import InvalidInputError

#: Krippendorff's levels of measurement: which differences between values count.
Level = Literal["nominal", "ordinal", "interval", "ratio"]
LEVELS: tuple[str, ...] = get_args(Level)

#: unit -> rater -> value, missing ratings dropped.
Table = dict[Hashable, dict[Hashable, Hashable]]

#: The most ratings one call reads: bounds the time any call can take.
MAX_RATINGS = 1_000_000


def check_level(level: object) -> Level:
    """``level`` if it is one of :data:`LEVELS`."""
    if level not in LEVELS:
        raise InvalidInputError(f"level must be one of {', '.join(LEVELS)}; got {short(level)}")
    return level  # type: ignore[return-value]


_PLAIN = (int, str)  # the common kinds of ids and ratings: checked with one type test


def is_missing(value: object) -> bool:
    """``None`` or a float NaN (pandas' missing values included)."""
    if type(value) in _PLAIN:
        return False
    if value is None or type(value).__name__ == "NAType":  # pandas.NA, without pandas
        return True
    if isinstance(value, float):
        return math.isnan(value)
    try:
        return bool(value != value)  # noqa: PLR0124 -- NaN-like objects (NaT, Decimal NaN)
    except Exception:
        return False


#: The largest magnitude of a numeric rating: squared differences of ratings, summed
#: over a million of them, stay far from overflow.
MAX_MAGNITUDE = 1e12


def check_value(value: object, level: Level) -> Hashable:
    """A present rating, checked against ``level``: numbers (not bools, at most
    ``MAX_MAGNITUDE`` in size) for ordinal, interval and ratio, non-negative for ratio;
    any hashable value for nominal."""
    if type(value) is int and (level != "ratio" or value >= 0) and abs(value) <= MAX_MAGNITUDE:
        return value
    if level == "nominal":
        if not isinstance(value, Hashable):
            raise InvalidInputError(f"a nominal rating must be hashable, got {short(value)}")
        if isinstance(value, float) and math.isinf(value):
            raise InvalidInputError(f"a rating must be finite, got {short(value)}")
        return value
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidInputError(f"an {level} rating must be a finite number, got {short(value)}")
    if level == "ratio" and value < 0:
        raise InvalidInputError(f"a ratio rating must be 0 or more, got {short(value)}")
    if abs(value) > MAX_MAGNITUDE:
        raise InvalidInputError(f"a rating must be at most 1e12 in size, got {short(value)}")
    return value


def _key(value: object, what: str) -> Hashable:
    if type(value) in _PLAIN:
        return value
    if value is None or not isinstance(value, Hashable) or is_missing(value):
        raise InvalidInputError(f"{what} must be a hashable, present value, got {short(value)}")
    return value


def read_table(ratings: object, level: Level) -> tuple[Table, int]:
    """``ratings`` as ``unit -> rater -> value`` and the number of missing ratings.

    Raises:
        InvalidInputError: a malformed row, a rater rating one unit twice, a value the
            level does not allow, or more than :data:`MAX_RATINGS` ratings.
    """
    table: Table = {}
    missing = 0
    for index, (raw_unit, raw_rater, value) in enumerate(_rows(ratings)):
        if index >= MAX_RATINGS:
            raise InvalidInputError(f"at most {MAX_RATINGS:,} ratings per call")
        unit = _key(raw_unit, "a unit")
        rater = _key(raw_rater, "a rater")
        row = table.setdefault(unit, {})
        if is_missing(value):
            missing += 1
            continue
        if rater in row:
            raise InvalidInputError(f"rater {short(rater)} rated unit {short(unit)} twice")
        row[rater] = check_value(value, level)
    return table, missing


def _rows(ratings: object) -> Iterable[tuple[object, object, object]]:
    from servicekit.qa._matrix import is_matrix, matrix_rows  # noqa: PLC0415 - import cycle

    if is_matrix(ratings):
        yield from matrix_rows(ratings)
        return
    if isinstance(ratings, Mapping):
        for unit, row in ratings.items():
            if not isinstance(row, Mapping):
                raise InvalidInputError(
                    f"ratings of unit {short(unit)} must map raters to values, got {short(row)}"
                )
            for rater, value in row.items():
                yield unit, rater, value
        return
    if not isinstance(ratings, Iterable) or isinstance(ratings, str | bytes):
        raise InvalidInputError(
            f"ratings must be rows of (unit, rater, value) or a mapping unit -> "
            f"{{rater: value}}, got {short(ratings)}"
        )
    for row in ratings:
        if not isinstance(row, tuple | list) or len(row) != 3:
            raise InvalidInputError(f"a rating row is (unit, rater, value), got {short(row)}")
        yield row[0], row[1], row[2]


def sort_key(value: Hashable) -> tuple[int, object]:
    """A total order on rating values: numbers by value, anything else by type and repr."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return (0, value)
    return (1, f"{type(value).__name__}:{value!r}")
