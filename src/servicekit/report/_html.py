"""The report as one self-contained HTML page: a summary table, then each chart with a
title, a sentence saying what it shows, the chart (inline SVG) and a table of its
numbers. Numeric cells carry their raw value in ``data-value`` (what tests compare).
No JavaScript, no stylesheet or image from anywhere else."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import timedelta
from html import escape
from typing import TYPE_CHECKING, Any

from servicekit.kpi import Period, Proportion
from servicekit.report import _charts as charts
from servicekit.report import _wording as words
from servicekit.report._details import ReportDetails
from servicekit.report._details import details as details_of
from servicekit.report._insights import EXPLANATION, ShrunkRow, ShrunkScores
from servicekit.report._qa import QASection
from servicekit.report._sla import by_priority
from servicekit.report._weekly import figures
from servicekit.tickets import Priority

if TYPE_CHECKING:
    from servicekit.report._trend import PeriodRow
    from servicekit.report._weekly import WeeklyReport

_CSS = """
body { font-family: system-ui, sans-serif; color: #222; margin: 0; background: #fff; }
main { max-width: 60rem; margin: 0 auto; padding: 1rem 1.5rem 3rem; }
h1 { font-size: 1.5rem; margin-bottom: 0.2rem; }
h2 { font-size: 1.15rem; margin: 2rem 0 0.3rem; border-top: 1px solid #ddd; padding-top: 1rem; }
p.note { color: #555; margin-top: 0; }
figure { margin: 0.5rem 0; }
figure svg { width: 100%; height: auto; }
table { border-collapse: collapse; font-size: 0.85rem; margin: 0.5rem 0; }
th, td { padding: 0.15rem 0.6rem; border-bottom: 1px solid #eee; text-align: left; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
details summary { cursor: pointer; color: #555; }
"""

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_PERIOD_NOUN = {Period.DAY: "day", Period.WEEK: "week", Period.MONTH: "month"}


def _cell(value: Any, shown: str | None = None) -> str:
    """A table cell; numbers right-aligned with their raw value in ``data-value``."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return f"<td>{escape(str(value) if shown is None else shown)}</td>"
    text = f"{value:,}" if shown is None else shown
    return f'<td class="n" data-value="{value!r}">{escape(text)}</td>'


def _table(name: str, head: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    header = "".join(f"<th scope='col'>{escape(h)}</th>" for h in head)
    body = "".join(f"<tr>{''.join(row)}</tr>" for row in rows)
    return (
        f'<table data-table="{name}"><thead><tr>{header}</tr></thead><tbody>{body}</tbody></table>'
    )


def _seconds(value: timedelta | None) -> Any:
    return "" if value is None else value.total_seconds()


def _duration_cell(value: timedelta | None) -> str:
    return _cell(_seconds(value), words.duration(value)) if value is not None else _cell("n/a")


def _share_cell(proportion: Proportion) -> str:
    if proportion.value is None:
        return _cell("n/a")
    return _cell(proportion.value, words.percent(proportion))


def _interval(proportion: Proportion) -> str:
    if proportion.interval is None:
        return "n/a"
    low, high = proportion.interval
    return f"{low:.0%} – {high:.0%}"


def _chart(ident: str, title: str, summary: str, svg: str, table: str) -> str:
    return (
        f'<section class="chart" id="{ident}"><h2>{escape(title)}</h2>'
        f'<p class="note">{escape(summary)}</p><figure>{svg}</figure>{table}</section>'
    )


def _label(row: PeriodRow, weekly: WeeklyReport) -> str:
    start = row.summary.start.astimezone(weekly.tz)
    if weekly.by is Period.MONTH:
        return f"{start:%b %Y}"
    return f"{start:%a} {start.day} {start:%b}"


def _summary_section(weekly: WeeklyReport) -> str:
    rows = []
    for _name, label, value, unit, count in figures(weekly.summary):
        if value is None:
            shown = "n/a"
        elif unit == "seconds":
            shown = words.duration(timedelta(seconds=value))
        elif unit == "fraction":
            shown = f"{value:.0%}"
        elif unit == "points":
            shown = f"{value:+.0f}"
        else:
            shown = f"{value:,}"
        rows.append([_cell(label), _cell(value if value is not None else "", shown),
                     _cell(count if count is not None else "")])  # fmt: skip
    return (
        '<section id="summary"><h2>Summary</h2>'
        + _table("summary", ["figure", "value", "over"], rows)
        + "</section>"
    )


def _sla_section(weekly: WeeklyReport) -> str:
    noun = _PERIOD_NOUN[weekly.by]
    title = f"SLA targets met by {noun} and priority"
    if not weekly.has_policies:
        return _empty("sla-chart", title, "No SLA policies in the settings.")
    labels = [_label(row, weekly) for row in weekly.periods]
    shares = [by_priority(row.sla) for row in weekly.periods]
    present = sorted({p for share in shares for p in share}, key=list(Priority).index)[::-1]
    if not present:
        return _empty("sla-chart", title, "No tickets with SLA targets in this period.")
    values = [[share.get(p, Proportion.of(0, 0)).value for share in shares] for p in present]
    intervals = [[share.get(p, Proportion.of(0, 0)).interval for share in shares]
                 for p in present]  # fmt: skip
    svg = charts.sla_bars(labels, [p.value for p in present], values, intervals, title)
    rows = []
    worst: tuple[float, str, str] | None = None
    for label, share in zip(labels, shares, strict=True):
        for priority in present:
            met = share.get(priority)
            if met is None or not met.count:
                continue
            rows.append([_cell(label), _cell(priority.value), _cell(met.successes),
                         _cell(met.count - met.successes), _share_cell(met),
                         _cell(_interval(met))])  # fmt: skip
            if met.value is not None and (worst is None or met.value < worst[0]):
                worst = (met.value, priority.value, label)
    total = weekly.summary.sla
    said = "" if total is None else (
        f"{words.percent(total.proportion)} of "
        f"{words.count(total.achieved + total.breached, 'SLA target')} were met. "
    )  # fmt: skip
    if worst is not None:
        when = {"day": "on", "week": "in the week of", "month": "in"}[noun]
        said += f"Lowest: {worst[1]} {when} {worst[2]} ({worst[0]:.0%}). "
    said += "Whiskers show the 95% Wilson interval."
    table = _table("sla", [noun, "priority", "met", "breached", "met (%)", "95% interval"],
                   rows)  # fmt: skip
    return _chart("sla-chart", title, said, svg, table)


def _empty(ident: str, title: str, message: str) -> str:
    return (
        f'<section class="chart empty" id="{ident}"><h2>{escape(title)}</h2>'
        f'<p class="note">{escape(message)}</p></section>'
    )


def _backlog_section(weekly: WeeklyReport, details: ReportDetails) -> str:
    title = "Backlog over time"
    points = details.backlog
    labels = [f"{words.day(at - timedelta(hours=12), weekly.tz, year=False)}" for at, _ in points]
    counts = [count for _, count in points]
    svg = charts.line(labels, [float(c) for c in counts], title, "open tickets", "backlog")
    peak = max(range(len(counts)), key=lambda i: (counts[i], -i)) if counts else None
    said = (
        "Open tickets (neither solved nor closed) at the end of each day shown."
        if peak is None
        else f"Open tickets at the end of each day shown: {counts[0]:,} after {labels[0]}, "
        f"{counts[-1]:,} after {labels[-1]}, most after {labels[peak]} ({counts[peak]:,})."
    )
    table = _table("backlog", ["end of", "open tickets"],
                   ([_cell(label), _cell(count)] for label, count in zip(labels, counts,
                                                                        strict=True)))  # fmt: skip
    return _chart("backlog-chart", title, said, svg, table)


def _bin_label(low: timedelta, high: timedelta | None) -> str:
    if high is None:
        return f"{words.duration(low)} or more"
    if not low:
        return f"under {words.duration(high)}"
    return f"{words.duration(low)} – {words.duration(high)}"


def _first_reply_section(weekly: WeeklyReport, details: ReportDetails) -> str:
    hours = "business hours" if details.business_hours else "calendar hours"
    title = f"First reply times ({hours})"
    labels = [_bin_label(low, high) for low, high, _ in details.first_reply_bins]
    counts = [count for _, _, count in details.first_reply_bins]
    svg = charts.bars(labels, counts, title, "tickets", "first-reply-bar")
    answered = sum(counts)
    within_hour = sum(c for (low, _, c) in details.first_reply_bins if low < timedelta(hours=1))
    said = (
        "No ticket created in the period has a first reply yet."
        if not answered
        else f"{words.count(answered, 'ticket')} created in the period got a first reply; "
        f"{within_hour / answered:.0%} within an hour of {hours} "
        f"(median {words.duration(weekly.summary.first_reply.median)})."
    )
    table = _table("first-reply", ["first reply after", "tickets"],
                   ([_cell(label), _cell(count)] for label, count in zip(labels, counts,
                                                                        strict=True)))  # fmt: skip
    return _chart("first-reply-chart", title, said, svg, table)


def _csat_section(weekly: WeeklyReport) -> str:
    noun = _PERIOD_NOUN[weekly.by]
    title = f"CSAT by {noun}"
    labels = [_label(row, weekly) for row in weekly.periods]
    scores = [row.summary.csat for row in weekly.periods]
    if not any(score.count for score in scores):
        return _empty("csat-chart", title, "No satisfaction ratings in this period.")
    svg = charts.line(labels, [s.value for s in scores], title, "positive ratings (%)", "csat",
                      band=[s.interval for s in scores], percent=True)  # fmt: skip
    total = weekly.summary.csat
    said = (
        f"{words.percent(total)} of {words.count(total.count, 'rating')} were positive; "
        "the band is the 95% Wilson interval of each point."
    )
    rows = (
        [_cell(label), _cell(score.count), _cell(score.successes), _share_cell(score),
         _cell(_interval(score))]
        for label, score in zip(labels, scores, strict=True)
    )  # fmt: skip
    table = _table("csat", [noun, "ratings", "positive", "CSAT", "95% interval"], rows)
    return _chart("csat-chart", title, said, svg, table)


def _shortfall_section(weekly: WeeklyReport, details: ReportDetails) -> str:
    title = "Staffing shortfall by hour of the week"
    if not details.shortfall:
        return _empty("shortfall-chart", title, "No staffing goal in the settings.")
    grid = [[details.shortfall[d * 24 + h].shortfall for h in range(24)] for d in range(7)]
    svg = charts.heatmap(grid, _DAYS, title, "agents short")
    busy = [cell for cell in details.shortfall if cell.contacts]
    worst = max(busy, key=lambda c: (c.shortfall, c.contacts), default=None)
    said = (
        "Agents Erlang C says each hour's contacts needed (for the staffing goal), minus "
        "the agents who took them, per hour of the week in "
        f"{weekly.tz.key}, averaged over the period."
    )
    if worst is not None and worst.shortfall:
        said += (
            f" Most short: {_DAYS[worst.weekday]} {worst.hour:02d}:00, "
            f"{worst.shortfall:.1f} agents."
        )
    rows = (
        [_cell(f"{_DAYS[c.weekday]} {c.hour:02d}:00"), _cell(c.contacts, f"{c.contacts:.1f}"),
         _cell(c.needed if c.needed is not None else "n/a"), _cell(c.seen, f"{c.seen:.1f}"),
         _cell(c.shortfall, f"{c.shortfall:.1f}")]
        for c in busy
    )  # fmt: skip
    table = _table("shortfall", ["hour", "contacts", "agents needed", "agents who took them",
                                 "short"], rows)  # fmt: skip
    return _chart("shortfall-chart", title, said, svg,
                  f"<details><summary>The {len(busy)} hours with contacts</summary>{table}"
                  "</details>")  # fmt: skip


def _shrunk_cells(row: ShrunkRow | None) -> list[str]:
    """Shrunk rate, its interval and the verdict; blanks for an agent without outcomes."""
    if row is None:
        return [_cell("n/a"), _cell(""), _cell("")]
    low, high = row.interval
    return [_cell(row.estimate, f"{row.estimate:.0%}"), _cell(f"{low:.0%} – {high:.0%}"),
            _cell(row.verdict())]  # fmt: skip


def _agents_section(weekly: WeeklyReport, details: ReportDetails) -> str:
    shrunk = {score.metric: {row.agent: row for row in score.rows} for score in weekly.fair}
    csat, fcr = shrunk.get("csat", {}), shrunk.get("fcr", {})
    rows = (
        [_cell(a.agent), _cell(a.tickets), _duration_cell(a.first_reply.median),
         _duration_cell(a.first_reply.percentile(90)), _share_cell(a.csat),
         _cell(_interval(a.csat)), _cell(a.csat.count), *_shrunk_cells(csat.get(a.agent)),
         _share_cell(a.fcr), _cell(a.fcr.count), *_shrunk_cells(fcr.get(a.agent)),
         _share_cell(a.reopened)]
        for a in details.agents
    )  # fmt: skip
    head = ["agent", "tickets", "first reply p50", "first reply p90", "CSAT", "CSAT 95% interval",
            "ratings", "CSAT shrunk", "shrunk 95% interval", "CSAT verdict",
            "solved in one touch", "solved", "one touch shrunk", "shrunk 95% interval",
            "one touch verdict", "reopened"]  # fmt: skip
    note = (
        "Each ticket counts for the agent last assigned to it, or else the first to reply. "
        + EXPLANATION
    )
    if weekly.fair_note:
        note += f" (Shrunk scores not shown: {weekly.fair_note}.)"
    for score in weekly.fair:
        if score.team_rate is not None:
            note += (
                f" Team {score.label}: {score.team_rate:.0%}; "
                f"{len(score.flagged)} of {len(score.rows)} agents flagged "
                f"(false discovery rate {score.q:.0%})."
            )
    charts_html = "".join(_shrunk_chart(score) for score in weekly.fair if score.rows)
    return (
        f'<section id="agents"><h2>Agents</h2><p class="note">{escape(note)}</p>'
        + charts_html
        + _table("agents", head, rows)
        + "</section>"
    )


def _shrunk_chart(score: ShrunkScores) -> str:
    title = f"{score.label} by agent: raw and shrunk"
    svg = charts.intervals(
        [row.agent for row in score.rows],
        [row.raw for row in score.rows],
        [row.estimate for row in score.rows],
        [row.interval for row in score.rows],
        score.team_rate,
        title,
        f"shrunk-{score.metric}",
    )
    return f'<figure id="shrunk-{score.metric}-chart">{svg}</figure>'


def _rising_section(weekly: WeeklyReport) -> str:
    title = f"Rising topics (against the {weekly.baseline_weeks} weeks before)"
    topics = weekly.rising
    if topics is None:
        return _empty("rising-topics", title, f"Not shown: {weekly.rising_note}.")
    if not topics.topics:
        return _empty("rising-topics", title, f"Not enough data: {topics.reason}")
    said = topics.reason + " " + (
        " ".join(t.reason + "." for t in topics.flagged) if topics.flagged
        else "No topic rose beyond chance."
    )  # fmt: skip
    rows = (
        [_cell(t.topic), _cell(t.requesters), _cell(t.share, f"{t.share:.1%}"),
         _cell(t.baseline_requesters), _cell(t.baseline_share, f"{t.baseline_share:.1%}"),
         _cell(t.p_value, f"{t.p_value:.2g}"), _cell(t.q_value, f"{t.q_value:.2g}"),
         _cell("rising" if t.flagged else "")]
        for t in topics.topics
    )  # fmt: skip
    head = ["topic", "requesters", "share", "baseline requesters", "baseline share", "p",
            "adjusted p", "flag"]  # fmt: skip
    return (
        f'<section id="rising-topics"><h2>{escape(title)}</h2><p class="note">{escape(said)}</p>'
        + _table("rising-topics", head, rows)
        + "</section>"
    )


def _qa_section(section: QASection) -> str:
    title = f"Quality reviews (scorecard {section.scorecard})"
    criteria = list(dict.fromkeys(name for a in section.agents for name in a.categories))
    rows = (
        [_cell(a.agent), _cell(a.iqs, f"{a.iqs:.1f}%") if a.iqs is not None else _cell("n/a"),
         _cell(a.reviews), _cell(a.failed),
         *(_cell(a.categories[c], f"{a.categories[c]:.1f}%") if c in a.categories
           else _cell("n/a") for c in criteria)]
        for a in section.agents
    )  # fmt: skip
    said = (
        f"{section.reviews:,} reviews. IQS is the mean review score; a failed critical "
        "criterion zeroes a review, the category columns do not."
    )
    parts = [
        f'<section id="qa"><h2>{escape(title)}</h2><p class="note">{escape(said)}</p>',
        _table("qa", ["agent", "IQS", "reviews", "failed critical", *criteria], rows),
    ]
    calibration = section.calibration
    if calibration is None:
        parts.append(f'<p class="note">Reviewer calibration {escape(section.note)}.</p>')
    else:
        parts.append(f'<p class="note">{escape(calibration.alpha.explain())} '
                     f"{escape(calibration.fleiss.explain())}</p>")  # fmt: skip
        drift = (
            [_cell(d.reviewer), _cell(d.units),
             _cell(d.agreement, f"{d.agreement:.0%}")
             if d.agreement is not None else _cell("n/a"),
             _cell(d.mean_difference, f"{d.mean_difference:+.1f}")
             if d.mean_difference is not None else _cell("n/a"), _cell(d.reason)]
            for d in calibration.drift
        )  # fmt: skip
        head = ["reviewer", "units", "equal to the others", "mean difference (points)", "reading"]
        parts.append(_table("qa-drift", head, drift))
    return "".join(parts) + "</section>"


def _text_section(weekly: WeeklyReport) -> str:
    text = weekly.to_text()
    return (
        '<section id="text"><h2>Escalations, staffing advice and the full text</h2>'
        f"<pre>{escape(text)}</pre></section>"
    )


def page(weekly: WeeklyReport, *, title: str | None = None) -> str:
    """The HTML page of ``weekly`` (see the module docstring)."""
    heading = f"Support report {words.period(weekly.summary.start, weekly.summary.end, weekly.tz)}"
    details = weekly.details
    if details is None:  # a report built by hand: charts of the trend only
        details = details_of([], weekly.periods, start=weekly.summary.start,
                             end=weekly.summary.end, tz=weekly.tz, calendar=None,
                             goal=None)  # fmt: skip
    parts = [
        _summary_section(weekly),
        _sla_section(weekly),
        _backlog_section(weekly, details),
        _first_reply_section(weekly, details),
        _csat_section(weekly),
        _shortfall_section(weekly, details),
        _agents_section(weekly, details),
        _rising_section(weekly),
        *([] if weekly.qa is None else [_qa_section(weekly.qa)]),
        _text_section(weekly),
    ]
    return document(title or heading, f"Days and hours in {weekly.tz.key}.", parts)


def document(title: str, note: str, parts: Sequence[str]) -> str:
    """A self-contained page: the title, a note under it, then the sections."""
    shown = escape(title)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{shown}</title><style>{_CSS}</style></head><body><main>"
        f"<h1>{shown}</h1><p class='note'>{escape(note)}</p>"
        + "\n".join(parts)
        + "</main></body></html>\n"
    )
