"""Columns in and out: instants and durations as int64 microseconds plus a mask of
missing values, and results put back in the caller's kind (Series, Index or array).

pandas Series and Index must be tz-aware (any zone); NumPy ``datetime64`` arrays are
UTC. Values finer than a microsecond are floored, as the scalar API floors a pandas
``Timestamp``. A tz-aware ``datetime`` (or ``Timestamp``) and a ``timedelta`` are
broadcast against the columns.
"""

from __future__ import annotations

from collections.abc import Hashable
from datetime import datetime, timedelta, tzinfo
from typing import Any, Literal

import attrs

from servicekit._time import micros, to_us
from servicekit.columns._deps import numpy_and_pandas
from servicekit.errors import InvalidInputError, NaiveDatetimeError, short

Array = Any
"""A NumPy array (NumPy is an optional extra, so arrays are typed loosely)."""

Kind = Literal["series", "index", "numpy", "scalar"]
_NAT = -(2**63)
_PER_US = {"ns": (1, 1000), "us": (1, 1), "ms": (1000, 1), "s": (1_000_000, 1)}


@attrs.frozen(kw_only=True)
class Column:
    """Values as int64 (microseconds, or plain integers) with a mask of missing ones.

    Missing entries hold 0 in ``values``. A ``scalar`` column has length 1 and is
    broadcast by :func:`aligned`.
    """

    values: Array
    missing: Array
    kind: Kind
    name: str
    index: Any = None
    label: Hashable = None


def _unit_scaled(np: Any, raw: Array, unit: str, name: str) -> tuple[Array, Array]:
    """int64 ticks of ``unit`` as microseconds (floored), and the NaT mask."""
    if unit not in _PER_US:
        raise InvalidInputError(f"{name}: unsupported time unit {short(unit)}")
    ints = raw.view("int64")
    missing = ints == _NAT
    times, divide = _PER_US[unit]
    values = np.where(missing, 0, ints) if missing.any() else ints.copy()
    if divide != 1:
        values = values // divide
    if times != 1:
        limit = np.iinfo(np.int64).max // times
        if (np.abs(values) > limit).any():
            raise InvalidInputError(f"{name}: instants outside what microseconds can hold")
        values = values * times
    return values.astype(np.int64, copy=False), missing


def instants(value: object, name: str) -> Column:
    """``value`` as UTC microseconds: a tz-aware pandas Series or DatetimeIndex, a NumPy
    ``datetime64`` array (UTC), or one tz-aware ``datetime`` (broadcast).

    Raises:
        NaiveDatetimeError: a naive pandas column or a naive ``datetime``.
        InvalidInputError: anything else, naming ``name`` and the value's type.

    >>> import pandas as pd
    >>> column = instants(pd.Series(pd.to_datetime(["2026-03-02T09:00Z", None])), "start")
    >>> column.values.tolist(), column.missing.tolist()
    ([1772442000000000, 0], [False, True])
    """
    np, pd = numpy_and_pandas()
    if isinstance(value, datetime):
        if value is pd.NaT:
            raise InvalidInputError(f"{name}: a single instant must not be NaT")
        us = to_us(value, name)
        return Column(
            values=np.array([us], dtype=np.int64), missing=np.zeros(1, bool), kind="scalar",
            name=name,
        )  # fmt: skip
    if isinstance(value, pd.Series | pd.Index):
        dtype = value.dtype
        label = value.name
        column = f"{name} ({label!r})" if label is not None else name
        if isinstance(dtype, pd.DatetimeTZDtype):
            utc = (
                value.tz_convert(None) if isinstance(value, pd.Index) else value.dt.tz_convert(None)
            )
            raw = utc.to_numpy()
            ints, missing = _unit_scaled(np, raw, np.datetime_data(raw.dtype)[0], column)
            kind: Kind = "index" if isinstance(value, pd.Index) else "series"
            index = None if isinstance(value, pd.Index) else value.index
            return Column(
                values=ints, missing=missing, kind=kind, name=column, index=index, label=label
            )
        if getattr(dtype, "kind", None) == "M":
            raise NaiveDatetimeError(
                f"{column}: naive datetimes; servicekit never assumes UTC "
                "(use .dt.tz_localize(zone) or pd.to_datetime(..., utc=True))"
            )
        raise InvalidInputError(f"{column}: expected tz-aware datetimes, got dtype {dtype}")
    if isinstance(value, np.ndarray):
        if value.dtype.kind != "M" or value.ndim != 1:
            raise InvalidInputError(
                f"{name}: expected a 1-d NumPy datetime64 array (UTC), got "
                f"{value.ndim}-d dtype {value.dtype}"
            )
        ints, missing = _unit_scaled(np, value, np.datetime_data(value.dtype)[0], name)
        return Column(values=ints, missing=missing, kind="numpy", name=name)
    raise InvalidInputError(
        f"{name}: expected a tz-aware pandas Series/DatetimeIndex, a NumPy datetime64 "
        f"array or a tz-aware datetime, got {short(value)}"
    )


def durations(value: object, name: str) -> Column:
    """``value`` as microseconds: a ``timedelta`` (pandas ``Timedelta`` included,
    broadcast), a NumPy ``timedelta64`` scalar, a timedelta64 Series, TimedeltaIndex or
    NumPy array. NaT entries are missing.

    >>> from datetime import timedelta
    >>> durations(timedelta(hours=1), "duration").values.tolist()
    [3600000000]
    """
    np, pd = numpy_and_pandas()
    if isinstance(value, np.timedelta64) and not np.isnat(value):
        value = value.astype("timedelta64[us]").item()  # floors, like the scalar API
        if isinstance(value, int):
            value = timedelta(microseconds=value)
    if isinstance(value, timedelta):
        if value is pd.NaT:
            raise InvalidInputError(f"{name}: a single duration must not be NaT")
        return Column(
            values=np.array([micros(value)], dtype=np.int64), missing=np.zeros(1, bool),
            kind="scalar", name=name,
        )  # fmt: skip
    if isinstance(value, pd.Series | pd.Index) and getattr(value.dtype, "kind", None) == "m":
        label = value.name
        column = f"{name} ({label!r})" if label is not None else name
        raw = value.to_numpy()
        ints, missing = _unit_scaled(np, raw, np.datetime_data(raw.dtype)[0], column)
        kind: Kind = "index" if isinstance(value, pd.Index) else "series"
        index = None if isinstance(value, pd.Index) else value.index
        return Column(values=ints, missing=missing, kind=kind, name=column, index=index)
    if isinstance(value, np.ndarray) and value.dtype.kind == "m" and value.ndim == 1:
        ints, missing = _unit_scaled(np, value, np.datetime_data(value.dtype)[0], name)
        return Column(values=ints, missing=missing, kind="numpy", name=name)
    raise InvalidInputError(
        f"{name}: expected a timedelta, a timedelta64 Series/TimedeltaIndex or a NumPy "
        f"timedelta64 array, got {short(value)}"
    )


def integers(value: object, name: str) -> Column:
    """Whole numbers: an ``int`` (broadcast), or an integer Series/Index/array (a
    nullable integer Series may hold missing values).

    >>> integers(3, "days").values.tolist()
    [3]
    """
    np, pd = numpy_and_pandas()
    if isinstance(value, int | np.integer) and not isinstance(value, bool | np.bool_):
        if not -(2**62) < int(value) < 2**62:
            raise InvalidInputError(f"{name}: {value} is out of range")
        return Column(
            values=np.array([int(value)], dtype=np.int64), missing=np.zeros(1, bool),
            kind="scalar", name=name,
        )  # fmt: skip
    if isinstance(value, pd.Series | pd.Index | np.ndarray) and value.dtype.kind in "iu":
        kind: Kind = "numpy"
        index = None
        if isinstance(value, pd.Series | pd.Index):
            kind = "index" if isinstance(value, pd.Index) else "series"
            index = None if isinstance(value, pd.Index) else value.index
            missing = np.asarray(value.isna())
            values = np.asarray(value.fillna(0) if missing.any() else value).astype(np.int64)
        else:
            values, missing = value.astype(np.int64), np.zeros(len(value), bool)
        return Column(values=values, missing=missing, kind=kind, name=name, index=index)
    raise InvalidInputError(
        f"{name}: expected an int or a column of whole numbers, got {short(value)}"
    )


def aligned(*columns: Column) -> tuple[int, Column]:
    """The common length of ``columns`` and the one whose kind the result takes
    (the first that is not a broadcast scalar).

    Raises:
        InvalidInputError: lengths differ, two pandas inputs have different indexes,
            or every argument is a single value.
    """
    shaped = [column for column in columns if column.kind != "scalar"]
    if not shaped:
        names = " and ".join(column.name for column in columns)
        raise InvalidInputError(f"{names}: give at least one column, not only single values")
    first = shaped[0]
    for other in shaped[1:]:
        if len(other.values) != len(first.values):
            raise InvalidInputError(
                f"{first.name} has {len(first.values)} rows but {other.name} has "
                f"{len(other.values)}"
            )
        if (
            first.index is not None
            and other.index is not None
            and not first.index.equals(other.index)
        ):
            raise InvalidInputError(f"{first.name} and {other.name} have different indexes")
    return len(first.values), first


def spread(column: Column, length: int) -> tuple[Array, Array]:
    """``column``'s values and mask at ``length`` rows (a scalar repeated)."""
    np, _ = numpy_and_pandas()
    if column.kind == "scalar":
        return np.full(length, column.values[0], np.int64), np.zeros(length, bool)
    return column.values, column.missing


def _wrapped(like: Column, array: Array) -> Any:
    _, pd = numpy_and_pandas()
    if like.kind == "series":
        return pd.Series(array, index=like.index, name=like.label)
    if like.kind == "index":
        return pd.Index(array, name=like.label)
    return array


def instants_out(like: Column, us: Array, missing: Array, tz: tzinfo) -> Any:
    """Microseconds as ``like``'s kind: pandas datetimes in ``tz`` (microsecond
    unit), or a NumPy ``datetime64[us]`` array in UTC; missing entries are NaT."""
    np, pd = numpy_and_pandas()
    ints = np.where(missing, _NAT, us) if missing.any() else us
    raw = ints.astype(np.int64, copy=False).view("datetime64[us]")
    if like.kind == "numpy":
        return raw
    return _wrapped(like, pd.DatetimeIndex(raw).tz_localize("UTC").tz_convert(tz))


def durations_out(like: Column, us: Array, missing: Array) -> Any:
    """Microseconds as ``timedelta64[us]`` in ``like``'s kind; missing entries NaT."""
    np, pd = numpy_and_pandas()
    raw = np.where(missing, _NAT, us).astype(np.int64).view("timedelta64[us]")
    if like.kind == "numpy":
        return raw
    return _wrapped(like, pd.TimedeltaIndex(raw))


def flags_out(like: Column, flags: Array, missing: Array) -> Any:
    """Booleans: pandas' nullable ``boolean`` dtype (``<NA>`` where missing), or a NumPy
    masked array."""
    np, pd = numpy_and_pandas()
    if like.kind == "numpy":
        return np.ma.MaskedArray(flags.astype(bool), mask=missing.copy())
    return _wrapped(like, pd.arrays.BooleanArray(flags.astype(bool), missing.copy()))
