"""Question specs: what a group of equivalent customer questions asks, and how to word it.

A :class:`QSpec` is one *meaning* (one gold answer): the FAQ question about a
fact, a refund to compute, a message to classify. It carries several core
phrasings; :func:`say` turns a spec into a concrete question by picking a core,
filling its slots and applying a :class:`~.phrasing.Style`. Specs that differ in
one slot with different answers are *siblings* (near-misses) and share a
family phrasing, so a sibling can be worded exactly like an earlier question
with only the slot changed. This module does not decide splits or difficulty.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from .kb import FAMILIES
from .kbmodel import FactSpec
from .phrasing import Style, draw_style, fill_slots, realize


@dataclass
class QSpec:
    """One meaning with its phrasings, gold answer and siblings."""

    key: str
    type: str
    topic: str
    cores: list[str]
    answer: str
    accepted: list[str]
    wrong: list[str]
    fact_ids: list[str]
    obscurity: float = 0.0
    family: str = ""
    family_cores: list[tuple[int, str]] = field(default_factory=list)  # (phrasing index, filled phrasing)
    siblings: list[str] = field(default_factory=list)      # keys of near-miss specs
    extra: dict = field(default_factory=dict)               # type-specific visible features
    tasks: list[str] = field(default_factory=list)          # task ids realised from this spec
    unit: str = ""                                          # split unit (siblings share one)


@dataclass(frozen=True)
class Wording:
    """A realised question and how it was produced (to re-apply it to a sibling)."""

    text: str
    core_index: int
    family_index: int  # index into the family phrasings, -1 if not a family phrasing
    style: Style


def say(spec: QSpec, rng: random.Random, *, style: Style | None = None, family_index: int | None = None,
        core_index: int | None = None) -> Wording:
    """Word ``spec`` as a customer would; pass ``family_index``/``style`` to mirror a sibling."""
    style = style or draw_style(rng)
    if family_index is not None and spec.family_cores:
        options = [text for i, text in spec.family_cores if i == family_index]
        core = rng.choice(options or [text for _, text in spec.family_cores])
        return Wording(realize(core, style), -1, family_index, style)
    n_fam = len(spec.family_cores)
    if core_index is None:
        core_index = rng.randrange(len(spec.cores) + n_fam)
    if core_index >= len(spec.cores):
        phrasing, core = spec.family_cores[core_index - len(spec.cores)]
        return Wording(realize(core, style), core_index, phrasing, style)
    core = fill_slots(spec.cores[core_index], random.Random(style.seed ^ 0x5EED))
    return Wording(realize(core, style), core_index, -1, style)


def faq_specs(facts: list[FactSpec]) -> dict[str, QSpec]:
    """One FAQ spec per fact; families add sibling links and slot-filled phrasings.

    >>> from .kb import build_kb
    >>> specs = faq_specs(build_kb()[2])
    >>> specs["faq:F-ENV-008"].siblings[:2]
    ['faq:F-ENV-001', 'faq:F-ENV-006']
    """
    specs = {}
    for fact in facts:
        specs[f"faq:{fact.fact_id}"] = QSpec(
            key=f"faq:{fact.fact_id}", type="faq", topic=fact.topic, cores=list(fact.questions),
            answer=fact.answer, accepted=list(fact.accepted), wrong=list(fact.wrong),
            fact_ids=[fact.fact_id], obscurity=fact.obscurity)
    for family in FAMILIES:
        # Family phrasings are indexed (phrasing, value) so a sibling can mirror them.
        for value, fact_id in family.options.items():
            spec = specs[f"faq:{fact_id}"]
            spec.family = spec.family or family.key
            if spec.family != family.key:
                continue
            for i, phrasing in enumerate(family.phrasings):
                spec.family_cores.append((i, phrasing.replace("{x}", value)))
        keys = [f"faq:{f}" for f in dict.fromkeys(family.options.values())]
        for key in keys:
            for other in keys:
                if other != key and other not in specs[key].siblings and specs[key].family == family.key \
                        and specs[other].family == family.key:
                    specs[key].siblings.append(other)
    return specs


def draw_specs(rng: random.Random, generators: list, n: int, prefix: str) -> list[QSpec]:
    """``n`` specs from weighted ``(generator, weight)`` pairs, one per distinct wording core.

    Specs of one generator share its name as ``family``: same question, other numbers,
    which is what makes them near-misses of each other.
    """
    funcs = [f for f, w in generators for _ in range(w)]
    specs, seen = [], set()
    while len(specs) < n:
        make = rng.choice(funcs)
        spec = make(rng, f"{prefix}:{len(specs):04d}")
        if spec.cores[0] in seen:
            continue
        spec.family = make.__name__
        seen.add(spec.cores[0])
        specs.append(spec)
    return specs
