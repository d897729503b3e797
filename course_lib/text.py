"""One set of text rules: normalization, content words, stems and fact presence.

Everything in the course that compares texts uses these rules: the world's
``is_correct`` and ``missing_facts``, the simulator's judge, ``compress`` and
``context``. So a learner's own check can never contradict the grade.

* :func:`normalize` — lower case, no accents, ``€``/«euros» → ``eur``, decimal
  point or comma → comma, thousands separators dropped, punctuation dropped;
* :func:`contains` — a phrase present as whole words (numbers as whole
  numbers: ``9,95 €`` is not in ``19,95 €``);
* :func:`fact_in_text` — all of a fact's keywords present;
* :func:`content_words`, :func:`stems`, :func:`content_sequence` — the words
  that carry meaning (Spanish stopwords dropped) and their 5-letter stems.

It does not tokenize for a model (``course_lib.tokens``) and knows no synonyms:
«Tenerife» does not match «Canarias» (meaning is the embeddings' job).
"""

from __future__ import annotations

import functools
import re
import unicodedata

STOPWORDS = frozenset(
    "a al algo algun alguna ante antes aqui asi como con contra cual cuales cuando cuanto "
    "cuantos cuantas de del desde donde dos e el ella ellos en entre era es esa ese eso esta "
    "estan este esto estos hay hasta la las le les lo los mas me mi mis mucho muy ni no nos o "
    "os otra otro para pero poco por porque que quien se ser si sin sobre son su sus tambien "
    "tengo tiene tienen tu tus un una uno unos unas y ya yo puedo puede puedes quiero hola "
    "favor gracias".split())
"""Spanish words that carry no topic (accent-free, as :func:`fold` leaves them)."""

_COMBINING = re.compile("[\u0300-\u036f]")
_WORD = re.compile(r"[a-z0-9]+(?:,[0-9]+)?")
STEM_LENGTH = 5


def fold(text: str) -> str:
    """Lower case without accents (``ñ`` becomes ``n``), spacing kept.

    >>> fold("Envío a CANARIAS, año")
    'envio a canarias, ano'
    """
    text = str(text).lower()
    if text.isascii():
        return text
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text))


@functools.lru_cache(maxsize=4096)
def _normalize_cached(text: str) -> str:
    t = fold(text)
    t = t.replace("€", " eur ").replace("%", " por ciento ").replace("_", " ")
    t = re.sub(r"\beuros?\b", "eur", t)
    t = re.sub(r"(?<=\d)\.(?=\d{3}(?!\d))", "", t)      # 1.234 → 1234
    t = re.sub(r"(?<=\d)\.(?=\d)", ",", t)              # 3.95 → 3,95
    t = re.sub(r"(?<!\d),|,(?!\d)", " ", t)             # commas that are not decimal marks
    t = re.sub(r"[^\w,]+", " ", t)
    return " ".join(t.split())


def normalize(text: str) -> str:
    """Lower-case, accent-free, money and decimal marks unified, punctuation dropped.

    >>> normalize("Cuesta 1.234,50€ y el 17,9 %, ¿vale?")
    'cuesta 1234,50 eur y el 17,9 por ciento vale'
    >>> normalize("3.95 euros") == normalize("3,95 €")
    True
    """
    text = str(text)
    # Long prompts are normalized once per request; only short phrases are worth caching.
    return _normalize_cached(text) if len(text) <= 200 else _normalize_cached.__wrapped__(text)


@functools.lru_cache(maxsize=4096)
def _pattern(phrase: str) -> re.Pattern | None:
    norm = normalize(phrase)
    return re.compile(rf"(?<![\w,]){re.escape(norm)}(?![\w])") if norm else None


def contains(text: str, phrase: str, *, normalized: bool = False) -> bool:
    """Does ``phrase`` occur in ``text`` as whole words, after :func:`normalize`?

    Pass ``normalized=True`` when ``text`` is already normalized (checking many
    phrases against one long prompt).

    >>> contains("Son 30 días naturales.", "30 dias"), contains("Son 130 días.", "30 días")
    (True, False)
    >>> contains("Canarias: 19,95 €", "9,95 €"), contains("cuesta 9,95 euros", "9,95 €")
    (False, True)
    """
    pattern = _pattern(str(phrase))
    return bool(pattern and pattern.search(text if normalized else normalize(text)))


def fact_in_text(keywords, text: str, *, normalized: bool = False) -> bool:
    """Are all of a fact's keywords in ``text``? (A fact without keywords is always present.)

    >>> fact_in_text(["9,95 €", "Canarias"], "El envío a canarias cuesta 9,95 euros.")
    True
    >>> fact_in_text(["9,95 €", "Canarias"], "Canarias: 19,95 €")
    False
    """
    norm = text if normalized else normalize(text)
    return all(contains(norm, str(k), normalized=True) for k in ([] if keywords is None else keywords))


def replace_phrase(text: str, phrase: str, replacement: str = " | ") -> str:
    """Replace whole-word occurrences of ``phrase`` in a normalized ``text``.

    >>> replace_phrase(normalize("Son 3,95 € o 5,95 €"), "3,95 €")
    'son  |  o 5,95 eur'
    """
    pattern = _pattern(str(phrase))
    return pattern.sub(replacement, text) if pattern else text


def content_sequence(text: str) -> list[str]:
    """Stems of the meaningful words of ``text``, in order (numbers kept whole).

    >>> content_sequence("¿Cuánto cuesta el envío a Canarias en 2 días?")
    ['cuest', 'envio', 'canar', '2', 'dias']
    """
    words = _WORD.findall(fold(text).replace(".", ","))
    return [w if w[0].isdigit() else w[:STEM_LENGTH]
            for w in words if w not in STOPWORDS and (len(w) > 2 or w[0].isdigit())]


def stems(text: str) -> list[str]:
    """Content-word stems of ``text`` in order (an alias of :func:`content_sequence`).

    >>> stems("¿Cuánto tarda el envío a Canarias?")
    ['tarda', 'envio', 'canar']
    """
    return content_sequence(text)


def content_words(text: str) -> set[str]:
    """The set of content-word stems of ``text``.

    >>> sorted(content_words("¿Cuánto cuesta el envío a Canarias?"))
    ['canar', 'cuest', 'envio']
    """
    return set(content_sequence(text))
