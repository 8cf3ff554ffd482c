"""A hypothesis strategy for histories every importer can carry: what a help desk
records (status, replies, notes, assignment, priority, tags, ratings), each update
changing something, with vendor-shaped ids and whole-second UTC instants."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import strategies as st

from servicekit.tickets import (
    TRANSITIONS,
    Assigned,
    Author,
    Created,
    Event,
    Priority,
    PriorityChanged,
    Replied,
    SatisfactionRated,
    Status,
    StatusChanged,
    TagsChanged,
    Trigger,
    trigger_of,
)

REQUESTER = "900"
AGENTS = ("1", "2", "3")
GROUPS = ("10", "11")
TAGS = ("vip", "billing", "api")
START = datetime(2026, 1, 5, tzinfo=UTC)

_SET = {
    Trigger.SET_OPEN: Status.OPEN,
    Trigger.SET_PENDING: Status.PENDING,
    Trigger.SET_ON_HOLD: Status.ON_HOLD,
    Trigger.SET_SOLVED: Status.SOLVED,
    Trigger.SET_CLOSED: Status.CLOSED,
}


@st.composite
def histories(
    draw: st.DrawFn,
    *,
    ticket_id: str = "47",
    channels: tuple[str, ...] = ("web", "email"),
    ratings: bool = True,
    tags: bool = True,
    internal: bool = True,
    groups: bool = True,
    priorities: tuple[Priority, ...] = tuple(Priority),
    on_hold: bool = True,
    closed: bool = True,
    ties: bool = True,
    max_events: int = 12,
    agents: tuple[str, ...] = AGENTS,
) -> list[Event]:
    """A valid history of ``ticket_id`` made of the events the options allow."""
    by = draw(st.sampled_from([Author.CUSTOMER, Author.AGENT]))
    at = START + timedelta(seconds=draw(st.integers(0, 300 * 86_400)))
    created = Created(
        at=at,
        ticket_id=ticket_id,
        requester=REQUESTER,
        channel=draw(st.sampled_from(channels)),
        priority=draw(st.sampled_from(priorities)),
        by=by,
        author_id=REQUESTER if by is Author.CUSTOMER else draw(st.sampled_from(agents)),
        tags=draw(st.frozensets(st.sampled_from(TAGS), max_size=2)) if tags else frozenset(),
    )
    history: list[Event] = [created]
    status, priority, agent, group = Status.NEW, created.priority, None, None
    current_tags = set(created.tags)
    for _ in range(draw(st.integers(0, max_events))):
        if status is Status.CLOSED:
            break
        gap = draw(st.sampled_from([0, 60, 3_600]) | st.integers(1, 3 * 86_400))
        if not ties:
            gap = max(gap, 1)
        at = history[-1].at + timedelta(seconds=gap)
        options = sorted(TRANSITIONS[status])
        trigger = draw(st.sampled_from(options))
        event: Event | None = None
        if trigger in _SET:
            target = _SET[trigger]
            if (target is Status.ON_HOLD and not on_hold) or (
                target is Status.CLOSED and not closed
            ):
                continue
            event = StatusChanged(at=at, status=target)
        elif trigger is Trigger.CUSTOMER_REPLY:
            event = Replied(at=at, by=Author.CUSTOMER, author_id=REQUESTER)
        elif trigger is Trigger.AGENT_REPLY:
            event = Replied(at=at, by=Author.AGENT, author_id=draw(st.sampled_from(agents)))
        elif trigger is Trigger.INTERNAL_NOTE and internal:
            event = Replied(
                at=at, by=Author.AGENT, public=False, author_id=draw(st.sampled_from(agents))
            )
        elif trigger is Trigger.RATING and ratings:
            event = SatisfactionRated(at=at, score=draw(st.integers(0, 1)), scale=(0, 1))
        elif trigger is Trigger.UPDATE:
            event = _update(
                draw, at, (priority, agent, group), current_tags, (tags, groups), priorities, agents
            )
        if event is None:
            continue
        status = TRANSITIONS[status][trigger_of(event)]
        if isinstance(event, Assigned):
            agent, group = event.agent, event.group
        elif isinstance(event, PriorityChanged):
            priority = event.priority
        elif isinstance(event, TagsChanged):
            current_tags = (current_tags | event.added) - event.removed
        history.append(event)
    return history


def _update(  # noqa: PLR0917 -- a private helper of the strategy, called once
    draw: st.DrawFn,
    at: datetime,
    now: tuple[Priority, str | None, str | None],
    current_tags: set[str],
    options: tuple[bool, bool],
    priorities: tuple[Priority, ...],
    agents: tuple[str, ...],
) -> Event | None:
    priority, agent, group = now
    tags, groups = options
    kind = draw(st.sampled_from(["assign", "priority", "tags"] if tags else ["assign", "priority"]))
    if kind == "priority":
        choices = [p for p in priorities if p is not priority]
        return PriorityChanged(at=at, priority=draw(st.sampled_from(choices))) if choices else None
    if kind == "tags":
        added = draw(st.frozensets(st.sampled_from(TAGS), max_size=2)) - current_tags
        removed = (
            draw(st.frozensets(st.sampled_from(sorted(current_tags)), max_size=2))
            if current_tags
            else frozenset()
        )
        return TagsChanged(at=at, added=added, removed=removed) if added or removed else None
    new_agent = draw(st.none() | st.sampled_from(agents))
    new_group = draw(st.none() | st.sampled_from(GROUPS)) if groups else None
    if (new_agent, new_group) == (agent, group):
        return None
    return Assigned(at=at, agent=new_agent, group=new_group)
