"""Surface realisation of customer questions: register, dialect, length and typos.

A question starts as a *core* sentence (one of several phrasings written per
fact or task). This module wraps it the way real customers write: a greeting
or none, some context, a closing, formal ``usted`` or chatty Spanish, a Latin
American variant, dropped accents and slipped keys. Every choice is drawn from
the ``random.Random`` passed in and recorded in a :class:`Style`, so the same
style can be re-applied to a *different* core (that is how near-misses that
differ only in one detail are built). It does not choose what is asked.
"""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass, replace

from .scenario import CITIES_PENINSULA, PRODUCT_SHORT

REGISTERS = ("formal", "neutral", "coloquial")
VARIANTS = ("es-ES", "es-LatAm")

OPENERS = {
    ("formal", "es-ES"): ["Buenos días.", "Buenas tardes.", "Estimados señores:", "Hola, buenos días.",
                          "Buenas tardes, les escribo con una consulta.", "Disculpen la molestia."],
    ("formal", "es-LatAm"): ["Buenas tardes, ¿cómo están?", "Buen día.", "Estimados, muy buenas tardes.",
                             "Hola, buen día, disculpen la molestia.", "Saludos cordiales."],
    ("neutral", "es-ES"): ["Hola.", "Hola,", "Buenas,", "Una pregunta:", "Buenas tardes,", "Hola de nuevo.",
                           "Consulta:", "Buenos días,", "Perdonad,", "Buenas noches.", "Duda rápida:", "Saludos."],
    ("neutral", "es-LatAm"): ["Hola, buenas.", "Una consulta:", "Buen día,", "Buenas,", "Qué tal,", "Disculpen,"],
    ("coloquial", "es-ES"): ["holaa", "buenas!", "hola hola", "ey,", "oye una cosa", "hola!! a ver",
                             "buenas, pregunta rápida"],
    ("coloquial", "es-LatAm"): ["holaa", "hola, qué onda", "buenas!!", "hola, una preguntita",
                                "hola chicos", "oigan, una consulta"],
}

CONTEXTS = {
    "es-ES": ["Es la primera vez que compro en vuestra web.", "He mirado en la web y no lo encuentro claro.",
              "Ya he comprado otras veces pero esto no lo sé.", "Os escribo desde el móvil.",
              "He buscado en el centro de ayuda y no me aclaro.", "Tengo una duda antes de hacer el pedido.",
              "Me lo ha preguntado también mi pareja y no sabemos.", "He hablado antes con un compañero vuestro.",
              "Perdonad si ya lo habéis respondido antes.", "Llevo un rato dándole vueltas."],
    "es-LatAm": ["Estoy viviendo en España hace poco y es mi primera compra.",
                 "Ya revisé la web y no encontré la info.",
                 "Tengo una duda antes de comprar.", "Les escribo desde el celular, disculpen.",
                 "Una amiga me recomendó la tienda.", "Ya hablé con alguien del chat pero se cortó."],
}

CLOSERS = {
    "formal": ["Muchas gracias de antemano.", "Quedo a la espera de su respuesta.", "Un saludo cordial.",
               "Gracias por su atención.", "Atentamente."],
    "neutral": ["Gracias.", "Gracias!", "Un saludo.", "Mil gracias.", "Gracias de antemano."],
    "coloquial": ["gracias!!", "graciass", "porfa", "thx", "grax", "muchas gracias!!"],
}

LATAM_LEXICON = [("móvil", "celular"), ("ordenador", "computadora"), ("portátil", "laptop"),
                 ("vuestra web", "su página"), ("vuestra tienda", "su tienda"), ("vosotros", "ustedes"),
                 ("tenéis", "tienen"), ("podéis", "pueden"), ("cobráis", "cobran"), ("aceptáis", "aceptan"),
                 ("enviáis", "envían"), ("hacéis", "hacen"), ("mandáis", "mandan"), ("coger", "tomar"),
                 ("vale", "ok"), ("dinero", "plata"), ("coche", "carro"), ("nevera", "heladera"),
                 ("zumo", "jugo"), ("gafas", "lentes"), ("aquí", "acá"), ("mola", "está bueno"),
                 ("el dinero", "la plata"), ("mi dinero", "mi plata")]

FORMAL_REWRITES = [("¿puedo", "¿podría"), ("¿me podéis", "¿serían tan amables de"), ("¿podéis", "¿podrían"),
                   ("quiero", "quisiera"), ("¿tenéis", "¿disponen de"), ("¿cobráis", "¿cobran ustedes")]

COLLOQUIAL_REWRITES = [("por favor", "porfa"), ("qué", "q"), ("porque", "xq"), ("también", "tb"),
                       ("pero", "pero"), ("de acuerdo", "vale")]


# Interchangeable phrases; each is swapped with probability SWAP_P when it occurs.
SWAPS = [("¿Cuánto cuesta", ("¿Qué precio tiene", "¿Cuánto vale")), ("cuánto tarda", ("cuánto tiempo tarda",)),
         ("me cobráis", ("me cobran", "os cobráis")), ("¿Puedo ", ("¿Se puede ", "¿Es posible ")),
         ("quiero", ("me gustaría", "necesito")), ("hasta cuándo", ("hasta qué fecha",)),
         ("¿Cuántos días tengo", ("¿Cuánto tiempo tengo",)), ("envío gratis", ("envío gratuito",))]
SWAP_P = 0.35


def swap_phrases(text: str, rng: random.Random) -> str:
    """Replace some stock phrases by equivalent ones.

    >>> swap_phrases("¿Puedo devolverlo?", random.Random(0)) in {"¿Puedo devolverlo?", "¿Se puede devolverlo?",
    ...                                                          "¿Es posible devolverlo?"}
    True
    """
    for phrase, options in SWAPS:
        if phrase in text and rng.random() < SWAP_P:
            text = text.replace(phrase, rng.choice(options), 1)
    return text


@dataclass(frozen=True)
class Style:
    """Every random choice behind one realisation, reusable on another core."""

    register: str = "neutral"
    variant: str = "es-ES"
    length: str = "medium"  # short | medium | long
    opener: int = -1
    context: int = -1
    closer: int = -1
    typos: int = 0
    seed: int = 0


def draw_style(rng: random.Random, *, latam_share: float = 0.18) -> Style:
    """Draw a style with realistic proportions of registers, lengths and typos.

    >>> s = draw_style(random.Random(1))
    >>> s.register in REGISTERS and s.variant in VARIANTS
    True
    """
    register = rng.choices(REGISTERS, weights=[0.22, 0.5, 0.28])[0]
    variant = "es-LatAm" if rng.random() < latam_share else "es-ES"
    length = rng.choices(["short", "medium", "long"], weights=[0.35, 0.45, 0.2])[0]
    typo_w = {"formal": [0.85, 0.12, 0.03], "neutral": [0.6, 0.3, 0.1], "coloquial": [0.3, 0.4, 0.3]}[register]
    typos = rng.choices([0, 1, 2], weights=typo_w)[0]
    opener = rng.randrange(1000) if length != "short" or rng.random() < 0.3 else -1
    context = rng.randrange(1000) if length == "long" else -1
    closer = rng.randrange(1000) if length == "long" or (length == "medium" and rng.random() < 0.5) else -1
    return Style(register, variant, length, opener, context, closer, typos, rng.randrange(2**31))


_PATTERNS: dict[int, tuple] = {}


SLOT_VALUES = {
    "ciudad": CITIES_PENINSULA,
    "ciudad_dia": ["Madrid", "Barcelona", "Valencia"],
    "prod": PRODUCT_SHORT,
}


def fill_slots(core: str, rng: random.Random) -> str:
    """Fill ``{ciudad}``/``{prod}``-style slots with random values.

    >>> fill_slots("¿Llega a {ciudad}?", random.Random(3)).startswith("¿Llega a ")
    True
    """
    for slot, values in SLOT_VALUES.items():
        token = "{" + slot + "}"
        while token in core:
            core = core.replace(token, rng.choice(values), 1)
    return core


def _replace_words(text: str, pairs) -> str:
    """Replace whole words (case-insensitive) using one compiled pattern per word list."""
    cached = _PATTERNS.get(id(pairs))
    if cached is None:
        table = {old.lower(): new for old, new in pairs}
        alternation = "|".join(re.escape(old) for old, _ in sorted(pairs, key=lambda p: -len(p[0])))
        cached = _PATTERNS[id(pairs)] = (re.compile(rf"(?<!\w)(?:{alternation})(?!\w)", re.IGNORECASE), table)
    pattern, table = cached

    def swap(match):
        new = table[match.group(0).lower()]
        return new[:1].upper() + new[1:] if match.group(0)[:1].isupper() else new

    return pattern.sub(swap, text)


def contract(text: str) -> str:
    """Spanish contractions after slot filling: «de el» → «del», «a el» → «al».

    >>> contract("La pantalla de el móvil y a el portátil")
    'La pantalla del móvil y al portátil'
    """
    return re.sub(r"\b([Dd]e|[Aa]) el\b", lambda m: ("D" if m.group(1)[0] == "D" else "d") + "el"
                  if m.group(1).lower() == "de" else m.group(1) + "l", text)


def strip_accents(text: str) -> str:
    """Drop diacritics except the tilde of ñ, as people typing fast do.

    >>> strip_accents("¿Cuánto tardáis en enviar a Cádiz? Año")
    '¿Cuanto tardais en enviar a Cadiz? Año'
    """
    return text.translate(_ACCENTLESS)


_ACCENTLESS = str.maketrans({ch: "".join(c for c in unicodedata.normalize("NFD", ch) if unicodedata.category(c) != "Mn")
                             for ch in "áéíóúàèìòùäëïöüâêîôûçÁÉÍÓÚÀÈÌÒÙÄËÏÖÜÂÊÎÔÛÇ"})


def _slip(word: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(word) - 2)
    kind = rng.randrange(3)
    if kind == 0:
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if kind == 1:
        return word[:i] + word[i] + word[i:]
    return word[:i] + word[i + 1:]


def add_typos(text: str, level: int, rng: random.Random) -> str:
    """Inject ``level`` kinds of typing noise; words with digits are left alone.

    >>> add_typos("¿Cuánto cuesta el envío?", 0, random.Random(0))
    '¿Cuánto cuesta el envío?'
    """
    if level <= 0:
        return text
    if rng.random() < (0.5 if level == 1 else 0.85):
        text = strip_accents(text)
    if rng.random() < (0.3 if level == 1 else 0.6):
        text = text.replace("¿", "").replace("¡", "")
    words = text.split(" ")
    candidates = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
    n_slips = (1 if rng.random() < 0.4 else 0) if level == 1 else rng.choice([1, 2])
    for _ in range(min(n_slips, len(candidates))):
        i = rng.choice(candidates)
        words[i] = _slip(words[i], rng)
    text = " ".join(words)
    if level >= 2 and rng.random() < 0.5:
        text = text.lower()
    return text


def _lower_first(text: str) -> str:
    i = 1 if text[:1] in "¿¡" else 0
    return text[:i] + text[i:i + 1].lower() + text[i + 1:]


def _pick(options, index: int) -> str:
    return options[index % len(options)] if index >= 0 else ""


def realize(core: str, style: Style) -> str:
    """Wrap a core question in the given style.

    >>> realize("¿Cuánto cuesta el envío a Canarias?", Style())
    '¿Cuánto cuesta el envío a Canarias?'
    >>> realize("¿Cuánto cuesta el envío a Canarias?", Style(register="formal", opener=0, closer=0))
    'Buenos días. ¿Cuánto cuesta el envío a Canarias? Muchas gracias de antemano.'
    """
    rng = random.Random(style.seed)
    text = swap_phrases(contract(core), random.Random(style.seed ^ 0xC0FFEE))
    if style.variant == "es-LatAm":
        text = _replace_words(text, LATAM_LEXICON)
    if style.register == "formal" and rng.random() < 0.6:
        text = _replace_words(text, FORMAL_REWRITES)
    elif style.register == "coloquial":
        if rng.random() < 0.5:
            text = _replace_words(text, COLLOQUIAL_REWRITES)
        if rng.random() < 0.5:
            text = text.replace("¿", "")
        if rng.random() < 0.3:
            text = text.rstrip("?") + "??"
    opener = _pick(OPENERS[(style.register, style.variant)], style.opener)
    context = _pick(CONTEXTS[style.variant], style.context)
    closer = _pick(CLOSERS[style.register], style.closer)
    if style.register == "coloquial" and rng.random() < 0.6:
        text = _lower_first(text)
    if closer and text[-1:] not in ".?!":
        text += "" if style.register == "coloquial" else "."
    parts = [p for p in (opener, context, text, closer) if p]
    for i in range(1, len(parts)):
        if parts[i - 1].endswith(",") or (style.register == "coloquial" and parts[i - 1][-1:].isalpha()):
            parts[i] = _lower_first(parts[i])
    text = " ".join(parts)
    return add_typos(text, style.typos, rng)


def with_core_style(style: Style, **changes) -> Style:
    """A copy of ``style`` with some fields changed (used for controlled variants)."""
    return replace(style, **changes)
