"""Count tokens offline with tiktoken, and estimate a request's cost before sending it.

The two OpenAI encodings the course needs (``o200k_base``, ``cl100k_base``) are
shipped gzipped in ``data/tokenizers`` and checked against tiktoken's published
sha256 before use (``course_lib.tokenizer_files``), so nothing is ever
downloaded. Chat messages are counted with the formula of the OpenAI Cookbook
(3 tokens per message, 1 more per ``name``, 3 to prime the reply), which
matches the API's ``prompt_tokens``.

The first use of an encoding here also installs the files in tiktoken's own
cache (``tokenizer_files.install_tiktoken_cache``), so after any course
tokenization (``connect()``'s simulator, ``costlab``, ``count_tokens``) plain
``tiktoken.get_encoding`` works offline in every later process.

It does not count tool definitions, images or audio, and for non-OpenAI models
(Claude, Gemini) it uses ``o200k_base`` as an approximation of their tokenizer.

>>> count_tokens("¿Cuánto cuesta el envío a Canarias?", "gpt-4o")
8
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import tiktoken

from course_lib.paths import TOKENIZER_DIR
from course_lib.pricing import PriceBook, Usage
from course_lib.tokenizer_files import (  # noqa: F401  (TokenizerFileError, ENCODINGS: public here too)
    ENCODINGS, TokenizerFileError, install_tiktoken_cache, read_ranks)

# Longest prefix wins, as in tiktoken.model.MODEL_PREFIX_TO_ENCODING.
_MODEL_PREFIX_TO_ENCODING = {
    "gpt-5": "o200k_base", "gpt-4.1": "o200k_base", "gpt-4o": "o200k_base", "o1": "o200k_base",
    "o3": "o200k_base", "o4": "o200k_base", "gpt-4": "cl100k_base", "gpt-3.5": "cl100k_base",
    "text-embedding-3": "cl100k_base", "text-embedding-ada": "cl100k_base",
}
_FALLBACK_ENCODING = "o200k_base"  # Claude, Gemini and custom models: an approximation

TOKENS_PER_MESSAGE = 3
TOKENS_PER_NAME = 1
TOKENS_TO_PRIME_REPLY = 3


@functools.lru_cache(maxsize=None)
def _load_encoding(name: str, directory: str) -> tiktoken.Encoding:
    spec = ENCODINGS[name]
    if Path(directory) == TOKENIZER_DIR:
        install_tiktoken_cache()      # once per process: plain tiktoken works offline from now on
    return tiktoken.Encoding(name, pat_str=spec["pat_str"], mergeable_ranks=read_ranks(name, Path(directory)),
                             special_tokens=spec["special_tokens"])


def get_encoding(name: str, *, directory: str | Path = TOKENIZER_DIR) -> tiktoken.Encoding:
    """The tiktoken encoding ``name`` built from the shipped, hash-checked file.

    >>> get_encoding("cl100k_base").encode("hola mundo")
    [71, 8083, 29452]
    """
    if name not in ENCODINGS:
        raise ValueError(f"Codificación desconocida '{name}'. Disponibles: {', '.join(ENCODINGS)}.")
    return _load_encoding(name, str(directory))


@functools.lru_cache(maxsize=256)
def encoding_name_for_model(model: str) -> str:
    """Which encoding a model uses (``o200k_base`` for unknown models).

    >>> encoding_name_for_model("gpt-4o-mini"), encoding_name_for_model("gpt-4")
    ('o200k_base', 'cl100k_base')
    """
    matches = [prefix for prefix in _MODEL_PREFIX_TO_ENCODING if model.startswith(prefix)]
    return _MODEL_PREFIX_TO_ENCODING[max(matches, key=len)] if matches else _FALLBACK_ENCODING


@functools.lru_cache(maxsize=256)
def encoding_for_model(model: str) -> tiktoken.Encoding:
    """The encoding of ``model``, memoised: counting is called per message, so lookups must be cheap."""
    return _load_encoding(encoding_name_for_model(model), str(TOKENIZER_DIR))


def count_tokens(text: str, model: str = "gpt-4o") -> int:
    """Tokens of ``text`` for ``model``; special-token strings count as plain text."""
    if not isinstance(text, str):
        raise TypeError(f"count_tokens espera un texto (str), no {type(text).__name__}.")
    return len(encoding_for_model(model).encode_ordinary(text))


def _content_text(content) -> str:
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if isinstance(content, list):  # content parts: only text parts are counted
        return "".join(part.get("text", "") for part in content if isinstance(part, dict))
    raise TypeError(f"El contenido de un mensaje debe ser texto o una lista de partes, no {type(content).__name__}.")


def count_chat_tokens(messages: list[dict], model: str = "gpt-4o") -> int:
    """Prompt tokens of a chat request, as the API reports them in ``usage.prompt_tokens``.

    >>> count_chat_tokens([{"role": "user", "content": "Hola"}])
    8
    """
    encoding = encoding_for_model(model)
    total = TOKENS_TO_PRIME_REPLY
    for message in messages:
        if not isinstance(message, dict):
            raise TypeError("Cada mensaje debe ser un dict con 'role' y 'content'.")
        total += TOKENS_PER_MESSAGE
        for key, value in message.items():
            text = _content_text(value) if key == "content" else value
            if isinstance(text, str):
                total += len(encoding.encode_ordinary(text))
            if key == "name":
                total += TOKENS_PER_NAME
    return total


@dataclass(frozen=True)
class CostEstimate:
    """What a request will cost, known before it is sent."""

    model: str
    input_tokens: int
    output_tokens: int
    cost: Decimal


def estimate_cost(request: str | list[dict], model: str, *, expected_output_tokens: int = 0,
                  cached_tokens: int = 0, prices: PriceBook | None = None, batch: bool = False) -> CostEstimate:
    """Estimate the cost of a text or chat request with an expected output length.

    >>> estimate_cost("¿Cuánto cuesta el envío a Canarias?", "gpt-4o", expected_output_tokens=100)
    CostEstimate(model='gpt-4o', input_tokens=8, output_tokens=100, cost=Decimal('0.00102'))
    """
    input_tokens = count_tokens(request, model) if isinstance(request, str) else count_chat_tokens(request, model)
    usage = Usage(input_tokens, expected_output_tokens, cached_tokens=min(cached_tokens, input_tokens))
    cost = (prices or PriceBook.default()).cost(model, usage, batch=batch)
    return CostEstimate(model, input_tokens, expected_output_tokens, cost)
