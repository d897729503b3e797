"""The client side: ``connect()`` and the pipeline every model call goes through.

``connect`` returns an official ``openai.OpenAI`` whose ``chat.completions.create``
and ``embeddings.create`` run through ``client.pipeline`` (``Pipeline``: ordered
slots ``cache`` → ``router`` → ``guard`` → ``recorder``); the ``Recorder`` writes
one ledger row per provider attempt and per call answered without one.
"""

from .connect import DEFAULT_KEY, ProviderNotFound, connect, state_dir
from .pipeline import SLOTS, Call, CallRefused, MiddlewareError, Pipeline
from .recorder import Recorder, key_id

__all__ = ["DEFAULT_KEY", "SLOTS", "Call", "CallRefused", "MiddlewareError", "Pipeline",
           "ProviderNotFound", "Recorder", "connect", "key_id", "state_dir"]
