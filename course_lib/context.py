"""Context-window optimization: pick the knowledge-base passages a question needs.

* ``split_passages`` — cut a document into paragraph-sized passages;
* ``score_passage`` — lexical relevance of a passage to a question (shared
  word stems, rarer words weigh more, numbers count double);
* ``lexical_scores`` — ``score_passage`` of every passage, with word weights
  taken from those passages;
* ``blend_scores`` — mix two scorings (e.g. words and embedding cosines) on a
  common scale;
* ``select_context`` — the best passages that fit a token budget, in their
  original order, by word overlap or by any scores the caller gives.

The lexical scoring is readable and needs no model; scores by meaning come from
an embeddings model (cosine of question and passage vectors), which this module
does not call: the caller brings the vectors' cosines, so any provider works.
Text cleanup lives in ``course_lib.compress``; the scenario's unoptimized
request (``baseline_request``) is course content, in ``course_lib.course.scenario``.
"""

from __future__ import annotations

import math
import re

from course_lib.text import stems
from course_lib.tokens import count_tokens

__all__ = ["blend_scores", "lexical_scores", "score_passage", "select_context", "split_passages", "stems"]


def split_passages(text: str, *, max_words: int = 120) -> list[str]:
    """Split a document into passages: paragraphs, long ones cut at sentence ends.

    >>> split_passages("Título\\n\\nPrimera parte. Sigue.\\n\\nSegunda parte.", max_words=3)
    ['Título', 'Primera parte. Sigue.', 'Segunda parte.']
    """
    passages = []
    for paragraph in re.split(r"\n\s*\n", text):
        paragraph = paragraph.strip()
        if not paragraph:
            continue
        current: list[str] = []
        for sentence in re.split(r"(?<=[.!?])\s+", paragraph):
            if current and len(" ".join(current + [sentence]).split()) > max_words:
                passages.append(" ".join(current))
                current = []
            current.append(sentence)
        if current:
            passages.append(" ".join(current))
    return passages


def score_passage(question: str, passage: str, *, idf: dict[str, float] | None = None) -> float:
    """How relevant ``passage`` looks for ``question`` (0 = no shared content words).

    >>> q = "¿Cuánto cuesta el envío a Canarias?"
    >>> score_passage(q, "El envío a Canarias cuesta 9,95 €.") > score_passage(q, "Pagos con tarjeta.")
    True
    """
    q_stems = set(stems(question))
    if not q_stems:
        return 0.0
    p_stems = stems(passage)
    shared = q_stems & set(p_stems)
    weight = sum((idf or {}).get(s, 1.0) * (2.0 if s.isdigit() else 1.0) for s in shared)
    return weight / math.sqrt(1 + len(p_stems) / 50)


def lexical_scores(question: str, passages: list[str]) -> list[float]:
    """``score_passage`` of each passage, with idf weights computed over ``passages``.

    Words common to every passage (the shop's name, "pedido") count little.

    >>> a, b = lexical_scores("¿Envío a Canarias?", ["Envío a Canarias: 5 días.", "Pago con Bizum."])
    >>> a > b == 0
    True
    """
    n = len(passages)
    doc_freq: dict[str, int] = {}
    for passage in passages:
        for s in set(stems(passage)):
            doc_freq[s] = doc_freq.get(s, 0) + 1
    idf = {s: math.log(1 + n / df) for s, df in doc_freq.items()}
    return [score_passage(question, p, idf=idf) for p in passages]


def blend_scores(first, second, *, weight: float = 0.5) -> list[float]:
    """``(1 - weight)·first + weight·second``, each standardised (mean 0, sd 1) first.

    Word-overlap scores and cosines live on different scales; standardising
    makes ``weight`` mean "how much the second scoring counts".

    >>> [round(x, 2) for x in blend_scores([0, 2, 4], [1, 0, 0], weight=0.5)]
    [0.09, -0.35, 0.26]
    """
    if not 0.0 <= weight <= 1.0:
        raise ValueError(f"weight debe estar entre 0 y 1, no {weight!r}.")
    if len(first) != len(second):
        raise ValueError(f"Las dos puntuaciones deben tener la misma longitud ({len(first)} ≠ {len(second)}).")
    return [(1 - weight) * a + weight * b for a, b in zip(_standardised(first), _standardised(second))]


def _standardised(values) -> list[float]:
    values = [float(v) for v in values]
    if not values:
        return []
    mean = sum(values) / len(values)
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / len(values)) or 1.0
    return [(v - mean) / sd for v in values]


def select_context(question: str, passages: list[str], *, budget_tokens: int,
                   model: str = "gpt-4o-mini", min_score: float | None = 0.0,
                   scores=None) -> list[str]:
    """The highest-scoring passages whose tokens fit ``budget_tokens``, in original order.

    Passages are scored by word overlap (``lexical_scores``) unless ``scores``
    gives one number per passage (embedding cosines, a blend...). Passages
    scoring ``min_score`` or less are never chosen; ``None`` disables the floor
    (cosines can be negative).

    >>> docs = ["Devoluciones: tienes 30 días.", "Envío a Canarias: 5 días laborables.", "Pago con Bizum."]
    >>> select_context("¿Cuántos días tarda el envío a Canarias?", docs, budget_tokens=15)
    ['Envío a Canarias: 5 días laborables.']
    >>> select_context("", docs, budget_tokens=20, scores=[0.9, 0.1, 0.2], min_score=None)
    ['Devoluciones: tienes 30 días.', 'Pago con Bizum.']
    """
    if scores is None:
        scores = lexical_scores(question, passages)
    scores = [float(s) for s in scores]
    if len(scores) != len(passages):
        raise ValueError(f"Hace falta una puntuación por pasaje: {len(scores)} puntuaciones "
                         f"para {len(passages)} pasajes.")
    ranked = sorted(range(len(passages)), key=lambda i: -scores[i])
    chosen, used = [], 0
    for i in ranked:
        if min_score is not None and scores[i] <= min_score:
            break
        cost = count_tokens(passages[i], model) + 1
        if used + cost <= budget_tokens:
            chosen.append(i)
            used += cost
    return [passages[i] for i in sorted(chosen)]
