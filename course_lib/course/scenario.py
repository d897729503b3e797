"""The Mercadela assistant "as it is today": the course's scenario content, not library code.

* ``VERBOSE_SYSTEM_PROMPT`` / ``CONCISE_SYSTEM_PROMPT`` — the assistant's system
  prompt before and after optimization, read from
  ``templates/cost-optimization/system_prompts.json`` (entry ``soporte_general``),
  the one copy of both texts;
* ``FEW_SHOT`` — the few-shot examples sent with every question;
* ``baseline_request`` — the unoptimized request lab 1 measures savings against.

The generic tools that optimize such a request live in ``course_lib.compress``
and ``course_lib.context``.
"""

from __future__ import annotations

import functools
import json

from course_lib.paths import REPO_ROOT

TEMPLATE = REPO_ROOT / "templates" / "cost-optimization" / "system_prompts.json"
_PROMPT_NAME = "soporte_general"


@functools.lru_cache(maxsize=1)
def _prompts() -> dict:
    data = json.loads(TEMPLATE.read_text(encoding="utf-8"))
    return next(p for p in data["prompts"] if p["name"] == _PROMPT_NAME)


def __getattr__(name: str) -> str:
    # Read on first use, so importing the module does no file I/O.
    if name == "VERBOSE_SYSTEM_PROMPT":
        return _prompts()["verbose"]
    if name == "CONCISE_SYSTEM_PROMPT":
        return _prompts()["concise"]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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


def baseline_request(question: str, documents: list[dict], *, model: str = "gpt-4o-mini",
                     task_id: str | None = None) -> dict:
    """The unoptimized request for ``question`` with ``documents`` (dicts with title and text).

    >>> req = baseline_request("¿Hacéis envíos a Canarias?", [{"title": "Envíos", "text": "Sí."}])
    >>> [m["role"] for m in req["messages"]], req["model"]
    (['system', 'system', 'user', 'assistant', 'user', 'assistant', 'user', 'assistant', 'user'], 'gpt-4o-mini')
    """
    context = "\n\n".join(f"### {d['title']}\n{d['text']}" for d in documents)
    messages = [{"role": "system", "content": _prompts()['verbose']},
                {"role": "system", "content": f"{CONTEXT_HEADER}\n\n{context}"}]
    for example in FEW_SHOT:
        messages += [{"role": "user", "content": example["question"]},
                     {"role": "assistant", "content": example["answer"]}]
    messages.append({"role": "user", "content": question})
    request = {"model": model, "messages": messages}
    if task_id:
        request["metadata"] = {"task_id": task_id}
    return request
