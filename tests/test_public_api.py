"""Every public name imports, is documented, and the version matches the metadata."""

from __future__ import annotations

import importlib
import inspect
from importlib.metadata import version

import pytest

import servicekit
from servicekit import errors
from servicekit.errors import ServicekitError

PUBLIC_MODULES = [
    "servicekit",
    "servicekit.calendars",
    "servicekit.columns",
    "servicekit.conditions",
    "servicekit.durations",
    "servicekit.errors",
    "servicekit.escalation",
    "servicekit.insights",
    "servicekit.importers",
    "servicekit.forecast",
    "servicekit.kpi",
    "servicekit.report",
    "servicekit.qa",
    "servicekit.routing",
    "servicekit.simulation",
    "servicekit.sla",
    "servicekit.staffing",
    "servicekit.testing",
    "servicekit.testing.reference",
    "servicekit.testing.strategies",
    "servicekit.tickets",
]


@pytest.mark.parametrize("module_name", PUBLIC_MODULES)
def test_every_exported_name_imports_and_is_documented(module_name: str) -> None:
    module = importlib.import_module(module_name)
    assert module.__doc__
    assert list(module.__all__) == sorted(module.__all__, key=lambda n: (not n.isupper(), n))
    for name in module.__all__:
        value = getattr(module, name)
        if name == "__version__" or not (inspect.isclass(value) or callable(value)):
            continue
        assert inspect.getdoc(value), f"{module_name}.{name} has no docstring"


def test_version_matches_metadata() -> None:
    assert servicekit.__version__ == version("servicekit")


def test_errors_subclass_servicekit_error_and_a_builtin() -> None:
    for name in errors.__all__:
        error = getattr(errors, name)
        assert issubclass(error, ServicekitError)
        if error is not ServicekitError:
            # ImportError: an optional extra that is not installed (MissingExtraError).
            assert issubclass(error, ValueError | LookupError | TypeError | ImportError), name


def test_config_errors_move_inside_a_parent_path_and_keep_their_class() -> None:
    inner = errors.InvalidCalendarError("weekly.mon[0]", "bad interval")
    outer = inner.within("policies[1].calendar")
    assert type(outer) is errors.InvalidCalendarError
    assert outer.path == "policies[1].calendar.weekly.mon[0]"
    assert str(outer) == "policies[1].calendar.weekly.mon[0]: bad interval"
    assert errors.ConfigError("", "missing").within("targets").path == "targets"
    assert inner.within("") is inner
