"""Guards that refuse a semantic hit when two similar questions differ in a detail that matters.

Embeddings place «¿Envían a Canarias?» and «¿Envían a Madrid?» close together,
yet the answers differ: a near-miss is the classic false hit. A guard looks at
the two question texts (after ``course_lib.text.normalize``) and refuses the
hit when they differ in:

- a **number** (``30 días`` / ``90 días``, ``4 x`` / ``2 x``, prices);
- a **place** (regions, islands, cities, countries of the vocabulary);
- a **payment method** (tarjeta, PayPal, Bizum, contra reembolso…);
- a **negation** (``quiero`` / ``no quiero cancelar``).

Vocabularies are keyword-only arguments, so an application adds its own
(product names, plans). It leaves out synonyms: «Mallorca» and «Baleares» are
different places here, which costs a hit but never serves a wrong answer.

>>> guard = DetailGuard()
>>> guard.refuses("¿Envían a Canarias?", "¿Hacen envíos a Madrid?")
'lugar'
>>> guard.refuses("Quiero cancelar mi pedido", "No quiero cancelar mi pedido")
'negación'
>>> guard.refuses("¿Plazo para devolver en 30 días?", "¿Plazo de 30 días para devolver?") is None
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from course_lib.text import normalize

PLACES = (
    "peninsula", "baleares", "mallorca", "menorca", "ibiza", "formentera", "canarias", "tenerife",
    "gran canaria", "las palmas", "lanzarote", "fuerteventura", "la palma", "ceuta", "melilla",
    "madrid", "barcelona", "valencia", "sevilla", "bilbao", "malaga", "zaragoza", "galicia",
    "andalucia", "cataluna", "asturias", "murcia", "navarra", "pais vasco", "portugal", "francia",
    "andorra", "italia", "alemania", "espana", "europa", "mexico", "argentina", "colombia")
PAYMENTS = (
    "tarjeta", "paypal", "bizum", "transferencia", "contra reembolso", "contrarreembolso",
    "paga luego", "apple pay", "google pay", "tarjeta regalo", "mercapuntos", "efectivo", "financiacion")
NEGATIONS = ("no", "nunca", "ni", "jamas", "tampoco", "sin")
_NUMBER = re.compile(r"(?<![\w,])\d+(?:,\d+)?(?![\w])")


def _phrases(norm: str, vocabulary) -> frozenset[str]:
    padded = f" {norm} "
    found = {p for p in vocabulary if f" {p} " in padded}
    # «gran canaria» also contains «canaria»: keep only the longest overlapping phrases
    return frozenset(p for p in found if not any(p != q and p in q for q in found))


@dataclass(frozen=True)
class DetailGuard:
    """Refuse a hit when questions differ in numbers, places, payments or negation."""

    numbers: bool = True
    places: tuple[str, ...] = PLACES
    payments: tuple[str, ...] = PAYMENTS
    negations: tuple[str, ...] = NEGATIONS
    extra: dict = field(default_factory=dict)   # name → vocabulary of your own

    def details(self, question: str) -> dict[str, frozenset]:
        """The details found in ``question``, by kind.

        >>> DetailGuard().details("Pagué 49,90 € con PayPal en Canarias")["pago"]
        frozenset({'paypal'})
        """
        norm = normalize(question)
        words = norm.split()
        found = {
            "número": frozenset(_NUMBER.findall(norm)) if self.numbers else frozenset(),
            "lugar": _phrases(norm, [normalize(p) for p in self.places]),
            "pago": _phrases(norm, [normalize(p) for p in self.payments]),
            "negación": frozenset({"neg"}) if any(w in self.negations for w in words) else frozenset(),
        }
        for name, vocabulary in self.extra.items():
            found[name] = _phrases(norm, [normalize(p) for p in vocabulary])
        return found

    def refuses(self, new_question: str, cached_question: str) -> str | None:
        """The kind of detail that differs (``'lugar'``, ``'número'``…), or None to allow the hit."""
        a, b = self.details(new_question), self.details(cached_question)
        for kind in a:
            if a[kind] != b[kind]:
                return kind
        return None

    def __call__(self, new_question: str, cached_question: str) -> str | None:
        return self.refuses(new_question, cached_question)
