"""Guards that refuse a semantic hit when two similar questions differ in a detail that matters.

Embeddings place «¿Envían a Canarias?» and «¿Envían a Madrid?» close together,
yet the answers differ: a near-miss is the classic false hit. A guard looks at
the two question texts (after ``course_lib.text.normalize``) and refuses the
hit when they differ in:

- a **number** (``30 días`` / ``90 días``, ``4 x`` / ``2 x``, prices);
- a **place** (regions, islands, cities, countries of the vocabulary);
- a **payment method** (tarjeta, PayPal, Bizum, contra reembolso…);
- a **negation** (``quiero`` / ``no quiero cancelar``: the word after each negation);
- optionally a **swapped word** (``swaps=True``): the two questions share most of
  their content words and each has one or two the other lacks («Protect Total» /
  «Protect Ampliada»). Near-misses are minimal edits; paraphrases rarely are.

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

from course_lib.text import normalize, stems

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
NUMBER_WORDS = {"un": "1", "una": "1", "uno": "1", "dos": "2", "tres": "3", "cuatro": "4",
                "cinco": "5", "seis": "6", "siete": "7", "ocho": "8", "nueve": "9", "diez": "10",
                "once": "11", "doce": "12", "quince": "15", "veinte": "20", "treinta": "30",
                "cuarenta": "40", "cincuenta": "50", "sesenta": "60", "noventa": "90", "cien": "100"}
_NUMBER = re.compile(r"(?<![\w,])\d+(?:,\d+)?(?![\w])")


def _phrases(norm: str, vocabulary) -> frozenset[str]:
    padded = f" {norm} "
    found = {p for p in vocabulary if f" {p} " in padded}
    # «gran canaria» also contains «canaria»: keep only the longest overlapping phrases
    return frozenset(p for p in found if not any(p != q and p in q for q in found))


def _swapped(a: str, b: str) -> bool:
    """Do ``a`` and ``b`` share most content words, each with one or two of its own?

    >>> _swapped("¿Cuánto cuesta Mercadela Protect Total?", "¿Cuánto cuesta Mercadela Protect Ampliada?")
    True
    >>> _swapped("¿Cuánto tarda un pedido a Baleares?", "Saludos. ¿Cuánto tarda un pedido a Baleares?")
    False
    """
    sa, sb = set(stems(a)), set(stems(b))
    only_a, only_b = sa - sb, sb - sa
    return 1 <= len(only_a) <= 2 and 1 <= len(only_b) <= 2 and len(sa & sb) >= 2


@dataclass(frozen=True)
class DetailGuard:
    """Refuse a hit when questions differ in numbers, places, payments or negation."""

    numbers: bool = True
    places: tuple[str, ...] = PLACES
    payments: tuple[str, ...] = PAYMENTS
    negations: tuple[str, ...] = NEGATIONS
    swaps: bool = False
    extra: dict = field(default_factory=dict)   # name → vocabulary of your own

    def details(self, question: str) -> dict[str, frozenset]:
        """The details found in ``question``, by kind.

        >>> DetailGuard().details("Pagué 49,90 € con PayPal en Canarias")["pago"]
        frozenset({'paypal'})
        """
        norm = normalize(question)
        words = norm.split()
        numbers = set(_NUMBER.findall(norm)) | {NUMBER_WORDS[w] for w in words if w in NUMBER_WORDS
                                                and w not in ("un", "una", "uno")}
        negated = {words[i + 1] if i + 1 < len(words) else "" for i, w in enumerate(words)
                   if w in self.negations}
        found = {
            "número": frozenset(numbers) if self.numbers else frozenset(),
            "lugar": _phrases(norm, [normalize(p) for p in self.places]),
            "pago": _phrases(norm, [normalize(p) for p in self.payments]),
            "negación": frozenset(negated),
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
        if self.swaps and _swapped(new_question, cached_question):
            return "palabra cambiada"
        return None

    def __call__(self, new_question: str, cached_question: str) -> str | None:
        return self.refuses(new_question, cached_question)
