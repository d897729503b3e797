"""Context-window optimization: pick the knowledge-base passages a question needs.

* ``split_passages`` — cut a document into paragraph-sized passages;
* ``score_passage`` — lexical relevance of a passage to a question (shared
  word stems, rarer words weigh more, numbers count double);
* ``select_context`` — the best passages that fit a token budget, in their
  original order;

It is lexical on purpose (readable, no model, no network), with the stems of
``course_lib.text``; semantic retrieval with embeddings is a lab 2 topic. Text
cleanup lives in ``course_lib.compress``; the scenario's unoptimized request
(``baseline_request``) is course content, in ``course_lib.course.scenario``.
"""

from __future__ import annotations

import math
import re

from course_lib.text import stems
from course_lib.tokens import count_tokens

__all__ = ["score_passage", "select_context", "split_passages", "stems"]


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


def select_context(question: str, passages: list[str], *, budget_tokens: int,
                   model: str = "gpt-4o-mini", min_score: float = 0.0) -> list[str]:
    """The most relevant passages whose tokens fit ``budget_tokens``, in original order.

    Word weights (idf) are computed over ``passages``, so words common to every
    passage (the shop's name, "pedido") count little.

    >>> docs = ["Devoluciones: tienes 30 días.", "Envío a Canarias: 5 días laborables.", "Pago con Bizum."]
    >>> select_context("¿Cuántos días tarda el envío a Canarias?", docs, budget_tokens=15)
    ['Envío a Canarias: 5 días laborables.']
    """
    n = len(passages)
    doc_freq: dict[str, int] = {}
    for passage in passages:
        for s in set(stems(passage)):
            doc_freq[s] = doc_freq.get(s, 0) + 1
    idf = {s: math.log(1 + n / df) for s, df in doc_freq.items()}
    ranked = sorted(range(n), key=lambda i: -score_passage(question, passages[i], idf=idf))
    chosen, used = [], 0
    for i in ranked:
        if score_passage(question, passages[i], idf=idf) <= min_score:
            break
        cost = count_tokens(passages[i], model) + 1
        if used + cost <= budget_tokens:
            chosen.append(i)
            used += cost
    return [passages[i] for i in sorted(chosen)]
