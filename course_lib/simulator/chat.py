"""One chat completion, start to finish, without HTTP.

:func:`run_chat` validates the request, counts prompt tokens with
``course_lib.tokens`` (the same formula learners use), asks the prompt cache
for cached tokens, lets the quality model and ``answers.py`` write each
choice, cuts at ``max_tokens`` / ``stop``, adds hidden reasoning tokens for
reasoning models, prices the call, writes it to the ledger and returns the
OpenAI-shaped body plus what the routes need (latency, stream pieces).
Rate limits, faults, sleeping and SSE framing are the routes' business.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from decimal import Decimal

from . import answers, quality
from .auth import key_id
from .errors import APIError
from .latency import simulated_latency_ms, time_to_first_token_ms
from .logprobs import Piece, split_pieces, with_logprobs
from .prompt_cache import MIN_CACHED
from .schemas import ChatRequest, check_params, parse_request

EFFORT = {"minimal": 0.05, "low": 0.35, "medium": 1.0, "high": 2.5}
MAX_RESPONSE_BYTES = 8 * 2**20     # n=128 × top_logprobs=20 must not become a 44 MB answer
REASONING_BASE = {"task": 420, "generic": 260}


@dataclass
class ChoiceOut:
    text: str
    finish_reason: str
    content_tokens: int
    reasoning_tokens: int
    confidence: float
    answer_span: tuple[int, int] | None
    pieces: list[Piece] = field(default_factory=list)


@dataclass
class ChatResult:
    body: dict
    request: ChatRequest
    choices: list[ChoiceOut]
    latency_ms: float
    ttft_ms: float
    record: object


def _prompt_sequence(encoding, messages: list[dict]) -> list[int]:
    """The prompt as ids in chat order: 3 markers per message, one before a name, then the
    tokens of each value — so ``len(seq) + 3`` is the cookbook count (``count_chat_tokens``)."""
    seq: list[int] = []
    for m in messages:
        seq += (-1, -2, -3)
        for k, v in m.items():
            if k == "name":
                seq.append(-4)
            seq += encoding.encode_ordinary(v)
    return seq


def _length_hint(messages: list[dict]) -> answers.LengthHint:
    """Length instructions, nearest to the question first: the end of the last user
    message, then the start of the first system/developer message, then the rest of
    the user message and of the other system messages (not the middle of long contexts)."""
    user = next((m["content"] for m in reversed(messages) if m["role"] == "user"), "")
    systems = [m["content"] for m in messages if m["role"] in ("system", "developer")]
    candidates = [user[-400:], systems[0][:1500] if systems else "", user[-1500:-400],
                  *(text[:1000] for text in systems[1:])]
    for text in candidates:
        hint = answers.length_hint(text) if text else answers.LengthHint()
        if hint != answers.LengthHint():
            return hint
    return answers.LengthHint()


def _reasoning_tokens(profile, req, *, difficulty: float, kind: str, key: tuple) -> int:
    if not profile.reasoning:
        return 0
    effort = EFFORT[req.reasoning_effort or "medium"]
    jitter = 0.7 + 0.6 * quality.unit("reasoning", *key)
    return int(round(REASONING_BASE[kind] * effort * (0.5 + difficulty) * jitter))


def _apply_stop(text: str, stop) -> str:
    stops = [stop] if isinstance(stop, str) else list(stop or [])
    cut = min((text.find(s) for s in stops if s and s in text), default=-1)
    return text[:cut] if cut >= 0 else text


def _write_choice(req, profile, encoding, task, facts, *, prompt_text: str, messages: list[dict],
                  hint, seed: str, digest: str, sample: int) -> ChoiceOut:
    """One choice: the quality model's verdict (for a task) or a generic answer, then
    ``stop``, reasoning tokens and the ``max_tokens`` budget (which includes reasoning)."""
    model = profile.model
    if task is not None:
        verdict = quality.judge(task, facts, prompt=prompt_text, model=model,
                                skill=profile.skill, seed=seed, sample=sample)
        key = (model, task["task_id"], seed, sample)
        text = answers.task_answer(task, correct=verdict.correct, verbosity=profile.verbosity,
                                   hint=hint, key=key)
        confidence, kind = verdict.confidence, "task"
        difficulty = float(task.get("difficulty", 0.5))
        wrong = task.get("wrong_answers")
        said = [str(task.get("answer"))] if verdict.correct else \
            [str(w) for w in ([] if wrong is None else list(wrong))]
    else:
        key = (model, digest, seed, sample)
        last_user = next((m["content"] for m in reversed(messages) if m["role"] == "user"), "")
        text = answers.generic_answer(last_user[-500:] or prompt_text[-500:],
                                      verbosity=profile.verbosity, hint=hint, key=key)
        confidence = 0.55 + 0.4 * quality.unit("confidence", *key)
        kind, difficulty, said = "generic", 0.5, []
    text = _apply_stop(text, req.stop)
    reasoning = _reasoning_tokens(profile, req, difficulty=difficulty, kind=kind, key=key)
    tokens = encoding.encode_ordinary(text)
    finish, budget = "stop", req.max_completion_tokens or req.max_tokens
    if budget is not None and reasoning + len(tokens) > budget:
        reasoning = min(reasoning, budget)
        tokens = tokens[:budget - reasoning]
        text, finish = encoding.decode(tokens), "length"
    span = None  # where the stated (right or wrong) answer sits: its tokens carry the confidence
    for answer in said:
        start = text.find(answer)
        if start >= 0:
            span = (start, start + len(answer))
            break
    if task is not None and span is None:
        span = (0, min(len(text), 80))
    return ChoiceOut(text, finish, len(tokens), reasoning, confidence, span)


def _price(state, model: str, usage, *, batch: bool):
    profile = state.catalog.get(model)
    if profile is not None and profile.on_premises and model not in state.prices:
        return Decimal(0)          # an edge model: its hardware is billed by the hour, not per call
    at = datetime.fromtimestamp(state.clock(), tz=timezone.utc)
    try:
        return state.prices.cost(model, usage, batch=batch, at=at)
    except Exception:  # no price version that old: use the current one
        return state.prices.cost(model, usage, batch=batch)


def _response_bytes(choices: list[ChoiceOut], req) -> int:
    """A generous estimate of the JSON size of the answer (logprobs dominate)."""
    per_token = 90 + 70 * (req.top_logprobs or 0) if req.logprobs else 0
    return sum(300 + 2 * len(c.text) + per_token * c.content_tokens for c in choices)


def run_chat(state, body, *, api_key: str, batch: bool = False, project: str = "",
             request_id: str | None = None) -> ChatResult:
    """Complete a chat request against ``state`` and record it in the ledger.

    ``project`` is the ``OpenAI-Project`` header (the ``project`` of ``metadata``
    wins); ``request_id`` is the id to record (see ``idempotency.py``).
    """
    from course_lib.pricing import Usage
    from course_lib.tokens import count_chat_tokens, encoding_for_model
    from course_lib.usage import CallRecord

    req = parse_request(body)
    profile = state.catalog.get(req.model)
    check_params(req, profile, state)
    model = profile.model          # a dated snapshot keeps its name and its price
    messages = []
    for m in req.messages:
        msg = {"role": m.role, "content": m.text()}
        if m.name:
            msg["name"] = m.name
        messages.append(msg)
    encoding = encoding_for_model(model)
    seq = None
    if sum(len(v.encode("utf-8")) + 4 for m in messages for v in m.values()) + 3 < MIN_CACHED:
        prompt_tokens = count_chat_tokens(messages, model)   # surely too short to cache
    else:  # tokenize once: the cache needs the ids, and the count follows the same formula
        seq = _prompt_sequence(encoding, messages)
        prompt_tokens = len(seq) + 3
    if prompt_tokens > profile.context_window:
        raise APIError(400, f"This model's maximum context length is {profile.context_window} "
                       f"tokens. However, your messages resulted in {prompt_tokens} tokens. "
                       "Please reduce the length of the messages.", param="messages",
                       code="context_length_exceeded")
    cached = 0
    if prompt_tokens >= MIN_CACHED:
        key = (req.model_extra or {}).get("prompt_cache_key")
        cached = min(state.prompt_cache.lookup_and_store(
            model, seq, routing_key=key if isinstance(key, str) and key else None),
                     prompt_tokens // 128 * 128)

    prompt_text = "\n".join(m["content"] for m in messages)
    hint = _length_hint(messages)
    metadata = req.metadata or {}
    task = state.tasks.get(metadata.get("task_id"))
    facts = state.tasks.facts_for(task) if task is not None else []
    seed = f"{state.seed}:{req.seed if req.seed is not None else ''}"
    digest = hashlib.blake2b(prompt_text.encode(), digest_size=8).hexdigest()
    varied = req.temperature is None or req.temperature > 0   # greedy: all n choices alike

    choices = [_write_choice(req, profile, encoding, task, facts, prompt_text=prompt_text,
                             messages=messages, hint=hint, seed=seed, digest=digest,
                             sample=i if varied else 0)
               for i in range(req.n or 1)]

    size = _response_bytes(choices, req)
    if size > MAX_RESPONSE_BYTES:
        raise APIError(400, f"The response would be too large ({size / 2**20:.0f} MB; the limit is "
                       f"{MAX_RESPONSE_BYTES // 2**20} MB). Lower 'n', 'max_tokens' or "
                       "'top_logprobs'.", param="n", code="response_too_large")
    completion_tokens = sum(c.content_tokens + c.reasoning_tokens for c in choices)
    reasoning_total = sum(c.reasoning_tokens for c in choices)
    usage = Usage(input_tokens=prompt_tokens, output_tokens=completion_tokens,
                  cached_tokens=cached, reasoning_tokens=reasoning_total)
    cost = _price(state, model, usage, batch=batch)
    generated = max(c.content_tokens + c.reasoning_tokens for c in choices)
    lat_key = (digest, seed)
    latency = simulated_latency_ms(profile, prompt_tokens=prompt_tokens, cached_tokens=cached,
                                   generated_tokens=generated, key=lat_key)
    ttft = time_to_first_token_ms(profile, prompt_tokens=prompt_tokens, cached_tokens=cached)
    now = state.clock()
    request_id = request_id or "chatcmpl-" + uuid.uuid4().hex[:24]
    record = CallRecord(model=model, input_tokens=prompt_tokens,
                        output_tokens=completion_tokens, cost=cost, cached_tokens=cached,
                        reasoning_tokens=reasoning_total, user=req.user or "",
                        team=metadata.get("team", ""), feature=metadata.get("feature", ""),
                        project=metadata.get("project") or project, api_key_id=key_id(api_key),
                        session=metadata.get("session", ""), latency_ms=latency,
                        request_id=request_id, ts=now, batch=batch,
                        endpoint="batch" if batch else "chat.completions", task_id=task["task_id"] if task is not None else "")
    state.ledger.record(record)

    out_choices = []
    for i, c in enumerate(choices):
        lp = None
        if req.logprobs or req.stream:
            c.pieces = split_pieces(encoding, encoding.encode_ordinary(c.text))
        if req.logprobs:
            with_logprobs(c.pieces, confidence=c.confidence, span=c.answer_span,
                          top=req.top_logprobs or 0, key=(model, digest, seed, i))
            lp = {"content": [p.logprob_entry() for p in c.pieces], "refusal": None}
        out_choices.append({
            "index": i, "message": {"role": "assistant", "content": c.text, "refusal": None,
                                    "annotations": []},
            "logprobs": lp, "finish_reason": c.finish_reason})
    body = {
        "id": request_id, "object": "chat.completion", "created": int(now),
        "model": req.model, "choices": out_choices,
        "usage": usage_dict(prompt_tokens, completion_tokens, cached, reasoning_total),
        "service_tier": "default", "system_fingerprint": "fp_costlab1",
    }
    for observe in list(state.answer_observers):
        observe(record, [c.text for c in choices])
    return ChatResult(body, req, choices, latency, ttft, record)


def usage_dict(prompt_tokens: int, completion_tokens: int, cached: int, reasoning: int) -> dict:
    """OpenAI's ``usage`` object.

    >>> usage_dict(1200, 30, 1024, 0)["prompt_tokens_details"]
    {'cached_tokens': 1024, 'audio_tokens': 0}
    """
    return {
        "prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
        "total_tokens": prompt_tokens + completion_tokens,
        "prompt_tokens_details": {"cached_tokens": cached, "audio_tokens": 0},
        "completion_tokens_details": {"reasoning_tokens": reasoning, "audio_tokens": 0,
                                      "accepted_prediction_tokens": 0,
                                      "rejected_prediction_tokens": 0},
    }
