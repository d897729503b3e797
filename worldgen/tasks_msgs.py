"""Customer e-mails for intent classification and data extraction tasks.

Messages are composed from situation sentences per intent (with product names,
order numbers, dates), sometimes a sentence that mentions a second topic (the
hard, ambiguous cases), and the register/typo wrapping of :mod:`.phrasing`.
Extraction messages carry several look-alike data (two order numbers, a postal
code next to a phone) so the wrong answers are the distractors actually in the
text. Neither kind needs a knowledge-base fact. This module does not assign splits.
"""

from __future__ import annotations

import random

from .phrasing import contract, draw_style, realize
from .questions import QSpec
from .scenario import CITIES_PENINSULA, FIRST_NAMES, LAST_NAMES, PRODUCT_SHORT, euros

INTENTS = {
    "estado_pedido": ["¿Dónde está mi pedido {pedido}? Lo hice hace {n} días y sigue sin llegar.",
                      "El seguimiento de {prod} no se actualiza desde el {dia}.",
                      "Me dijisteis que llegaba ayer y no ha venido nadie, pedido {pedido}.",
                      "Quería saber cuándo me llega {prod}, que todavía pone «En preparación».",
                      "El repartidor dice que no encuentra mi dirección, ¿qué pasa con el pedido {pedido}?"],
    "devolucion": ["Quiero devolver {prod}, no es lo que esperaba.", "¿Cómo hago para devolver el pedido {pedido}?",
                   "Me he arrepentido de comprar {prod}, ¿lo puedo mandar de vuelta?",
                   "No me convence {prod} para lo que necesito, quiero devolverlo.",
                   "Necesito la etiqueta para devolver {prod}."],
    "reembolso": ["Devolví {prod} hace {n} días y todavía no me habéis devuelto el dinero.",
                  "¿Cuándo me hacéis el reembolso del pedido {pedido}? Ya lo entregué en Correos.",
                  "Me ha llegado un reembolso de menos, faltan {importe}.",
                  "La devolución consta como recibida pero el dinero no aparece en mi cuenta."],
    "pago": ["Me rechaza la tarjeta al pagar y no sé por qué.", "No me deja pagar con Bizum, me da error.",
             "Me habéis cobrado dos veces {importe} por el mismo pedido.",
             "El pago con PayPal se queda cargando y no termina.",
             "¿Por qué me aparece un cargo de {importe} retenido?"],
    "garantia": ["{prod} ha dejado de funcionar a los {n} meses, ¿lo cubre la garantía?",
                 "La pantalla de {pantalla} tiene una raya que ha salido sola, quiero que me lo reparen.",
                 "{prod} hace un ruido raro desde hace una semana, ¿cómo lo llevo al servicio técnico?",
                 "Se me ha roto {prod} y tengo Mercadela Protect, ¿qué hago?"],
    "cuenta": ["No puedo entrar en mi cuenta, dice que la contraseña es incorrecta.",
               "Quiero cambiar el correo electrónico de mi cuenta.",
               "Me ha llegado un aviso de inicio de sesión que no he hecho yo.",
               "¿Cómo me doy de baja y borro mis datos?", "No me llega el correo para verificar la cuenta."],
    "factura": ["Necesito la factura del pedido {pedido} a nombre de mi empresa.",
                "En la factura sale mal mi dirección, ¿la podéis corregir?",
                "No encuentro dónde descargar la factura de {prod}.",
                "Me hace falta factura con NIF para justificar la compra de {prod}."],
    "cancelacion": ["Quiero cancelar el pedido {pedido}, me he equivocado de modelo.",
                    "Anulad por favor la compra de {prod}, ya lo he encontrado en otro sitio.",
                    "¿Todavía puedo cancelar el pedido que hice esta mañana?",
                    "Cancelad el pedido {pedido}, lo pedí dos veces sin querer."],
    "cupon": ["El código de descuento no me funciona en el carrito.",
              "He metido el cupón WELCOME10 y dice que no es válido.",
              "Se me olvidó poner el cupón al pagar {prod}, ¿me podéis aplicar el descuento?",
              "¿Por qué no se aplica el código de la newsletter a {prod}?"],
}

LABELS = list(INTENTS)
INSTRUCTIONS = [
    "Clasifica la intención del siguiente mensaje de un cliente. Etiquetas posibles: {labels}. Responde solo con "
    "la etiqueta.\n\nMensaje: «{msg}»",
    "Eres el clasificador de tickets de Mercadela. Lee el correo y devuelve una única etiqueta de esta lista: "
    "{labels}.\n\nCorreo del cliente:\n{msg}",
    "Intención del ticket ({labels}):\n\n{msg}",
]


def order_number(rng: random.Random) -> str:
    """A Mercadela order number.

    >>> order_number(random.Random(1))
    'MD-3254257'
    """
    return f"MD-{rng.randint(1000000, 9999999)}"


def _fill(text: str, rng: random.Random) -> str:
    values = {"pedido": order_number(rng), "prod": rng.choice(PRODUCT_SHORT), "n": str(rng.randint(2, 20)),
              "pantalla": rng.choice(["la tele", "el portátil", "el móvil", "la tablet", "el monitor"]),
              "dia": f"{rng.randint(1, 28)} de {rng.choice(['enero', 'febrero', 'marzo'])}",
              "importe": euros(rng.randrange(990, 40000, 10))}
    text = contract(text.format(**values))
    return text[0].upper() + text[1:]


def intent_specs(rng: random.Random, n: int, *, prefix: str = "intent") -> list[QSpec]:
    """Classification tasks; one in four mixes in a sentence about another topic.

    >>> specs = intent_specs(random.Random(0), 4)
    >>> all(s.answer in LABELS and s.answer not in s.wrong for s in specs)
    True
    """
    specs, seen = [], set()
    while len(specs) < n:
        label = LABELS[len(specs) % len(LABELS)]
        body = _fill(rng.choice(INTENTS[label]), rng)
        mixed = rng.random() < 0.25
        if mixed:
            other = rng.choice([lab for lab in LABELS if lab != label])
            aside = _fill(rng.choice(INTENTS[other]), rng)
            body = f"{body} Por cierto, la otra vez: {aside[0].lower() + aside[1:]}" if rng.random() < 0.5 \
                else f"{body} Lo digo porque {aside[0].lower() + aside[1:]}"
        if body in seen:  # one customer message, one task (whatever the greeting around it)
            continue
        seen.add(body)
        style = draw_style(rng)
        msg = realize(body, style)
        labels = ", ".join(LABELS)  # the ticket tool sends a fixed instruction
        question = rng.choice(INSTRUCTIONS).format(labels=labels, msg=msg)
        specs.append(QSpec(key=f"{prefix}:{len(specs):04d}", type="intent", topic="triaje", cores=[question],
                           answer=label, accepted=[label.replace("_", " ")] if "_" in label else [],
                           wrong=[lab for lab in LABELS if lab != label], fact_ids=[],
                           extra={"mixed_topics": mixed, "message": msg, "style": style, "body": body}))
    return specs


PROVINCE_PREFIX = {"28": "Madrid", "41": "Sevilla", "46": "Valencia", "08": "Barcelona", "50": "Zaragoza",
                   "29": "Málaga", "48": "Bilbao", "15": "A Coruña", "30": "Murcia", "47": "Valladolid"}


def _postcode(rng):
    return f"{rng.choice(sorted(PROVINCE_PREFIX))}{rng.randint(0, 999):03d}"


def _phone(rng):
    d = f"6{rng.randint(10000000, 99999999)}"
    return f"{d[:3]} {d[3:6]} {d[6:]}"


def _tracking(rng):
    return f"PQ{rng.randint(10**9, 10**10 - 1)}ES"


FIELDS = {"número de pedido": order_number, "código postal": _postcode, "teléfono de contacto": _phone,
          "número de seguimiento": _tracking}


def extraction_specs(rng: random.Random, n: int, *, prefix: str = "extract") -> list[QSpec]:
    """Extraction tasks: the gold is a datum in the message, the wrong answers its look-alikes.

    >>> s = extraction_specs(random.Random(0), 3)[0]
    >>> s.answer in s.cores[0] and all(w in s.cores[0] for w in s.wrong)
    True
    """
    specs = []
    while len(specs) < n:
        field = rng.choice(sorted(FIELDS))
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        gold = FIELDS[field](rng)
        prod = rng.choice(PRODUCT_SHORT)
        city = rng.choice(CITIES_PENINSULA)
        decoy = FIELDS[field](rng)
        hard = rng.random() < 0.4
        parts = {"número de pedido": (f"Mi pedido {gold} con {prod} no ha llegado todavía.",
                                      f"El anterior, el {decoy}, llegó perfecto."),
                 "código postal": (f"La dirección buena es calle Mayor {rng.randint(1, 90)}, {gold} "
                                   f"{PROVINCE_PREFIX.get(gold[:2], city)}.",
                                   f"La antigua era la del {decoy}, que ya no uso."),
                 "teléfono de contacto": (f"Podéis llamarme al {gold} por las tardes.",
                                          f"El {decoy} es el fijo del trabajo, ahí no me localizáis."),
                 "número de seguimiento": (f"El transportista me dio el seguimiento {gold} para {prod}.",
                                           f"El {decoy} era el de la devolución anterior.")}[field]
        others = [f"Pedido {order_number(rng)}." if field != "número de pedido" else f"Vivo en {city}.",
                  f"Mi teléfono es {_phone(rng)}." if field != "teléfono de contacto" else "Gracias por todo."]
        sentences = [parts[0]] + ([parts[1]] if hard else []) + rng.sample(others, rng.randint(0, 2))
        if hard and rng.random() < 0.5:
            sentences[0], sentences[1] = sentences[1], sentences[0]
        style = draw_style(rng)
        msg = realize(" ".join(sentences), style) + f" {name}"
        if gold not in msg or (hard and decoy not in msg):
            continue  # a typo touched the datum; draw again
        wrong = [decoy] if hard else []
        wrong += [w for w in _other_data(msg, gold) if w not in wrong]
        question = rng.choice([
            f"Extrae el {field} del siguiente mensaje. Responde solo con el dato.\n\nMensaje: «{msg}»",
            f"Del correo de abajo, ¿cuál es el {field} que hay que usar?\n\n{msg}",
            f"Devuelve únicamente el {field} mencionado por el cliente:\n{msg}"])
        accepted = [gold.replace(" ", ""), gold.replace("-", "")] if (" " in gold or "-" in gold) else []
        specs.append(QSpec(key=f"{prefix}:{len(specs):04d}", type="extraction", topic="triaje", cores=[question],
                           answer=gold, accepted=accepted, wrong=wrong, fact_ids=[],
                           extra={"field": field, "distractor": hard, "message": msg, "style": style}))
    return specs


def _other_data(msg: str, gold: str) -> list[str]:
    import re
    found = re.findall(r"MD-\d{7}|PQ\d{10}ES|6\d\d \d{3} \d{3}|\b\d{5}\b", msg)
    return [f for f in dict.fromkeys(found) if f != gold and f not in gold and gold not in f]
