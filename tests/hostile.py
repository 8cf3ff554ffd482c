"""Hostile arguments for every public call: the promise of DESIGN.md principle 3 as a
test helper (issue #20). Each package's ``hostile_recipes.py`` lists its calls as
:class:`Call` recipes (a valid set of arguments); the tests replace one argument at a
time with a wrong-kind, boundary or huge value and check that the call either
succeeds or raises a :class:`~servicekit.errors.ServicekitError`, within a second of
CPU time.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any

import attrs
from hypothesis import strategies as st

from servicekit.errors import ServicekitError

CPU_LIMIT = 1.0
"""Seconds of CPU time any one public call may take (``time.process_time``)."""


def _nested(depth: int) -> list[Any]:
    value: list[Any] = []
    for _ in range(depth):
        value = [value]
    return value


def _nested_dict(depth: int) -> dict[str, Any]:
    value: dict[str, Any] = {}
    for _ in range(depth):
        value = {"all": [value]}
    return value


BAD: Mapping[str, object] = {
    "None": None,
    "empty text": "",
    "text": "x",
    "padded text": " x ",
    "iso text": "2026-03-02T09:00:00Z",
    "zero": 0,
    "minus one": -1,
    "five": 5,
    "huge int": 10**30,
    "half": 0.5,
    "nan": math.nan,
    "inf": math.inf,
    "minus inf": -math.inf,
    "true": True,
    "empty list": [],
    "list of text": ["x"],
    "list of None": [None],
    "empty dict": {},
    "dict": {"x": 1},
    "object": object(),
    "bytes": b"x",
    "naive datetime": datetime(2026, 3, 2, 9),  # noqa: DTZ001 -- a naive one on purpose
    "year 1": datetime(1, 1, 1, tzinfo=UTC),
    "year 9999": datetime(9999, 12, 31, 23, 59, tzinfo=UTC),
    "date": date(2026, 3, 2),
    "negative timedelta": timedelta(hours=-1),
    "huge timedelta": timedelta.max,
    "deep list": _nested(10_000),
    "deep dict": _nested_dict(2_000),
    "long text": "x" * 200_000,
}
"""Named wrong-kind, boundary and huge values; each is tried in every argument."""

bad_values = st.one_of(
    st.sampled_from(list(BAD.values())),
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=12),
    st.lists(st.one_of(st.none(), st.integers(), st.text(max_size=4)), max_size=3),
    st.dictionaries(st.text(max_size=4), st.one_of(st.integers(), st.text(max_size=4)), max_size=3),
    st.timedeltas(),
    st.datetimes(timezones=st.just(UTC)),
)
"""Hypothesis-generated values of every kind, plus the named ones."""


@attrs.frozen
class Call:
    """A public call with a valid set of keyword ``arguments``; ``run`` takes them."""

    name: str
    run: Callable[..., object]
    arguments: Mapping[str, object] = attrs.field(factory=dict)


def outcome(call: Call, argument: str, value: object) -> str | None:
    """``None`` if ``call`` with ``argument`` replaced by ``value`` keeps the promise,
    else what went wrong."""
    arguments = {**call.arguments, argument: value}
    start = time.process_time()
    try:
        call.run(**arguments)
    except ServicekitError:
        pass
    except Exception as exc:
        return f"{type(exc).__name__}: {str(exc)[:100]}"
    used = time.process_time() - start
    if used > CPU_LIMIT:
        return f"took {used:.1f} s of CPU"
    return None


def broken(calls: Iterable[Call]) -> list[str]:
    """Every (call, argument, named bad value) that breaks the promise."""
    found = []
    for call in calls:
        for argument in call.arguments:
            for label, value in BAD.items():
                problem = outcome(call, argument, value)
                if problem is not None:
                    found.append(f"{call.name}({argument}={label}): {problem}")
    return found


def tried(calls: Iterable[Call]) -> int:
    """How many distinct bad inputs :func:`broken` tries."""
    return sum(len(call.arguments) for call in calls) * len(BAD)


def public_callables(module: object) -> set[str]:
    """The names in ``module.__all__`` that can be called (classes and functions)."""
    names: Iterable[str] = getattr(module, "__all__")  # noqa: B009
    return {name for name in names if callable(getattr(module, name))}
