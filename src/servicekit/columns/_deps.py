"""NumPy and pandas, imported only when a columns function runs.

``import servicekit`` (and ``import servicekit.columns``) work without them; calling a
columns function without them raises :class:`~servicekit.errors.MissingExtraError`
saying what to install.
"""

from __future__ import annotations

from types import ModuleType

from servicekit.errors import MissingExtraError

INSTALL = "pip install servicekit[columns]"


def numpy_and_pandas() -> tuple[ModuleType, ModuleType]:
    """The ``numpy`` and ``pandas`` modules.

    Raises:
        MissingExtraError: either is not installed.

    >>> np, pd = numpy_and_pandas()
    >>> np.__name__, pd.__name__
    ('numpy', 'pandas')
    """
    try:
        import numpy  # noqa: PLC0415 -- optional extra, imported on first use
        import pandas  # noqa: PLC0415
    except ImportError as exc:
        raise MissingExtraError(
            f"servicekit.columns needs numpy and pandas ({exc.name} is missing): {INSTALL}"
        ) from exc
    return numpy, pandas
