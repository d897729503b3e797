"""The text a simulated model writes.

Task answers (the quality model already decided right or wrong) state the gold
``answer`` or one of the task's ``wrong_answers`` in a short sentence, padded
with neutral sentences according to the model's verbosity. Other prompts get a
deterministic, plausible Spanish answer about the prompt's main word. Length
follows the model's verbosity and the prompt's length instructions ("en 20
palabras", "brevemente", "en una frase", "detalladamente"). Cutting at
``max_tokens`` happens in ``chat.py``; nothing here counts tokens.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from course_lib.text import STOPWORDS, fold

from .quality import unit


def normalize(text: str) -> str:
    """Lower case, no accents, single spaces: how instructions are read (punctuation kept)."""
    return " ".join(fold(text).split())

LEAD_INS = ("{a}.", "La respuesta es: {a}.", "Según la información disponible: {a}.",
            "Te confirmo: {a}.")
INTENT_LEAD_INS = ("Intención: {a}.", "{a}.", "Clasificación: {a}.")
FILLERS = (
    "Si necesitas algo más, estaré encantado de ayudarte.",
    "Puedes consultar todos los detalles en tu área de cliente.",
    "Nuestro equipo de atención al cliente también puede ayudarte por chat o por correo.",
    "Te recomiendo guardar el justificante de tu pedido por si lo necesitas más adelante.",
    "Las condiciones completas están publicadas en la sección de ayuda de la tienda.",
    "Espero que esta información te resulte útil.",
    "Si algo no encaja con lo que ves en tu cuenta, avísanos y lo revisamos.",
    "Recuerda que las políticas pueden cambiar, así que conviene revisarlas de vez en cuando.",
)
GENERIC = (
    "En general, lo más práctico con {t} es empezar por lo esencial y dejar los detalles para después.",
    "Conviene revisar primero qué necesitas exactamente, porque eso cambia la mejor opción.",
    "Muchos clientes resuelven este tipo de dudas en pocos minutos desde su área personal.",
    "Si lo comparas con otras alternativas, la diferencia suele estar en el plazo y en el coste final.",
    "Un buen punto de partida es anotar los datos clave: fechas, importes y número de pedido.",
    "Ten en cuenta que cada caso puede tener matices, así que revisa las condiciones que te apliquen.",
    "Respecto a {t}, lo habitual es que el proceso sea sencillo y no requiera trámites adicionales.",
    "Si surge algún problema, el equipo de soporte puede revisarlo contigo paso a paso.",
    "También es buena idea guardar una copia de la confirmación por si hiciera falta más adelante.",
    "En resumen, con un poco de orden {t} deja de ser un quebradero de cabeza.",
    "Otra opción es consultar la sección de preguntas frecuentes, donde se explican los casos más comunes.",
    "Lo importante es no dejarlo para el último momento, sobre todo en temporadas de mucha demanda.",
)
OPENERS = ("Claro, te explico lo principal sobre {t}.", "Buena pregunta sobre {t}.",
           "Sobre {t}, esto es lo más importante.", "Vamos por partes con {t}.")

# Substrings that must occur for the regexes below to match (a fast pre-check).
_SHORT_KEYS = ("brev", "concis", "cort", "resumid", "escuet", "solo", "unicamente", "sin ", "una ",
               "etiqueta")
_LONG_KEYS = ("detall", "extens", "paso a paso", "exhaustiv", "a fondo")
_TOPIC_RE = re.compile(r"[A-Za-zÁÉÍÓÚÜÑáéíóúüñ]{5,}")
_WORDS_RE = re.compile(r"(?:en|con|de|maximo|como maximo|menos de|no mas de|hasta)\s+(\d{1,4})\s+palabras")
_SHORT_RE = re.compile(r"\b(?=[bcrseul])(brevemente|breve|concis[oa]|corto|corta|resumid[oa]|escuet[oa]|"
                       r"solo la respuesta|solo con la respuesta|responde solo|unicamente|"
                       r"sin explicaciones|sin rodeos|en una (?:sola )?(?:frase|oracion|linea)|"
                       r"(?:una|la) (?:unica|sola) etiqueta|solo (?:la|una) etiqueta)\b")
_LONG_RE = re.compile(r"\b(?=[dpea])(detalladamente|en detalle|detallad[oa]|extens[oa]|paso a paso|"
                      r"exhaustiv[oa]|a fondo)\b")


@dataclass(frozen=True)
class LengthHint:
    words: int | None = None     # an explicit word budget
    scale: float = 1.0           # <1 concise, >1 detailed


def length_hint(instructions: str) -> LengthHint:
    """Read length instructions from system/user text.

    >>> length_hint("Responde en 20 palabras."), length_hint("Explícalo brevemente").scale
    (LengthHint(words=20, scale=1.0), 0.25)
    """
    text = normalize(instructions)
    match = _WORDS_RE.search(text) if "palabras" in text else None  # cheap guard first
    if match:
        return LengthHint(words=max(1, int(match.group(1))))
    if any(k in text for k in _SHORT_KEYS) and _SHORT_RE.search(text):
        return LengthHint(scale=0.25)
    if any(k in text for k in _LONG_KEYS) and _LONG_RE.search(text):
        return LengthHint(scale=2.0)
    return LengthHint()


def topic_of(text: str) -> str:
    """The prompt's most salient word (the longest non-stopword), or a default.

    >>> topic_of("¿Cómo funcionan las devoluciones?")
    'devoluciones'
    """
    words = sorted(set(_TOPIC_RE.findall(text[-2000:])), key=lambda w: (-len(w), w))
    for word in words:
        if normalize(word) not in STOPWORDS:
            return word.lower()
    return "tu consulta"


def _cut_words(text: str, n: int) -> str:
    words = text.split()
    if len(words) <= n:
        return text
    return " ".join(words[:n]).rstrip(",;:") + "."


def _as_list(value) -> list:
    return [] if value is None else list(value)


def task_answer(task: dict, *, correct: bool, verbosity: float, hint: LengthHint,
                key: tuple) -> str:
    """A sentence stating the gold answer (or a wrong one), plus verbosity padding.

    >>> task = {"type": "faq", "answer": "30 días", "wrong_answers": ["14 días"]}
    >>> "30 días" in task_answer(task, correct=True, verbosity=1.0, hint=LengthHint(), key=("k",))
    True
    >>> task_answer(task, correct=False, verbosity=1.0, hint=LengthHint(scale=0.25), key=("k",))
    '14 días'
    """
    if correct:
        stated = str(task.get("answer", ""))
    else:
        wrong = _as_list(task.get("wrong_answers"))
        stated = str(wrong[int(unit("wrong", *key) * len(wrong))]) if wrong else \
            "No dispongo de información suficiente para responder con seguridad"
    if hint.scale < 1.0 or (hint.words is not None and hint.words <= 8):
        return stated
    lead_ins = INTENT_LEAD_INS if task.get("type") == "intent" else LEAD_INS
    parts = [lead_ins[int(unit("lead", *key) * len(lead_ins))].format(a=stated)]
    extra = round(verbosity * hint.scale * (0.4 + 2.0 * unit("pad", *key)))
    start = int(unit("filler", *key) * len(FILLERS))
    avoid = [normalize(str(a)) for a in [task.get("answer", ""), *_as_list(task.get("accepted")),
                                         *_as_list(task.get("wrong_answers"))] if str(a).strip()]
    fillers = [f for f in (FILLERS[(start + i) % len(FILLERS)] for i in range(len(FILLERS)))
               if not any(a in normalize(f) for a in avoid)]   # padding must not name an answer
    parts += fillers[:extra]
    text = " ".join(parts)
    return text if hint.words is None else _cut_words(text, max(hint.words, len(stated.split())))


def generic_answer(prompt: str, *, verbosity: float, hint: LengthHint, key: tuple) -> str:
    """A plausible Spanish answer whose length follows verbosity and the hint.

    >>> text = generic_answer("Explica las devoluciones en 12 palabras", verbosity=1.0,
    ...                       hint=LengthHint(words=12), key=("k",))
    >>> len(text.split())
    12
    """
    topic = topic_of(prompt)
    if hint.words is not None:
        target = hint.words
    else:
        target = max(6, round(70 * verbosity * hint.scale * (0.7 + 0.6 * unit("len", *key))))
    sentences = [OPENERS[int(unit("open", *key) * len(OPENERS))].format(t=topic)]
    words = len(sentences[0].split())
    i = int(unit("body", *key) * len(GENERIC))
    step = 1 + int(unit("step", *key) * 4)
    while words < target:
        sentences.append(GENERIC[i % len(GENERIC)].format(t=topic))
        words += len(sentences[-1].split())
        i += step
    text = " ".join(sentences)
    return text if hint.words is None else _cut_words(text, target)
