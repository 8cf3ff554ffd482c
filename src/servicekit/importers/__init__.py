"""Importers: pure transforms from help-desk exports (records the app already parsed
from JSON) to servicekit tickets, each with an :class:`ImportReport` that accounts for
every record read. No HTTP, no files: fetch and parse the export yourself (or use
``servicekit import``).

Events are sorted per ticket (stable for ties); a ticket first seen mid-history gets a
``Created`` synthesised from its first event and is listed in ``report.synthesised``;
anything the lifecycle table refuses is ignored and counted, never dropped silently.

>>> from servicekit import importers
>>> audits = [{"ticket_id": 7, "created_at": "2026-03-02T09:00:00Z", "author_id": 5,
...            "events": [{"type": "Comment", "public": True, "author_id": 5}]},
...           {"ticket_id": 7, "created_at": "2026-03-02T10:00:00Z", "author_id": 1,
...            "events": [{"type": "Comment", "public": True, "author_id": 1}]}]
>>> tickets, report = importers.from_zendesk(audits, agents=[1])
>>> tickets[0].facts.first_public_agent_reply_at
datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.timezone.utc)
>>> report.synthesised, report.balanced
(('7',), True)
"""

from servicekit.importers._chatwoot import from_chatwoot
from servicekit.importers._events import UNKNOWN_REQUESTER, from_events
from servicekit.importers._freshdesk import from_freshdesk
from servicekit.importers._jira import from_jira
from servicekit.importers._maps import DEFAULT_MAPS, SOURCES, VendorMap
from servicekit.importers._otrs import from_otrs
from servicekit.importers._report import ImportReport, ImportResult
from servicekit.importers._zammad import from_zammad
from servicekit.importers._zendesk import from_zendesk

__all__ = [
    "DEFAULT_MAPS",
    "SOURCES",
    "UNKNOWN_REQUESTER",
    "ImportReport",
    "ImportResult",
    "VendorMap",
    "from_chatwoot",
    "from_events",
    "from_freshdesk",
    "from_jira",
    "from_otrs",
    "from_zammad",
    "from_zendesk",
]
