"""Confidence scorers for cascades: how sure is this answer, and what did it cost to ask?

A scorer is ``scorer(call, response, call_next) -> float`` in [0, 1]. It may
spend more provider attempts through ``call_next`` (they land in the ledger as
attempts of the same call, so the evaluation counts them):

* :func:`logprob_confidence` — free: the probability of the answer's least
  likely token (needs ``logprobs=True``, which the cascade asks for);
* :class:`Agreement` — ``n`` samples of the same model in one request; the
  share that agree with the first answer (one attempt, ``n`` outputs billed);
* :class:`Verifier` — a second model answers the same request; 1.0 if it
  agrees with the first answer, else 0.0 (AutoMix's idea, one extra attempt).

Agreement is read on the course's normalized text (``course_lib.text``).
Deciding what to do with the score is the cascade's job.

>>> from types import SimpleNamespace as NS
>>> token = lambda lp: NS(logprob=lp)
>>> resp = NS(choices=[NS(logprobs=NS(content=[token(-0.01), token(-0.69)]),
...                       message=NS(content="30 días"))])
>>> round(logprob_confidence(None, resp, None), 2)
0.5
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from course_lib.text import normalize


def answer_text(response) -> str:
    """The first choice's text ('' when there is none)."""
    try:
        return response.choices[0].message.content or ""
    except (AttributeError, IndexError, TypeError):
        return ""


def logprob_confidence(call, response, call_next=None) -> float:
    """exp(min token logprob) of the first choice; 0.0 without logprobs."""
    try:
        tokens = response.choices[0].logprobs.content or []
    except (AttributeError, IndexError, TypeError):
        return 0.0
    if not tokens:
        return 0.0
    return math.exp(min(t.logprob for t in tokens))


logprob_confidence.needs_logprobs = True


def _same(a: str, b: str) -> bool:
    a, b = normalize(a).strip(" ."), normalize(b).strip(" .")
    return bool(a) and (a == b or a in b or b in a)


@dataclass(frozen=True)
class Agreement:
    """Share of ``n`` samples agreeing with the first one (one extra attempt)."""

    n: int = 5
    temperature: float = 1.0
    needs_logprobs = False

    def __post_init__(self):
        if self.n < 2:
            raise ValueError("Agreement necesita n >= 2 muestras para medir acuerdo.")

    def __call__(self, call, response, call_next) -> float:
        first = answer_text(response)
        sampled = call_next(replace(call, params={**call.params, "n": self.n,
                                                  "temperature": self.temperature}))
        texts = [c.message.content or "" for c in sampled.choices]
        return sum(_same(first, t) for t in texts) / len(texts)


@dataclass(frozen=True)
class Verifier:
    """A judge model answers the same request; agreement gives 1.0, disagreement 0.0."""

    judge: str = "gpt-4o-mini"
    needs_logprobs = False

    def __call__(self, call, response, call_next) -> float:
        checked = call_next(replace(call, params={**call.params, "model": self.judge}))
        return 1.0 if _same(answer_text(response), answer_text(checked)) else 0.0
