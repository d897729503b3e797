"""Prompt compression: make a request cheaper without changing what it asks.

Small, composable text functions a learner can read in one sitting:

* ``clean_text`` — collapse runs of spaces and blank lines, drop trailing spaces;
* ``dedupe_sentences`` — drop sentences (or lines) already said earlier;
* ``strip_boilerplate`` / ``strip_paragraphs`` — drop lines or paragraphs matching known
  boilerplate (breadcrumbs, footers, disclaimers, change logs);
* ``drop_sections`` — drop whole Markdown sections by title ("Artículos relacionados");
* ``truncate_to_tokens`` — cut a text to a token budget on a word boundary;
* ``prune_few_shot`` — keep only the few-shot examples most similar to the question;
* ``trim_history`` — keep the system prompt and the latest turns under a token budget;
* ``length_instruction`` — a short instruction that also shortens the answer
  (output tokens cost 4–8× input tokens).

Choosing knowledge-base passages for a question lives in ``course_lib.context``;
text rules (folding, stopwords, content words) in ``course_lib.text``; the
course's own prompts in ``course_lib.course.scenario``.
Nothing here calls a model or knows about prices; measure savings with
``course_lib.tokens`` and quality with the simulator.
"""

from __future__ import annotations

import re

from course_lib.text import STOPWORDS, content_words, fold  # noqa: F401  (re-exported)
from course_lib.tokens import count_chat_tokens, count_tokens, encoding_for_model

_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")
_WORD = re.compile(r"\w+", re.UNICODE)


def clean_text(text: str) -> str:
    """Collapse repeated spaces and blank lines; strip each line.

    >>> clean_text("Hola   mundo  \\n\\n\\n\\n  adiós ")
    'Hola mundo\\n\\nadiós'
    """
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def dedupe_sentences(text: str) -> str:
    """Drop sentences that already appeared (compared accent- and case-insensitively).

    >>> dedupe_sentences("El envío es gratis. Pagas con tarjeta. El envio es gratis.")
    'El envío es gratis. Pagas con tarjeta.'
    """
    seen: set[str] = set()
    out_lines = []
    for line in text.splitlines():
        kept = []
        for sentence in _SENTENCE_END.split(line.strip()):
            key = " ".join(_WORD.findall(fold(sentence)))
            if not key or key in seen:
                continue
            seen.add(key)
            kept.append(sentence)
        if kept or not line.strip():
            out_lines.append(" ".join(kept))
    return clean_text("\n".join(out_lines))


def strip_boilerplate(text: str, patterns: list[str] | tuple[str, ...]) -> str:
    """Remove every line that matches one of the regular expressions ``patterns``.

    >>> strip_boilerplate("Envío gratis.\\nÚltima revisión: 2024", [r"^Última revisión"])
    'Envío gratis.'
    """
    compiled = [re.compile(p, re.IGNORECASE) for p in patterns]
    kept = [line for line in text.splitlines() if not any(c.search(line.strip()) for c in compiled)]
    return clean_text("\n".join(kept))


def strip_paragraphs(text: str, patterns: list[str] | tuple[str, ...]) -> str:
    """Remove every paragraph (blank-line separated) whose text matches a regex in ``patterns``.

    Patterns are searched in each line of the paragraph (``re.MULTILINE``).

    >>> doc = "En este artículo:\\n- Plazos\\n- Costes\\n\\nEl envío cuesta 3,95 €."
    >>> strip_paragraphs(doc, [r"^En este artículo:"])
    'El envío cuesta 3,95 €.'
    """
    compiled = [re.compile(p, re.IGNORECASE | re.MULTILINE) for p in patterns]
    paragraphs = re.split(r"\n\s*\n", text)
    return clean_text("\n\n".join(p for p in paragraphs if not any(c.search(p.strip()) for c in compiled)))


def drop_sections(text: str, titles: list[str] | tuple[str, ...]) -> str:
    """Remove Markdown sections whose heading text is in ``titles`` (with their subsections).

    >>> doc = "# Envíos\\nCuesta 3,95 €.\\n## Historial de cambios\\n| 2024 | erratas |\\n## Plazos\\n24-48 h."
    >>> print(drop_sections(doc, ["Historial de cambios"]))
    # Envíos
    Cuesta 3,95 €.
    ## Plazos
    24-48 h.
    """
    wanted = {fold(t).strip() for t in titles}
    kept, skip_level = [], None
    for line in text.split("\n"):
        heading = re.match(r"^(#+)\s+(.*?)\s*$", line)
        if heading:
            level = len(heading.group(1))
            if skip_level is not None and level <= skip_level:
                skip_level = None
            if skip_level is None and fold(heading.group(2)) in wanted:
                skip_level = level
                continue
        if skip_level is None:
            kept.append(line)
    return "\n".join(kept)


def truncate_to_tokens(text: str, max_tokens: int, *, model: str = "gpt-4o") -> str:
    """The longest prefix of ``text`` within ``max_tokens``, cut at a word boundary.

    >>> truncate_to_tokens("uno dos tres cuatro cinco", 3)
    'uno dos tres'
    """
    if max_tokens <= 0:
        return ""
    encoding = encoding_for_model(model)
    tokens = encoding.encode_ordinary(text)
    if len(tokens) <= max_tokens:
        return text
    prefix = encoding.decode(tokens[:max_tokens])
    if encoding.decode(tokens[max_tokens:max_tokens + 1])[:1].isspace():
        return prefix.rstrip()
    cut = prefix.rfind(" ")
    return (prefix[:cut] if cut > 0 else prefix).rstrip()


def prune_few_shot(examples: list[dict], question: str, *, keep: int = 1) -> list[dict]:
    """Keep the ``keep`` examples (dicts with ``"question"``) closest to ``question``.

    Similarity is word overlap; ties keep the original order.

    >>> ex = [{"question": "¿Puedo pagar con PayPal?"}, {"question": "¿Cuánto tarda el envío a Canarias?"}]
    >>> [e["question"] for e in prune_few_shot(ex, "Plazo de envío a Canarias", keep=1)]
    ['¿Cuánto tarda el envío a Canarias?']
    """
    words = content_words(question)
    ranked = sorted(enumerate(examples),
                    key=lambda pair: (-len(words & content_words(pair[1]["question"])), pair[0]))
    chosen = sorted(index for index, _ in ranked[:max(keep, 0)])
    return [examples[i] for i in chosen]


def trim_history(messages: list[dict], max_tokens: int, *, model: str = "gpt-4o") -> list[dict]:
    """Keep system messages and the most recent turns whose chat tokens fit ``max_tokens``.

    The last message (the current question) is always kept.

    >>> msgs = [{"role": "system", "content": "Breve."}] + [
    ...     {"role": "user", "content": f"pregunta número {i} " * 20} for i in range(5)]
    >>> [m["content"][:17] for m in trim_history(msgs, 120)]
    ['Breve.', 'pregunta número 4']
    """
    system = [m for m in messages if m.get("role") == "system"]
    turns = [m for m in messages if m.get("role") != "system"]
    kept: list[dict] = []
    for message in reversed(turns):
        candidate = system + [message] + kept
        if kept and count_chat_tokens(candidate, model) > max_tokens:
            break
        kept.insert(0, message)
    return system + kept


def length_instruction(max_words: int) -> str:
    """An instruction that bounds the answer's length.

    >>> length_instruction(20)
    'Responde en un máximo de 20 palabras.'
    """
    return f"Responde en un máximo de {int(max_words)} palabras."


def token_savings(before: str | list[dict], after: str | list[dict], *, model: str = "gpt-4o") -> float:
    """Fraction of input tokens saved going from ``before`` to ``after`` (chat or text).

    >>> token_savings("uno dos tres cuatro", "uno dos")
    0.5
    """
    def count(x):
        return count_tokens(x, model) if isinstance(x, str) else count_chat_tokens(x, model)
    base = count(before)
    return 1.0 - count(after) / base if base else 0.0
