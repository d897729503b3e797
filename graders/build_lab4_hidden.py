"""Write ``graders/hidden/lab4_cases.json``: lab 4's hidden budgets and cost spikes.

``python -m graders.build_lab4_hidden`` (deterministic; the file is committed).
The budgets are replayed over the hidden traffic slice (9–29 March 2026)
priced at Mercadela's scale (``graders.lab4_data``); their limits sit near a
typical day, week or month of their scope, so thresholds fire on some
periods and not on others. The spikes are added to the hidden hourly cost per
feature (USD per hour, local Madrid time) on top of the push-notification
surge already in the traffic: runaway prompts, a retry loop on a Saturday, a
night-time scraping bot, a model switched by mistake.
"""

from __future__ import annotations

import json

from graders import HIDDEN_DIR

BUDGETS = [
    {"name": "ecommerce-dia", "scope": "team", "value": "ecommerce", "period": "day", "tz": "Europe/Madrid",
     "limit": "70"},
    {"name": "postventa-semana", "scope": "team", "value": "postventa", "period": "week", "tz": "Europe/Madrid",
     "limit": "230"},
    {"name": "campanas-dia", "scope": "feature", "value": "campanas_email", "period": "day",
     "tz": "Atlantic/Canary", "limit": "8"},
    {"name": "org-mes", "scope": "organization", "value": "", "period": "month", "tz": "Europe/Madrid",
     "limit": "3000"},
    {"name": "cliente-00001-semana", "scope": "user", "value": "cli-00001", "period": "week", "tz": "UTC",
     "limit": "12"},
]

SPIKES = [  # feature, local start (Europe/Madrid), hours, extra USD per hour, what happened
    ("facturacion", "2026-03-10 10:00", 3, 12.0, "plantilla de prompt con el catálogo entero"),
    ("campanas_email", "2026-03-12 14:00", 2, 30.0, "envío masivo repetido"),
    ("copiloto_agentes", "2026-03-14 11:00", 2, 15.0, "bucle de reintentos en sábado"),
    ("chat_web", "2026-03-17 03:00", 2, 20.0, "bot que rastrea el chat de madrugada"),
    ("devoluciones", "2026-03-19 16:00", 3, 10.0, "contexto duplicado tras un despliegue"),
    ("garantias", "2026-03-24 21:00", 2, 8.0, "reintentos de un cliente"),
    ("seguimiento_envios", "2026-03-26 09:00", 4, 6.0, "cambiado a un modelo caro por error"),
    ("clasificador_tickets", "2026-03-27 08:00", 3, 5.0, "correo en bucle con el buzón de soporte"),
]
KNOWN = [  # anomalies already in the traffic
    ("campanas_email", "2026-02-14 10:00", 3, "bucle de reintentos (público)"),
    ("asistente_app", "2026-03-21 19:00", 3, "notificación push (oculto)"),
]


def build() -> dict:
    return {"budgets": BUDGETS,
            "spikes": [{"feature": f, "start": s, "hours": h, "extra_per_hour": x, "what": w}
                       for f, s, h, x, w in SPIKES],
            "known": [{"feature": f, "start": s, "hours": h, "what": w} for f, s, h, w in KNOWN],
            "forecast": {"train_end": "2026-03-09", "horizon": 21},
            "ledger_sample": {"rows": 2500, "cascade_share": 0.15, "seed": "lab4-metricas"}}


def main() -> None:
    path = HIDDEN_DIR / "lab4_cases.json"
    path.write_text(json.dumps(build(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"escrito {path}")


if __name__ == "__main__":
    main()
