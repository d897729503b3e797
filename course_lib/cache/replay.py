"""Turning a stored response back into what the SDK would have returned.

A hit must look like a provider answer to the caller: a ``ChatCompletion``
for an ordinary call, a stream of ``ChatCompletionChunk`` for ``stream=True``
(with the final usage chunk only if ``stream_options.include_usage`` asked for
it). The replayed usage is zero — a hit consumes no tokens; what the original
call cost is in the entry and in ``call.notes["cache"]``. ``collect_stream``
does the reverse for a streamed miss: it passes every chunk on and, at the
end, hands the assembled response to a callback (so streamed calls are
cached too). Left out: tool-call deltas in replayed streams are sent whole.
"""

from __future__ import annotations

import time

ZERO_USAGE = {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0,
              "prompt_tokens_details": {"cached_tokens": 0}}


def as_completion(data: dict, *, call_id: str):
    from openai.types.chat import ChatCompletion

    return ChatCompletion.model_validate({**data, "usage": ZERO_USAGE,
                                          "id": f"cache-{call_id}"})


class ReplayStream:
    """An iterable (and context manager) of chunks, like ``openai.Stream``."""

    def __init__(self, chunks):
        self._chunks = list(chunks)
        self.response = None

    def __iter__(self):
        return iter(self._chunks)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self) -> None:
        pass


def as_stream(data: dict, *, call_id: str, include_usage: bool) -> ReplayStream:
    from openai.types.chat import ChatCompletionChunk

    base = {"id": f"cache-{call_id}", "object": "chat.completion.chunk",
            "created": int(data.get("created") or time.time()), "model": data.get("model", "")}
    chunks = []
    for choice in data.get("choices") or []:
        message = choice.get("message") or {}
        delta = {"role": "assistant", "content": message.get("content")}
        if message.get("tool_calls"):
            delta["tool_calls"] = [{**tc, "index": i} for i, tc in enumerate(message["tool_calls"])]
        chunks.append({**base, "choices": [{"index": choice.get("index", 0), "delta": delta,
                                            "finish_reason": None}]})
        chunks.append({**base, "choices": [{"index": choice.get("index", 0), "delta": {},
                                            "finish_reason": choice.get("finish_reason", "stop")}]})
    if include_usage:
        chunks.append({**base, "choices": [], "usage": ZERO_USAGE})
    return ReplayStream(ChatCompletionChunk.model_validate(c) for c in chunks)


def collect_stream(stream, on_complete):
    """Pass ``stream``'s chunks through; at its natural end call ``on_complete(response_dict)``."""
    inner = getattr(stream, "_iterator", None)
    if inner is None:
        return stream
    parts: dict[int, dict] = {}
    head: dict = {}

    def collecting():
        for chunk in inner:
            head.setdefault("model", getattr(chunk, "model", ""))
            head.setdefault("created", getattr(chunk, "created", 0))
            for choice in getattr(chunk, "choices", None) or []:
                part = parts.setdefault(choice.index, {"content": [], "finish_reason": None})
                content = getattr(choice.delta, "content", None)
                if content:
                    part["content"].append(content)
                if choice.finish_reason:
                    part["finish_reason"] = choice.finish_reason
            yield chunk
        on_complete({
            "id": "stream", "object": "chat.completion", "model": head.get("model", ""),
            "created": head.get("created", 0),
            "choices": [{"index": i, "finish_reason": p["finish_reason"],
                         "message": {"role": "assistant", "content": "".join(p["content"])}}
                        for i, p in sorted(parts.items())]})

    stream._iterator = collecting()
    return stream
