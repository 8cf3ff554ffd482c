"""OTRS / Znuny ticket history."""

from __future__ import annotations

import copy
from datetime import UTC
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from servicekit.errors import ServicekitError
from servicekit.importers import from_otrs
from servicekit.tickets import (
    Assigned,
    Author,
    Created,
    Event,
    Priority,
    PriorityChanged,
    Replied,
    Status,
    StatusChanged,
)
from tests.importers.histories import REQUESTER, histories
from tests.importers.test_zendesk import _mutate

# Real TicketHistoryGet entries of ticket 730 (NewTicket, StateUpdate) and 721
# (PriorityUpdate), from the OTRS import fixtures of Zammad
# (https://github.com/zammad/zammad, spec/fixtures/import/otrs/history/new_ticket/
# default.json and spec/fixtures/files/import/otrs/history/{state_update,priority_update}/
# default.json).
DOC_NEW_TICKET: dict[str, Any] = {
    "HistoryID": "11291", "PriorityID": "3", "CreateTime": "2014-11-21 00:17:41",
    "OwnerID": "1", "QueueID": "1", "HistoryType": "NewTicket", "TypeID": "1",
    "HistoryTypeID": "1", "ArticleID": 0, "StateID": "4", "CreateBy": "3", "TicketID": "730",
    "Name": "%%20141121305000012%%Postmaster%%3 normal%%open%%730",
}  # fmt: skip
DOC_STATE_UPDATE: dict[str, Any] = {
    "HistoryID": "11305", "PriorityID": "3", "CreateTime": "2014-11-21 00:21:08",
    "OwnerID": "3", "QueueID": "1", "HistoryType": "StateUpdate", "TypeID": "1",
    "HistoryTypeID": "27", "ArticleID": 0, "StateID": "2", "CreateBy": "3", "TicketID": "730",
    "Name": "%%new%%open%%",
}  # fmt: skip
DOC_PRIORITY_UPDATE: dict[str, Any] = {
    "HistoryID": "11131", "PriorityID": "4", "CreateTime": "2014-09-22 16:44:55",
    "OwnerID": "1", "QueueID": "1", "HistoryType": "PriorityUpdate", "TypeID": "2",
    "HistoryTypeID": "22", "ArticleID": 0, "StateID": "4", "CreateBy": "1", "TicketID": "721",
    "Name": "%%2 low%%2%%4 high%%4",
}  # fmt: skip


def test_documented_history() -> None:
    tickets, report = from_otrs([DOC_NEW_TICKET, DOC_STATE_UPDATE, DOC_PRIORITY_UPDATE], tz=UTC)
    first, second = tickets
    assert [type(e) for e in first.history] == [Created, StatusChanged]
    assert (first.status, first.requester) == (Status.OPEN, "unknown")
    assert (second.priority, report.synthesised) == (Priority.HIGH, ("721",))
    assert report.balanced


def test_without_tz_the_local_times_are_counted_not_guessed() -> None:
    tickets, report = from_otrs([DOC_NEW_TICKET])
    assert tickets == ()
    assert report.ignored == {"NewTicket": {"CreateTime without an offset (pass tz=)": 1}}


_STATE = {
    Status.OPEN: "open",
    Status.PENDING: "pending auto close+",
    Status.ON_HOLD: "pending reminder",
    Status.SOLVED: "closed successful",
}
_PRIORITY = {Priority.LOW: "2 low", Priority.NORMAL: "3 normal", Priority.HIGH: "4 high",
             Priority.URGENT: "5 very high"}  # fmt: skip
_KIND = {"email": "EmailCustomer", "phone": "PhoneCallCustomer", "web": "WebRequestCustomer"}
OTRS_AGENTS = ("2", "3", "4")
OTRS_HISTORIES = histories(
    ticket_id="730",
    channels=("email", "phone", "web"),
    ratings=False,
    tags=False,
    closed=False,
    ties=False,
    agents=OTRS_AGENTS,
)


def _time(event: Event) -> str:
    return event.at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def to_otrs(history: list[Event]) -> list[dict[str, Any]]:
    """A servicekit history as OTRS ticket history entries."""
    created = history[0]
    assert isinstance(created, Created)
    tid = created.ticket_id
    name = f"%%2014{tid}%%Raw%%{_PRIORITY[created.priority]}%%new%%{tid}"
    entries: list[dict[str, Any]] = [
        {"TicketID": tid, "HistoryType": "NewTicket", "CreateBy": "1",
         "CreateTime": _time(created), "Name": name},
    ]  # fmt: skip
    entries.append({"TicketID": tid, "HistoryType": _KIND[str(created.channel)], "CreateBy": "1",
                    "CreateTime": _time(created), "Name": "%%description"})  # fmt: skip
    state, priority, agent, group = "new", created.priority, None, None
    for event in history[1:]:
        base = {"TicketID": tid, "CreateBy": "2", "CreateTime": _time(event)}
        if isinstance(event, StatusChanged):
            entries.append(
                {
                    **base,
                    "HistoryType": "StateUpdate",
                    "Name": f"%%{state}%%{_STATE[event.status]}%%",
                }
            )
            state = _STATE[event.status]
        elif isinstance(event, PriorityChanged):
            change = f"%%{_PRIORITY[priority]}%%1%%{_PRIORITY[event.priority]}%%2"
            entries.append({**base, "HistoryType": "PriorityUpdate", "Name": change})
            priority = event.priority
        elif isinstance(event, Assigned):
            if event.agent != agent:
                entries.append({**base, "HistoryType": "OwnerUpdate", "OwnerID": event.agent or "1",
                                "Name": f"%%login%%{event.agent or 1}"})  # fmt: skip
            if event.group != group:
                entries.append(
                    {**base, "HistoryType": "Move", "QueueID": event.group, "Name": "%%q%%1%%r%%2"}
                )
            agent, group = event.agent, event.group
        elif isinstance(event, Replied):
            kind = {(Author.AGENT, True): "SendAnswer", (Author.AGENT, False): "AddNote",
                    (Author.CUSTOMER, True): "FollowUp"}[(event.by, event.public)]  # fmt: skip
            entries.append(
                {**base, "HistoryType": kind, "CreateBy": event.author_id or "1", "Name": "%%x"}
            )
        else:  # pragma: no cover - the strategy makes no other events
            raise AssertionError(event)
    return entries


def _otrs_view(history: list[Event]) -> list[Event]:
    """OTRS creations are the customer's, customer messages credited to the customer."""
    created = history[0]
    assert isinstance(created, Created)
    first = Created(at=created.at, ticket_id=created.ticket_id, requester=created.requester,
                    channel=created.channel, priority=created.priority)  # fmt: skip
    return [first, *history[1:]]


class TestRoundTrip:
    @given(OTRS_HISTORIES)
    def test_history_gives_back_the_history(self, history: list[Event]) -> None:
        (ticket,), report = from_otrs(
            to_otrs(history), tz=UTC, tickets=[{"TicketID": "730", "CustomerUserID": REQUESTER}]
        )
        assert list(ticket.history) == _otrs_view(history)
        assert report.balanced
        assert report.ignored_total == 0


class TestFuzz:
    @given(OTRS_HISTORIES, st.data())
    def test_mutated_entries_raise_only_servicekit_errors_and_balance(
        self, history: list[Event], data: st.DataObject
    ) -> None:
        entries: list[Any] = [
            *to_otrs(history),
            DOC_NEW_TICKET,
            DOC_STATE_UPDATE,
            DOC_PRIORITY_UPDATE,
        ]
        for _ in range(data.draw(st.integers(1, 4))):
            index = data.draw(st.integers(0, len(entries) - 1))
            entries[index] = _mutate(data, copy.deepcopy(entries[index]))
        try:
            _, report = from_otrs(entries, tz=data.draw(st.none() | st.just(UTC)))
        except ServicekitError:
            return
        assert report.balanced
