"""course_lib: token accounting, caching, cascades and budgets for LLM apps.

The public API is listed in ``_EXPORTS`` and imported lazily, so importing the
package is cheap and a notebook that only counts tokens never loads the web
server or the sentence encoder.
"""

import importlib

_EXPORTS = {
    # pricing
    "ModelPrice": "pricing", "Usage": "pricing", "PriceBook": "pricing",
    "UnknownModelError": "pricing", "cost_of": "pricing",
    # tokens
    "get_encoding": "tokens", "encoding_for_model": "tokens",
    "encoding_name_for_model": "tokens", "count_tokens": "tokens",
    "count_chat_tokens": "tokens", "estimate_cost": "tokens",
    "CostEstimate": "tokens", "TokenizerFileError": "tokens",
    # usage
    "CallRecord": "usage", "Ledger": "usage",
    # world
    "load_documents": "world", "load_facts": "world", "load_tasks": "world",
    "load_traffic": "world", "load_pairs": "world", "get_task": "world",
    "is_correct": "world", "missing_facts": "world", "feature_table": "world",
    "WorldDataError": "world",
    # client
    "connect": "client",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name):
    if name in _EXPORTS:
        module = importlib.import_module(f"{__name__}.{_EXPORTS[name]}")
        return getattr(module, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
