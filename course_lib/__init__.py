"""course_lib: token accounting, caching, cascades and budgets for LLM apps.

The library layer: what an application could lift as it is. It never imports
the simulator (``course_lib.simulator``) or the course (``course_lib.course``);
import-linter contracts in the test suite hold it to that.

Names are imported lazily on first use, so ``import course_lib`` stays cheap
and a notebook that only counts tokens never loads the HTTP client; the stub
``__init__.pyi`` shows the same names to IDEs and type checkers.
"""

from course_lib._lazy import exports
import os as _os

# Plain tiktoken (and LangChain, LiteLLM) read the course's shipped encodings offline:
# course_lib.tokens writes them into this folder on first use. Setting the variable is
# cheap and does no I/O; a folder the user chose is kept.
_os.environ.setdefault("TIKTOKEN_CACHE_DIR", _os.path.join(
    _os.environ.get("COSTLAB_HOME") or _os.path.join(_os.path.expanduser("~"), ".costlab"), "tiktoken"))

_EXPORTS = {
    # pricing
    "ModelPrice": "pricing", "Usage": "pricing", "PriceBook": "pricing",
    "UnknownModelError": "pricing", "cost_of": "pricing",
    # tokens
    "get_encoding": "tokens", "encoding_for_model": "tokens",
    "encoding_name_for_model": "tokens", "count_tokens": "tokens",
    "count_chat_tokens": "tokens", "estimate_cost": "tokens",
    "CostEstimate": "tokens", "TokenizerFileError": "tokens",
    # text rules
    "normalize": "text", "contains": "text", "fact_in_text": "text",
    # clock
    "Clock": "clock",
    # usage
    "CallRecord": "usage", "Ledger": "usage",
    # client
    "connect": "client", "Pipeline": "client", "Call": "client",
    "CallRefused": "client", "MiddlewareError": "client",
}

__all__ = sorted(_EXPORTS)

__getattr__, __dir__ = exports(__name__, _EXPORTS, globals())
