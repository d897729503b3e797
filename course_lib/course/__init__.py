"""The course layer: the Mercadela world, the scenario content, grading and the ``costlab`` CLI.

It uses the library (``course_lib``) and the simulator; neither imports it.
The world loaders are re-exported here lazily (importing pandas costs time).
"""

import importlib

_EXPORTS = {
    "load_documents": "world", "load_facts": "world", "load_tasks": "world",
    "load_traffic": "world", "load_pairs": "world", "get_task": "world",
    "is_correct": "world", "missing_facts": "world", "feature_table": "world",
    "WorldDataError": "world", "baseline_request": "scenario",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name):
    if name in _EXPORTS:
        return getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
