"""Does the optimizer's quality gate pass a real optimization and fail each way of gaming it?"""

from __future__ import annotations

import json

import pytest

from course_lib import compress, context
from course_lib.course import scenario
from graders import lab1_optimizer as gate

from .remote import oculto

OPT_OCULTO = oculto(gate.check_optimizador_oculto, "optimizar_peticion")

SECTIONS = ["Historial de cambios", "Artículos relacionados", "¿Necesitas más ayuda?"]
PARAGRAPHS = [r"^Centro de ayuda Mercadela >", r"^Última actualización:", r"^En este artículo:", r"^\|",
              r"^---$", r"^¿Te ha resultado útil", r"^Información importante:",
              r"^Mercadela Comercio Online", r"^Utilizamos cookies"]


def _docs(request):
    return next(m["content"] for m in request["messages"] if m["content"].startswith(scenario.CONTEXT_HEADER))


def good(request):
    """Clean the documentation, concise prompt, no few-shot, bounded output."""
    docs = compress.dedupe_sentences(compress.strip_paragraphs(compress.drop_sections(_docs(request), SECTIONS), PARAGRAPHS))
    system = scenario.CONCISE_SYSTEM_PROMPT + " " + compress.length_instruction(40) + "\n\n" + docs
    return {"model": request["model"], "messages": [{"role": "system", "content": system},
                                                    request["messages"][-1]], "max_tokens": 150}


def drop_question(request):
    out = good(request)
    out["messages"] = out["messages"][:1]
    return out


def drop_context(request):
    return {"messages": [{"role": "system", "content": scenario.CONCISE_SYSTEM_PROMPT}, request["messages"][-1]]}


def tiny_output(request):
    return {**good(request), "max_tokens": 3}


def few_passages(request):
    question = request["messages"][-1]["content"]
    passages = context.select_context(question, context.split_passages(_docs(request)), budget_tokens=40)
    return {"messages": [{"role": "system", "content": "\n".join(passages)}, request["messages"][-1]]}


def cheaper_model_only(request):
    return {**request, "model": "gpt-4.1-nano", "metadata": {"task_id": "T-OTRA"}}


def mutate_in_place(request):
    request["messages"] = good(request)["messages"]
    return None


def test_does_a_real_optimization_pass_the_visible_and_hidden_gates(capsys):
    gate.check_optimizador(good)
    assert "✔ Ejercicio 5: el coste de los tokens baja un" in capsys.readouterr().out
    OPT_OCULTO(good)  # the grader's side: no print (its stdout may be the wire)
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("optimizer, hint", [
    (drop_question, "la pregunta del cliente ya no se reconoce"),
    (drop_context, "pasaje con el dato necesario"),
    (few_passages, "pasaje con el dato necesario"),
    (tiny_output, "max_tokens=3 corta la respuesta antes del dato"),
    (cheaper_model_only, "el coste de los tokens baja un 0,0 %"),
    (lambda request: request, "hace falta que el coste baje al menos un 20 %"),
    (mutate_in_place, "no una petición (dict)"),
    (lambda request: {"messages": []}, "lista 'messages' válida"),
])
def test_is_each_way_of_gaming_the_metric_caught_with_its_hint(optimizer, hint):
    with pytest.raises(AssertionError, match="Ejercicio 5") as err:
        gate.check_optimizador(optimizer)
    assert hint in str(err.value)


@pytest.mark.parametrize("optimizer, hint", [
    (drop_question, "la pregunta del cliente ya no se reconoce"),
    (lambda request: request, "hace falta que el coste baje al menos un 20 %"),
    (mutate_in_place, "no una petición (dict)"),
    (lambda request: {"messages": [{"role": "user", "content": object()}]}, "un objeto de tipo object"),
    (lambda request: {**good(request), "max_tokens": -5}, "el proveedor rechaza una petición optimizada"),
])
def test_does_the_hidden_gate_in_the_grader_name_each_mistake(optimizer, hint):
    with pytest.raises(AssertionError, match="Ejercicio 5") as err:
        OPT_OCULTO(optimizer)
    assert hint in str(err.value)


def test_does_the_kernel_only_receive_baseline_requests_of_the_hidden_tasks():
    """What the grader sends: base requests (question and documentation), never an answer or a fact."""
    from course_lib.course import world

    seen = []
    OPT_OCULTO(lambda request: seen.append(request) or good(request))
    hidden = {t["task_id"]: t for t in world.load_tasks(split="test", include_hidden=True).to_dict(orient="records")}
    assert len(seen) == gate.N_HIDDEN
    for request in seen:
        assert set(request) == {"model", "messages", "metadata"}
        task = hidden[request["metadata"]["task_id"]]
        assert request["messages"][-1]["content"] == task["question"]
        assert str(task["answer"]) not in [m["content"] for m in request["messages"]]


def test_is_the_model_and_task_always_taken_from_the_baseline():
    from course_lib.course import world

    task = gate.muestra(world.load_tasks(split="dev"), 1)[0]
    facts = {f["fact_id"]: f for f in world.load_facts().to_dict(orient="records")}
    base = gate.peticion_base(task, world.load_documents().to_dict(orient="records"), facts)
    prepared = gate._prepare(cheaper_model_only, base)
    assert prepared["model"] == gate.MODELO and prepared["metadata"] == {"task_id": task["task_id"]}


def test_does_measuring_twice_give_identical_rows():
    from course_lib.course import world

    tasks = gate.muestra(world.load_tasks(split="dev"), 8)
    docs = world.load_documents().to_dict(orient="records")
    facts = {f["fact_id"]: f for f in world.load_facts().to_dict(orient="records")}
    first = gate.medir(good, tasks, documentos=docs, hechos=facts)
    second = gate.medir(good, tasks, documentos=docs, hechos=facts)
    assert first.equals(second)


def truncate_documentation(request):
    """No selection and no budget: keep the first 600 characters of the documentation."""
    out = good(request)
    out["messages"][0]["content"] = out["messages"][0]["content"][:900]
    return out


def verbose_but_limited(request):
    """Already limits the output; keeps the long prompt, the whole documentation and the few-shot."""
    return {**request, "max_tokens": 150}


def test_is_a_truncating_optimizer_told_it_truncates():
    with pytest.raises(AssertionError, match="cortas la documentación por el final") as err:
        gate.check_optimizador(truncate_documentation)
    assert "sube el presupuesto" not in str(err.value)


def test_is_an_optimizer_that_limits_the_output_not_told_to_limit_it():
    with pytest.raises(AssertionError, match="hace falta que el coste baje") as err:
        gate.check_optimizador(verbose_but_limited)
    message = str(err.value)
    assert "limitar la salida" not in message and "system prompt conciso" in message
    assert "few-shot" in message and "(los tokens de entrada + salida, un" in message


def test_is_the_stored_baseline_what_a_fresh_simulator_measures():
    """The stored dev baseline (graders/lab1_publico.json, readable by the kernel) saves grading time;
    it must equal a fresh measurement, and the hidden tasks' baseline stays in graders/hidden/."""
    from course_lib.course import world
    from graders import HIDDEN_DIR

    public = json.loads(gate.PUBLIC_BASELINE.read_text(encoding="utf-8"))
    hidden = json.loads((HIDDEN_DIR / gate.BASELINE_FILE).read_text(encoding="utf-8"))
    hidden_ids = set(world.load_tasks(split="test", include_hidden=True)["task_id"])
    assert len(public) == len(hidden) == 1
    assert not hidden_ids & set(public[0]["tasks"]) and set(hidden[0]["tasks"]) <= hidden_ids

    tasks = gate.muestra(world.load_tasks(split="dev"), gate.N_VISIBLE)
    docs = world.load_documents().to_dict(orient="records")
    facts = {f["fact_id"]: f for f in world.load_facts().to_dict(orient="records")}
    stored = gate._stored_baseline(tuple(t["task_id"] for t in tasks))
    assert stored is not None, "regenera los datos: python -m graders.build_lab1_hidden"
    fresh = gate.harness.medir(gate._requests(None, tasks, docs, facts), tasks, hechos=facts)
    for column in ("task_id", "tokens_entrada", "tokens_salida", "coste_exacto", "correcta", "motivo"):
        assert list(stored[column]) == list(fresh[column]), column


def test_does_meaning_find_the_canarias_rate_that_word_overlap_misses():
    """The lesson's Tenerife case, on the simulator's own embeddings: words miss the Canarias rate
    within 200 tokens, meaning (and the blend) select it."""
    from course_lib.course import world
    from course_lib.simulator.projection import embed_texts
    from course_lib.text import fact_in_text

    documents = world.load_documents().to_dict(orient="records")
    facts = {f["fact_id"]: f for f in world.load_facts().to_dict(orient="records")}
    task = world.load_tasks(split="dev").set_index("task_id", drop=False).loc["T-CAL-0079"].to_dict()
    assert "Tenerife" in task["question"] and "Canarias" not in task["question"]
    request = gate.peticion_base(task, documents, facts)
    passages = context.split_passages(
        compress.dedupe_sentences(compress.strip_paragraphs(compress.drop_sections(_docs(request), SECTIONS), PARAGRAPHS)))
    vectors = embed_texts([task["question"]] + passages, "text-embedding-3-small")
    meaning = (vectors[1:] @ vectors[0]).tolist()

    def has_rate(chosen):
        return any(fact_in_text(facts["F-ENV-008"]["keywords"], p) for p in chosen)

    question = task["question"]
    ranked = sorted(range(len(passages)), key=lambda i: -meaning[i])
    assert "Canarias" in passages[ranked[0]] and not has_rate([passages[ranked[0]]])  # the FAQ title, no answer
    assert 1 + next(r for r, i in enumerate(ranked) if has_rate([passages[i]])) == 12  # as the lesson says
    assert not has_rate(context.select_context(question, passages, budget_tokens=200))
    assert has_rate(context.select_context(question, passages, budget_tokens=200, scores=meaning, min_score=None))
    blend = context.blend_scores(context.lexical_scores(question, passages), meaning)
    assert has_rate(context.select_context(question, passages, budget_tokens=200, scores=blend, min_score=None))
