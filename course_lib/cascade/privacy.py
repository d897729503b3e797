"""Privacy and safety rules for routing: personal data stays on the shop's own hardware.

:func:`personal_data` finds personal data in a text with rules a reviewer can
read: Spanish DNI/NIE (with the check letter verified), phone numbers, e-mail
addresses, IBANs, card numbers (Luhn-checked) and postal addresses (a street
word plus a number, or a five-digit postal code next to a city name).
Order and tracking numbers are not personal data.

:class:`PrivacyRule` is a router-slot middleware placed **after** the router
or cascade (middlewares in one slot run in the order they were added, so it
sees every attempt's model): a request carrying personal data never reaches a
cloud model: it goes to ``local_model``, or is refused with
:class:`PrivacyRefused` when there is none. Requests about complaints or
refunds are never answered by ``weakest``: they move one rung up. Each
decision is written to ``call.notes["privacy"]``.

>>> [kind for kind, _ in personal_data("Soy Ana, DNI 12345678Z, tel. 612 345 678.")]
['dni', 'telefono']
>>> personal_data("Mi pedido MD-1900526 no ha llegado; seguimiento PQ5140861303ES.")
[]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Sequence

from course_lib.client.pipeline import CallRefused
from course_lib.text import normalize

_DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"
_DNI = re.compile(r"\b([XYZxyz]?)[- ]?(\d{7,8})[- ]?([A-Za-z])\b")
_PHONE = re.compile(r"(?<![\w-])(?:\+34[ .-]?)?[6789]\d{2}(?:[ .-]?\d{2,3}){2,3}(?![\w-])")
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.-]+\b")
_IBAN = re.compile(r"\bES\d{2}(?:[ ]?\d{4}){5}\b", re.IGNORECASE)
_CARD = re.compile(r"\b(?:\d{4}[ -]?){3}\d{4}\b")
_STREET = re.compile(r"\b(?:c/|calle|cale|avda\.?|avenida|plaza|pza\.?|paseo|camino|carretera|"
                     r"ronda|travesía|travesia|glorieta)\s+[A-ZÁÉÍÓÚÑa-záéíóúñ][\wÁÉÍÓÚÑáéíóúñ .'-]{1,40}?"
                     r",?\s*(?:n\.?º\s*)?\d{1,4}\b", re.IGNORECASE)
_POSTCODE_CITY = re.compile(r"\b(?:0[1-9]|[1-4]\d|5[0-2])\d{3}\s+[A-ZÁÉÍÓÚÑ][a-záéíóúñ]+")
SENSITIVE_TOPICS = ("reclamacion", "queja", "reembolso", "devolverme el dinero", "devuelvan el dinero",
                    "hoja de reclamaciones", "denuncia", "estafa", "cobro indebido", "me habeis cobrado")


def _dni_ok(prefix: str, digits: str, letter: str) -> bool:
    number = int({"X": "0", "Y": "1", "Z": "2"}.get(prefix.upper(), "") + digits)
    return _DNI_LETTERS[number % 23] == letter.upper()


def _luhn(number: str) -> bool:
    digits = [int(d) for d in number if d.isdigit()][::-1]
    total = sum(d if i % 2 == 0 else (d * 2 - 9 if d * 2 > 9 else d * 2) for i, d in enumerate(digits))
    return total % 10 == 0


def personal_data(text: str) -> list[tuple[str, str]]:
    """``(kind, match)`` for each piece of personal data found, in order of kind."""
    found: list[tuple[str, str]] = []
    for m in _DNI.finditer(text):
        if (m.group(1) or len(m.group(2)) == 8) and _dni_ok(m.group(1), m.group(2), m.group(3)):
            found.append(("dni", m.group(0)))
    cards = [m.group(0) for m in _CARD.finditer(text) if _luhn(m.group(0))]
    for m in _PHONE.finditer(text):
        digits = re.sub(r"\D", "", m.group(0))
        if len(digits) in (9, 11) and not any(m.group(0) in c for c in cards):
            found.append(("telefono", m.group(0)))
    found += [("email", m.group(0)) for m in _EMAIL.finditer(text)]
    found += [("iban", m.group(0)) for m in _IBAN.finditer(text)]
    found += [("tarjeta", c) for c in cards]
    found += [("direccion", m.group(0)) for m in _STREET.finditer(text)]
    found += [("direccion", m.group(0)) for m in _POSTCODE_CITY.finditer(text)]
    return found


def is_sensitive_topic(text: str) -> bool:
    """A complaint or a refund request (read on the course's normalized text).

    >>> is_sensitive_topic("Quiero poner una reclamación"), is_sensitive_topic("¿Cuánto cuesta el envío?")
    (True, False)
    """
    norm = normalize(text)
    return any(topic in norm for topic in SENSITIVE_TOPICS)


class PrivacyRefused(CallRefused):
    """Personal data and no local model to send it to."""


def _request_text(params: dict) -> str:
    return "\n".join(str(m.get("content") or "") for m in params.get("messages") or []
                     if m.get("role") == "user")


@dataclass
class PrivacyRule:
    """Keep personal data off cloud models; keep complaints and refunds off the weakest one.

    ``ladder`` lists the cloud models cheap to dear (the weakest first).
    """

    ladder: Sequence[str]
    local_model: str | None = None
    local_models: Sequence[str] = field(default_factory=tuple)
    name: str = "privacy_rule"

    def decide(self, model: str, text: str) -> tuple[str, str]:
        """The model to use instead of ``model`` for ``text``, and why ('' when unchanged)."""
        local = set(self.local_models) | ({self.local_model} if self.local_model else set())
        found = personal_data(text)
        if found and model not in local:
            if self.local_model is None:
                kinds = ", ".join(sorted({k for k, _ in found}))
                raise PrivacyRefused(f"La petición lleva datos personales ({kinds}) y no hay un modelo "
                                     "local al que enviarla: configura local_model en PrivacyRule.")
            return self.local_model, "datos_personales"
        ladder = list(self.ladder)
        if not found and ladder and model == ladder[0] and len(ladder) > 1 and is_sensitive_topic(text):
            return ladder[1], "tema_sensible"
        return model, ""

    def __call__(self, call, call_next):
        model, reason = self.decide(call.model, _request_text(call.params))
        if reason:
            call.notes.setdefault("privacy", []).append((call.model, model, reason))
            call.params = {**call.params, "model": model}
        return call_next(call)
