"""Server-sent events for ``stream=True`` chat completions.

Turns a finished :class:`ChatResult` into the chunk sequence OpenAI sends: a
first chunk with the role, one chunk per text piece (with its logprobs when
asked), a chunk with ``finish_reason``, then — with
``stream_options.include_usage`` — a last chunk with ``usage`` and empty
``choices`` (earlier chunks carry ``usage: null``), and ``data: [DONE]``.
In realtime mode it waits the time to first token and then one piece per
``1 / speed`` seconds; otherwise everything is sent at once.
"""

from __future__ import annotations

import asyncio
import json


def _event(obj) -> str:
    return "data: " + json.dumps(obj, ensure_ascii=False) + "\n\n"


def chunk_events(result) -> list[list[str]]:
    """The SSE events of a result, grouped by choice (last group: usage + DONE)."""
    body = result.body
    req = result.request
    include_usage = bool(req.stream_options and req.stream_options.include_usage)
    base = {"id": body["id"], "object": "chat.completion.chunk", "created": body["created"],
            "model": body["model"], "service_tier": body["service_tier"],
            "system_fingerprint": body["system_fingerprint"]}
    if include_usage:
        base["usage"] = None

    def chunk(index, delta, *, logprobs=None, finish=None):
        return _event({**base, "choices": [{"index": index, "delta": delta,
                                            "logprobs": logprobs, "finish_reason": finish}]})

    groups = []
    for i, choice in enumerate(result.choices):
        events = [chunk(i, {"role": "assistant", "content": "", "refusal": None})]
        for piece in choice.pieces:
            lp = {"content": [piece.logprob_entry()], "refusal": None} if req.logprobs else None
            events.append(chunk(i, {"content": piece.text}, logprobs=lp))
        events.append(chunk(i, {}, finish=choice.finish_reason))
        groups.append(events)
    tail = []
    if include_usage:
        tail.append(_event({**base, "choices": [], "usage": body["usage"]}))
    tail.append("data: [DONE]\n\n")
    groups.append(tail)
    return groups


async def sse_stream(result, *, realtime: bool, speed: float):
    """Async generator of SSE text for a StreamingResponse."""
    groups = chunk_events(result)
    if not realtime:
        yield "".join(e for g in groups for e in g)
        return
    reasoning = max((c.reasoning_tokens for c in result.choices), default=0)
    await asyncio.sleep((result.ttft_ms + 1000.0 * reasoning / speed) / 1000.0)
    for group in groups[:-1]:
        for event in group:
            yield event
            await asyncio.sleep(1.0 / speed)
    yield "".join(groups[-1])
