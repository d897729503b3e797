"""The client side: ``connect()`` and the pipeline every model call goes through.

``connect`` returns an official ``openai.OpenAI`` whose ``chat.completions.create``
and ``embeddings.create`` run through ``client.pipeline`` (``Pipeline``: ordered
slots ``cache`` → ``router`` → ``guard`` → ``recorder``); the ``Recorder`` writes
one ledger row per provider attempt and per call answered without one.

Names are imported on first use: a middleware module that only needs ``Call`` or
``CallRefused`` does not pay for importing the openai SDK.
"""

from course_lib._lazy import exports

_EXPORTS = {
    "DEFAULT_KEY": "connection", "ProviderNotFound": "connection", "connect": "connection",
    "state_dir": "connection", "SLOTS": "pipeline", "Call": "pipeline", "CallRefused": "pipeline",
    "MiddlewareError": "pipeline", "Pipeline": "pipeline", "Recorder": "recorder",
    "key_id": "recorder",
}

__all__ = sorted(_EXPORTS)

__getattr__, __dir__ = exports(__name__, _EXPORTS, globals())
