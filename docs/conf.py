"""Sphinx configuration for servicekit's documentation."""

project = "servicekit"
author = "servicekit developers"
copyright = "2026, servicekit developers"

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.doctest",
]
source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
exclude_patterns = ["_build"]
html_theme = "furo"
# Docstring examples run under pytest (--doctest-modules); Sphinx runs the {doctest}
# blocks of the tutorials, so nothing runs twice.
doctest_test_doctest_blocks = ""
autodoc_member_order = "bysource"
autodoc_typehints = "description"
napoleon_google_docstring = True
myst_enable_extensions = ["colon_fence"]
nitpicky = False
