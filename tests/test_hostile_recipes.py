"""Every public call of conditions, sla, escalation, routing and tickets, from a valid
recipe (``tests/<package>/hostile_recipes.py``) with one argument at a time replaced by
a hostile value: only ServicekitError escapes, within a second of CPU (issue #20).
:mod:`tests.test_robustness` walks every package with random arguments; these start
from calls that work, so a bad value reaches deep into the code."""

from __future__ import annotations

from types import ModuleType

import pytest
from hypothesis import given
from hypothesis import strategies as st

from servicekit import conditions, escalation, routing, sla, tickets
from tests.conditions import hostile_recipes as condition_recipes
from tests.escalation import hostile_recipes as escalation_recipes
from tests.hostile import Call, bad_values, broken, outcome, public_callables
from tests.routing import hostile_recipes as routing_recipes
from tests.sla import hostile_recipes as sla_recipes
from tests.tickets import hostile_recipes as ticket_recipes

PACKAGES: dict[str, tuple[ModuleType, ModuleType]] = {
    "conditions": (conditions, condition_recipes),
    "sla": (sla, sla_recipes),
    "escalation": (escalation, escalation_recipes),
    "routing": (routing, routing_recipes),
    "tickets": (tickets, ticket_recipes),
}
"""Each package and the module of its recipes (``CALLS``, and ``RESULTS``: the public
names that are not called with arguments)."""

CALLS: list[Call] = [call for _, recipes in PACKAGES.values() for call in recipes.CALLS]


@pytest.mark.parametrize("name", PACKAGES)
def test_every_callable_has_a_recipe(name: str) -> None:
    package, recipes = PACKAGES[name]
    covered = {call.name.partition("(")[0].partition(".")[0] for call in recipes.CALLS}
    assert public_callables(package) - recipes.RESULTS - covered == set()


@pytest.mark.parametrize("name", PACKAGES)
def test_every_named_bad_argument_keeps_the_promise(name: str) -> None:
    assert broken(PACKAGES[name][1].CALLS) == []


@pytest.mark.parametrize("name", PACKAGES)
@given(data=st.data())
def test_any_bad_argument_keeps_the_promise(name: str, data: st.DataObject) -> None:
    call = data.draw(st.sampled_from(PACKAGES[name][1].CALLS))
    argument = data.draw(st.sampled_from(sorted(call.arguments)))
    assert outcome(call, argument, data.draw(bad_values)) is None


@pytest.mark.parametrize("call", CALLS, ids=[call.name for call in CALLS])
def test_the_recipe_itself_is_valid(call: Call) -> None:
    call.run(**call.arguments)
