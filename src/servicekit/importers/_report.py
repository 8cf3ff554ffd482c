"""What an import did with every record it read: the :class:`ImportReport`, and the
:class:`ImportResult` that pairs it with the tickets."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from types import MappingProxyType
from typing import Any

import attrs

from servicekit._checks import checked_name, counts, named
from servicekit._checks import count as whole_count
from servicekit.errors import InvalidTypeError, short
from servicekit.tickets import Ticket


def _frozen_counts(value: object) -> Mapping[str, Mapping[str, int]]:
    if not isinstance(value, Mapping):
        raise InvalidTypeError(f"ignored must map record kinds to reasons, got {short(value)}")
    return MappingProxyType(
        {
            checked_name(kind, "a record kind"): MappingProxyType(
                dict(sorted(counts(reasons, f"ignored[{kind!r}]").items()))
            )
            for kind, reasons in sorted(value.items(), key=lambda pair: str(pair[0]))
        }
    )


def _frozen_reasons(value: object) -> Mapping[str, str]:
    if not isinstance(value, Mapping):
        raise InvalidTypeError(f"skipped must map ticket ids to reasons, got {short(value)}")
    return MappingProxyType(
        {
            checked_name(key, "a ticket id"): checked_name(why, "a reason")
            for key, why in value.items()
        }
    )


def _texts(value: object) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise InvalidTypeError(f"expected a collection of texts, got {short(value)}")
    found = tuple(value)
    for item in found:
        checked_name(item, "a text")
    return found


def _count(_: object, attribute: attrs.Attribute[int], value: object) -> None:
    whole_count(value, attribute.name)


@attrs.frozen(kw_only=True)
class ImportReport:
    """Where each record of an export went. Nothing is dropped silently: every record
    read is made into an event, folded into another record's event, ignored (counted by
    record kind and reason) or belongs to a skipped ticket, so :attr:`balanced` holds.

    Attributes:
        source: the importer (``"zendesk"``, ``"jira"``...).
        records_read: vendor records read (an audit event, a changelog item, an article...).
        events_made: servicekit events made from records and kept in a ticket.
        folded: records whose facts went into another record's event (the ``Create``
            field events of one Zendesk ticket make one ``Created``).
        ignored: ``{record kind: {reason: count}}`` for records that made no event.
        skipped: ``{ticket id: reason}`` for tickets not imported at all.
        skipped_records: records belonging to skipped tickets.
        synthesised: ids of tickets created before the export window: their ``Created``
            was synthesised from the first event (and is not counted in ``events_made``).
        unrecoverable: facts this source cannot tell (a sentence each).
        samples: the first few ignored records, each with where it was and why.
        tickets: tickets imported.

    >>> report = ImportReport(source="zendesk", records_read=3, events_made=1, folded=1,
    ...                       ignored={"Notification": {"not a ticket fact": 1}})
    >>> report.balanced, report.ignored_total
    (True, 1)
    """

    source: str = attrs.field(validator=named)
    records_read: int = attrs.field(validator=_count)
    events_made: int = attrs.field(validator=_count)
    folded: int = attrs.field(default=0, validator=_count)
    ignored: Mapping[str, Mapping[str, int]] = attrs.field(factory=dict, converter=_frozen_counts)
    skipped: Mapping[str, str] = attrs.field(factory=dict, converter=_frozen_reasons)
    skipped_records: int = attrs.field(default=0, validator=_count)
    synthesised: tuple[str, ...] = attrs.field(default=(), converter=_texts)
    unrecoverable: tuple[str, ...] = attrs.field(default=(), converter=_texts)
    samples: tuple[str, ...] = attrs.field(default=(), converter=_texts)
    tickets: int = attrs.field(default=0, validator=_count)

    @property
    def ignored_total(self) -> int:
        """Records ignored, over every kind and reason."""
        return sum(sum(reasons.values()) for reasons in self.ignored.values())

    @property
    def balanced(self) -> bool:
        """Whether the counts add up to the records read (they always do for a report
        an importer returns)."""
        accounted = self.events_made + self.folded + self.ignored_total + self.skipped_records
        return accounted == self.records_read

    def explain(self) -> str:
        """The report for a person, one fact per line.

        >>> print(ImportReport(source="zendesk", records_read=2, events_made=2,
        ...                    synthesised=("47",), tickets=1).explain())
        zendesk: 2 records read, 1 ticket, 2 events made, 0 folded, 0 ignored, 0 skipped
        1 ticket created before the export window (Created synthesised from its first event): 47
        """
        lines = [
            f"{self.source}: {self.records_read} records read, {self.tickets} "
            f"ticket{'' if self.tickets == 1 else 's'}, {self.events_made} events made, "
            f"{self.folded} folded, {self.ignored_total} ignored, "
            f"{len(self.skipped)} skipped"
        ]
        for kind, reasons in self.ignored.items():
            for reason, count in reasons.items():
                lines.append(f"ignored {count} {kind}: {reason}")
        for ticket_id, reason in self.skipped.items():
            lines.append(f"skipped ticket {ticket_id}: {reason}")
        if self.synthesised:
            shown = ", ".join(self.synthesised[:10])
            more = f" and {len(self.synthesised) - 10} more" if len(self.synthesised) > 10 else ""
            count = len(self.synthesised)
            lines.append(
                f"{count} ticket{'' if count == 1 else 's'} created before the export window "
                f"(Created synthesised from its first event): {shown}{more}"
            )
        lines.extend(f"cannot recover: {fact}" for fact in self.unrecoverable)
        lines.extend(f"e.g. {sample}" for sample in self.samples)
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """The report as a JSON-ready dict.

        >>> ImportReport(source="jira", records_read=0, events_made=0).to_dict()["balanced"]
        True
        """
        return {
            "source": self.source,
            "records_read": self.records_read,
            "events_made": self.events_made,
            "folded": self.folded,
            "ignored": {kind: dict(reasons) for kind, reasons in self.ignored.items()},
            "skipped": dict(self.skipped),
            "skipped_records": self.skipped_records,
            "synthesised": list(self.synthesised),
            "unrecoverable": list(self.unrecoverable),
            "samples": list(self.samples),
            "tickets": self.tickets,
            "balanced": self.balanced,
        }


@attrs.frozen(kw_only=True)
class ImportResult:
    """The tickets an import made, in order of first appearance, and its report.
    Unpacks as ``tickets, report``.

    >>> result = ImportResult(tickets=(), report=ImportReport(source="zendesk",
    ...                       records_read=0, events_made=0))
    >>> tickets, report = result
    >>> tickets, report.balanced
    ((), True)
    """

    tickets: tuple[Ticket, ...]
    report: ImportReport

    def __iter__(self) -> Iterator[Any]:
        yield self.tickets
        yield self.report
