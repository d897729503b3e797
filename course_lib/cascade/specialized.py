"""A specialized small model: intent classification trained locally, against a general LLM.

:class:`IntentModel` is a TF-IDF plus logistic-regression classifier
(scikit-learn's estimator shape: ``fit``, ``predict``, ``score``) trained on
labelled customer messages. It reads the message's **main request**: a
customer often adds an aside («Por cierto, …», «Lo digo porque …») about
another topic, and the label is the first request's (:func:`main_request`
cuts at such connectors; ``focus=False`` reads the whole message). ``C`` is
chosen by cross-validation on the training messages when ``Cs`` is given.
It runs on the shop's CPU in well under a
millisecond per message, costs nothing per request and never sends the text
anywhere. :meth:`IntentModel.middleware` makes it a route: a request that
asks to classify a message (recognised by ``is_intent_request``) is answered
locally with an OpenAI-shaped ``ChatCompletion`` and never reaches the
provider (the ledger records it as a call answered without a provider
attempt, at zero cost); any other request goes on down the pipeline.

:func:`compare` puts it next to a general LLM's measured figures: accuracy,
cost per 1000 requests and latency. Measuring the LLM is ``evaluation``'s job.

>>> model = IntentModel().fit(["quiero devolver el pedido", "no me llega el pedido"] * 5,
...                           ["devolucion", "estado_pedido"] * 5)
>>> model.predict(["¿cómo devuelvo este pedido?"])[0]
'devolucion'
"""

from __future__ import annotations

import re
import time
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Callable, Sequence

_MESSAGE = re.compile(r"Mensaje:\s*«(.*)»", re.DOTALL)
_ASIDE = re.compile(r"\b(?:por cierto|lo digo p\w*que|además|aparte de eso|otra cosa|de paso|"
                    r"aprovecho para)\b", re.IGNORECASE)


def main_request(message: str) -> str:
    """The message up to the first aside connector (the whole message if there is none).

    >>> main_request("No me llega el pedido. Por cierto, la otra vez: la factura sale mal.")
    'No me llega el pedido.'
    """
    head = _ASIDE.split(message, maxsplit=1)[0].strip(" ,;:")
    return head or message


def message_of(question: str) -> str:
    """The customer's message inside a classification prompt (after the last blank line if
    it is not in «quotes»; the whole text if neither).

    >>> message_of("Clasifica... Mensaje: «¿Dónde está mi pedido?»")
    '¿Dónde está mi pedido?'
    """
    m = _MESSAGE.search(question)
    if m:
        return m.group(1).strip()
    head, sep, tail = question.strip().rpartition("\n\n")
    return (tail.split(":\n", 1)[-1] if sep else question).strip()


def is_intent_request(text: str) -> bool:
    """Does ``text`` ask to classify a message's intent?

    >>> is_intent_request("Clasifica la intención del mensaje. Etiquetas posibles: pago, cupon.")
    True
    """
    low = text.lower()
    return ("intención" in low or "etiqueta" in low) and any(
        k in low for k in ("clasifica", "etiquetas posibles", "única etiqueta", "una etiqueta",
                           "intención del ticket"))


@dataclass
class IntentModel:
    """TF-IDF (words and character n-grams) + logistic regression over intent labels."""

    C: float = 10.0
    Cs: Sequence[float] | None = None      # e.g. (1, 3, 10, 30): C by 5-fold cross-validation
    focus: bool = True                     # read the main request only (see main_request)
    name: str = "intent_model"
    pipeline_: object = field(default=None, init=False, repr=False)

    def _text(self, question: str) -> str:
        message = message_of(question)
        return main_request(message) if self.focus else message

    def fit(self, texts: Sequence[str], labels: Sequence[str]) -> "IntentModel":
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline, make_union

        def build(C):
            features = make_union(TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
                                  TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True))
            return make_pipeline(features, LogisticRegression(C=C, max_iter=3000))

        docs, labels = [self._text(t) for t in texts], list(labels)
        self.C_ = self.C
        if self.Cs:
            from sklearn.model_selection import StratifiedKFold, cross_val_score

            folds = max(2, min(5, min(labels.count(c) for c in set(labels))))
            split = StratifiedKFold(folds, shuffle=True, random_state=0)
            scores = [cross_val_score(build(C), docs, labels, cv=split).mean() for C in self.Cs]
            self.C_ = float(self.Cs[max(range(len(scores)), key=lambda i: (scores[i], -i))])
        self.pipeline_ = build(self.C_).fit(docs, labels)
        self.classes_ = [str(c) for c in self.pipeline_.classes_]
        return self

    def _check(self):
        if self.pipeline_ is None:
            raise RuntimeError("El modelo de intención no está entrenado: llama antes a fit(textos, etiquetas).")

    def predict(self, texts: Sequence[str]) -> list[str]:
        self._check()
        return [str(p) for p in self.pipeline_.predict([self._text(t) for t in texts])]

    def score(self, texts: Sequence[str], labels: Sequence[str]) -> float:
        predicted = self.predict(texts)
        return sum(p == y for p, y in zip(predicted, labels)) / len(labels) if labels else 0.0

    def latency_ms(self, texts: Sequence[str], *, repeat: int = 3) -> float:
        """Median wall-clock milliseconds to classify one message (one at a time)."""
        self._check()
        timings = []
        for _ in range(repeat):
            for text in texts:
                t0 = time.perf_counter()
                self.pipeline_.predict([self._text(text)])
                timings.append((time.perf_counter() - t0) * 1000)
        timings.sort()
        return timings[len(timings) // 2] if timings else 0.0

    def middleware(self, *, applies: Callable[[str], bool] = is_intent_request):
        """A router-slot middleware answering intent requests locally."""

        def classify(call, call_next):
            messages = call.params.get("messages") or []
            last = next((str(m.get("content") or "") for m in reversed(messages)
                         if m.get("role") == "user"), "")
            if call.endpoint != "chat.completions" or not applies(last):
                return call_next(call)
            label = self.predict([last])[0]
            call.notes["answered_by"] = self.name
            return _completion(label, model=self.name)

        classify.name = self.name
        return classify


def _completion(text: str, *, model: str):
    from openai.types.chat import ChatCompletion

    return ChatCompletion.model_validate({
        "id": f"local-{uuid.uuid4().hex[:16]}", "object": "chat.completion",
        "created": int(time.time()), "model": model,
        "choices": [{"index": 0, "finish_reason": "stop", "logprobs": None,
                     "message": {"role": "assistant", "content": text}}],
        "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0}})


@dataclass(frozen=True)
class Comparison:
    """A specialized model and a general LLM side by side."""

    name: str
    accuracy: float
    cost_per_1000: Decimal
    latency_ms: float


def compare(*, local: Comparison, general: Comparison) -> list[dict]:
    """Rows for a table (Spanish headers), the local model first."""
    return [{"modelo": c.name, "precision": round(c.accuracy, 3),
             "coste_1000_usd": Decimal(c.cost_per_1000).quantize(Decimal("0.000001")),
             "latencia_ms": round(c.latency_ms, 2)} for c in (local, general)]
