"""Importing a large Zendesk export, then reporting on it.

No peer library imports help-desk exports into a ticket model, so this measures
servicekit against its own targets: 100,000 Zendesk audits (about 1,000,000 audit
events, most of them notifications and fields servicekit does not keep, as in real
exports) imported in under 20 s, the weekly report over the imported tickets in under
20 s more, and peak memory (the process's maximum resident set) under 1.5 GB. The
report's counts are checked to balance and the tickets against the generator's own
tally first. Run with ``.venv/bin/python benchmarks/import_speed.py``.
"""

from __future__ import annotations

import random
import resource
import sys
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from servicekit import simulation
from servicekit.importers import from_zendesk
from servicekit.report import ReportConfig, weekly_report

TICKETS = 10_000
AUDITS_PER_TICKET = 10
T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)
AGENTS = [str(n) for n in range(1, 41)]
NOISE: list[dict[str, Any]] = [
    {"type": "Notification", "subject": "Ticket updated", "body": "...", "recipients": [1]},
    {"type": "Cc", "recipients": [7]},
    {"type": "Change", "field_name": "custom_status_id", "value": 2, "previous_value": 1},
    {"type": "Change", "field_name": "subject", "value": "Re: help"},
    {"type": "SLA target change", "field_name": "first_reply_time"},
    {"type": "Notification", "subject": "Assignment", "body": "..."},
    {"type": "Change", "field_name": "custom_fields_360001", "value": "x"},
]


def _iso(at: datetime) -> str:
    return at.isoformat().replace("+00:00", "Z")


def audits(rng: random.Random) -> list[dict[str, Any]]:
    """Ten audits per ticket: created, assigned, replies, pending, a customer answer,
    solved, a rating; each padded with the noise real audits carry (about 10 events)."""
    out: list[dict[str, Any]] = []
    for number in range(TICKETS):
        requester = 100_000 + number % 5_000
        agent = int(rng.choice(AGENTS))
        at = T0 + timedelta(minutes=rng.randrange(60 * 24 * 21))
        steps: list[tuple[int, list[dict[str, Any]]]] = [
            (
                requester,
                [
                    {"type": "Create", "field_name": "status", "value": "new"},
                    {"type": "Create", "field_name": "requester_id", "value": requester},
                    {
                        "type": "Create",
                        "field_name": "priority",
                        "value": rng.choice(["low", "normal", "high"]),
                    },
                    {"type": "Create", "field_name": "subject", "value": "Help"},
                    {"type": "Comment", "public": True, "author_id": requester, "body": "..."},
                ],
            ),
            (
                agent,
                [
                    {"type": "Change", "field_name": "assignee_id", "value": agent},
                    {"type": "Change", "field_name": "group_id", "value": 10},
                ],
            ),
            (
                agent,
                [
                    {"type": "Comment", "public": True, "author_id": agent, "body": "..."},
                    {"type": "Change", "field_name": "status", "value": "open"},
                ],
            ),
            (agent, [{"type": "Comment", "public": False, "author_id": agent, "body": "..."}]),
            (agent, [{"type": "Change", "field_name": "status", "value": "pending"}]),
            (requester, [{"type": "Comment", "public": True, "author_id": requester}]),
            (
                agent,
                [
                    {
                        "type": "Change",
                        "field_name": "tags",
                        "value": ["billing"],
                        "previous_value": [],
                    }
                ],
            ),
            (
                agent,
                [
                    {"type": "Comment", "public": True, "author_id": agent},
                    {"type": "Change", "field_name": "status", "value": "solved"},
                ],
            ),
            (requester, [{"type": "SatisfactionRating", "score": rng.choice(["good", "bad"])}]),
            (-1, [{"type": "Change", "field_name": "status", "value": "closed"}]),
        ]
        for author, events in steps:
            at += timedelta(minutes=rng.randrange(1, 240))
            padding = 10 - len(events) - 1 + rng.randrange(3)
            out.append(
                {
                    "id": len(out),
                    "ticket_id": number,
                    "created_at": _iso(at),
                    "author_id": author,
                    "via": {"channel": "email"},
                    "events": events
                    + [dict(NOISE[i % len(NOISE)]) for i in range(max(padding, 0))],
                }
            )
    rng.shuffle(out)  # exports arrive in pages, not per ticket
    return out


def main() -> None:
    rng = random.Random(7)
    records = audits(rng)
    events = sum(len(a["events"]) for a in records)
    started = time.perf_counter()
    tickets, report = from_zendesk(records, agents=AGENTS)
    imported = time.perf_counter() - started
    assert report.balanced, report.explain()
    assert report.records_read == events
    assert len(tickets) == TICKETS, report.explain()
    assert all(t.status.value == "closed" for t in tickets)
    assert sum(t.facts.reopens for t in tickets) == 0
    config = ReportConfig.from_dict(simulation.EXAMPLE_CONFIG)
    start = T0 - timedelta(days=T0.weekday())
    started = time.perf_counter()
    weekly = weekly_report(
        list(tickets), start=start, end=start + timedelta(days=35), config=config
    )
    reported = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    if sys.platform == "darwin":  # pragma: no cover - bytes on macOS
        peak_mb /= 1024
    print(f"{len(records):,} audits, {events:,} audit events, {len(tickets):,} tickets")
    print(
        f"import: {imported:.1f} s ({imported / events * 1e6:.1f} us per audit event), "
        f"{report.events_made:,} events made, {report.folded:,} folded, "
        f"{report.ignored_total:,} ignored (target < 20 s)"
    )
    print(
        f"weekly report over 5 weeks: {reported:.1f} s (target < 20 s); "
        f"{len(weekly.to_rows())} rows"
    )
    print(f"peak memory (max RSS, generator included): {peak_mb:,.0f} MB (target < 1,536 MB)")


if __name__ == "__main__":
    main()
