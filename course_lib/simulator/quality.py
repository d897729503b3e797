"""The quality model: does a simulated model answer a task correctly?

For a task of the task bank the answer is correct when three things hold:

1. every fact the task needs is in the prompt (all of the fact's ``keywords``
   appear, with the course's text rules in ``course_lib.text``: the same rule
   as the world's ``missing_facts``) — without them the model guesses wrong;
2. the question is still recognisable: at least ``RECOGNISABLE`` of the
   original question's content words (``course_lib.text`` stems) appear close
   together in the prompt (within a window twice the question's length);
3. a deterministic draw succeeds with probability
   ``p = sigmoid(SLOPE * (skill - difficulty))``.

The draw mixes a per-task part shared by all models (some questions are hard
for everyone) with a per-model part (models fail on different questions), so
a cheap model is right on some questions a strong one misses, as in RouteLLM's
data. Confidence (shown through ``logprobs``) is correlated with correctness
but noisy. Everything is a pure function of its inputs; nothing is random.
Producing the answer text is ``answers.py``'s job.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from statistics import NormalDist

from course_lib.text import STOPWORDS, content_sequence, content_words, fact_in_text, normalize

__all__ = ["STOPWORDS", "Verdict", "content_sequence", "content_words", "judge", "missing_facts",
           "normalize", "p_correct", "recognisability", "unit"]

SLOPE = 4.0               # how sharply p falls as difficulty passes skill
SHARED = 0.55             # weight of the per-task part of the draw (0: independent models)
RECOGNISABLE = 0.7        # share of question content words that must survive
P_FLOOR, P_CEIL = 0.02, 0.99
P_WITHOUT_CONTEXT = 0.03  # chance of a right answer when facts or question are missing
CONFIDENCE_NOISE = 1.3        # spread of the confidence around its mean (logit scale)
CONFIDENCE_SEPARATION = 0.7   # how far right and wrong answers' confidences sit apart

_NORMAL = NormalDist()


def unit(*parts) -> float:
    """A deterministic number in (0, 1) from any parts.

    >>> unit("gpt-4o", "T1") == unit("gpt-4o", "T1"), 0 < unit("x") < 1
    (True, True)
    """
    digest = hashlib.blake2b("\x1f".join(map(str, parts)).encode(), digest_size=8).digest()
    return (int.from_bytes(digest, "big") + 0.5) / 2.0**64


def p_correct(skill: float, difficulty: float) -> float:
    """Chance of a right answer with the needed context present.

    >>> round(p_correct(0.9, 0.9), 2), p_correct(1.0, 0.2) > p_correct(0.7, 0.2)
    (0.5, True)
    """
    p = 1.0 / (1.0 + math.exp(-SLOPE * (skill - difficulty)))
    return min(P_CEIL, max(P_FLOOR, p))


def missing_facts(prompt_norm: str, facts: list[dict]) -> list[str]:
    """Ids of needed facts not present in the prompt (normalized with ``course_lib.text``).

    >>> missing_facts(normalize("Canarias: 19,95 €"), [{"fact_id": "F", "keywords": ["9,95 €", "Canarias"]}])
    ['F']
    """
    return [fact.get("fact_id", "?") for fact in facts
            if not fact_in_text(fact.get("keywords"), prompt_norm, normalized=True)]


def recognisability(question: str, prompt: str) -> float:
    """Best share of the question's content words found close together in the prompt.

    The words must fall in one window about twice the question's length, so a
    knowledge-base passage that merely shares some vocabulary does not count as
    the question. 1.0 for a question without content words.

    >>> q = "¿Cuánto cuesta el envío a Canarias?"
    >>> recognisability(q, "Hola. ¿Cuánto cuesta el envío a Canarias?")
    1.0
    >>> recognisability(q, "Envío estándar: 4,95 €. [...] " + "texto " * 40 + "Canarias")
    0.33
    """
    wanted = set(content_sequence(question))
    if not wanted:
        return 1.0
    seq = content_sequence(prompt)
    width = 2 * len(wanted) + 2
    counts: dict[str, int] = {}
    best = 0
    for i, word in enumerate(seq):
        if word in wanted:
            counts[word] = counts.get(word, 0) + 1
        if i >= width:
            old = seq[i - width]
            if old in wanted:
                counts[old] -= 1
                if not counts[old]:
                    del counts[old]
        best = max(best, len(counts))
    return round(best / len(wanted), 2)


@dataclass(frozen=True)
class Verdict:
    correct: bool
    p: float
    confidence: float
    reason: str  # "ok" | "draw" | "missing_facts" | "unrecognisable"


def judge(task: dict, facts: list[dict], *, prompt: str, model: str, skill: float,
          seed: int = 0, sample: int = 0) -> Verdict:
    """Decide a task deterministically for one model.

    >>> task = {"task_id": "T1", "question": "¿Cuántos días hay para devolver un pedido?",
    ...         "difficulty": 0.1}
    >>> facts = [{"fact_id": "F1", "keywords": ["30 días"]}]
    >>> judge(task, facts, prompt="Tienes 30 dias. ¿Cuántos días hay para devolver un pedido?",
    ...       model="m", skill=0.9).reason in ("ok", "draw")
    True
    >>> judge(task, facts, prompt="¿Cuántos días hay para devolver un pedido?",
    ...       model="m", skill=0.9).reason
    'missing_facts'
    """
    prompt_norm = normalize(prompt)
    task_id = task.get("task_id", "")
    if missing_facts(prompt_norm, facts):
        p, reason = P_WITHOUT_CONTEXT, "missing_facts"
    elif recognisability(task.get("question", ""), prompt) < RECOGNISABLE:
        p, reason = P_WITHOUT_CONTEXT, "unrecognisable"
    else:
        p, reason = p_correct(skill, float(task.get("difficulty", 0.5))), "ok"
    z_task = _NORMAL.inv_cdf(unit("task", task_id, seed, sample))
    z_model = _NORMAL.inv_cdf(unit("model", model, task_id, seed, sample))
    z = math.sqrt(SHARED) * z_task + math.sqrt(1.0 - SHARED) * z_model
    correct = _NORMAL.cdf(z) < p
    if not correct and reason == "ok":
        reason = "draw"
    noise = _NORMAL.inv_cdf(unit("confidence", model, task_id, seed, sample)) * CONFIDENCE_NOISE
    logit_p = math.log(p / (1.0 - p))
    sep = CONFIDENCE_SEPARATION if correct else -CONFIDENCE_SEPARATION
    score = 0.35 * logit_p + sep + noise + 0.8
    confidence = 1.0 / (1.0 + math.exp(-score))
    return Verdict(correct, p, min(0.999, max(0.02, confidence)), reason)
