"""Every public callable, driven with hostile arguments (DESIGN.md principle 3, issue #20).

The walk covers every name in every public ``__all__`` (functions, classes, their
classmethods and staticmethods) and every public method of a sample instance of each
main value type. Each argument is drawn either from a pool of plausible values chosen
by the parameter's name (a calendar for ``cal``, an aware instant for ``now``, ...) or
from a pool of hostile ones (wrong kinds, NaN, infinities, huge and deep values, the
ends of the datetime range). A call passes when it returns or raises a
:class:`~servicekit.errors.ServicekitError`; it fails on any other exception and on
taking more than a second of CPU time.
"""

from __future__ import annotations

import enum
import importlib
import inspect
import math
import pkgutil
import signal
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from types import FrameType
from typing import Any

import pytest
from hypothesis import Phase, given, settings
from hypothesis import strategies as st

import servicekit
from servicekit import kpi
from servicekit._checks import short
from servicekit.calendars import BusinessCalendar, HolidaySet
from servicekit.errors import ServicekitError
from servicekit.routing import Task
from servicekit.simulation import example_team, simulate
from tests.hostile import BAD, CPU_LIMIT

WALL_LIMIT = 30
"""Seconds after which a call is interrupted and reported as hanging."""

# The optional extras are imported once up front: their one-time import is not the
# cost of the call that first needs them.
for _extra in ("numpy", "pandas", "scipy.stats", "scipy.optimize", "statsmodels.api"):
    importlib.import_module(_extra)

MODULES = ["servicekit"] + [
    f"servicekit.{info.name}"
    for info in pkgutil.iter_modules(servicekit.__path__)
    if not info.name.startswith("_") and info.name not in {"cli", "errors"}
]

# ---------------------------------------------------------------- a small world

START = datetime(2026, 3, 2, 9, tzinfo=UTC)
TEAM = example_team()
assert TEAM.policies is not None
POLICIES = TEAM.policies
RESULT = simulate(TEAM, start=START, days=1, seed=3)
TICKETS = list(RESULT.tickets[:20])
TICKET = TICKETS[0]
CALENDAR = BusinessCalendar(
    tz="America/New_York",
    weekly={"mon-fri": ["09:00-17:00"]},
    holidays=HolidaySet.from_country("US", years=range(2025, 2028)),
)
EVALUATION = POLICIES.evaluate(TICKET, now=START + timedelta(hours=5))
TASK = Task(id="task-1", arrived_at=START, channel="email")

SAMPLES: list[object] = [
    CALENDAR,
    CALENDAR.holidays,
    TICKET,
    TICKET.history,
    TICKET.facts,
    POLICIES,
    POLICIES.policies[0],
    EVALUATION,
    *EVALUATION.clocks[:1],
    TEAM.router,
    TEAM.agents[0],
    TASK,
    RESULT,
    kpi.csat([5, 4, 1]),
    kpi.aht([60.0, 120.0]),
]

INSTANTS = [
    START,
    datetime(2026, 12, 31, 23, 59, tzinfo=timezone(timedelta(hours=-14))),
    datetime(1, 1, 1, tzinfo=UTC),
    datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
    datetime(2026, 3, 8, 2, 30),  # noqa: DTZ001 (naive on purpose)
]
DURATIONS = [timedelta(hours=4), timedelta(0), -timedelta(hours=1), timedelta.max, timedelta.min]


HOSTILE: list[object] = [
    *BAD.values(),  # the named bad values the per-package recipes try
    1e308,
    Decimal("NaN"),
    1j,
    [math.nan],
    [[1]],
    {5: 120, 1: 30},
    (),
    frozenset({1}),
    *INSTANTS,
    *DURATIONS,
    timedelta(microseconds=1),
    list(range(10_000)),
]

PLAUSIBLE: dict[str, list[object]] = {
    "cal": [CALENDAR],
    "calendar": [CALENDAR, "UTC"],
    "ticket": [TICKET],
    "tickets": [TICKETS, TICKETS[:1]],
    "policies": [POLICIES],
    "policy": [POLICIES.policies[0]],
    "sla": [EVALUATION, POLICIES],
    "router": [TEAM.router],
    "agents": [list(TEAM.agents)],
    "agent": [TEAM.agents[0]],
    "task": [TASK],
    "team": [TEAM, 5],
    "tz": ["UTC", "America/New_York"],
    "years": [range(2025, 2027), [2026]],
    "country": ["US", "DE"],
    "values": [[1, 2, 3], [5, 4, None]],
    "scores": [[1, 5, 3]],
    "durations": [[timedelta(minutes=5)]],
    "days": [1, 7],
    "n": [1, 3],
    "count": [1, 3],
    "seed": [1],
    "confidence": [0.95],
    "service_level": [0.8],
    "target": [timedelta(seconds=20), 0.8],
    "interval": [timedelta(minutes=30)],
    "aht": [timedelta(minutes=4), 240.0],
    "calls": [100, 10.0],
    "traffic": [5.0],
    "agents_count": [10],
    "events": [list(TICKET.history)],
    "event": [TICKET.history[-1]],
    "data": [{}],
}
for _name in ("now", "at", "t", "start", "end", "since", "until", "instant", "a", "b"):
    PLAUSIBLE[_name] = list(INSTANTS[:2])
for _name in ("duration", "d", "window", "patience", "wrap"):
    PLAUSIBLE[_name] = list(DURATIONS[:2])

# ---------------------------------------------------------------- the walk


def _is_exempt(value: object) -> bool:
    """Exception classes, enumerations (their lookup is Python's Enum protocol),
    Protocols and abstract base classes (never instantiated) are not entry points."""
    return inspect.isclass(value) and (
        issubclass(value, BaseException | enum.Enum)
        or bool(getattr(value, "_is_protocol", False))
        or inspect.isabstract(value)
    )


def _entry_points() -> dict[str, Callable[..., Any]]:
    found: dict[str, Callable[..., Any]] = {}
    for module_name in MODULES:
        module = importlib.import_module(module_name)
        for name in module.__all__:
            value = getattr(module, name)
            if not callable(value) or _is_exempt(value):
                continue
            found.setdefault(f"{value.__module__.split('._')[0]}.{name}", value)
            if inspect.isclass(value):
                for attribute, raw in vars(value).items():
                    if not attribute.startswith("_") and isinstance(
                        raw, classmethod | staticmethod
                    ):
                        found.setdefault(f"{name}.{attribute}", getattr(value, attribute))
    for sample in SAMPLES:
        kind = type(sample)
        for attribute in dir(kind):
            raw = inspect.getattr_static(sample, attribute)
            if attribute.startswith("_") or not inspect.isfunction(raw):
                continue
            if not raw.__module__.startswith("servicekit"):
                continue  # a mixin's method (Sequence.index): Python's container protocol
            found.setdefault(f"{kind.__name__}().{attribute}", getattr(sample, attribute))
    return found


ENTRY_POINTS = _entry_points()

ALLOWED: dict[str, tuple[type[BaseException], ...]] = {
    # The testing helpers' contract is to fail a test with AssertionError.
    "servicekit.testing.assert_due_dates": (AssertionError,),
    "servicekit.testing.assert_sla_states": (AssertionError,),
}


class Hang(BaseException):
    """Raised by the alarm into a call that runs past WALL_LIMIT (a BaseException so
    the code under test cannot swallow it)."""


def _alarm(signum: int, frame: FrameType | None) -> None:
    raise Hang


def _arguments(
    data: st.DataObject, function: Callable[..., Any]
) -> tuple[list[Any], dict[str, Any]]:
    try:
        signature = inspect.signature(function)
    except (TypeError, ValueError):
        return [], {}
    args: list[Any] = []
    kwargs: dict[str, Any] = {}
    for parameter in signature.parameters.values():
        if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
            continue
        optional = parameter.default is not parameter.empty
        if optional and data.draw(st.booleans(), label=f"skip {parameter.name}"):
            continue
        # Draw an index, not the value: hypothesis would repr a 10,000-deep list.
        plausible = PLAUSIBLE.get(parameter.name, [])
        use_plausible = bool(plausible) and data.draw(st.booleans())
        pool = plausible if use_plausible else HOSTILE
        value = pool[data.draw(st.integers(0, len(pool) - 1), label=parameter.name)]
        if parameter.kind is parameter.POSITIONAL_ONLY:
            args.append(value)
        else:
            kwargs[parameter.name] = value
    return args, kwargs


def _consume(result: object) -> None:
    """Drain a lazy result, whose errors would otherwise surface only in the caller."""
    if isinstance(result, Iterator):
        for _, _item in zip(range(1_000), result, strict=False):
            pass


def call_within_limits(
    name: str, function: Callable[..., Any], args: list[Any], kwargs: dict[str, Any]
) -> None:
    """Call, and fail unless it returned or raised a ServicekitError within CPU_LIMIT."""
    allowed: tuple[type[BaseException], ...] = (ServicekitError, *ALLOWED.get(name, ()))
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(WALL_LIMIT)
    started = time.process_time()
    try:
        _consume(function(*args, **kwargs))
    except allowed:
        pass
    except Exception as error:
        pytest.fail(f"{name} raised {error!r:.300} on {short(args)} {short(kwargs, 300)}")
    except Hang:
        pytest.fail(f"{name} hung (over {WALL_LIMIT} s) on {short(args)} {short(kwargs, 300)}")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    used = time.process_time() - started
    assert used <= CPU_LIMIT, f"{name} took {used:.2f} s CPU on {short(args)} {short(kwargs, 300)}"


@pytest.mark.parametrize("name", sorted(ENTRY_POINTS))
@settings(max_examples=25, phases=[Phase.explicit, Phase.generate])
@given(data=st.data())
def test_public_call_keeps_the_promise(name: str, data: st.DataObject) -> None:
    function = ENTRY_POINTS[name]
    args, kwargs = _arguments(data, function)
    call_within_limits(name, function, args, kwargs)


def test_the_walk_covers_the_public_api() -> None:
    assert len(ENTRY_POINTS) > 300
    assert "BusinessCalendar().subtract" in ENTRY_POINTS
    assert "SLAPolicy.from_dict" in ENTRY_POINTS
