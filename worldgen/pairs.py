"""Labelled question pairs for tuning a semantic cache.

* ``paraphrase``: two different wordings of the same spec (same answer);
* ``near_miss``: a spec and a near-miss sibling (different answer), half of
  them worded identically except for the detail ("PayPal" → "Bizum"), plus
  calculation questions with one condition flipped ("30 días" → "90 días",
  socio Plus or not) or two problems of the same kind with other numbers;
* ``unrelated``: two different specs, half of them on the same topic.

Public pairs (train/dev) and hidden pairs (test) never share a question text.
This module returns records; it does not write files.
"""

from __future__ import annotations

import random

from .questions import QSpec, say

FLIPS = [("a 30 días", "a 90 días"), ("Paga Luego 30 días", "Paga Luego 90 días"),
         ("Soy socio de Mercadela Plus", "No tengo Mercadela Plus"), ("Soy socio Plus", "No soy socio Plus"),
         ("(soy socio Plus)", "(no soy socio Plus)"), ("Protect Ampliada", "Protect Total"),
         ("con tarjeta", "con Bizum"), ("en una oficina de Correos", "con recogida a domicilio (no soy socio Plus)")]
LABEL_SHARES = {"paraphrase": 0.4, "near_miss": 0.3, "unrelated": 0.3}


def _flip(text: str, rng: random.Random) -> str | None:
    options = [(a, b) for a, b in FLIPS if a in text] + [(b, a) for a, b in FLIPS if b in text]
    if not options:
        return None
    a, b = rng.choice(options)
    return text.replace(a, b, 1)


class PairMaker:
    def __init__(self, specs: list[QSpec], rng: random.Random, forbidden: set[str],
                 forbidden_cores: frozenset[str] = frozenset()):
        self.rng, self.forbidden, self.used = rng, forbidden, set()
        self.forbidden_cores = forbidden_cores  # phrasings of hidden specs: no public text may contain one
        self.specs = [s for s in specs if s.type != "intent" and s.type != "extraction"]
        self.with_siblings = [s for s in self.specs if s.siblings]
        self.flippable = [s for s in self.specs if s.type in ("calculation", "multistep")
                          and any(a in s.cores[0] or b in s.cores[0] for a, b in FLIPS)]
        self.by_key = {s.key: s for s in specs}
        self.computed = [s for s in self.specs if s.type in ("calculation", "multistep")]

    def _ok(self, *texts: str) -> bool:
        if texts[0] == texts[1] or any(t in self.forbidden for t in texts):
            return False
        return not any(core in t for t in texts for core in self.forbidden_cores)

    def paraphrase(self):
        spec = self.rng.choice(self.specs)
        return say(spec, self.rng).text, say(spec, self.rng).text

    def near_miss(self):
        if self.rng.random() < 0.15:
            a = self.rng.choice(self.computed)
            b = self.rng.choice([s for s in self.computed if s.family == a.family])
            if b.key == a.key or b.answer == a.answer:
                return None, None
            return say(a, self.rng).text, say(b, self.rng).text
        if self.flippable and self.rng.random() < 0.3:
            spec = self.rng.choice(self.flippable)
            w = say(spec, self.rng, core_index=self.rng.randrange(len(spec.cores)))
            flipped = _flip(w.text, self.rng)
            return (w.text, flipped) if flipped else (None, None)
        spec = self.rng.choice(self.with_siblings)
        other = self.by_key[self.rng.choice(spec.siblings)]
        if self.rng.random() < 0.5 and spec.family_cores:
            w1 = say(spec, self.rng, core_index=len(spec.cores) + self.rng.randrange(len(spec.family_cores)))
            return w1.text, say(other, self.rng, style=w1.style, family_index=w1.family_index).text
        return say(spec, self.rng).text, say(other, self.rng).text

    def unrelated(self):
        a = self.rng.choice(self.specs)
        pool = [s for s in self.specs if s.topic == a.topic] if self.rng.random() < 0.5 else self.specs
        b = self.rng.choice(pool)
        if b.key == a.key or b.key in a.siblings or set(a.fact_ids) == set(b.fact_ids) or \
                (a.type != "faq" and a.family == b.family):
            return None, None
        return say(a, self.rng).text, say(b, self.rng).text

    def make(self, n: int, splits: dict[str, float], prefix: str) -> list[dict]:
        pairs = []
        labels = list(LABEL_SHARES)
        while len(pairs) < n:
            label = self.rng.choices(labels, list(LABEL_SHARES.values()))[0]
            q1, q2 = getattr(self, label)()
            if q1 is None or not self._ok(q1, q2) or (q1, q2) in self.used:
                continue
            if self.rng.random() < 0.5:
                q1, q2 = q2, q1
            self.used.add((q1, q2))
            split = self.rng.choices(list(splits), list(splits.values()))[0]
            pairs.append({"pair_id": f"{prefix}-{len(pairs) + 1:05d}", "q1": q1, "q2": q2, "label": label,
                          "split": split})
        return pairs


def build_pairs(specs: list[QSpec], split_of: dict[str, str], rng: random.Random, *,
                n_public: int = 1500, n_hidden: int = 700, forbidden: set[str] = frozenset()
                ) -> tuple[list[dict], list[dict]]:
    """Public (train/dev) and hidden (test) pairs with disjoint question texts.

    Public pairs never contain a ``forbidden`` text (the hidden test questions).
    Hidden pairs favour specs of the test split but, since the big near-miss
    families live in train, also word train specs afresh.
    """
    hidden_specs = [s for s in specs if split_of.get(s.key) == "test"]
    cores = frozenset(c for s in hidden_specs for c in [*s.cores, *(t for _, t in s.family_cores)] if "{" not in c)
    public = PairMaker([s for s in specs if split_of.get(s.key) != "test"], rng, set(forbidden), cores).make(
        n_public, {"train": 0.7, "dev": 0.3}, "P")
    texts = {p["q1"] for p in public} | {p["q2"] for p in public}
    test_heavy = hidden_specs * 3 + list(specs)
    hidden = PairMaker(test_heavy, rng, texts).make(n_hidden, {"test": 1.0}, "H")
    return public, hidden
