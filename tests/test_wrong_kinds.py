"""Wrong-kind arguments raise InvalidTypeError, a ServicekitError that is also a
TypeError, so an app catching ServicekitError never crashes on them (issue #20)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest

from servicekit import BusinessCalendar, Ticket
from servicekit.errors import InvalidTypeError, ServicekitError
from servicekit.tickets import Priority

HOURS = BusinessCalendar(tz="UTC", weekly={"mon-fri": ["09:00-17:00"]})
START = datetime(2026, 3, 2, 9, tzinfo=UTC)
TICKET = Ticket.create(id="T-1", at=START, requester="c")

CALLS: dict[str, Callable[[], object]] = {
    "is_open(None)": lambda: HOURS.is_open(None),  # type: ignore[arg-type]
    "is_open(text)": lambda: HOURS.is_open("2026-01-01"),  # type: ignore[arg-type]
    "is_open(date)": lambda: HOURS.is_open(date(2026, 1, 1)),  # type: ignore[arg-type]
    "add(t, float)": lambda: HOURS.add(START, 3600.0),  # type: ignore[arg-type]
    "add(t, None)": lambda: HOURS.add(START, None),  # type: ignore[arg-type]
    "create(at=text)": lambda: Ticket.create(id="T", at="x", requester="c"),  # type: ignore[arg-type]
    "apply(None)": lambda: TICKET.apply(None),  # type: ignore[arg-type]
    "priority < 5": lambda: Priority.HIGH < 5,
}


@pytest.mark.parametrize("call", CALLS.values(), ids=CALLS.keys())
def test_wrong_kind_is_a_servicekit_error_and_a_type_error(call: Callable[[], object]) -> None:
    with pytest.raises(InvalidTypeError) as info:
        call()
    assert isinstance(info.value, ServicekitError)
    assert isinstance(info.value, TypeError)
