"""Build ``graders/hidden/lab1_cases.json``: hidden cases for lab 1's exercises 1–3 and 6.

Deterministic (fixed seed). Expected costs are computed here with the pricing
formula written out by hand in ``Decimal`` (not with ``course_lib.pricing``),
expected token counts with ``course_lib.tokens.count_chat_tokens`` (itself
tested against the OpenAI Cookbook figures). The cases cover what wrong work
slipped through before: usage records whose detail fields are ``None`` or
absent in every combination, amounts where float arithmetic is not exact,
every model family of the encoding map (``gpt-4`` vs ``gpt-4o`` vs ``gpt-4.1``
prefixes), texts with leading or trailing whitespace, Claude and Gemini
(counted with ``o200k_base``), and ROI inputs with no saving. Run
``python -m graders.build_lab1_hidden`` after a price snapshot change. The
optimizer's and the prompt's hidden tasks are the world's hidden test split.
Without ``--solo-casos`` it also measures the optimizer's baselines: the dev
tasks' to ``graders/lab1_publico.json`` (the learner's kernel reads it for the
visible check), the hidden tasks' to ``graders/hidden/lab1_baseline.json``.
"""

from __future__ import annotations

import itertools
import json
import random
from decimal import Decimal

from course_lib.pricing import PriceBook
from course_lib.tokens import count_chat_tokens
from graders import HIDDEN_DIR

SEED = 20250905
# gpt-4-turbo is the priced model on cl100k_base: an estimate that counts every model's tokens
# with o200k_base (ignoring the model it is given) is wrong there.
MODELS = ["gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-4.1-mini", "gpt-4.1-nano", "gpt-5",
          "gpt-5-mini", "gpt-5-nano", "o3", "o4-mini", "claude-3-5-haiku", "claude-sonnet-4",
          "gemini-2.0-flash", "gemini-2.5-flash", "gpt-4-turbo"]
# Every family of the encoding map, with the prefixes that trap a hand-written mapping.
CHAT_MODELS = ["gpt-4o", "gpt-4o-mini", "chatgpt-4o-latest", "gpt-4.1", "gpt-4.1-nano", "gpt-5",
               "gpt-5-mini", "o1", "o3", "o3-mini", "o4-mini", "gpt-4", "gpt-4-turbo", "gpt-3.5-turbo"]
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
PADDING = ["", "", "", " ", "\n", "  \n", "\n\n", "\t"]
NAMES = ["ejemplo_cliente", "ejemplo_agente", "ana", "soporte_nivel2"]
# (prompt_tokens_details, completion_tokens_details) shapes: absent, None, empty, a None value.
DETAIL_SHAPES = list(itertools.product(["absent", "none", "empty", "null_value", "value"],
                                       ["absent", "none", "empty", "null_value", "value"]))


def _hand_cost(usage: dict, price, batch: bool) -> Decimal:
    prompt, completion = usage["prompt_tokens"], usage["completion_tokens"]
    cached = (usage.get("prompt_tokens_details") or {}).get("cached_tokens") or 0
    total = ((prompt - cached) * price.input + cached * price.cached_input
             + completion * price.output) / Decimal(1_000_000)
    return total * price.batch_discount if batch else total


def _float_cost(usage: dict, price, batch: bool) -> Decimal:
    """What a float computation converted at the end gives (to keep cases that tell them apart)."""
    prompt, completion = usage["prompt_tokens"], usage["completion_tokens"]
    cached = (usage.get("prompt_tokens_details") or {}).get("cached_tokens") or 0
    total = ((prompt - cached) * float(price.input) + cached * float(price.cached_input)
             + completion * float(price.output)) / 1e6
    return Decimal(repr(total * (0.5 if batch else 1.0)))


def _detail(shape: str, key: str, value: int):
    return {"none": None, "empty": {}, "null_value": {key: None}, "value": {key: value}}[shape]


def _usage(rng: random.Random, model: str, shapes: tuple[str, str]) -> dict:
    prompt = rng.choice([rng.randint(20, 900), rng.randint(1024, 30_000)])
    cached = rng.choice([0, (prompt // 128) * 128]) if prompt >= 1024 else 0
    completion = rng.randint(1, 2_000)
    usage = {"prompt_tokens": prompt, "completion_tokens": completion}
    if rng.random() < 0.7:
        usage["total_tokens"] = prompt + completion
    prompt_shape, completion_shape = shapes
    if prompt_shape != "absent":
        usage["prompt_tokens_details"] = _detail(prompt_shape, "cached_tokens", cached)
    if completion_shape != "absent":
        reasoning = rng.randint(0, completion) if model in REASONING else 0
        usage["completion_tokens_details"] = _detail(completion_shape, "reasoning_tokens", reasoning)
    return usage


def _messages(rng: random.Random) -> list[dict]:
    messages = []
    for _ in range(rng.randint(1, 6)):
        text = " ".join(rng.sample(PHRASES, rng.randint(1, 3)))
        message = {"role": rng.choice(["system", "user", "assistant", "user"]),
                   "content": rng.choice(PADDING) + text + rng.choice(PADDING)}
        if rng.random() < 0.3:
            message["name"] = rng.choice(NAMES)
        messages.append(message)
    if not any(m["content"] != m["content"].strip() for m in messages):
        messages[-1]["content"] += "\n"
    return messages


def _cost_cases(rng: random.Random, book: PriceBook) -> list[dict]:
    cases, shapes = [], list(DETAIL_SHAPES)
    rng.shuffle(shapes)
    for i in range(60):
        model = MODELS[i % len(MODELS)]
        batch = rng.random() < 0.25
        for _ in range(50):  # keep float-inexact amounts in 3 cases out of 4
            usage = _usage(rng, model, shapes[i % len(shapes)])
            exact = _hand_cost(usage, book.get(model), batch)
            if i % 4 == 3 or _float_cost(usage, book.get(model), batch) != exact:
                break
        cases.append({"model": model, "usage": usage, "batch": batch, "expected": str(exact)})
    return cases


def _roi_cases(rng: random.Random) -> list[dict]:
    cases = []
    for i in range(12):
        base = Decimal(rng.randint(200, 40_000)) / Decimal(10**7)
        saving = [Decimal(0), -base / 10][i] if i < 2 else base * Decimal(rng.randint(5, 80)) / 100
        cases.append({"coste_base": str(base), "coste_opt": str(base - saving),
                      "peticiones_mes": rng.choice([1_200, 45_000, 690_000, 2_500_000]) + rng.randint(0, 999),
                      "inversion": str(Decimal(rng.randint(4, 60) * rng.choice([35, 49, 62])))})
    return cases


def build() -> dict:
    rng = random.Random(SEED)
    book = PriceBook.default()
    chat_cases = []
    for i in range(42):
        model = CHAT_MODELS[i % len(CHAT_MODELS)]
        messages = _messages(rng)
        chat_cases.append({"model": model, "messages": messages, "expected": count_chat_tokens(messages, model)})
    estimate_cases = []
    for i in range(30):
        model = MODELS[i % len(MODELS)]
        messages, out = _messages(rng), rng.choice([50, 200, 1000, 4000])
        usage = {"prompt_tokens": count_chat_tokens(messages, model), "completion_tokens": out}
        estimate_cases.append({"model": model, "messages": messages, "output_tokens": out,
                               "expected": str(_hand_cost(usage, book.get(model), False))})
    return {"seed": SEED, "prices": book.source if hasattr(book, "source") else "",
            "cost": _cost_cases(rng, book), "chat": chat_cases, "estimate": estimate_cases,
            "roi": _roi_cases(rng)}


if __name__ == "__main__":  # python -m graders.build_lab1_hidden [--solo-casos]
    import sys

    HIDDEN_DIR.mkdir(exist_ok=True)
    out = HIDDEN_DIR / "lab1_cases.json"
    out.write_text(json.dumps(build(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"escrito {out}")
    if "--solo-casos" in sys.argv[1:]:
        sys.exit(0)
    from graders import lab1_optimizer

    public, hidden = lab1_optimizer.PUBLIC_BASELINE, HIDDEN_DIR / lab1_optimizer.BASELINE_FILE
    public.unlink(missing_ok=True)  # measure afresh, never from the stored copies
    hidden.unlink(missing_ok=True)
    visible_set, hidden_set = lab1_optimizer.build_baselines()
    for path, entry in ((public, visible_set), (hidden, hidden_set)):
        path.write_text(json.dumps([entry], ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"escrito {path}")
