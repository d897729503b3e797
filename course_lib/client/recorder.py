"""The recorder: one ledger row per provider attempt, and one per call answered without one.

It sits last in the pipeline, around the transport, so it sees every attempt
with the model actually called (a cascade's escalation is a second row of the
same ``call_id``). A call that a middleware answered itself (a response-cache
hit) gets one row with ``response_cache_hit`` and zero cost; a call that
failed before reaching the provider gets one row with ``status="error"``.

Streaming: the recorder asks for ``stream_options.include_usage`` when the
caller did not, reads the final usage chunk, and hides that chunk again from a
caller who did not ask for it. A stream abandoned before its end is recorded
as ``"incomplete"`` with the tokens seen so far (input counted locally).

Prices come from a ``PriceBook``; a model without a price is recorded with
``priced=False`` (its cost is unknown, not zero). Attribution comes from the
request: ``user``, and ``team``, ``feature``, ``project``, ``session`` in
``metadata`` (or ``extra_body["metadata"]`` for embeddings), over defaults.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from decimal import Decimal

from course_lib.pricing import Usage
from course_lib.usage.records import CallRecord, key_id

ATTRIBUTION_KEYS = ("team", "feature", "project", "session")


@dataclass
class Attempt:
    """One provider attempt of a call, as the recorder saw it."""

    number: int
    model: str
    started: float
    record: CallRecord | None = None
    pending: bool = False          # a stream not yet consumed
    extra: dict = field(default_factory=dict)


def _metadata(params: dict) -> dict:
    meta = params.get("metadata")
    if not isinstance(meta, dict):
        extra = params.get("extra_body")
        meta = extra.get("metadata") if isinstance(extra, dict) else None
    return meta if isinstance(meta, dict) else {}


def _usage_of(obj) -> Usage | None:
    usage = getattr(obj, "usage", None)
    return None if usage is None else Usage.from_openai(usage)


class Recorder:
    """Writes the client-side ledger. ``prices`` is a ``PriceBook``; ``clock()`` gives unix seconds."""

    name = "recorder"

    def __init__(self, ledger, *, prices, clock=time.time, api_key: str = "",
                 attribution: dict | None = None):
        self.ledger = ledger
        self.prices = prices
        self.clock = clock
        self.api_key_id = key_id(api_key) if api_key else ""
        self.attribution = dict(attribution or {})

    # -- the pipeline's hooks -----------------------------------------------------------

    def attempt(self, call, call_next):
        """Around the transport: time the attempt and keep what it cost."""
        attempt = Attempt(len(call.attempts) + 1, call.model, self.clock())
        call.attempts.append(attempt)
        raw = _raw_mode(call.params)
        stream = call.endpoint == "chat.completions" and bool(call.params.get("stream"))
        asked = False
        if stream and not raw:
            options = dict(call.params.get("stream_options") or {})
            asked = options.get("include_usage") is True
            options["include_usage"] = True
            call.params = {**call.params, "stream_options": options}
        t0 = time.perf_counter()
        try:
            response = call_next(call)
        except BaseException as exc:
            attempt.record = self._record(call, attempt, None, status="error", error=_describe(exc),
                                          latency_ms=(time.perf_counter() - t0) * 1000)
            raise
        latency = (time.perf_counter() - t0) * 1000
        if raw:
            attempt.record = self._record_raw(call, attempt, response, raw, stream, latency)
            return response
        if stream:
            attempt.pending = True
            return self._watch_stream(response, call, attempt, asked, t0)
        attempt.record = self._record(call, attempt, _usage_of(response),
                                      model=getattr(response, "model", None),
                                      latency_ms=(time.perf_counter() - t0) * 1000)
        return response

    def finish(self, call, response) -> None:
        """After the chain: write the attempts, or the cache hit when there was none."""
        if not call.attempts:
            self.ledger.record(self._record(call, None, None, response_cache_hit=True))
            return
        self._write(call)

    def fail(self, call, exc, *, stage: str) -> None:
        """After a failed chain: the attempts, the last one marked with the failure."""
        if not call.attempts:
            self.ledger.record(self._record(call, None, None, status="error",
                                            error=f"{stage}: {_describe(exc)}"))
            return
        last = call.attempts[-1]
        if last.record is not None and last.record.status == "ok" and not last.pending:
            last.record.status, last.record.error = "error", f"{stage}: {_describe(exc)}"
        self._write(call)

    # -- helpers ------------------------------------------------------------------------

    def _write(self, call) -> None:
        self.ledger.record_many([a.record for a in call.attempts
                                 if a.record is not None and not a.pending])

    def _record(self, call, attempt, usage, *, model=None, status="ok", error="",
                latency_ms=0.0, response_cache_hit=False) -> CallRecord:
        params = call.params
        meta = {**self.attribution, **{k: v for k, v in _metadata(params).items() if v}}
        usage = usage or Usage(0)
        cost, priced, model = self._price([model, params.get("model")], usage)
        if status != "ok" and usage.input_tokens == 0:
            cost, priced = Decimal(0), True      # a failed attempt is not billed
        if response_cache_hit:
            cost, priced = Decimal(0), True
        number = attempt.number if attempt else 0
        suffix = f"a{number}" if attempt else "call"
        return CallRecord(
            model=model or "desconocido", input_tokens=usage.input_tokens,
            output_tokens=usage.output_tokens, cached_tokens=usage.cached_tokens,
            reasoning_tokens=usage.reasoning_tokens, cost=cost, priced=priced,
            user=str(params.get("user") or meta.get("user") or ""),
            team=str(meta.get("team", "")), feature=str(meta.get("feature", "")),
            project=str(meta.get("project", "")), session=str(meta.get("session", "")),
            api_key_id=self.api_key_id, response_cache_hit=response_cache_hit,
            latency_ms=latency_ms, request_id=f"{call.call_id}-{suffix}", call_id=call.call_id,
            attempt=number, ts=attempt.started if attempt else self.clock(),
            task_id=str(meta.get("task_id", "")), endpoint=call.endpoint, status=status,
            error=error[:500])

    def _record_raw(self, call, attempt, response, raw: str, stream: bool, latency: float):
        """``with_raw_response``: parse the body for its usage (the SDK caches the parse);
        a raw stream, or ``with_streaming_response``, is left unread and its tokens estimated."""
        if raw == "true" and not stream:
            try:
                parsed = response.parse()
                return self._record(call, attempt, _usage_of(parsed), model=getattr(parsed, "model", None),
                                    latency_ms=latency)
            except Exception:        # an unparsable body: fall through to the estimate
                pass
        return self._record(call, attempt, self._estimate(call, ""), status="incomplete",
                            error="respuesta en bruto: el uso no se leyó", latency_ms=latency)

    def _price(self, candidates, usage: Usage) -> tuple[Decimal, bool, str]:
        names = [str(m) for m in candidates if m]
        for name in names:
            try:
                return self.prices.cost(name, usage), True, name
            except Exception:    # not in the price book under this name: try the next
                continue
        return Decimal(0), False, (names[-1] if names else "")

    def _watch_stream(self, stream, call, attempt: Attempt, asked: bool, t0: float):
        """Re-wire an ``openai.Stream`` so its end (or abandonment) writes the attempt."""
        inner = getattr(stream, "_iterator", None)
        if inner is None:            # not an SDK stream: nothing to watch
            attempt.pending = False
            return stream
        seen = {"usage": None, "text": [], "model": None}

        def done(status: str, error: str = "") -> None:
            if not attempt.pending:
                return
            attempt.pending = False
            usage = seen["usage"] or self._estimate(call, "".join(seen["text"]))
            attempt.record = self._record(call, attempt, usage, model=seen["model"], status=status,
                                          error=error, latency_ms=(time.perf_counter() - t0) * 1000)
            self.ledger.record(attempt.record)

        def watched():
            try:
                for chunk in inner:
                    seen["model"] = getattr(chunk, "model", None) or seen["model"]
                    if getattr(chunk, "usage", None) is not None:
                        seen["usage"] = Usage.from_openai(chunk.usage)
                        if not chunk.choices and not asked:
                            continue          # the caller did not ask for the usage chunk
                        if not asked:
                            chunk.usage = None
                    for choice in getattr(chunk, "choices", None) or []:
                        content = getattr(getattr(choice, "delta", None), "content", None)
                        if content:
                            seen["text"].append(content)
                    yield chunk
            except GeneratorExit:
                done("incomplete", "el flujo se cerró antes del final")
                raise
            except BaseException as exc:
                done("error", _describe(exc))
                raise
            done("ok" if seen["usage"] is not None else "incomplete")

        stream._iterator = watched()
        return stream

    def _estimate(self, call, text: str) -> Usage:
        """Tokens of an abandoned stream: the prompt counted locally, the text seen so far."""
        try:
            from course_lib.tokens import count_chat_tokens, count_tokens
            prompt = count_chat_tokens(list(call.params.get("messages") or []), call.model)
            return Usage(prompt, count_tokens(text, call.model))
        except Exception:            # an unknown tokenizer: record what is certain
            return Usage(0)


def _raw_mode(params: dict) -> str:
    """The SDK's raw-response marker ("true" or "stream"), or "" for an ordinary call."""
    headers = params.get("extra_headers") or {}
    return str(headers.get("X-Stainless-Raw-Response", "") or "")


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"
