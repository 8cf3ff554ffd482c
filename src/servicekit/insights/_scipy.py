"""The one place ``insights`` imports scipy (optional extra ``insights``), lazily."""

from __future__ import annotations

from types import ModuleType

from servicekit.errors import MissingExtraError


def scipy_stats(what: str) -> ModuleType:
    """``scipy.stats``, or a :class:`MissingExtraError` saying which extra to install."""
    try:
        import scipy.stats  # noqa: PLC0415 -- optional dependency, imported on use
    except ImportError:
        raise MissingExtraError(f"{what} needs scipy: pip install 'servicekit[insights]'") from None
    stats: ModuleType = scipy.stats
    return stats
