"""Event values: validation at construction, enums, custom channels."""

from __future__ import annotations

from datetime import UTC, datetime

import attrs
import pytest

from servicekit.errors import InvalidInputError, NaiveDatetimeError
from servicekit.tickets import (
    Assigned,
    Author,
    Channel,
    Created,
    FieldChanged,
    Priority,
    PriorityChanged,
    Replied,
    SatisfactionRated,
    StatusChanged,
    TagsChanged,
    Ticket,
    channel_of,
)

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)


class TestEnums:
    def test_priorities_are_ordered_by_urgency_not_alphabet(self) -> None:
        assert sorted(["urgent", "low", "high", "normal"], key=Priority) == [
            "low",
            "normal",
            "high",
            "urgent",
        ]
        assert Priority.LOW < Priority.NORMAL < Priority.HIGH < Priority.URGENT
        assert Priority.HIGH >= Priority.HIGH
        assert Priority.NORMAL <= Priority.HIGH

    def test_priority_compares_with_names_by_rank(self) -> None:
        assert Priority.HIGH < "urgent"
        assert Priority.HIGH < "urgent"
        assert Priority.LOW <= "low"
        with pytest.raises(TypeError, match="cannot compare a priority with 'zzz'"):
            _ = Priority.LOW < "zzz"
        with pytest.raises(TypeError, match="cannot compare"):
            _ = Priority.LOW < "aaa"

    def test_custom_channels_stay_strings(self) -> None:
        assert channel_of("whatsapp") == "whatsapp"
        assert channel_of("email") is Channel.EMAIL
        assert Created(at=T0, ticket_id="T", requester="c", channel="sms").channel == "sms"

    @pytest.mark.parametrize("bad", ["", " chat", 3, None])
    def test_bad_channel_names_are_rejected(self, bad: object) -> None:
        with pytest.raises(InvalidInputError, match="channel"):
            channel_of(bad)  # type: ignore[arg-type]


class TestValidation:
    def test_naive_instant_is_rejected(self) -> None:
        with pytest.raises(NaiveDatetimeError, match="at needs a time zone"):
            Replied(at=datetime(2026, 3, 2, 9), by="agent")  # noqa: DTZ001

    def test_unknown_priority_lists_the_valid_ones(self) -> None:
        with pytest.raises(
            InvalidInputError, match="'top' is not a valid priority; expected one of"
        ):
            PriorityChanged(at=T0, priority="top")

    def test_unknown_status_and_author(self) -> None:
        with pytest.raises(InvalidInputError, match="is not a valid status"):
            StatusChanged(at=T0, status="done")
        with pytest.raises(InvalidInputError, match="is not a valid author"):
            Replied(at=T0, by="robot")

    def test_customer_cannot_write_internal_notes(self) -> None:
        with pytest.raises(InvalidInputError, match="internal note"):
            Replied(at=T0, by="customer", public=False)

    @pytest.mark.parametrize("by", [Author.BOT, Author.SYSTEM])
    def test_created_only_by_customer_or_agent(self, by: Author) -> None:
        with pytest.raises(InvalidInputError, match="created by a customer or an agent"):
            Created(at=T0, ticket_id="T", requester="c", by=by)

    def test_created_by_customer_defaults_author_to_requester(self) -> None:
        assert Created(at=T0, ticket_id="T", requester="c").author_id == "c"
        assert Created(at=T0, ticket_id="T", requester="c", by="agent").author_id is None

    def test_tag_added_and_removed_at_once(self) -> None:
        with pytest.raises(InvalidInputError, match=r"both added and removed: \['vip'\]"):
            TagsChanged(at=T0, added=["vip"], removed=["vip"])

    @pytest.mark.parametrize("tags", ["vip", ["ok", ""], [3]])
    def test_bad_tags(self, tags: object) -> None:
        with pytest.raises(InvalidInputError, match="tag"):
            TagsChanged(at=T0, added=tags)

    @pytest.mark.parametrize(("score", "scale"), [(0, (1, 5)), (6, (1, 5)), (2, (0, 1))])
    def test_score_outside_its_scale(self, score: int, scale: tuple[int, int]) -> None:
        with pytest.raises(InvalidInputError, match=f"score {score} is outside the scale"):
            SatisfactionRated(at=T0, score=score, scale=scale)

    @pytest.mark.parametrize("scale", [(5, 1), (1, 1), (1,), (1.0, 5)])
    def test_bad_scale(self, scale: tuple[int, int]) -> None:
        with pytest.raises(InvalidInputError, match="scale must be a pair"):
            SatisfactionRated(at=T0, score=1, scale=scale)

    def test_score_must_be_an_integer(self) -> None:
        with pytest.raises(InvalidInputError, match="must be an integer"):
            SatisfactionRated(at=T0, score=True)

    def test_field_values_are_json_scalars(self) -> None:
        assert FieldChanged(at=T0, name="n", value=None).value is None
        with pytest.raises(InvalidInputError, match="JSON scalar"):
            FieldChanged(at=T0, name="n", value=[1])  # type: ignore[arg-type]

    def test_names_are_non_empty(self) -> None:
        with pytest.raises(InvalidInputError, match="agent must be a non-empty name"):
            Assigned(at=T0, agent="")


class TestValues:
    def test_events_are_frozen_and_hashable(self) -> None:
        event = Replied(at=T0, by="agent")
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            event.public = False  # type: ignore[misc]
        assert {event, Replied(at=T0, by="agent")} == {event}

    def test_events_are_keyword_only(self) -> None:
        with pytest.raises(TypeError):
            Replied(T0, "agent")  # type: ignore[call-arg]


class TestCreate:
    def test_a_single_string_is_not_a_tag_collection(self) -> None:
        # frozenset("vip") would silently give the tags {"v", "i", "p"}.
        with pytest.raises(InvalidInputError, match="tags must be a collection"):
            Ticket.create(id="T", at=T0, requester="c", tags="vip")

    def test_any_iterable_of_names_is_a_tag_collection(self) -> None:
        ticket = Ticket.create(id="T", at=T0, requester="c", tags=(t for t in ["vip", "api"]))
        assert ticket.tags == {"vip", "api"}


def test_an_unhashable_tag_is_an_input_error() -> None:
    """Found by the Zammad importer's fuzz test: a list among the tags leaked TypeError."""
    with pytest.raises(InvalidInputError, match="tag must be a non-empty name"):
        TagsChanged(at=datetime(2026, 3, 2, tzinfo=UTC), added=["vip", ["nested"]])
