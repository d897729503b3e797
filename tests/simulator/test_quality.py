"""The quality model through the SDK, on a synthetic bank (mechanics) and the real dev split (calibration)."""

import statistics

import pytest

from tests.simulator.conftest import TOY_TASKS

FACT = "Política de la tienda: las devoluciones se aceptan durante 30 días naturales desde la entrega."
QUESTION = TOY_TASKS[0]["question"]


def ask(client, task_id, content, model="gpt-4o-mini", **kw):
    return client.chat.completions.create(
        model=model, messages=[{"role": "user", "content": content}],
        metadata={"task_id": task_id}, **kw)


def correct(text):
    return "30 días" in text and "14 días" not in text and "90 días" not in text


def accuracy(client, model, content):
    hits = [correct(ask(client, t["task_id"], content, model=model).choices[0].message.content)
            for t in TOY_TASKS[:200]]
    return sum(hits) / len(hits)


def test_does_a_stronger_model_answer_more_tasks_right(sim):
    prompt = f"{FACT}\n\n{QUESTION}"
    cheap, strong = accuracy(sim, "gpt-4.1-nano", prompt), accuracy(sim, "gpt-4.1", prompt)
    assert 0.3 < cheap < strong < 1.0


def test_is_the_answer_wrong_without_the_needed_fact(sim):
    assert accuracy(sim, "gpt-4.1", QUESTION) < 0.15


def test_is_the_answer_wrong_when_the_question_is_no_longer_recognisable(sim):
    mangled = f"{FACT}\n\nplazo?"
    assert accuracy(sim, "gpt-4.1", mangled) < 0.15


def test_does_compressing_the_prompt_keep_the_verdict_while_facts_and_question_survive(sim):
    long = f"Eres un asistente amable.\n{FACT}\nOtra información irrelevante sobre la tienda.\n\n{QUESTION}"
    short = f"30 días naturales. {QUESTION}"
    for task in TOY_TASKS[:40]:
        a = correct(ask(sim, task["task_id"], long, temperature=0).choices[0].message.content)
        b = correct(ask(sim, task["task_id"], short, temperature=0).choices[0].message.content)
        assert a == b


def test_do_wrong_answers_state_a_listed_wrong_answer(sim):
    for task in TOY_TASKS[:60]:
        text = ask(sim, task["task_id"], f"{FACT} {QUESTION}", model="gpt-4.1-nano").choices[0].message.content
        assert ("30 días" in text) != any(w in text for w in task["wrong_answers"])


def test_is_confidence_higher_on_right_answers_but_noisy(sim):
    right, wrong = [], []
    for task in TOY_TASKS:
        r = ask(sim, task["task_id"], f"{FACT} Responde solo con la respuesta. {QUESTION}",
                model="gpt-4o-mini", logprobs=True)
        first = r.choices[0].logprobs.content[0].logprob
        (right if correct(r.choices[0].message.content) else wrong).append(first)
    assert right and wrong
    assert statistics.mean(right) > statistics.mean(wrong)
    assert min(right) < max(wrong)     # noisy: the scores overlap


def test_is_a_task_answered_the_same_way_every_time(sim):
    a = [ask(sim, t["task_id"], f"{FACT} {QUESTION}").choices[0].message.content for t in TOY_TASKS[:30]]
    b = [ask(sim, t["task_id"], f"{FACT} {QUESTION}").choices[0].message.content for t in TOY_TASKS[:30]]
    assert a == b


# -- calibration on the course's dev split ------------------------------------------------

def _dev_bank():
    try:
        from course_lib.course import world
        tasks = world.load_tasks("dev")
        facts = world.load_facts()
    except (ImportError, FileNotFoundError, OSError) as exc:
        pytest.skip(f"task bank not available: {exc}")
    if len(tasks) == 0:
        pytest.skip("empty dev split")
    return tasks.to_dict(orient="records"), {f["fact_id"]: f for f in facts.to_dict(orient="records")}


def _context(task, facts):
    ids = task.get("fact_ids")
    ids = [] if ids is None else list(ids)
    return "\n".join(facts[i]["text"] for i in ids if i in facts)


@pytest.fixture(scope="module")
def dev_results():
    from course_lib.course import world
    from tests.simulator.conftest import make_client

    tasks, facts = _dev_bank()
    client = make_client()
    results = {}
    try:
        for model in ("gpt-4o-mini", "gpt-4o"):
            results[model] = []
            for task in tasks:
                prompt = f"Contexto:\n{_context(task, facts)}\n\nPregunta: {task['question']}"
                r = ask(client, task["task_id"], prompt, model=model, temperature=0, logprobs=True)
                results[model].append(world.is_correct(task, r.choices[0].message.content))
                results[model, "confidence"] = results.get((model, "confidence"), []) + [
                    min(t.logprob for t in r.choices[0].logprobs.content)]
    finally:
        client.simulator.stop()
    return results


def test_is_the_cheap_vs_strong_spread_like_the_published_one(dev_results):
    cheap = sum(dev_results["gpt-4o-mini"]) / len(dev_results["gpt-4o-mini"])
    strong = sum(dev_results["gpt-4o"]) / len(dev_results["gpt-4o"])
    assert 0.58 <= cheap <= 0.78, cheap         # RouteLLM MMLU: 68 %
    assert 0.72 <= strong <= 0.90, strong       # vs 81 %
    assert strong - cheap >= 0.06


def test_is_confidence_informative_but_far_from_an_oracle(dev_results):
    for model in ("gpt-4o-mini", "gpt-4o"):
        scored = list(zip(dev_results[model], dev_results[model, "confidence"]))
        right = [c for ok, c in scored if ok]
        wrong = [c for ok, c in scored if not ok]
        auc = sum((r > w) + 0.5 * (r == w) for r in right for w in wrong) / (len(right) * len(wrong))
        assert 0.65 <= auc <= 0.92, (model, auc)


def test_would_a_perfect_router_need_the_strong_model_only_for_a_minority(dev_results):
    pairs = list(zip(dev_results["gpt-4o-mini"], dev_results["gpt-4o"]))
    need_strong = sum(1 for c, s in pairs if s and not c) / len(pairs)
    routed = sum(1 for c, s in pairs if c or s) / len(pairs)
    strong = sum(s for _, s in pairs) / len(pairs)
    assert 0.05 <= need_strong <= 0.35
    assert routed > strong                       # the router beats the strong model alone


def test_does_world_is_correct_score_every_simulated_answer_as_intended():
    from course_lib.course import world
    from course_lib.simulator import answers

    tasks, _ = _dev_bank()
    hints = (answers.LengthHint(), answers.LengthHint(scale=0.25), answers.LengthHint(scale=2.0),
             answers.LengthHint(words=12))
    for task in tasks:
        for hint in hints:
            for verbosity in (0.8, 1.3):
                key = ("gpt-4o", task["task_id"], verbosity)
                right = answers.task_answer(task, correct=True, verbosity=verbosity, hint=hint, key=key)
                wrong = answers.task_answer(task, correct=False, verbosity=verbosity, hint=hint, key=key)
                assert world.is_correct(task, right), (task["task_id"], right)
                assert not world.is_correct(task, wrong), (task["task_id"], wrong)
