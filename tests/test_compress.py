"""Do the compression and context-selection helpers save tokens without losing what matters?"""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_lib import compress, context
from course_lib.course import scenario
from course_lib.tokens import count_chat_tokens, count_tokens


def test_does_dedupe_keep_the_first_copy_and_the_order():
    text = "Envío gratis desde 50 €. Devoluciones en 30 días. ENVÍO GRATIS DESDE 50 €.\nDevoluciones en 30 dias."
    assert compress.dedupe_sentences(text) == "Envío gratis desde 50 €. Devoluciones en 30 días."


def test_does_cleanup_save_tokens_on_messy_text():
    messy = "Hola,    ¿qué tal?   \n\n\n\n\n   Quiero    devolver   el   pedido.   "
    clean = compress.clean_text(messy)
    assert clean == "Hola, ¿qué tal?\n\nQuiero devolver el pedido."
    assert count_tokens(clean) < count_tokens(messy)


def test_does_boilerplate_removal_keep_the_policy_lines():
    doc = "Política de envíos\nEl envío a Baleares cuesta 6,95 €.\nAviso legal: documento interno.\n"
    assert compress.strip_boilerplate(doc, [r"^Aviso legal"]) == "Política de envíos\nEl envío a Baleares cuesta 6,95 €."


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet="abcdeñáé ,.\n0123456789", max_size=300), st.integers(min_value=0, max_value=60))
def test_does_truncation_respect_the_budget_and_keep_a_prefix(text, budget):
    cut = compress.truncate_to_tokens(text, budget)
    assert count_tokens(cut) <= budget
    assert text.startswith(cut)


def test_does_history_trimming_keep_system_and_last_question_within_budget():
    msgs = [{"role": "system", "content": "Sé breve."}]
    for i in range(10):
        msgs += [{"role": "user", "content": f"pregunta {i} " * 30}, {"role": "assistant", "content": "respuesta " * 30}]
    msgs.append({"role": "user", "content": "¿Y el envío a Ceuta?"})
    trimmed = compress.trim_history(msgs, 200)
    assert trimmed[0] == msgs[0] and trimmed[-1] == msgs[-1]
    assert count_chat_tokens(trimmed) <= 200
    assert trimmed[1:] == msgs[len(msgs) - len(trimmed) + 1:]  # a contiguous, most recent tail


def test_does_history_trimming_keep_an_oversized_last_question():
    msgs = [{"role": "user", "content": "palabra " * 500}]
    assert compress.trim_history(msgs, 10) == msgs


def test_does_few_shot_pruning_keep_the_closest_example():
    examples = [{"question": q} for q in ("¿Puedo pagar con Bizum?", "¿Cuánto tarda el envío a Canarias?",
                                           "¿Cómo cambio mi contraseña?")]
    kept = compress.prune_few_shot(examples, "¿Cuántos días tarda el envío a Canarias?", keep=1)
    assert kept == [examples[1]]
    assert compress.prune_few_shot(examples, "x", keep=0) == []


def test_does_context_selection_find_the_fact_and_fit_the_budget():
    passages = ["Los pedidos a Canarias tardan entre 5 y 7 días laborables y pagan 9,95 € de envío.",
                "Puedes pagar con tarjeta, PayPal o Bizum.",
                "Las devoluciones son gratuitas durante 30 días.",
                "La garantía legal de los productos nuevos es de 3 años."] * 3
    chosen = context.select_context("¿Cuánto cuesta enviar a Canarias?", passages, budget_tokens=40)
    assert chosen and all("Canarias" in p for p in chosen)
    assert sum(count_tokens(p) + 1 for p in chosen) <= 40


def test_does_context_selection_return_nothing_for_an_unrelated_question():
    assert context.select_context("zzz qqq", ["Envío gratis."], budget_tokens=100) == []


def test_is_the_baseline_request_mostly_context_and_prompt():
    docs = [{"title": f"Doc {i}", "text": "Texto de la política de envíos. " * 40} for i in range(3)]
    req = scenario.baseline_request("¿Envío a Canarias?", docs, task_id="T-1")
    assert req["metadata"] == {"task_id": "T-1"} and req["messages"][-1]["content"] == "¿Envío a Canarias?"
    question = count_chat_tokens([req["messages"][-1]])
    assert count_chat_tokens(req["messages"]) > 20 * question


def test_do_concise_instructions_cost_far_fewer_tokens_than_the_verbose_prompt():
    assert count_tokens(scenario.CONCISE_SYSTEM_PROMPT) * 4 < count_tokens(scenario.VERBOSE_SYSTEM_PROMPT)


def test_does_select_context_rank_by_the_scores_it_is_given():
    docs = ["Devoluciones: tienes 30 días.", "Envío a Canarias: 5 días laborables.", "Pago con Bizum."]
    question = "¿Cuántos días tarda el envío a Canarias?"
    assert context.select_context(question, docs, budget_tokens=12, scores=[0.1, 0.2, 0.9],
                                  min_score=None) == ["Pago con Bizum."]
    assert context.select_context(question, docs, budget_tokens=100, scores=[-0.3, -0.1, -0.2],
                                  min_score=None) == docs
    assert context.select_context(question, docs, budget_tokens=100, scores=[-0.3, -0.1, -0.2]) == []
    with pytest.raises(ValueError, match="una puntuación por pasaje"):
        context.select_context(question, docs, budget_tokens=100, scores=[0.1, 0.2])


def test_does_blending_put_both_scorings_on_one_scale():
    words, meaning = [0.0, 40.0, 10.0], [0.9, 0.1, 0.5]   # very different scales
    assert context.blend_scores(words, meaning, weight=0.0) == pytest.approx([-0.98, 1.37, -0.39], abs=0.01)
    blended = context.blend_scores(words, meaning, weight=0.5)
    assert context.blend_scores([w * 1000 for w in words], meaning, weight=0.5) == pytest.approx(blended)
    assert max(blended) < max(context.blend_scores(words, meaning, weight=0.0))   # neither scoring dominates
    assert context.blend_scores([1, 1], [2, 2]) == [0.0, 0.0]          # flat scorings: no division by zero
    with pytest.raises(ValueError, match="entre 0 y 1"):
        context.blend_scores(words, meaning, weight=1.5)
    with pytest.raises(ValueError, match="misma longitud"):
        context.blend_scores(words, meaning[:2])
