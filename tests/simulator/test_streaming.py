"""Streaming (SSE) through the SDK: chunk types, usage chunk, same text as without streaming."""

import json

from openai.types.chat import ChatCompletionChunk

MESSAGES = [{"role": "user", "content": "¿Qué métodos de pago aceptáis? Responde en 30 palabras."}]


def _raw_chunks(sim, **kwargs):
    raw = sim.chat.completions.with_raw_response.create(model="gpt-4o-mini", messages=MESSAGES,
                                                        stream=True, **kwargs)
    assert raw.headers["content-type"].startswith("text/event-stream")
    text = raw.http_response.read().decode("utf-8")
    lines = [line[len("data: "):] for line in text.splitlines() if line.startswith("data: ")]
    assert lines[-1] == "[DONE]"
    return [ChatCompletionChunk.model_validate(json.loads(line)) for line in lines[:-1]]


def test_do_stream_chunks_validate_and_join_into_the_non_streamed_text(sim):
    chunks = _raw_chunks(sim, temperature=0)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    plain = sim.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES, temperature=0)
    assert text == plain.choices[0].message.content
    assert chunks[0].choices[0].delta.role == "assistant"
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert all(c.usage is None for c in chunks)


def test_does_include_usage_add_a_last_chunk_with_usage_and_no_choices(sim):
    chunks = _raw_chunks(sim, stream_options={"include_usage": True})
    *body, last = chunks
    assert last.choices == [] and last.usage is not None
    assert all(c.usage is None for c in body)
    plain = sim.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES)
    assert last.usage.prompt_tokens == plain.usage.prompt_tokens
    assert last.usage.completion_tokens == plain.usage.completion_tokens


def test_does_the_sdk_stream_iterator_see_usage_and_logprobs(sim):
    stream = sim.chat.completions.create(model="gpt-4.1-nano", messages=MESSAGES, stream=True, n=2,
                                         logprobs=True, stream_options={"include_usage": True})
    texts, lps, usage = {0: "", 1: ""}, 0, None
    for chunk in stream:
        for choice in chunk.choices:
            texts[choice.index] += choice.delta.content or ""
            lps += len(choice.logprobs.content) if choice.logprobs else 0
        usage = chunk.usage or usage
    assert texts[0] and texts[1] and lps > 0
    assert usage.completion_tokens >= lps


def test_is_a_streamed_call_recorded_once_in_the_ledger(fresh):
    before = len(fresh.simulator.ledger)
    list(fresh.chat.completions.create(model="gpt-4o", messages=MESSAGES, stream=True))
    assert len(fresh.simulator.ledger) == before + 1
