"""The latency model: always reported, slept only in realtime mode."""

import time

from tests.simulator.conftest import make_client

MESSAGES = [{"role": "user", "content": "¿Qué es el envío exprés? Responde en 10 palabras."}]


def _latency(raw) -> float:
    return float(raw.headers["x-simulated-latency-ms"])


def test_is_latency_reported_but_not_slept_by_default(sim):
    raw = sim.chat.completions.with_raw_response.create(model="gpt-5", messages=MESSAGES)
    rec = [r for r in sim.simulator.ledger.records() if r.request_id == raw.parse().id][0]
    assert _latency(raw) == rec.latency_ms > 1000        # gpt-5 reasons before answering


def test_do_slower_models_report_more_latency(sim):
    fast = _latency(sim.chat.completions.with_raw_response.create(model="gpt-4.1-nano", messages=MESSAGES))
    slow = _latency(sim.chat.completions.with_raw_response.create(model="o3", messages=MESSAGES))
    assert fast < slow


def test_does_realtime_mode_wait_the_simulated_latency():
    client = make_client(realtime=True)
    try:
        t0 = time.perf_counter()
        raw = client.chat.completions.with_raw_response.create(model="gpt-4.1-nano", messages=MESSAGES)
        assert time.perf_counter() - t0 >= _latency(raw) / 1000
        t0 = time.perf_counter()
        stream = client.chat.completions.create(model="gpt-4.1-nano", messages=MESSAGES, stream=True)
        first = next(iter(stream))
        assert first.choices[0].delta.role == "assistant"
        assert time.perf_counter() - t0 >= client.simulator.state.catalog.get("gpt-4.1-nano").ttft_ms / 1000
        assert "".join(c.choices[0].delta.content or "" for c in stream if c.choices)
    finally:
        client.simulator.stop()
