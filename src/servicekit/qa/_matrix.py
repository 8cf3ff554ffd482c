"""Reading a NumPy ratings matrix (reviewers x units, NaN missing: the ``krippendorff``
package's ``reliability_data`` layout) into unit value-count profiles, vectorised.

Agreement is computed from the distinct value-count profiles of the units (see
``_agreement``): here they are found with NumPy (``unique`` of the values, a
``bincount`` of unit x value codes, ``unique`` of the count rows), so Python only
touches the distinct profiles, not every rating. NumPy is needed only by whoever
passes a NumPy array, so it is imported here, lazily.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable
from typing import Any

from servicekit._checks import short
from servicekit.errors import InvalidInputError
from servicekit.qa._ratings import MAX_MAGNITUDE, MAX_RATINGS, Level

Profile = tuple[tuple[Hashable, int], ...]

#: The largest units x distinct values count matrix built in one piece; larger inputs
#: are grouped unit by unit from their sorted (unit, value) keys instead.
MAX_DENSE_CELLS = 20_000_000


def is_matrix(ratings: object) -> bool:
    """Whether ``ratings`` is a NumPy array (without importing NumPy)."""
    kind = type(ratings)
    return kind.__module__ == "numpy" and kind.__name__ == "ndarray"


def is_numeric_matrix(ratings: Any) -> bool:
    """A NumPy array of integers or floats (booleans and objects are read as rows)."""
    return is_matrix(ratings) and ratings.dtype.kind in "iuf"


def matrix_rows(matrix: Any) -> list[tuple[int, int, object]]:
    """A non-numeric matrix as ``(unit, rater, value)`` rows, for the general reader."""
    _check_shape(matrix)
    cells = matrix.tolist()  # Python values: NumPy scalars become int, float, str...
    return [(u, r, value) for r, row in enumerate(cells) for u, value in enumerate(row)]


def _check_shape(matrix: Any) -> None:
    if matrix.ndim != 2:
        raise InvalidInputError(
            f"a ratings matrix is reviewers x units (2-D), got shape {short(matrix.shape)}"
        )
    if matrix.size > MAX_RATINGS:
        raise InvalidInputError(
            f"at most {MAX_RATINGS:,} ratings per call, got a {matrix.shape[0]:,} x "
            f"{matrix.shape[1]:,} matrix"
        )


def _python(value: float) -> int | float:
    """A rating as the row reader would hold it: whole numbers as ``int``."""
    return int(value) if value.is_integer() else value


def matrix_profiles(matrix: Any, level: Level) -> tuple[Counter[Profile], int]:
    """The value-count profiles of the pairable units (two or more ratings) of a
    numeric reviewers x units matrix, and how many cells are missing (NaN).

    Raises:
        InvalidInputError: not 2-D, more than ``MAX_RATINGS`` cells, an infinite
            rating, a negative ratio rating, or one larger than ``MAX_MAGNITUDE``.
    """
    import numpy as np  # noqa: PLC0415 - only callers holding a NumPy array get here

    _check_shape(matrix)
    data = matrix.astype(np.float64, copy=False)
    present = ~np.isnan(data)
    raters_at, units_at = np.nonzero(present)
    values = data[raters_at, units_at]
    missing = int(data.size - values.size)
    if values.size:
        if not np.isfinite(values).all():
            raise InvalidInputError("a rating must be finite, got inf")
        if float(np.abs(values).max()) > MAX_MAGNITUDE:
            raise InvalidInputError(
                f"a rating must be at most 1e12 in size, got {float(np.abs(values).max())!r}"
            )
        if level == "ratio" and float(values.min()) < 0:
            raise InvalidInputError(
                f"a ratio rating must be 0 or more, got {float(values.min())!r}"
            )
    distinct, codes = np.unique(values, return_inverse=True)
    width = len(distinct)
    units = data.shape[1]
    sizes = np.bincount(units_at, minlength=units)
    pairable = sizes[units_at] >= 2
    units_at, codes = units_at[pairable], codes.reshape(-1)[pairable]
    labels = [_python(float(v)) for v in distinct]
    profiles: Counter[Profile] = Counter()
    if not units_at.size:
        return profiles, missing
    if units * width <= MAX_DENSE_CELLS:
        counts = np.bincount(units_at * width + codes, minlength=units * width)
        rows = counts.reshape(units, width)[sizes >= 2]
        base = int(rows.max()) + 1
        if width * math.log2(base) < 62:  # each row as one number in base `base`: 1-D unique
            packed = rows @ (base ** np.arange(width, dtype=np.int64))
            _, first, times = np.unique(packed, return_index=True, return_counts=True)
            kinds = rows[first]
        else:
            kinds, times = np.unique(rows, axis=0, return_counts=True)
        for row, count in zip(kinds.tolist(), times.tolist(), strict=True):
            profiles[tuple((labels[j], n) for j, n in enumerate(row) if n)] += count
        return profiles, missing
    keys, counts = np.unique(units_at.astype(np.int64) * width + codes, return_counts=True)
    unit_of = (keys // width).tolist()
    code_of = (keys % width).tolist()
    current: list[tuple[Hashable, int]] = []
    previous = unit_of[0]
    for unit, code, count in zip(unit_of, code_of, counts.tolist(), strict=True):
        if unit != previous:
            profiles[tuple(current)] += 1
            current, previous = [], unit
        current.append((labels[code], count))
    profiles[tuple(current)] += 1
    return profiles, missing
