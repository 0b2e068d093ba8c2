"""The versions of the libraries whose internals report/engines/ reaches into, as pinned in
pyproject.toml: each module here was written and tested against one of them, and
report/engines/__init__.py (`require`, `install`) checks them against the installed ones.

A module of its own, so that the engine modules can name their version without importing the
package that installs them.
"""

from __future__ import annotations

PINNED = {"weasyprint": "70.0", "pypdf": "7.1.0", "edtf": "5.0.2"}
