"""Calculation questions: refunds with coupons, order totals, fees, points.

Each generator draws concrete numbers, computes the gold amount from the shop's
policy (the facts it names), and lists the amounts that typical mistakes give
(forgetting the coupon, the fee, the threshold…) as wrong answers. Several
wordings of the same problem become the spec's core phrasings. Amounts are in
euro cents until formatted. This module does not realise styles or splits.
"""

from __future__ import annotations

import random

from .questions import QSpec, draw_specs
from .scenario import PRODUCTS, article, euros

NUM_WORDS = {1: "uno", 2: "dos", 3: "tres", 4: "cuatro"}


def _spec(key, cores, gold, wrong, facts, topic, **extra) -> QSpec:
    wrong = [w for w in dict.fromkeys(wrong) if w != gold and w > 0]
    return QSpec(key=key, type="calculation", topic=topic, cores=cores, answer=euros(gold),
                 accepted=[euros(gold).replace(" €", " euros")], wrong=[euros(w) for w in wrong],
                 fact_ids=facts, extra=extra)


def refund_with_coupon(rng: random.Random, key: str) -> QSpec:
    name, _, price = rng.choice(PRODUCTS[:8] + PRODUCTS[15:22])
    qty = rng.randint(2, 4)
    back = rng.randint(1, qty - 1)
    pct = rng.choice([5, 10, 15, 20])
    pickup = rng.random() < 0.5
    plus = pickup and rng.random() < 0.4
    fee = 495 if pickup and not plus else 0
    paid_each = round(price * (100 - pct) / 100)
    gold = paid_each * back - fee
    wrong = [price * back - fee, paid_each * back, price * back, paid_each * back - 2 * fee,
             round(price * qty * (100 - pct) / 100) - price * (qty - back) - fee]
    how = ("con recogida a domicilio" + (" (soy socio Plus)" if plus else " (no soy socio Plus)")
           if pickup else "en una oficina de Correos")
    n, b = NUM_WORDS[qty], ("una" if back == 1 else NUM_WORDS[back])
    cores = [
        f"Compré {n} unidades de {name} a {euros(price)} cada una con un cupón del {pct} %. Quiero devolver "
        f"{b} {how}. ¿Cuánto me vais a reembolsar?",
        f"Pedí {qty} unidades de {name} ({euros(price)} la unidad) y apliqué un descuento del {pct} %. "
        f"Devuelvo {back} {how}, ¿qué importe me devolvéis?",
        f"Tengo un pedido de {qty} x {name}, precio {euros(price)}, cupón {pct} %. Si devuelvo {back} "
        f"{how}, ¿cuánto dinero recupero?",
    ]
    facts = ["F-PRO-004", "F-DEV-007" if pickup else "F-DEV-006", "F-DEV-015"]
    return _spec(key, cores, gold, wrong, facts, "devoluciones", n_items=qty, has_coupon=True)


ZONES = [("a Madrid", "peninsula"), ("a Zaragoza", "peninsula"), ("a Palma de Mallorca", "baleares"),
         ("a Santa Cruz de Tenerife", "canarias"), ("a Ceuta", "ceuta")]


def shipping_cost(zone: str, amount: int, plus: bool) -> int:
    """Standard shipping in cents for a cart ``amount`` (cents) to a zone.

    >>> shipping_cost("peninsula", 4900, False), shipping_cost("canarias", 9000, True)
    (0, 498)
    """
    if zone == "peninsula":
        return 0 if plus or amount >= 4900 else 395
    if zone == "baleares":
        return 0 if plus or amount >= 7900 else 595
    base = 995 if zone == "canarias" else 1295
    return (base + 1) // 2 if plus else base


def order_total(rng: random.Random, key: str) -> QSpec:
    picks = rng.sample(PRODUCTS[:8] + PRODUCTS[15:22], rng.randint(1, 2))
    place, zone = rng.choice(ZONES)
    plus = rng.random() < 0.3
    amount = sum(p for _, _, p in picks)
    if rng.random() < 0.4:  # make the free-shipping threshold matter
        amount = rng.choice([3990, 4590, 4890, 5290, 7490, 8190])
        picks = [(f"productos por valor de {euros(amount)}", "", amount)]
    ship = shipping_cost(zone, amount, plus)
    gold = amount + ship
    wrong = [amount, amount + 395, amount + shipping_cost(zone, amount, not plus),
             amount + {"peninsula": 595, "baleares": 395, "canarias": 395, "ceuta": 995}[zone]]
    items = " y ".join(f"{article(n, definite=False)} ({euros(p)})" if p != amount or len(picks) > 1 else n
                       for n, _, p in picks)
    who = "Soy socio de Mercadela Plus." if plus else "No soy socio Plus."
    cores = [f"Voy a comprar {items} con envío estándar {place}. {who} ¿Cuánto pagaré en total?",
             f"{who} Si pido {items} y lo envío {place} con envío normal, ¿cuál es el total con el envío?",
             f"¿Cuánto me costaría en total un pedido de {items} {place}, con envío estándar? {who}"]
    zone_fact = {"peninsula": "F-ENV-002" if amount >= 4900 else "F-ENV-001", "baleares": "F-ENV-006",
                 "canarias": "F-ENV-008", "ceuta": "F-ENV-012"}[zone]
    facts = [zone_fact] + (["F-CUE-011" if zone in ("peninsula", "baleares") else "F-CUE-012"] if plus else [])
    return _spec(key, cores, gold, wrong, facts, "envios", n_items=len(picks), has_coupon=False)


def paga_luego(rng: random.Random, key: str) -> QSpec:
    name, _, price = rng.choice([p for p in PRODUCTS if 5000 <= p[2] <= 150000])
    days = rng.choice([30, 90])
    gold = price + (390 if days == 90 else 0)
    wrong = [price + 390 if days == 30 else price, price + 250, round(price * 1.179)]
    cores = [f"Quiero comprar {article(name, definite=False)} ({euros(price)}) y pagarlo con Paga Luego a "
             f"{days} días. ¿Cuánto pagaré en total?",
             f"Si pago {article(name)}, de {euros(price)}, con Paga Luego a {days} días, ¿cuál es el importe final?",
             f"{name} a {euros(price)} con Paga Luego {days} días: ¿cuánto me cobraréis en total?"]
    return _spec(key, cores, gold, wrong, ["F-PAG-007" if days == 30 else "F-PAG-008", "F-PAG-009"], "pagos",
                 n_items=1, has_coupon=False)


def protect_price(rng: random.Random, key: str) -> QSpec:
    name, _, price = rng.choice(PRODUCTS)
    total = rng.random() < 0.35
    pct = 20 if total else 12
    gold = max(round(price * pct / 100), 0 if total else 999)
    wrong = [round(price * (12 if total else 20) / 100), round(price * pct / 100) + 999, round(price * 0.10),
             price + gold]
    mode = "Total" if total else "Ampliada"
    cores = [f"¿Cuánto me costaría Mercadela Protect {mode} para {article(name)}, de {euros(price)}?",
             f"Estoy comprando {article(name, definite=False)} por {euros(price)}. Si le añado Protect {mode}, "
             f"¿cuánto cuesta el seguro?",
             f"Precio de Mercadela Protect {mode} para un producto de {euros(price)} ({name})"]
    return _spec(key, cores, gold, wrong, ["F-GAR-006" if total else "F-GAR-005"], "garantia", n_items=1,
                 has_coupon=False)


def welcome_coupon(rng: random.Random, key: str) -> QSpec:
    amount = rng.choice([3500, 5990, 8990, 12900, 19900, 24990, 34900, 4590, 15990])
    disc = min(round(amount * 0.10), 2000)
    gold = amount - disc
    wrong = [amount - round(amount * 0.10), amount - 2000, amount, amount - 1000]
    cores = [f"Es mi primera compra y tengo el código WELCOME10. Si mi carrito suma {euros(amount)}, ¿cuánto pagaré "
             f"por los productos?",
             f"Carrito de {euros(amount)} con el cupón de bienvenida WELCOME10, ¿cuál es el precio final de "
             f"los productos?",
             f"Voy a usar WELCOME10 en un pedido de {euros(amount)}. ¿Con cuánto se me queda?"]
    return _spec(key, cores, gold, wrong, ["F-PRO-002"], "promociones", n_items=1, has_coupon=True)


def b2b_discount(rng: random.Random, key: str) -> QSpec:
    amount = rng.choice([85000, 120000, 240000, 450000, 520000, 760000, 99000, 1250000])
    pct = 8 if amount >= 500000 else 5 if amount >= 100000 else 0
    gold = amount - round(amount * pct / 100)
    wrong = [amount - round(amount * 0.05), amount - round(amount * 0.08), amount, round(gold * 1.21)]
    cores = [f"Somos una empresa y vamos a hacer un pedido de {euros(amount)} sin IVA. ¿Cuánto pagaremos sin IVA "
             f"después del descuento por volumen?",
             f"Cuenta de empresa: pedido de {euros(amount)} (base imponible). ¿Cuál es el importe sin IVA tras aplicar "
             f"el descuento que corresponda?"]
    return _spec(key, cores, gold, wrong, ["F-PED-010"], "pedidos", n_items=1, has_coupon=False)


def cash_on_delivery(rng: random.Random, key: str) -> QSpec:
    amount = rng.choice([1990, 2490, 3490, 4590, 5990, 7990, 12900, 24900])
    gold = amount + shipping_cost("peninsula", amount, False) + 250
    wrong = [amount + 250, amount + shipping_cost("peninsula", amount, False), amount + 395 + 250, amount]
    cores = [f"Quiero pagar contra reembolso un pedido de {euros(amount)} a Valladolid con envío estándar. "
             f"¿Cuánto tengo que dar al repartidor?",
             f"Pedido de {euros(amount)}, envío normal a la Península, pago contra reembolso: ¿cuánto pago en total?"]
    facts = ["F-PAG-006", "F-ENV-002" if amount >= 4900 else "F-ENV-001"]
    return _spec(key, cores, gold, wrong, facts, "pagos", n_items=1, has_coupon=False)


def sin_iva_days(rng: random.Random, key: str) -> QSpec:
    name, _, price = rng.choice(PRODUCTS)
    gold = price - round(price * 0.1736)
    wrong = [price - round(price * 0.21), round(price / 1.21 * 100) // 100 * 100, price]
    cores = [f"En los Días Sin IVA, ¿cuánto costará {article(name)}, que ahora está a {euros(price)}?",
             f"Si {article(name)} está a {euros(price)}, ¿qué precio tendrá en los Días Sin IVA?"]
    return _spec(key, cores, gold, wrong, ["F-PRO-006"], "promociones", n_items=1, has_coupon=False)


GENERATORS = [(refund_with_coupon, 4), (order_total, 4), (paga_luego, 2), (protect_price, 2),
              (welcome_coupon, 1), (b2b_discount, 1), (cash_on_delivery, 1), (sin_iva_days, 1)]


def calc_specs(rng: random.Random, n: int, *, prefix: str = "calc") -> list[QSpec]:
    """``n`` calculation specs with distinct wordings.

    >>> specs = calc_specs(random.Random(0), 5)
    >>> all(s.answer.endswith(" €") and s.answer not in s.wrong for s in specs)
    True
    """
    return draw_specs(rng, GENERATORS, n, prefix)
