"""Context-window optimization: pick the knowledge-base passages a question needs.

* ``split_passages`` — cut a document into paragraph-sized passages;
* ``score_passage`` — lexical relevance of a passage to a question (shared
  word stems, rarer words weigh more, numbers count double);
* ``select_context`` — the best passages that fit a token budget, in their
  original order;
* ``baseline_request`` — the scenario's request "as it is today": a verbose
  system prompt, whole documents of the topic, few-shot examples and the
  question; lab 1 measures what optimizing it saves.

It is lexical on purpose (readable, no model, no network); semantic retrieval
with embeddings is a lab 2 topic. Text cleanup lives in ``course_lib.compress``.
"""

from __future__ import annotations

import math
import re

from course_lib.compress import STOPWORDS, fold
from course_lib.tokens import count_tokens

_WORD = re.compile(r"\w+", re.UNICODE)

VERBOSE_SYSTEM_PROMPT = (
    "Eres un asistente virtual de atención al cliente extremadamente amable, educado, paciente y "
    "profesional, que trabaja para nuestra tienda online. Tu misión principal es ayudar a los "
    "clientes con todas sus dudas, preguntas, consultas y problemas relacionados con sus pedidos, "
    "envíos, devoluciones, pagos, garantías, cuentas y cualquier otro tema. Debes responder siempre "
    "en español, de manera clara, completa, detallada y cordial, saludando al cliente y "
    "despidiéndote de forma educada. Es muy importante que utilices la documentación de referencia "
    "que se incluye a continuación para responder, y que no inventes información que no aparezca "
    "en ella. Si la documentación no contiene la respuesta, indícalo amablemente. Recuerda que la "
    "satisfacción del cliente es lo más importante para nosotros, así que responde con detalle, "
    "explicando todo paso a paso, y ofrece siempre ayuda adicional al final de tu respuesta. "
    "Recuerda también que debes usar siempre la documentación de referencia y no inventar nada."
)
"""The system prompt of the unoptimized assistant (deliberately long and redundant)."""

CONTEXT_HEADER = "Documentación de referencia:"
FEW_SHOT = [
    {"question": "¿Puedo cambiar la dirección de entrega de un pedido ya enviado?",
     "answer": "¡Hola! Muchas gracias por contactar con nosotros. Una vez enviado el pedido no es "
               "posible cambiar la dirección desde la web, pero puedes contactar con la empresa de "
               "transporte con tu número de seguimiento. ¿Puedo ayudarte en algo más?"},
    {"question": "¿Dónde veo el estado de mi pedido?",
     "answer": "¡Hola! Gracias por escribirnos. Puedes ver el estado de tu pedido en tu área de "
               "cliente, en el apartado «Mis pedidos», donde encontrarás también el seguimiento. "
               "¡Que tengas un buen día!"},
    {"question": "¿Emitís factura con mis datos fiscales?",
     "answer": "¡Hola! Claro que sí. Puedes indicar tus datos fiscales al finalizar la compra y "
               "descargar la factura desde «Mis pedidos». Quedo a tu disposición para lo que necesites."},
]
"""Few-shot examples the unoptimized assistant sends with every question."""


def stems(text: str) -> list[str]:
    """Content-word stems (first 5 letters, accents folded, stopwords dropped).

    >>> stems("¿Cuánto tarda el envío a Canarias?")
    ['tarda', 'envio', 'canar']
    """
    return [w[:5] for w in _WORD.findall(fold(text)) if w not in STOPWORDS and (len(w) > 2 or w.isdigit())]


def split_passages(text: str, *, max_words: int = 120) -> list[str]:
    """Split a document into passages: paragraphs, long ones cut at sentence ends.

    >>> split_passages("Título\\n\\nPrimera parte. Sigue.\\n\\nSegunda parte.", max_words=3)
    ['Título', 'Primera parte. Sigue.', 'Segunda parte.']
    """
    passages = []
    for paragraph in re.split(r"\n\s*\n", text):
        paragraph = paragraph.strip()
        if not paragraph:
            continue
        current: list[str] = []
        for sentence in re.split(r"(?<=[.!?])\s+", paragraph):
            if current and len(" ".join(current + [sentence]).split()) > max_words:
                passages.append(" ".join(current))
                current = []
            current.append(sentence)
        if current:
            passages.append(" ".join(current))
    return passages


def score_passage(question: str, passage: str, *, idf: dict[str, float] | None = None) -> float:
    """How relevant ``passage`` looks for ``question`` (0 = no shared content words).

    >>> q = "¿Cuánto cuesta el envío a Canarias?"
    >>> score_passage(q, "El envío a Canarias cuesta 9,95 €.") > score_passage(q, "Pagos con tarjeta.")
    True
    """
    q_stems = set(stems(question))
    if not q_stems:
        return 0.0
    p_stems = stems(passage)
    shared = q_stems & set(p_stems)
    weight = sum((idf or {}).get(s, 1.0) * (2.0 if s.isdigit() else 1.0) for s in shared)
    return weight / math.sqrt(1 + len(p_stems) / 50)


def select_context(question: str, passages: list[str], *, budget_tokens: int,
                   model: str = "gpt-4o-mini", min_score: float = 0.0) -> list[str]:
    """The most relevant passages whose tokens fit ``budget_tokens``, in original order.

    Word weights (idf) are computed over ``passages``, so words common to every
    passage (the shop's name, "pedido") count little.

    >>> docs = ["Devoluciones: tienes 30 días.", "Envío a Canarias: 5 días laborables.", "Pago con Bizum."]
    >>> select_context("¿Cuántos días tarda el envío a Canarias?", docs, budget_tokens=15)
    ['Envío a Canarias: 5 días laborables.']
    """
    n = len(passages)
    doc_freq: dict[str, int] = {}
    for passage in passages:
        for s in set(stems(passage)):
            doc_freq[s] = doc_freq.get(s, 0) + 1
    idf = {s: math.log(1 + n / df) for s, df in doc_freq.items()}
    ranked = sorted(range(n), key=lambda i: -score_passage(question, passages[i], idf=idf))
    chosen, used = [], 0
    for i in ranked:
        if score_passage(question, passages[i], idf=idf) <= min_score:
            break
        cost = count_tokens(passages[i], model) + 1
        if used + cost <= budget_tokens:
            chosen.append(i)
            used += cost
    return [passages[i] for i in sorted(chosen)]


def baseline_request(question: str, documents: list[dict], *, model: str = "gpt-4o-mini",
                     task_id: str | None = None) -> dict:
    """The unoptimized request for ``question`` with ``documents`` (dicts with title and text).

    >>> req = baseline_request("¿Hacéis envíos a Canarias?", [{"title": "Envíos", "text": "Sí."}])
    >>> [m["role"] for m in req["messages"]], req["model"]
    (['system', 'system', 'user', 'assistant', 'user', 'assistant', 'user', 'assistant', 'user'], 'gpt-4o-mini')
    """
    context = "\n\n".join(f"### {d['title']}\n{d['text']}" for d in documents)
    messages = [{"role": "system", "content": VERBOSE_SYSTEM_PROMPT},
                {"role": "system", "content": f"{CONTEXT_HEADER}\n\n{context}"}]
    for example in FEW_SHOT:
        messages += [{"role": "user", "content": example["question"]},
                     {"role": "assistant", "content": example["answer"]}]
    messages.append({"role": "user", "content": question})
    request = {"model": model, "messages": messages}
    if task_id:
        request["metadata"] = {"task_id": task_id}
    return request
