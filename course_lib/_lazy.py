"""Lazy package exports: a name is imported from its module on first use.

A package lists ``{name: submodule}`` and takes ``__getattr__`` and ``__dir__``
from :func:`exports`, so importing the package stays cheap (no SDK, pandas or
scikit-learn until a name that needs them is used). This module imports
nothing of the library.
"""

from __future__ import annotations

import importlib


def exports(package: str, table: dict[str, str], namespace: dict):
    """``(__getattr__, __dir__)`` for ``package``, whose public names live in ``table``'s submodules.

    >>> g, d = exports("course_lib", {"Clock": "clock"}, {})
    >>> g("Clock").__name__, "Clock" in d()
    ('Clock', True)
    >>> g("Nada")
    Traceback (most recent call last):
    ...
    AttributeError: module 'course_lib' has no attribute 'Nada'
    """

    def __getattr__(name: str):
        if name in table:
            return getattr(importlib.import_module(f"{package}.{table[name]}"), name)
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    def __dir__():
        return sorted(set(namespace) | set(table))

    return __getattr__, __dir__
