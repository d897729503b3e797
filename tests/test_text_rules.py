"""Do the world's ``missing_facts`` and the simulator's judge agree on every task, whatever the edit?

Both must use ``course_lib.text``: a learner's own check (``world.missing_facts``)
can never contradict the grade (the simulator's verdict). The edits are the ones
lab 1's optimizer makes (cleanup, context selection), truncations, and
amounts written another way — right ones and wrong ones.
"""

import re

import pytest

from course_lib import compress, context, text
from course_lib.course import world
from course_lib.simulator.quality import judge

TASKS = world.load_tasks(include_hidden=True).to_dict(orient="records")
FACTS = world.load_facts()
FACTS_BY_ID = {f["fact_id"]: f for f in FACTS.to_dict(orient="records")}
DOCS = world.load_documents().set_index("doc_id")["text"].to_dict()


def _context(task) -> str:
    ids = {FACTS_BY_ID[f]["doc_id"] for f in task.get("fact_ids") or []}
    return "\n\n".join(DOCS[d] for d in sorted(ids))


def _amount_variants(text_: str) -> dict[str, str]:
    """The same amounts spelled otherwise («9,95 euros», «9.95 €») and off by a digit («19,95 €»)."""
    return {
        "euros": re.sub(r"(\d+,\d{2}) €", r"\1 euros", text_),
        "punto": re.sub(r"(\d+),(\d{2}) €", r"\1.\2 €", text_),
        "EUR": re.sub(r"(\d+,\d{2}) €", r"\1 EUR", text_),
        "otro_importe": re.sub(r"(?<![\d,])(\d+,\d{2}) €", r"1\1 €", text_),
        "sin_moneda": re.sub(r"(\d+,\d{2}) €", r"\1", text_),
    }


def _edits(task) -> dict[str, str]:
    full = _context(task)
    passages = context.split_passages(full)
    edits = {"completo": full, "vacio": "",
             "limpio": compress.dedupe_sentences(compress.clean_text(full)),
             "sin_secciones": compress.drop_sections(full, ["Historial de cambios", "Artículos relacionados"]),
             "seleccion_200": "\n\n".join(context.select_context(task["question"], passages, budget_tokens=200)),
             "seleccion_40": "\n\n".join(context.select_context(task["question"], passages, budget_tokens=40)),
             "truncado_300": compress.truncate_to_tokens(full, 300),
             "truncado_60": compress.truncate_to_tokens(full, 60),
             "solo_hechos": " ".join(FACTS_BY_ID[f]["text"] for f in task.get("fact_ids") or [])}
    edits.update({f"hechos_{k}": v for k, v in _amount_variants(edits["solo_hechos"]).items()})
    return edits


CHUNKS = 8  # every task is checked; chunks let a parallel run share the work


@pytest.mark.parametrize("chunk", range(CHUNKS))
def test_do_the_judge_and_missing_facts_agree_on_every_task_and_edit(chunk):
    disagreements, checked = [], 0
    tasks = TASKS[chunk::CHUNKS]
    for task in tasks:
        facts = [FACTS_BY_ID[f] for f in task.get("fact_ids") or [] if f in FACTS_BY_ID]
        for name, ctx in _edits(task).items():
            prompt = f"{ctx}\n\n{task['question']}"      # the question itself always present
            verdict = judge(task, facts, prompt=prompt, model="gpt-4o-mini", skill=0.8)
            judge_missing = verdict.reason == "missing_facts"
            world_missing = bool(world.missing_facts(task, prompt, facts=FACTS))
            checked += 1
            if judge_missing != world_missing:
                disagreements.append((task["task_id"], name, judge_missing, world_missing))
    assert tasks and checked == 14 * len(tasks)
    assert not disagreements, disagreements[:10]


def test_do_the_edits_exercise_both_verdicts():
    """The agreement above is not vacuous: some edits keep the facts and some lose them."""
    outcomes = set()
    for task in TASKS[:200]:
        for name, ctx in _edits(task).items():
            outcomes.add((name, bool(world.missing_facts(task, ctx + " " + task["question"], facts=FACTS))))
    names_lost = {n for n, missing in outcomes if missing}
    names_kept = {n for n, missing in outcomes if not missing}
    assert {"vacio", "hechos_otro_importe", "truncado_60"} <= names_lost
    assert {"completo", "hechos_euros", "hechos_punto"} <= names_kept


@pytest.mark.parametrize("written, present", [
    ("El envío a Canarias cuesta 9,95 euros.", True),
    ("El envío a canarias cuesta 9.95 €.", True),
    ("Canarias: 19,95 €", False),
    ("Canarias: 9,955 €", False),
    ("Envío a Canarias: 9,95 € (Península 4,95 €)", True),
])
def test_is_fact_F_ENV_008_read_the_same_way_everywhere(written, present):
    keywords = FACTS_BY_ID["F-ENV-008"]["keywords"]
    assert text.fact_in_text(keywords, written) is present
    assert (world.missing_facts({"fact_ids": ["F-ENV-008"]}, written, facts=FACTS) == []) is present
    verdict = judge({"task_id": "T", "question": "¿Cuánto cuesta el envío a Canarias?", "difficulty": 0.1},
                    [FACTS_BY_ID["F-ENV-008"]], prompt=written + " ¿Cuánto cuesta el envío a Canarias?",
                    model="m", skill=0.9)
    assert (verdict.reason != "missing_facts") is present
