"""Dated changes to the knowledge base: what a cache must invalidate when a policy changes.

Each change replaces one fact's text (and its keywords) from a date on: the
Canarias shipping price rises, the return window of one category shortens…
There is a public set (``data/world/kb_changes.jsonl``, for the lesson) and a
hidden one (``graders/hidden/kb_changes_hidden.jsonl``, for grading) that
touches other facts. Written by hand, like the articles; checked against the
current facts so a change always starts from the text in ``kb_facts.jsonl``.
It does not rewrite the knowledge base itself (the old files stay as they are).
"""

from __future__ import annotations

PUBLIC = [
    ("CAMBIO-2026-03-02-A", "2026-03-02", "F-ENV-008",
     "El envío estándar a Canarias cuesta 11,95 € por pedido, sin envío gratuito por importe mínimo.",
     ["11,95 €", "Canarias"], "subida de tarifas del transportista a Canarias"),
    ("CAMBIO-2026-03-02-B", "2026-03-02", "F-DEV-016",
     "Los auriculares intrauditivos solo se pueden devolver durante 14 días y si conservan el precinto higiénico.",
     ["14 días", "precinto higiénico"], "plazo de devolución propio para los auriculares intrauditivos"),
]

HIDDEN = [
    ("CAMBIO-2026-03-20-A", "2026-03-20", "F-ENV-006",
     "El envío estándar a Baleares cuesta 6,95 € y es gratuito en pedidos desde 89 €.",
     ["6,95 €", "desde 89 €"], "nueva tarifa del transportista a Baleares"),
    ("CAMBIO-2026-03-20-B", "2026-03-20", "F-DEV-007",
     "La recogida a domicilio de una devolución cuesta 5,95 €, salvo para socios de Mercadela Plus y productos defectuosos, en los que es gratuita.",
     ["5,95 €", "recogida"], "subida del precio de la recogida a domicilio"),
    ("CAMBIO-2026-03-20-C", "2026-03-20", "F-PAG-009",
     "Paga Luego está disponible para pedidos entre 50 € y 2.000 €.",
     ["entre 50 € y 2.000 €"], "límite de Paga Luego ampliado"),
]


def _records(changes, facts_by_id: dict, split: str) -> list[dict]:
    out = []
    for change_id, date, fact_id, new_text, new_keywords, reason in changes:
        old = facts_by_id[fact_id]        # a KeyError here means a fact was renamed: fix the list
        out.append({"change_id": change_id, "date": date, "fact_id": fact_id,
                    "doc_id": old["doc_id"], "old_text": old["text"],
                    "old_keywords": list(old["keywords"]), "new_text": new_text,
                    "new_keywords": list(new_keywords), "reason": reason, "split": split})
    return out


def build_kb_changes(facts) -> tuple[list[dict], list[dict]]:
    """``(public changes, hidden changes)`` for the given facts (dicts with fact_id, doc_id…)."""
    by_id = {f["fact_id"]: f for f in facts}
    return _records(PUBLIC, by_id, "public"), _records(HIDDEN, by_id, "hidden")
