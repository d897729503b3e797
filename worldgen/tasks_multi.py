"""Multi-step questions: two or three policies combined to reach one value.

Return deadlines from a delivery date and membership, the longest wait until a
refund shows up, whether Mercadela Plus pays off, a Canary Islands order with
customs, warranty end dates. Each gold answer is computed here from the
policy numbers; wrong answers are what skipping one step gives.
This module does not realise styles or assign splits.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from .questions import QSpec, draw_specs
from .scenario import MONTHS, PRODUCTS, article, euros


def spanish_date(d: date, *, year: bool = False) -> str:
    """``date(2026, 4, 2)`` → ``'2 de abril'``.

    >>> spanish_date(date(2026, 4, 2)), spanish_date(date(2026, 4, 2), year=True)
    ('2 de abril', '2 de abril de 2026')
    """
    text = f"{d.day} de {MONTHS[d.month - 1]}"
    return f"{text} de {d.year}" if year else text


def _spec(key, cores, answer, accepted, wrong, facts, topic, **extra) -> QSpec:
    wrong = [w for w in dict.fromkeys(wrong) if w != answer and w not in accepted]
    return QSpec(key=key, type="multistep", topic=topic, cores=cores, answer=answer, accepted=accepted,
                 wrong=wrong, fact_ids=facts, extra=extra)


def return_deadline(rng: random.Random, key: str) -> QSpec:
    delivered = date(2026, rng.choice([2, 3, 4, 5, 6, 9, 10]), rng.randint(1, 28))
    plus = rng.random() < 0.45
    days = 90 if plus else 30
    gold = delivered + timedelta(days=days)
    wrong = [delivered + timedelta(days=d) for d in (14, 120 - days, days - 1, days + 1)]
    name = rng.choice(PRODUCTS)[0]
    who = "Soy socio de Mercadela Plus" if plus else "No tengo Mercadela Plus"
    cores = [f"Me entregaron {article(name)} el {spanish_date(delivered)}. {who}. "
             f"¿Cuál es el último día para devolverlo?",
             f"{who}. Recibí el pedido ({name}) el {spanish_date(delivered)}; ¿hasta qué fecha puedo hacer "
             f"la devolución?",
             f"¿Hasta qué día puedo devolver mi {name} si me llegó el {spanish_date(delivered)}? {who}."]
    return _spec(key, cores, spanish_date(gold), [], [spanish_date(w) for w in wrong],
                 ["F-DEV-002" if plus else "F-DEV-001"], "devoluciones", n_steps=2)


REFUND_METHODS = {"tarjeta": ("F-DEV-011", 7), "Bizum": ("F-DEV-013", 2), "contra reembolso": ("F-DEV-014", 5)}


def refund_wait(rng: random.Random, key: str) -> QSpec:
    method = rng.choice(sorted(REFUND_METHODS))
    fact, extra_days = REFUND_METHODS[method]
    gold = 3 + extra_days
    wrong = [extra_days, 3, gold + 3, 3 + {7: 2, 2: 7, 5: 7}[extra_days]]
    name = rng.choice(PRODUCTS)[0]
    cores = [f"Devolví mi {name}, que pagué con {method}, y ya os ha llegado al almacén. Como máximo, ¿cuántos días "
             f"laborables pueden pasar hasta que vea el dinero?",
             f"Pagué con {method}. Si la devolución llegó hoy a vuestro almacén, ¿cuál es el plazo máximo en días "
             f"laborables hasta tener el reembolso en mi cuenta?"]
    fmt = lambda n: f"{n} días laborables"  # noqa: E731
    return _spec(key, cores, fmt(gold), [f"{gold} días hábiles"], [fmt(w) for w in wrong],
                 ["F-DEV-010", fact], "devoluciones", n_steps=2)


def plus_savings(rng: random.Random, key: str) -> QSpec:
    orders = rng.randint(11, 24)
    pickups = rng.randint(0, 5)
    gold = orders * 395 + pickups * 495 - 3990
    wrong = [orders * 395 + pickups * 495, orders * 395 - 3990, orders * 395 + pickups * 495 - 499 * 12,
             orders * 595 + pickups * 495 - 3990]
    cores = [f"Hago unos {orders} pedidos al año de menos de 49 € a Madrid y devuelvo {pickups} con recogida a "
             f"domicilio. Con la cuota anual de Mercadela Plus, ¿cuánto me ahorraría al año?",
             f"Calculo {orders} pedidos pequeños (menos de 49 €) al año a la Península y {pickups} devoluciones "
             f"con recogida en casa. ¿Cuánto ahorro neto tendría pagando Plus anual?"]
    return QSpec(key=key, type="multistep", topic="cuenta", cores=cores, answer=euros(gold), accepted=[],
                 wrong=[euros(w) for w in dict.fromkeys(wrong) if w != gold],
                 fact_ids=["F-ENV-001", "F-DEV-007", "F-CUE-009", "F-CUE-011"], extra={"n_steps": 3})


def canarias_order(rng: random.Random, key: str) -> QSpec:
    name, _, price = rng.choice([p for p in PRODUCTS if 3000 <= p[2] <= 70000])
    plus = rng.random() < 0.5
    ship = 498 if plus else 995
    dua = 600 if price > 15000 else 0
    gold = price + ship + dua
    wrong = [price + 995 + dua if plus else price + 498 + dua, price + ship, price + ship + 600 - dua + dua,
             price + dua, price + 395 + dua]
    who = "Soy socio Plus" if plus else "No soy socio Plus"
    cores = [f"Vivo en Las Palmas y quiero comprar {article(name, definite=False)} ({euros(price)}). {who}. "
             f"Sin contar el IGIC, ¿cuánto pagaré "
             f"a Mercadela en total con el envío y los trámites?",
             f"{who}. Pedido a Canarias: {name} por {euros(price)}, envío estándar. ¿Cuál es el total que os pago, "
             f"incluidos los gastos de gestión si los hay (sin IGIC)?"]
    facts = ["F-ENV-008", "F-ENV-011"] + (["F-CUE-012"] if plus else [])
    return QSpec(key=key, type="multistep", topic="envios", cores=cores, answer=euros(gold), accepted=[],
                 wrong=[euros(w) for w in dict.fromkeys(wrong) if w != gold], fact_ids=facts,
                 extra={"n_steps": 3 if plus else 2})


def warranty_end(rng: random.Random, key: str) -> QSpec:
    kind = rng.choice(["nuevo", "reacondicionado", "nuevo con Protect"])
    bought = date(rng.choice([2023, 2024, 2025]), rng.randint(1, 12), 1)
    months = {"nuevo": 36, "reacondicionado": 18, "nuevo con Protect": 60}[kind]
    end = lambda m: date(bought.year + (bought.month - 1 + m) // 12, (bought.month - 1 + m) % 12 + 1, 1)  # noqa
    fmt = lambda d: f"{MONTHS[d.month - 1]} de {d.year}"  # noqa: E731
    gold = fmt(end(months))
    wrong = [fmt(end(m)) for m in (24, 36, 18, 60, 12) if m != months]
    name = rng.choice(["móvil", "portátil", "televisor", "robot aspirador"])
    what = {"nuevo": f"un {name} nuevo", "reacondicionado": f"un {name} reacondicionado",
            "nuevo con Protect": f"un {name} nuevo con Mercadela Protect Ampliada"}[kind]
    when = f"{MONTHS[bought.month - 1]} de {bought.year}"
    cores = [f"Compré {what} en {when}. ¿Hasta qué mes está cubierto por la garantía?",
             f"Tengo {what} que me llegó en {when}. ¿Hasta cuándo (mes y año) me dura la garantía?"]
    facts = {"nuevo": ["F-GAR-001"], "reacondicionado": ["F-GAR-002"],
             "nuevo con Protect": ["F-GAR-001", "F-GAR-005"]}[kind]
    return _spec(key, cores, gold, [], wrong, facts, "garantia", n_steps=len(facts) + 1)


GENERATORS = [(return_deadline, 3), (refund_wait, 2), (plus_savings, 1), (canarias_order, 2), (warranty_end, 2)]


def multistep_specs(rng: random.Random, n: int, *, prefix: str = "multi") -> list[QSpec]:
    """``n`` multi-step specs with distinct wordings.

    >>> specs = multistep_specs(random.Random(0), 5)
    >>> all(s.type == "multistep" and s.answer not in s.wrong for s in specs)
    True
    """
    return draw_specs(rng, GENERATORS, n, prefix)
