"""The client side: ``connect()`` and the pipeline every model call goes through.

``connect`` returns an official ``openai.OpenAI`` whose ``chat.completions.create``
and ``embeddings.create`` run through ``client.pipeline`` (``Pipeline``: ordered
slots ``cache`` → ``router`` → ``guard`` → ``recorder``); the ``Recorder`` writes
one ledger row per provider attempt and per call answered without one.

Names are imported on first use: a middleware module that only needs ``Call`` or
``CallRefused`` does not pay for importing the openai SDK.
"""

import importlib

_EXPORTS = {
    "DEFAULT_KEY": "connection", "ProviderNotFound": "connection", "connect": "connection",
    "state_dir": "connection", "SLOTS": "pipeline", "Call": "pipeline", "CallRefused": "pipeline",
    "MiddlewareError": "pipeline", "Pipeline": "pipeline", "Recorder": "recorder",
    "key_id": "recorder",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name):
    if name in _EXPORTS:
        return getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_EXPORTS))
