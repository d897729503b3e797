"""Chat completions through the official openai SDK: shape, usage, parameters."""

import json

from openai.types.chat import ChatCompletion

from course_lib.pricing import PriceBook, Usage
from course_lib.simulator.auth import key_id
from course_lib.tokens import count_chat_tokens

MESSAGES = [
    {"role": "system", "content": "Eres el asistente de atención al cliente de una tienda online."},
    {"role": "user", "content": "¿Cómo puedo cambiar la dirección de entrega de un pedido?"},
]


def test_does_a_completion_validate_against_the_sdk_types(sim):
    raw = sim.chat.completions.with_raw_response.create(model="gpt-4o-mini", messages=MESSAGES)
    body = json.loads(raw.text)
    completion = ChatCompletion.model_validate(body)
    assert completion.object == "chat.completion"
    assert completion.choices[0].message.role == "assistant"
    assert completion.choices[0].message.content
    assert completion.choices[0].finish_reason == "stop"
    assert float(raw.headers["x-simulated-latency-ms"]) > 0


def test_do_prompt_tokens_equal_the_library_estimate(sim):
    for model in ("gpt-4o", "gpt-4o-mini", "gpt-4.1", "o3", "gpt-5-nano", "claude-sonnet-4"):
        messages = MESSAGES + [{"role": "user", "name": "ana", "content": "Y si ya ha salido, ¿qué hago?"}]
        usage = sim.chat.completions.create(model=model, messages=messages,
                                            max_completion_tokens=2000).usage
        assert usage.prompt_tokens == count_chat_tokens(messages, model), model
        assert usage.total_tokens == usage.prompt_tokens + usage.completion_tokens


def test_does_content_given_as_parts_count_like_the_library(sim):
    messages = [{"role": "user", "content": [{"type": "text", "text": "Hola, "},
                                             {"type": "text", "text": "¿qué tal?"}]}]
    usage = sim.chat.completions.create(model="gpt-4o", messages=messages).usage
    assert usage.prompt_tokens == count_chat_tokens(messages, "gpt-4o")


def test_do_reasoning_models_bill_hidden_reasoning_tokens_as_output(sim):
    r = sim.chat.completions.create(model="o4-mini", messages=MESSAGES)
    details = r.usage.completion_tokens_details
    assert details.reasoning_tokens > 0
    assert r.usage.completion_tokens > details.reasoning_tokens
    assert details.reasoning_tokens not in (None, r.usage.completion_tokens)
    plain = sim.chat.completions.create(model="gpt-4o", messages=MESSAGES)
    assert plain.usage.completion_tokens_details.reasoning_tokens == 0


def test_does_more_reasoning_effort_spend_more_reasoning_tokens(sim):
    low = sim.chat.completions.create(model="gpt-5-mini", messages=MESSAGES, reasoning_effort="low")
    high = sim.chat.completions.create(model="gpt-5-mini", messages=MESSAGES, reasoning_effort="high")
    assert (high.usage.completion_tokens_details.reasoning_tokens
            > low.usage.completion_tokens_details.reasoning_tokens)


def test_does_max_tokens_cut_the_answer_with_finish_reason_length(sim):
    r = sim.chat.completions.create(model="gpt-4o", messages=MESSAGES, max_tokens=5)
    assert r.choices[0].finish_reason == "length"
    assert r.usage.completion_tokens == 5
    r = sim.chat.completions.create(model="o3", messages=MESSAGES, max_completion_tokens=50)
    assert r.choices[0].finish_reason == "length"
    assert r.usage.completion_tokens <= 50


def test_does_n_return_several_choices_billed_together(sim):
    r = sim.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES, n=3, temperature=1.0)
    assert [c.index for c in r.choices] == [0, 1, 2]
    assert len({c.message.content for c in r.choices}) > 1
    greedy = sim.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES, n=3, temperature=0)
    assert len({c.message.content for c in greedy.choices}) == 1
    one = sim.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES, n=1, temperature=0)
    assert greedy.usage.completion_tokens == 3 * one.usage.completion_tokens


def test_do_logprobs_come_with_top_alternatives(sim):
    r = sim.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES, logprobs=True,
                                    top_logprobs=3)
    content = r.choices[0].logprobs.content
    assert "".join(t.token for t in content) == r.choices[0].message.content
    assert all(t.logprob <= 0 for t in content)
    assert all(len(t.top_logprobs) == 3 for t in content)
    assert all(t.top_logprobs[0].logprob >= t.top_logprobs[-1].logprob for t in content)
    assert sim.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES).choices[0].logprobs is None


def test_is_the_same_request_answered_the_same_way(sim):
    a = sim.chat.completions.create(model="gpt-4.1-mini", messages=MESSAGES, seed=7)
    b = sim.chat.completions.create(model="gpt-4.1-mini", messages=MESSAGES, seed=7)
    assert a.choices[0].message.content == b.choices[0].message.content
    assert a.usage.prompt_tokens == b.usage.prompt_tokens
    assert a.usage.completion_tokens == b.usage.completion_tokens
    assert a.id != b.id


def test_do_length_instructions_change_the_answer_length(sim):
    def words(extra):
        msgs = [{"role": "user", "content": "Explícame cómo funcionan las devoluciones" + extra}]
        return len(sim.chat.completions.create(model="gpt-4o", messages=msgs).choices[0].message.content.split())

    assert words(" en 20 palabras.") == 20
    assert words(" brevemente.") < words(".") < words(" detalladamente.")


def test_is_every_call_in_the_ledger_with_its_cost_and_labels(fresh):
    r = fresh.chat.completions.create(model="gpt-4o", messages=MESSAGES, user="ana",
                                      metadata={"team": "soporte", "feature": "chat", "project": "web"})
    (rec,) = fresh.simulator.ledger.records()
    assert rec.request_id == r.id
    assert (rec.user, rec.team, rec.feature, rec.project) == ("ana", "soporte", "chat", "web")
    assert rec.api_key_id == key_id(fresh.api_key) and fresh.api_key not in rec.api_key_id
    assert (rec.input_tokens, rec.output_tokens) == (r.usage.prompt_tokens, r.usage.completion_tokens)
    expected = PriceBook.default().cost("gpt-4o", Usage(input_tokens=r.usage.prompt_tokens,
                                                        output_tokens=r.usage.completion_tokens))
    assert rec.cost == expected
    assert rec.latency_ms > 0


def test_does_a_stop_sequence_cut_the_text(sim):
    full = sim.chat.completions.create(model="gpt-4o", messages=MESSAGES, temperature=0).choices[0].message.content
    word = full.split()[3]
    cut = sim.chat.completions.create(model="gpt-4o", messages=MESSAGES, temperature=0, stop=[word])
    assert cut.choices[0].message.content == full[:full.find(word)]


def test_do_long_prompts_with_names_and_parts_count_like_the_library():
    from course_lib.pricing import ModelPrice
    from tests.simulator.conftest import make_client

    # gpt-4 (cl100k_base) is not in the snapshot: price it, to check the other encoding too
    client = make_client(prices=PriceBook.default().with_price(
        ModelPrice("gpt-4", input="30", output="60", context_window=8192)))
    long = "Texto de la base de conocimiento con cifras como 3,95 € y 30 días. " * 150
    messages = [{"role": "system", "content": long},
                {"role": "user", "name": "ana", "content": [{"type": "text", "text": long},
                                                            {"type": "text", "text": "¿Y?"}]},
                {"role": "assistant", "content": "Claro."}, {"role": "user", "content": "¿Seguro?"}]
    try:
        for model in ("gpt-4o", "gpt-4", "gpt-4.1-mini"):
            usage = client.chat.completions.create(model=model, messages=messages).usage
            assert usage.prompt_tokens == count_chat_tokens(messages, model) > 1024, model
    finally:
        client.simulator.stop()


def test_does_an_instruction_next_to_the_question_beat_the_system_prompt(sim):
    verbose = "Responde de manera completa y detallada, explicando todo paso a paso."
    context = "Documentación: el plazo es corto y el trámite, breve. " * 3

    def words(question):
        msgs = [{"role": "system", "content": verbose}, {"role": "system", "content": context},
                {"role": "user", "content": question}]
        return len(sim.chat.completions.create(model="gpt-4o", messages=msgs).choices[0].message.content.split())

    assert words("¿Cómo devuelvo un producto? Responde en 15 palabras.") == 15
    assert words("¿Cómo devuelvo un producto?") > words("¿Cómo devuelvo un producto? Sé conciso.")
