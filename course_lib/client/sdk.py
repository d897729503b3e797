"""Put a :class:`~course_lib.client.pipeline.Pipeline` inside an official ``openai.OpenAI`` client.

``install(client, pipeline)`` makes ``client.chat.completions.create`` and
``client.embeddings.create`` run through the pipeline, while the client stays
an ``openai.OpenAI`` and every response keeps the SDK's types
(``ChatCompletion``, ``Stream[ChatCompletionChunk]``, ``CreateEmbeddingResponse``).
The transport at the end of the pipeline is the SDK's own ``create``.

Other resources (files, batches, models…) and ``with_raw_response`` go to the
provider directly and are not recorded. This module holds no policy.
"""

from __future__ import annotations

from openai.resources.chat import Chat
from openai.resources.chat.completions import Completions
from openai.resources.embeddings import Embeddings

from .pipeline import Call, Pipeline


class PipelinedCompletions(Completions):
    """``chat.completions`` whose ``create`` goes through the client's pipeline."""

    def create(self, **params):  # type: ignore[override]  # same keywords as the SDK's
        pipeline: Pipeline = self._client.pipeline
        return pipeline.handle(Call("chat.completions", params), transport=self._send)

    def _send(self, call: Call):
        return Completions.create(self, **call.params)


class PipelinedChat(Chat):
    @property
    def completions(self) -> PipelinedCompletions:  # type: ignore[override]
        return self._client._pipelined_completions


class PipelinedEmbeddings(Embeddings):
    """``embeddings`` whose ``create`` goes through the client's pipeline."""

    def create(self, **params):  # type: ignore[override]
        pipeline: Pipeline = self._client.pipeline
        return pipeline.handle(Call("embeddings", params), transport=self._send)

    def _send(self, call: Call):
        return Embeddings.create(self, **call.params)


def install(client, pipeline: Pipeline) -> None:
    """Route ``client``'s chat and embeddings calls through ``pipeline`` (in place).

    Copies made with ``client.with_options(...)`` / ``client.copy(...)`` share the
    pipeline (and so the ledger) and keep their own options.
    """
    client.pipeline = pipeline
    client._pipelined_completions = PipelinedCompletions(client)
    # The SDK builds its resources as cached properties: pre-filling the instance
    # dictionary replaces them for this client only.
    client.__dict__["chat"] = PipelinedChat(client)
    client.__dict__["embeddings"] = PipelinedEmbeddings(client)
    plain_copy = client.copy

    def copy(*args, **kwargs):
        new = plain_copy(*args, **kwargs)
        new._idempotency_header = client._idempotency_header
        install(new, pipeline)
        for name in ("ledger", "prices", "simulator"):
            if hasattr(client, name):
                setattr(new, name, getattr(client, name))
        return new

    client.copy = client.with_options = copy
