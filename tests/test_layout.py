"""The layout of DESIGN.md: imports run downhill, never in a cycle between
subpackages, and the lifecycle table is read only inside ``tickets``."""

from __future__ import annotations

import ast
import collections
from pathlib import Path

import pytest

SOURCE = Path(__file__).parent.parent / "src" / "servicekit"

# Top to bottom: a unit may import the units drawn above it, never one below.
LAYERS = [
    ["errors"],
    ["_time"],
    ["_checks"],
    ["durations"],
    ["calendars"],
    ["tickets"],
    ["conditions"],
    ["sla"],
    ["escalation"],
    ["routing"],
    ["kpi"],
    ["insights", "qa"],
    ["staffing"],
    ["forecast"],
    ["columns"],
    ["importers"],
    ["report"],
    ["simulation"],
    ["testing"],
    ["_stdout"],
    ["cli"],
    ["__main__"],
]
RANK = {unit: rank for rank, units in enumerate(LAYERS) for unit in units}

# Edges the order would allow but the design forbids: a notebook importing kpi gets
# metrics only, and staffing math knows nothing of SLA policies.
FORBIDDEN = {
    ("kpi", "escalation"),
    ("kpi", "routing"),
    ("staffing", "sla"),
    ("staffing", "kpi"),
}
# Names of the SLA package kpi must not import (it reads clocks, never policies).
KPI_MAY_NOT_IMPORT_FROM_SLA = {"SLAPolicy", "PolicySet", "Target"}


def _unit(path: Path) -> str:
    parts = path.relative_to(SOURCE).parts
    return parts[0].removesuffix(".py")


def _imports(path: Path) -> list[tuple[str, tuple[str, ...], int]]:
    """(imported module, imported names, line) for every servicekit import, including
    those inside functions and ``if TYPE_CHECKING:`` blocks."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = tuple(alias.name for alias in node.names)
            found.append((node.module, names, node.lineno))
        elif isinstance(node, ast.Import):
            found.extend((alias.name, (), node.lineno) for alias in node.names)
    return [item for item in found if item[0].split(".")[0] == "servicekit"]


def _edges() -> list[tuple[str, str, tuple[str, ...], str]]:
    """(from unit, to unit, names, where) for every import between units."""
    edges = []
    for path in sorted(SOURCE.rglob("*.py")):
        unit = _unit(path)
        if unit == "__init__":
            continue
        for module, names, line in _imports(path):
            parts = module.split(".")
            targets = [parts[1]] if len(parts) > 1 else [f"{n}" for n in names]
            for target in targets:
                if target != unit:
                    where = f"{path.relative_to(SOURCE)}:{line}"
                    edges.append((unit, target, names, where))
    return edges


def test_every_unit_has_a_layer() -> None:
    units = {_unit(path) for path in SOURCE.rglob("*.py")} - {"__init__"}
    assert units <= set(RANK), sorted(units - set(RANK))


def test_imports_run_downhill() -> None:
    uphill = [
        f"{where}: {source} imports {target}"
        for source, target, _, where in _edges()
        if target in RANK and RANK[target] >= RANK[source] and target != source
    ]
    assert uphill == []


def test_forbidden_edges() -> None:
    found = [
        f"{where}: {source} imports {target}"
        for source, target, _, where in _edges()
        if (source, target) in FORBIDDEN
    ]
    assert found == []


def test_kpi_reads_clocks_never_policies() -> None:
    found = [
        f"{where}: {sorted(set(names) & KPI_MAY_NOT_IMPORT_FROM_SLA)}"
        for source, target, names, where in _edges()
        if source == "kpi" and target == "sla" and set(names) & KPI_MAY_NOT_IMPORT_FROM_SLA
    ]
    assert found == []


def test_conditions_know_nothing_of_sla() -> None:
    assert [where for s, t, _, where in _edges() if s == "conditions" and t == "sla"] == []


def test_no_cycle_between_subpackages() -> None:
    graph: dict[str, set[str]] = collections.defaultdict(set)
    for source, target, _, _ in _edges():
        graph[source].add(target)

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        for following in graph[start]:
            if following == goal or (
                following not in seen and reaches(following, goal, seen | {following})
            ):
                return True
        return False

    assert [unit for unit in list(graph) if reaches(unit, unit, {unit})] == []


@pytest.mark.parametrize("name", ["ROWS", "trigger_of"])
def test_only_tickets_reads_the_lifecycle_table(name: str) -> None:
    readers = [
        where
        for source, target, names, where in _edges()
        if target == "tickets" and name in names and source != "tickets"
    ]
    assert readers == []


def test_the_check_catches_an_uphill_import(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("from servicekit.sla import Clock\nimport servicekit.report._weekly\n")
    assert [m for m, _, _ in _imports(module)] == ["servicekit.sla", "servicekit.report._weekly"]
