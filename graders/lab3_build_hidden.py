"""Build ``graders/hidden/lab3_casos.json``: salt, measured frontiers, privacy requests.

The measurements on public tasks (``lab3_strategy.PUBLICAS``: the train and dev
calibration runs and confidences, the dev frontier) also go to
``graders/lab3_publico.json``, which the learner's kernel reads (it cannot read
``graders/hidden/`` while a lab is graded).

Run ``python -m graders.lab3_build_hidden`` after the world or the simulator
changes. Deterministic: the salt comes from a fixed seed, the frontier from the
deterministic simulator, the privacy requests from seeded templates whose
labels are known by construction.
"""

from __future__ import annotations

import json
import random

from graders import HIDDEN_DIR

SEED = 20261201
REASONING = ("gpt-5", "gpt-5-mini", "gpt-5-nano", "o3", "o4-mini")

NOMBRES = ["Lucía Martín", "Hugo Sánchez", "Carmen Díaz", "Mateo Romero", "Sofía Navarro",
           "Daniel Torres", "Martina Ramos", "Álvaro Gil", "Elena Serrano", "Pablo Molina"]
CALLES = ["calle Mayor", "Avenida de la Constitución", "C/ San Juan", "Plaza de España",
          "Paseo de Gracia", "calle Real", "Avda. Diagonal", "Ronda de Segovia"]
CIUDADES = [("28013", "Madrid"), ("08008", "Barcelona"), ("41004", "Sevilla"), ("46002", "Valencia"),
            ("48001", "Bilbao"), ("50001", "Zaragoza"), ("29015", "Málaga"), ("15003", "Coruña")]
PREGUNTAS = ["¿podéis cambiar la dirección de entrega?", "¿cuándo llega mi pedido?",
             "necesito la factura del último pedido", "¿me confirmáis la cita del técnico?",
             "quiero darme de baja del boletín", "¿está disponible la talla M?"]
SENSIBLES = ["Quiero el reembolso del pedido {p}, llegó roto.",
             "Voy a poner una reclamación porque me habéis cobrado dos veces.",
             "Exijo que me devuelvan el dinero del pedido {p}.",
             "Es la tercera queja que pongo y nadie me responde.",
             "¿Cuándo me hacéis el reembolso? Devolví el pedido {p} hace dos semanas."]
LIMPIOS = ["Mi pedido {p} no ha llegado, ¿qué pasa?", "El seguimiento {s} no se actualiza desde ayer.",
           "¿Cuánto cuesta el envío urgente a Baleares?", "¿La freidora de 89,99 € tiene garantía de 3 años?",
           "¿Puedo pagar 299,00 € en 3 plazos?", "Quiero cambiar la talla de la camiseta del pedido {p}.",
           "¿Qué horario tiene el servicio de atención?", "¿Se puede usar el cupón VERANO10 con rebajas?"]


def _dni(rng: random.Random, nie: bool = False) -> str:
    letters = "TRWAGMYFPDXBNJZSQVHLCKE"
    if nie:
        prefix = rng.choice("XYZ")
        digits = f"{rng.randrange(10**7):07d}"
        number = int({"X": "0", "Y": "1", "Z": "2"}[prefix] + digits)
        return f"{prefix}{digits}{letters[number % 23]}"
    digits = f"{rng.randrange(10**7, 10**8)}"
    sep = rng.choice(["", "", "-"])
    return f"{digits}{sep}{letters[int(digits) % 23]}"


def _phone(rng: random.Random) -> str:
    d = f"{rng.choice('67')}{rng.randrange(10**8):08d}"
    return rng.choice([d, f"{d[:3]} {d[3:6]} {d[6:]}", f"{d[:3]} {d[3:5]} {d[5:7]} {d[7:]}",
                       f"+34 {d[:3]} {d[3:6]} {d[6:]}", f"{d[:3]}-{d[3:6]}-{d[6:]}"])


def _personal(rng: random.Random, name: str) -> str:
    kind = rng.choice(["dni", "nie", "telefono", "email", "direccion", "cp", "iban"])
    if kind in ("dni", "nie"):
        return f"Mi {'NIE' if kind == 'nie' else 'DNI'} es {_dni(rng, kind == 'nie')}."
    if kind == "telefono":
        return f"Mi teléfono es {_phone(rng)}."
    if kind == "email":
        user = name.lower().split()[0].translate(str.maketrans("áéíóú", "aeiou"))
        return f"Escribidme a {user}.{rng.randrange(100)}@{rng.choice(['gmail.com', 'correo.es', 'hotmail.com'])}."
    if kind == "direccion":
        cp, city = rng.choice(CIUDADES)
        return f"La dirección es {rng.choice(CALLES)} {rng.randrange(1, 200)}, {cp} {city}."
    if kind == "cp":
        cp, city = rng.choice(CIUDADES)
        return f"Vivo en {rng.choice(CALLES)}, {rng.randrange(1, 90)}."
    blocks = " ".join(f"{rng.randrange(10**4):04d}" for _ in range(5))
    return f"Mi IBAN es ES{rng.randrange(10, 99)} {blocks}."


def privacidad(rng: random.Random, n: int = 240) -> list[dict]:
    out = []
    for i in range(n):
        name, p = rng.choice(NOMBRES), f"MD-{rng.randrange(10**6, 10**7)}"
        s = f"PQ{rng.randrange(10**9, 10**10)}ES"
        kind = i % 4
        if kind == 0:
            texto = f"Hola, soy {name}. {_personal(rng, name)} {rng.choice(PREGUNTAS).capitalize()}"
            out.append({"texto": texto, "datos": True, "sensible": False})
        elif kind == 1:
            texto = f"{rng.choice(SENSIBLES).format(p=p)} {_personal(rng, name)}"
            out.append({"texto": texto, "datos": True, "sensible": True})
        elif kind == 2:
            out.append({"texto": rng.choice(SENSIBLES).format(p=p) + f" {name.split()[0]}",
                        "datos": False, "sensible": True})
        else:
            out.append({"texto": rng.choice(LIMPIOS).format(p=p, s=s), "datos": False, "sensible": False})
    return out


def frontier_models() -> list[str]:
    from course_lib import PriceBook

    models = PriceBook.default().models(mode="chat")
    return models + [f"{m}@minimal" for m in models if m in REASONING]


def _figures(evaluations) -> dict:
    return {m: [str(e.cost), sum(e.correct), e.n] for m, e in evaluations.items()}


def build() -> dict:
    from graders import lab3, lab3_strategy

    rng = random.Random(SEED)
    casos = {"sal": f"{rng.getrandbits(64):016x}", "privacidad": privacidad(rng)}
    path = HIDDEN_DIR / lab3_strategy.CASOS
    path.write_text(json.dumps(casos, ensure_ascii=False), encoding="utf-8")   # the salt first
    lab3_strategy._casos.cache_clear()
    models = frontier_models()
    casos["frontera_dev"] = _figures(lab3.medir_modelos(lab3.tareas_lab(), models))
    casos["confianzas_train"] = lab3.medir_confianzas("train")
    casos["confianzas_dev"] = lab3.medir_confianzas("dev")
    casos["runs_train"], casos["runs_dev"] = calibration_runs("train"), calibration_runs("dev")
    casos["confianzas_oculto"] = lab3.medir_confianzas("oculto")
    casos["frontera_oculta"] = _figures(lab3.medir_modelos(
        lab3_strategy.tareas_ocultas(), models, cliente=lab3_strategy.cliente_oculto()))
    path.write_text(json.dumps(casos, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    write_public(casos)
    return casos


def write_public(casos: dict) -> None:
    """Write the public measurements of ``casos`` to ``graders/lab3_publico.json``."""
    from graders import lab3_strategy

    publico = {k: casos[k] for k in lab3_strategy.PUBLICAS}
    lab3_strategy.PUBLICO.write_text(json.dumps(publico, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    lab3_strategy._casos.cache_clear()
    lab3_strategy._publico.cache_clear()


def calibration_runs(split: str) -> dict:
    """Every model of the lab's ladder on a public split: model → [[correct, confidence, cost]]."""
    from course_lib.course import world
    from graders import lab3

    tasks = world.load_tasks(split).to_dict("records")
    measured = lab3.medir_modelos(tasks, list(lab3.ESCALERA))
    return {m: [[bool(o.correct), float(o.confidence or 0.0), str(o.cost)] for o in e.outcomes]
            for m, e in measured.items()}


def add_calibration_runs() -> None:
    """Add only ``runs_train`` and ``runs_dev`` to the stored cases (the rest unchanged)."""
    from graders import lab3_strategy

    path = HIDDEN_DIR / lab3_strategy.CASOS
    casos = json.loads(path.read_text(encoding="utf-8"))
    for split in ("train", "dev"):
        casos[f"runs_{split}"] = calibration_runs(split)
    path.write_text(json.dumps(casos, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    write_public(casos)


def add_train_confidences() -> None:
    """Add only ``confianzas_train`` to the stored cases (the rest unchanged)."""
    from graders import lab3, lab3_strategy

    path = HIDDEN_DIR / lab3_strategy.CASOS
    casos = json.loads(path.read_text(encoding="utf-8"))
    casos["confianzas_train"] = lab3.medir_confianzas("train")
    path.write_text(json.dumps(casos, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    write_public(casos)


if __name__ == "__main__":
    import sys

    if sys.argv[1:] == ["--confianzas-train"]:
        add_train_confidences()
        raise SystemExit(0)
    if sys.argv[1:] == ["--runs"]:
        add_calibration_runs()
        raise SystemExit(0)
    result = build()
    print(f"lab3_casos.json: {len(result['privacidad'])} peticiones de privacidad, "
          f"{len(result['frontera_oculta'])} modelos en la frontera oculta")
