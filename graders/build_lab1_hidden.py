"""Build ``graders/hidden/lab1_cases.json``: hidden cases for lab 1's exercises 1–3.

Deterministic (fixed seed). Expected costs are computed here with the pricing
formula written out by hand (not with ``course_lib.pricing``), expected token
counts with ``course_lib.tokens.count_chat_tokens`` (itself tested against the
OpenAI Cookbook figures). Run ``python -m graders.build_lab1_hidden`` after a
price snapshot change. The optimizer's hidden tasks are not built here.
"""

from __future__ import annotations

import json
import random
from decimal import Decimal

from course_lib.pricing import PriceBook
from course_lib.tokens import count_chat_tokens
from graders import HIDDEN_DIR

SEED = 20250905
MODELS = ["gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-4.1-mini", "gpt-4.1-nano", "gpt-5",
          "gpt-5-mini", "gpt-5-nano", "o3", "o4-mini", "claude-3-5-haiku", "gemini-2.5-flash"]
REASONING = {"gpt-5", "gpt-5-mini", "gpt-5-nano", "o3", "o4-mini"}
PHRASES = [
    "Hola, ¿cuánto tarda un pedido en llegar a Canarias?",
    "Quiero devolver unas zapatillas que compré hace 20 días.",
    "¿Aceptáis pagos con Bizum o solo tarjeta?",
    "Mi paquete aparece como entregado pero no lo tengo.",
    "¿La garantía cubre la batería del portátil?",
    "Necesito cambiar la dirección de envío del pedido 48213.",
    "Eres un asistente de atención al cliente. Responde con amabilidad y brevedad.",
    "El envío estándar a la península cuesta 4,95 € y es gratis desde 50 €.",
    "¿Cómo doy de baja mi cuenta y mis datos personales?",
    "Gracias, ya está resuelto. ¡Buen día!",
]
NAMES = ["ejemplo_cliente", "ejemplo_agente", "ana", "soporte_nivel2"]


def _hand_cost(usage: dict, price, batch: bool) -> Decimal:
    prompt, completion = usage["prompt_tokens"], usage["completion_tokens"]
    cached = usage.get("prompt_tokens_details", {}).get("cached_tokens", 0)
    total = ((prompt - cached) * price.input + cached * price.cached_input
             + completion * price.output) / Decimal(1_000_000)
    return total * price.batch_discount if batch else total


def _usage(rng: random.Random, model: str) -> dict:
    prompt = rng.choice([rng.randint(20, 900), rng.randint(1024, 30_000)])
    cached = rng.choice([0, 0, (prompt // 128) * 128]) if prompt >= 1024 else 0
    completion = rng.randint(1, 2_000)
    usage = {"prompt_tokens": prompt, "completion_tokens": completion,
             "total_tokens": prompt + completion,
             "prompt_tokens_details": {"cached_tokens": cached}}
    if model in REASONING:
        usage["completion_tokens_details"] = {"reasoning_tokens": rng.randint(0, completion)}
    return usage


def _messages(rng: random.Random) -> list[dict]:
    messages = []
    for _ in range(rng.randint(1, 6)):
        message = {"role": rng.choice(["system", "user", "assistant", "user"]),
                   "content": " ".join(rng.sample(PHRASES, rng.randint(1, 3)))}
        if rng.random() < 0.3:
            message["name"] = rng.choice(NAMES)
        messages.append(message)
    return messages


def build() -> dict:
    rng = random.Random(SEED)
    book = PriceBook.default()
    cost_cases = []
    for i in range(40):
        model = MODELS[i % len(MODELS)]
        usage, batch = _usage(rng, model), rng.random() < 0.25
        cost_cases.append({"model": model, "usage": usage, "batch": batch,
                           "expected": str(_hand_cost(usage, book.get(model), batch))})
    chat_cases = []
    for i in range(30):
        model = ["gpt-4o", "gpt-4o-mini", "gpt-4", "gpt-3.5-turbo", "gpt-5"][i % 5]
        messages = _messages(rng)
        chat_cases.append({"model": model, "messages": messages,
                           "expected": count_chat_tokens(messages, model)})
    estimate_cases = []
    for i in range(20):
        model = MODELS[i % len(MODELS)]
        messages, out = _messages(rng), rng.choice([50, 200, 1000, 4000])
        tokens = count_chat_tokens(messages, model)
        usage = {"prompt_tokens": tokens, "completion_tokens": out}
        estimate_cases.append({"model": model, "messages": messages, "output_tokens": out,
                               "expected": str(_hand_cost(usage, book.get(model), False))})
    return {"seed": SEED, "prices": book.source if hasattr(book, "source") else "",
            "cost": cost_cases, "chat": chat_cases, "estimate": estimate_cases}


if __name__ == "__main__":
    HIDDEN_DIR.mkdir(exist_ok=True)
    out = HIDDEN_DIR / "lab1_cases.json"
    out.write_text(json.dumps(build(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"escrito {out}")
