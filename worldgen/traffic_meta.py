"""How much real traffic the traffic log stands for, and how each feature is deployed.

The traffic files hold a *sample*: one row of every ``REQUESTS_PER_ROW``
requests the Mercadela assistant really answers (about 23 000 a day at the
start of 2026, against ~380 rows a day in the log). Each feature's deployment
(model, tokens of system prompt plus knowledge-base context, typical answer
length) is what the shop runs before any of the course's optimizations, so a
row priced at its feature's deployment and multiplied by the scale gives bills
of thousands of USD a month — the scale lab 4's budgets, thresholds and
anomalies are set on. This module writes ``data/world/traffic_meta.json`` only;
it does not touch the traffic rows.
"""

from __future__ import annotations

import json

REQUESTS_PER_ROW = 60

# feature: (model, context tokens sent with every request, mean output tokens)
DEPLOYMENT = {
    "chat_web": ("gpt-4o", 2600, 190),
    "asistente_app": ("gpt-4o-mini", 1800, 120),
    "copiloto_agentes": ("gpt-4.1", 3400, 260),
    "clasificador_tickets": ("gpt-4o-mini", 650, 40),
    "devoluciones": ("gpt-4o", 2300, 210),
    "garantias": ("gpt-4o", 2300, 200),
    "seguimiento_envios": ("gpt-4o-mini", 2000, 150),
    "facturacion": ("gpt-4.1-mini", 2200, 180),
    "campanas_email": ("gpt-4o", 1500, 380),
}

REASONING = (
    "El registro de tráfico es una muestra sistemática: cada fila representa "
    f"{REQUESTS_PER_ROW} peticiones reales con la misma funcionalidad, hora y texto. "
    "Mercadela atiende unas 23.000 consultas al día a principios de 2026 (unos 380 registros "
    f"× {REQUESTS_PER_ROW}), lo normal para una tienda online mediana con chat, app y centro de "
    "atención. Con el despliegue de cada funcionalidad (modelo, tokens de instrucciones y contexto, "
    "longitud típica de respuesta) la factura pasa de unos 2.800 USD en enero a más de 4.000 USD en marzo, porque el tráfico crece un 1,1 % al día.")


def build_traffic_meta() -> dict:
    """The metadata document (plain JSON types, stable key order)."""
    return {
        "requests_per_row": REQUESTS_PER_ROW,
        "reasoning": REASONING,
        "deployment": {feature: {"model": model, "context_tokens": context, "output_tokens": output}
                       for feature, (model, context, output) in DEPLOYMENT.items()},
    }


def traffic_meta_bytes() -> bytes:
    return (json.dumps(build_traffic_meta(), ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")
