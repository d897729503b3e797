"""The task bank: questions with gold answers, facts, difficulty, features and splits.

Specs of the five types (FAQ, intent, extraction, calculation, multi-step) are
worded into task questions, given visible features and a difficulty that
depends partly on those features (type, facts needed, register, typos, length,
distractors) and partly on things a learner cannot see (how buried the fact is,
noise). Splits are assigned per *unit*: near-miss siblings and all wordings of
one FAQ fact share a split, so no meaning crosses from train to test.
This module does not write files.
"""

from __future__ import annotations

import random
import re

from course_lib.text import contains
from .kb import all_doc_specs, fact_specs, faq_heading
from .questions import QSpec, say
from .tasks_calc import calc_specs
from .tasks_msgs import extraction_specs, intent_specs
from .tasks_multi import multistep_specs

TYPE_PREFIX = {"faq": "FAQ", "intent": "INT", "extraction": "EXT", "calculation": "CAL", "multistep": "MUL"}
BASE_DIFFICULTY = {"faq": 0.16, "intent": 0.2, "extraction": 0.26, "calculation": 0.48, "multistep": 0.6}
SPLIT_SHARES = {"train": 0.6, "dev": 0.2, "test": 0.2}
FAQ_WORDINGS = 3


def difficulty(task_type: str, features: dict, *, obscurity: float, rng: random.Random) -> float:
    """Difficulty in [0.02, 0.98]: visible features + hidden obscurity + noise.

    >>> f = {"n_facts": 1, "register": "neutral", "variant": "es-ES", "n_typos": 0, "n_words": 8}
    >>> 0.0 < difficulty("faq", f, obscurity=0.0, rng=random.Random(0)) < 0.4
    True
    """
    d = BASE_DIFFICULTY[task_type] + 0.07 * max(features.get("n_facts", 0) - 1, 0)
    d += {"formal": -0.02, "neutral": 0.0, "coloquial": 0.05}[features["register"]]
    d += 0.03 if features["variant"] == "es-LatAm" else 0.0
    d += 0.05 * features["n_typos"]
    d += 0.04 if features["n_words"] > 45 else 0.0
    d += 0.2 if features.get("distractor") else 0.0
    d += 0.22 if features.get("mixed_topics") else 0.0
    d += 0.05 if features.get("has_coupon") else 0.0
    d += 0.03 * max(features.get("n_steps", 0) - 2, 0)
    d += 0.22 * obscurity + rng.gauss(0.0, 0.1)
    return round(min(max(d, 0.02), 0.98), 3)


def features_of(spec: QSpec, question: str, style) -> dict:
    words = len(question.split())
    feats = {"n_words": words, "n_chars": len(question), "n_facts": len(spec.fact_ids), "topic": spec.topic,
             "register": style.register, "variant": style.variant, "length": style.length,
             "has_numbers": bool(re.search(r"\d", question)), "n_typos": style.typos}
    feats.update({k: v for k, v in spec.extra.items() if k not in ("message", "style", "body")})
    return feats


def wrong_answers(spec: QSpec, question: str) -> list[str]:
    """The spec's wrong answers, minus those the question itself states (a restated input is no error).

    Intent labels and extraction look-alikes are kept: they are in the prompt by design.
    """
    if spec.type in ("intent", "extraction"):
        return list(spec.wrong)
    return [w for w in spec.wrong if not contains(question, w)]


def _units(specs: list[QSpec]) -> dict[str, list[QSpec]]:
    """Group specs that must share a split (connected through siblings)."""
    parent = {s.key: s.key for s in specs}

    def find(k):
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for s in specs:
        for other in s.siblings:
            parent[find(other)] = find(s.key)
    units: dict[str, list[QSpec]] = {}
    for s in specs:
        units.setdefault(find(s.key), []).append(s)
    return units


# The near-miss families the course's examples use ("Canarias"/"Madrid", "PayPal"/"Bizum",
# "30 días"/"90 días") stay in train so that the public traffic shows them.
PINNED_FAMILIES = ("coste_envio_destino", "plazo_envio_destino", "reembolso_metodo", "paga_luego_plazo")


def assign_splits(specs: list[QSpec], rng: random.Random) -> dict[str, str]:
    """Split units so each split gets about its share of specs; pinned families stay in train."""
    units = sorted(_units(specs).items(), key=lambda kv: kv[0])
    pinned = [u for u in units if any(s.family in PINNED_FAMILIES for s in u[1])]
    rest = [u for u in units if u not in pinned]
    rng.shuffle(rest)
    total = len(specs)
    counts = {name: 0 for name in SPLIT_SHARES}
    result = {}
    for i, (root, members) in enumerate(pinned + rest):
        name = "train" if i < len(pinned) else min(
            SPLIT_SHARES, key=lambda n: counts[n] / (SPLIT_SHARES[n] * total))
        counts[name] += len(members)
        for s in members:
            s.unit = root
            result[s.key] = name
    return result


def build_specs(rng: random.Random, faq: dict[str, QSpec]) -> list[QSpec]:
    specs = list(faq.values())
    specs += intent_specs(rng, 160) + extraction_specs(rng, 130)
    specs += calc_specs(rng, 175) + multistep_specs(rng, 130)
    return specs


def build_tasks(specs: list[QSpec], rng: random.Random) -> list[dict]:
    """Word every spec into tasks (three wordings per FAQ fact, one per other spec)."""
    splits = assign_splits([s for s in specs if s.type == "faq"], rng)
    for s in specs:
        if s.type != "faq":
            s.unit = s.key
            splits[s.key] = rng.choices(list(SPLIT_SHARES), weights=list(SPLIT_SHARES.values()))[0]
    # A task question may not be a heading printed in the public knowledge base.
    seen = {faq_heading(f, i) for doc in all_doc_specs() for f in fact_specs(doc) for i in (0, -1)}
    printed = "\n".join(seen)  # nor a piece of one (a heading minus its «¿»)
    tasks, counters = [], {t: 0 for t in TYPE_PREFIX}
    for spec in specs:
        n = FAQ_WORDINGS if spec.type == "faq" else 1
        for _ in range(n):
            if spec.type in ("intent", "extraction"):
                question, style = spec.cores[0], spec.extra["style"]
            else:
                for _attempt in range(20):
                    wording = say(spec, rng)
                    if wording.text not in seen and wording.text not in printed:
                        break
                question, style = wording.text, wording.style
            if question in seen or question in printed:
                continue
            seen.add(question)
            counters[spec.type] += 1
            task_id = f"T-{TYPE_PREFIX[spec.type]}-{counters[spec.type]:04d}"
            spec.tasks.append(task_id)
            feats = features_of(spec, question, style)
            tasks.append({"task_id": task_id, "split": splits[spec.key], "type": spec.type, "question": question,
                          "fact_ids": list(spec.fact_ids), "answer": spec.answer, "accepted": list(spec.accepted),
                          "wrong_answers": wrong_answers(spec, question),
                          "difficulty": difficulty(spec.type, feats, obscurity=spec.obscurity, rng=rng),
                          "features": feats, "group_id": spec.key})
    return tasks
