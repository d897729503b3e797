"""Token pieces and their log-probabilities.

The text of a choice is cut into *pieces*: tokens, merged only where a token
ends inside a UTF-8 character, so pieces always join back into the text (that
is what streaming sends). When asked, each piece gets a logprob: the pieces of
the stated answer carry the quality model's confidence (the first one exactly
``log(confidence)``, the rest a share of it), the surrounding words are nearly
certain. ``top_logprobs`` adds common Spanish alternatives with the remaining
probability mass. The numbers are made up to be useful, not measured.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from .quality import unit

ALTERNATIVES = (" el", " la", " de", " que", " en", " y", " a", " los", " se", " del", " las",
                " un", " por", " con", " no", " una", " su", " para", " es", " al", " lo")


@dataclass
class Piece:
    text: str
    start: int                       # character offset in the choice's text
    logprob: float = 0.0
    top: list[tuple[str, float]] = field(default_factory=list)

    def logprob_entry(self) -> dict:
        """The piece as a ``ChatCompletionTokenLogprob`` dict."""
        return {"token": self.text, "bytes": list(self.text.encode("utf-8")),
                "logprob": self.logprob,
                "top_logprobs": [{"token": t, "bytes": list(t.encode("utf-8")), "logprob": lp}
                                 for t, lp in self.top]}


def split_pieces(encoding, tokens: list[int]) -> list[Piece]:
    """Cut tokens into text pieces that decode cleanly.

    >>> from course_lib.tokens import get_encoding
    >>> enc = get_encoding("o200k_base")
    >>> "".join(p.text for p in split_pieces(enc, enc.encode_ordinary("Envío a Canarias: 5 €")))
    'Envío a Canarias: 5 €'
    """
    pieces, pending, offset = [], b"", 0
    for tok in tokens:
        pending += encoding.decode_single_token_bytes(tok)
        try:
            text = pending.decode("utf-8")
        except UnicodeDecodeError:
            continue
        pieces.append(Piece(text, offset))
        offset += len(text)
        pending = b""
    if pending:
        text = pending.decode("utf-8", errors="replace")
        pieces.append(Piece(text, offset))
    return pieces


def with_logprobs(pieces: list[Piece], *, confidence: float, span: tuple[int, int] | None,
                  top: int, key: tuple) -> None:
    """Fill in ``logprob`` and ``top`` on each piece (in place)."""
    log_c = math.log(confidence)
    first_in_span = True
    for i, piece in enumerate(pieces):
        u = unit("lp", *key, i)
        in_span = span is None or (span[0] <= piece.start < span[1])
        if in_span and first_in_span:
            lp, first_in_span = log_c, False
        elif in_span:
            lp = log_c * (0.3 + 0.7 * u)
        else:
            lp = -0.002 - 0.25 * u ** 3
        piece.logprob = round(lp, 6)
        piece.top = _alternatives(piece, top, u) if top else []


def _alternatives(piece: Piece, k: int, u: float) -> list[tuple[str, float]]:
    p = math.exp(piece.logprob)
    rest = max(1e-9, 1.0 - p)
    start = int(u * len(ALTERNATIVES))
    alts = []
    for j in range(k):
        token = ALTERNATIVES[(start + j) % len(ALTERNATIVES)]
        if token == piece.text:
            token = token.strip() or token + " "
        alts.append((token, round(math.log(rest * 0.5 ** (j + 1)), 6)))
    ranked = sorted([(piece.text, piece.logprob)] + alts, key=lambda t: -t[1])
    return ranked[:k]
