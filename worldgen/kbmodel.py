"""Records the knowledge-base content is written in: facts, sections, documents.

A :class:`FactSpec` is one checkable statement of shop policy together with
the ways customers ask about it and the answers a grader accepts or rejects.
A :class:`DocSpec` is a help-centre page: sections of prose, facts and tables.
This module only defines the records and a tiny table helper; the content
lives in the ``kb_*`` modules and the page layout in :mod:`.kb`.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class FactSpec:
    """A fact: ``text`` appears verbatim in its document.

    ``keywords`` are strings of ``text`` that identify it in a prompt; ``questions``
    are core phrasings (slots such as ``{prod}`` are filled later); ``answer`` is
    the gold string, ``accepted`` equivalent strings, ``wrong`` plausible errors.
    """

    fact_id: str
    text: str
    keywords: tuple[str, ...]
    questions: tuple[str, ...]
    answer: str
    accepted: tuple[str, ...] = ()
    wrong: tuple[str, ...] = ()
    topic: str = ""
    obscurity: float = 0.0  # how buried or tricky the fact is (hidden part of difficulty)


@dataclass(frozen=True)
class DocSpec:
    doc_id: str
    title: str
    category: str
    intro: str
    sections: tuple[tuple[str, tuple], ...]  # (heading, items); item = str | FactSpec
    updated: str = "3 de noviembre de 2025"
    related: tuple[str, ...] = ()

    def __post_init__(self):
        # A page with a single section may be written without the trailing comma.
        if self.sections and isinstance(self.sections[0], str):
            object.__setattr__(self, "sections", (self.sections,))


def F(fact_id: str, text: str, kw, qs, answer: str, acc=(), wrong=(), *, obscurity: float = 0.0) -> FactSpec:
    """Short constructor used by the content modules.

    >>> f = F("F-X-001", "Cuesta 3,95 €.", ["3,95 €"], ["¿Cuánto cuesta?"], "3,95 €", wrong=["4,95 €"])
    >>> f.keywords, f.answer in f.text
    (('3,95 €',), True)
    """
    return FactSpec(fact_id, text, tuple(kw), tuple(qs), answer, tuple(acc), tuple(wrong), obscurity=obscurity)


def table(header: list[str], rows: list[list[str]]) -> str:
    """A Markdown table, the way the help centre exports them.

    >>> print(table(["a", "b"], [["1", "2"]]))
    | a | b |
    |---|---|
    | 1 | 2 |
    """
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


@dataclass
class Family:
    """Questions that differ in one slot and have different answers (near-miss siblings).

    ``options`` maps the slot value written in the question to the fact that answers it.
    """

    key: str
    phrasings: tuple[str, ...]
    options: dict = field(default_factory=dict)
