"""The report's charts as inline SVG, drawn with matplotlib (the ``report`` extra,
imported here only). Text stays text (``svg.fonttype = none``), output is the same
bytes for the same report (fixed hash salt, no date), and the SVG refers to nothing
outside itself. Each mark carries an ``id`` (``sla-bar-3``...) that tests count."""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, ParamSpec

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

_STYLE: dict[Any, Any] = {
    "svg.fonttype": "none",
    "svg.hashsalt": "servicekit",
    "font.family": "sans-serif",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
COLOURS = ("#b2182b", "#ef8a62", "#2166ac", "#67a9cf")
"""Bar colours, most urgent first (urgent, high, normal, low)."""

P = ParamSpec("P")
_PROLOGUE = re.compile(r"^.*?(?=<svg)", re.S)
_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.S)
_NAMESPACES = re.compile(r'\s+xmlns(:\w+)?="[^"]*"')
_ATTRIBUTE = re.compile(r'="[^"]*"')
_DIGITS = re.compile(r"(\d\.\d\d)\d+")


def _figure(width: float = 7.0, height: float = 2.8) -> tuple[Figure, Axes]:
    from matplotlib.figure import Figure  # noqa: PLC0415 - the report extra, optional

    figure = Figure(figsize=(width, height), layout="constrained")
    return figure, figure.add_subplot()


def _svg(figure: Figure, label: str) -> str:
    """The figure as an ``<svg>`` element for an HTML page: no XML prologue, no
    metadata, no namespace declarations (the HTML parser supplies them)."""
    import matplotlib as mpl  # noqa: PLC0415 - the report extra, optional

    buffer = io.StringIO()
    with mpl.rc_context(_STYLE):
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    text = _METADATA.sub("", _PROLOGUE.sub("", buffer.getvalue(), count=1))
    text = _NAMESPACES.sub("", text)
    # Coordinates to 1/100 pt (matplotlib writes 1/1,000,000): a third less to download.
    text = _ATTRIBUTE.sub(lambda found: _DIGITS.sub(r"\1", found.group(0)), text)
    return text.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1).strip()


def _styled(draw: Callable[P, str]) -> Callable[P, str]:
    """Run ``draw`` under the report's matplotlib settings (the caller's are kept)."""

    @functools.wraps(draw)
    def styled(*args: P.args, **kwargs: P.kwargs) -> str:
        import matplotlib as mpl  # noqa: PLC0415 - the report extra, optional

        with mpl.rc_context(_STYLE):
            return draw(*args, **kwargs)

    return styled


@_styled
def sla_bars(
    labels: Sequence[str],
    priorities: Sequence[str],
    values: Sequence[Sequence[float | None]],
    intervals: Sequence[Sequence[tuple[float, float] | None]],
    title: str,
) -> str:
    """Grouped bars: one group per period, one bar per priority (``values[p][i]`` in
    [0, 1]), with Wilson whiskers; missing values draw no bar."""
    figure, axes = _figure()
    width = 0.8 / max(len(priorities), 1)
    number = 0
    for p, priority in enumerate(priorities):
        labelled = False
        for i, value in enumerate(values[p]):
            if value is None:
                continue
            x = i - 0.4 + width * (p + 0.5)
            (bar,) = axes.bar(
                [x], [value * 100], width=width * 0.9, color=COLOURS[p % len(COLOURS)],
                label=None if labelled else priority,
            )  # fmt: skip
            labelled = True
            bar.set_gid(f"sla-bar-{number}")
            interval = intervals[p][i]
            if interval is not None:
                low, high = (100 * bound for bound in interval)
                whisker = axes.errorbar(
                    [x], [value * 100], yerr=[[value * 100 - low], [high - value * 100]],
                    fmt="none", ecolor="#333333", elinewidth=0.8, capsize=2,
                )  # fmt: skip
                whisker.lines[2][0].set_gid(f"sla-whisker-{number}")
            number += 1
    axes.set_xticks(range(len(labels)), labels, rotation=45 if len(labels) > 8 else 0,
                    ha="right" if len(labels) > 8 else "center")  # fmt: skip
    _thin_ticks(axes, len(labels))
    axes.set_ylim(0, 105)
    axes.set_ylabel("SLA targets met (%)")
    handles, names = axes.get_legend_handles_labels()
    unique = dict(zip(names, handles, strict=True))
    if unique:
        axes.legend(unique.values(), unique.keys(), loc="lower left", ncols=len(unique),
                    bbox_to_anchor=(0.0, 1.0), fontsize=8, frameon=False)  # fmt: skip
    return _svg(figure, title)


def _thin_ticks(axes: Axes, count: int) -> None:
    """Keep at most 26 labelled ticks (every other week of a year)."""
    step = max(1, -(-count // 26))
    for index, label in enumerate(axes.get_xticklabels()):
        label.set_visible(index % step == 0)


@_styled
def line(
    labels: Sequence[str],
    values: Sequence[float | None],
    title: str,
    ylabel: str,
    gid: str,
    *,
    band: Sequence[tuple[float, float] | None] | None = None,
    percent: bool = False,
) -> str:
    """A line with a point per label (gaps where ``None``) and, if given, an interval
    band around it."""
    figure, axes = _figure()
    scale = 100.0 if percent else 1.0
    xs = [i for i, v in enumerate(values) if v is not None]
    ys = [v * scale for v in values if v is not None]
    if band is not None:
        kept = [(i, b) for i, b in enumerate(band) if b is not None]
        if kept:
            shade = axes.fill_between(
                [i for i, _ in kept], [b[0] * scale for _, b in kept],
                [b[1] * scale for _, b in kept], color="#9ecae1", alpha=0.5, linewidth=0,
            )  # fmt: skip
            shade.set_gid(f"{gid}-band")
    (drawn,) = axes.plot(xs, ys, color="#08519c", marker="o", markersize=3, linewidth=1.5)
    drawn.set_gid(f"{gid}-line")
    axes.set_xticks(range(len(labels)), labels, rotation=45 if len(labels) > 8 else 0,
                    ha="right" if len(labels) > 8 else "center")  # fmt: skip
    _thin_ticks(axes, len(labels))
    axes.set_xlim(-0.5, len(labels) - 0.5)
    if percent:
        axes.set_ylim(0, 105)
    else:
        axes.set_ylim(bottom=0, top=max([*ys, 1.0]) * 1.15)
    axes.set_ylabel(ylabel)
    return _svg(figure, title)


@_styled
def bars(labels: Sequence[str], counts: Sequence[int], title: str, ylabel: str, gid: str) -> str:
    """One bar per label."""
    figure, axes = _figure()
    drawn = axes.bar(range(len(labels)), counts, color="#2166ac", width=0.8)
    for index, bar in enumerate(drawn):
        bar.set_gid(f"{gid}-{index}")
    axes.set_xticks(range(len(labels)), labels, rotation=30, ha="right")
    axes.set_ylabel(ylabel)
    axes.set_ylim(0, max([*counts, 1]) * 1.15)
    return _svg(figure, title)


@_styled
def heatmap(grid: Sequence[Sequence[float]], rows: Sequence[str], title: str, label: str) -> str:
    """A rows x 24 grid of cells (one per hour), darker for more; vector quads."""
    figure, axes = _figure(height=2.6)
    top = max([max(row, default=0.0) for row in grid] + [1.0])
    import matplotlib as mpl  # noqa: PLC0415 - the report extra, optional

    # Eight shades: easier to read than a continuum, and a colour bar of eight patches.
    shades = mpl.colormaps["Reds"].resampled(8)
    mesh = axes.pcolormesh(grid, cmap=shades, vmin=0, vmax=top, edgecolors="#ffffff",
                           linewidth=0.3)  # fmt: skip
    mesh.set_gid("shortfall-cells")
    axes.set_yticks([i + 0.5 for i in range(len(rows))], rows)
    axes.set_xticks([h + 0.5 for h in range(0, 24, 3)], [f"{h:02d}:00" for h in range(0, 24, 3)])
    axes.invert_yaxis()
    colourbar = figure.colorbar(mesh, ax=axes, fraction=0.04, pad=0.01)
    colourbar.set_label(label)
    if colourbar.solids is not None:  # vector, not an embedded bitmap
        colourbar.solids.set_rasterized(False)
    return _svg(figure, title)


@_styled
def intervals(  # noqa: PLR0917 -- private, one call site
    labels: Sequence[str],
    raw: Sequence[float],
    estimates: Sequence[float],
    spans: Sequence[tuple[float, float]],
    team: float | None,
    title: str,
    gid: str,
) -> str:
    """One row per label: the raw rate (hollow), the shrunk rate (filled) and its
    interval (a whisker), in percent, with the team rate as a dashed line."""
    figure, axes = _figure(height=max(1.6, 0.28 * len(labels) + 0.9))
    ys = list(range(len(labels)))
    for y, (low, high) in zip(ys, spans, strict=True):
        (whisker,) = axes.plot([low * 100, high * 100], [y, y], color="#6baed6", linewidth=2)
        whisker.set_gid(f"{gid}-interval-{y}")
    (hollow,) = axes.plot([v * 100 for v in raw], ys, linestyle="none", marker="o",
                          markerfacecolor="none", markeredgecolor="#555555",
                          label="raw")  # fmt: skip
    hollow.set_gid(f"{gid}-raw")
    (filled,) = axes.plot([v * 100 for v in estimates], ys, linestyle="none", marker="o",
                          color="#08519c", label="shrunk")  # fmt: skip
    filled.set_gid(f"{gid}-shrunk")
    if team is not None:
        axes.axvline(team * 100, color="#b2182b", linestyle="--", linewidth=1, label="team")
    axes.set_yticks(ys, labels)
    axes.invert_yaxis()
    axes.set_xlim(0, 100)
    axes.set_xlabel("percent")
    axes.legend(loc="lower left", fontsize=7, frameon=False)
    return _svg(figure, title)


@_styled
def series(
    labels: Sequence[str],
    lines: Sequence[tuple[str, Sequence[float | None]]],
    title: str,
    ylabel: str,
    gid: str,
    *,
    steps: bool = False,
) -> str:
    """Several named lines over the same labels (gaps where ``None``), with a legend;
    ``steps`` draws each as a staircase (staffing per interval)."""
    figure, axes = _figure()
    colours = ("#08519c", "#b2182b", "#4d9221", "#762a83")
    top = 1.0
    for index, (name, values) in enumerate(lines):
        xs = [i for i, v in enumerate(values) if v is not None]
        ys = [v for v in values if v is not None]
        top = max([top, *ys])
        colour = colours[index % len(colours)]
        if steps:
            (drawn,) = axes.step(xs, ys, where="mid", color=colour, linewidth=1.2, label=name)
        else:
            (drawn,) = axes.plot(xs, ys, color=colour, marker="o", markersize=2.5,
                                 linewidth=1.3, label=name)  # fmt: skip
        drawn.set_gid(f"{gid}-{index}")
    axes.set_xticks(range(len(labels)), labels, rotation=45 if len(labels) > 8 else 0,
                    ha="right" if len(labels) > 8 else "center")  # fmt: skip
    _thin_ticks(axes, len(labels))
    axes.set_xlim(-0.5, max(len(labels), 1) - 0.5)
    axes.set_ylim(0, top * 1.15)
    axes.set_ylabel(ylabel)
    axes.legend(loc="upper left", fontsize=7, frameon=False)
    return _svg(figure, title)
