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
        return pipeline.handle(Call("chat.completions", params))

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
        return pipeline.handle(Call("embeddings", params))

    def _send(self, call: Call):
        return Embeddings.create(self, **call.params)


def install(client, pipeline: Pipeline) -> None:
    """Route ``client``'s chat and embeddings calls through ``pipeline`` (in place)."""
    completions = PipelinedCompletions(client)
    embeddings = PipelinedEmbeddings(client)

    def transport(call: Call):
        if call.endpoint == "chat.completions":
            return completions._send(call)
        return embeddings._send(call)

    pipeline.transport = transport
    client.pipeline = pipeline
    client._pipelined_completions = completions
    # The SDK builds its resources as cached properties: pre-filling the instance
    # dictionary replaces them for this client only.
    client.__dict__["chat"] = PipelinedChat(client)
    client.__dict__["embeddings"] = embeddings
