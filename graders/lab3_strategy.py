"""Lab 3, exercise 3: the model-selection strategy, measured against the single-model frontier.

``crear_estrategia(medidas)`` receives measurements of every model of the
lab's ladder on a calibration split (``medidas_calibracion``: model → per task
``(correct, confidence, cost)``, what ``cascade.runs_of`` gives) and returns a
model name or a router-slot middleware: its thresholds come from the learner's
own calibration code, which each check runs itself (visible: calibrated on
train, measured on the lab's dev tasks; hidden: calibrated on train + dev,
measured on the hidden split). The strategy is run through the pipeline on the
tasks (every attempt billed, an answer no provider returned scored wrong) and
must, on the same tasks:

* reach at least ``MIN_PRECISION`` of the accuracy of the most accurate model
  of the lab's ladder (``lab3.ESCALERA``), at no more than ``MAX_COSTE`` of its cost;
* lie strictly above the single-model frontier: no catalogue model (reasoning
  models also at ``reasoning_effort="minimal"``) at least as accurate for at
  most the same cost.

The hidden check (``check_estrategia_oculto``) runs in the grader process:
the learner's ``crear_estrategia`` runs in the kernel and its strategy stays
there (``worker.keep``); the kernel gets a client of the grader's own
simulator and the requests of the hidden test split, with task ids renamed by
a secret salt, and nothing else (no answer, no correctness, no hidden
difficulty); :func:`responder`, on the kernel's side, sends them through the
strategy and returns each final text. The grader reads the bill on the
provider's side, scores each text against the hidden answers and checks it is
one its simulator returned. The frontier of every catalogue model on these
tasks is measured by ``graders/lab3_build_hidden.py`` and stored in
``graders/hidden/lab3_casos.json``; the public measurements (train and dev
calibration runs and confidences, the dev frontier) go to
``graders/lab3_publico.json``, which the kernel can read (the simulator is
deterministic, so stored figures are what a live run gives; a test re-measures some).
"""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path

from course_lib import numbers as fmt
from graders import call, fail, load_hidden

EJ3 = "Ejercicio 3 (estrategia de selección de modelo)"
MIN_PRECISION = 0.95
MAX_COSTE = 0.50
CASOS = "lab3_casos.json"
PUBLICO = Path(__file__).resolve().parent / "lab3_publico.json"
PUBLICAS = ("frontera_dev", "confianzas_train", "confianzas_dev", "runs_train", "runs_dev")
"""Keys of the stored measurements that are public (``PUBLICO``); the others are hidden (``CASOS``)."""


def medidas_calibracion(split: str = "train") -> dict:
    """Stored measurements of each model of ``lab3.ESCALERA`` on ``"train"``, ``"dev"`` or
    ``"train+dev"``: model → list of ``(correct, confidence, cost)`` (``Decimal`` cost), in task
    order (``world.load_tasks``). Public; built by ``graders/lab3_build_hidden.py``; a test re-measures some."""
    from decimal import Decimal

    partes = split.split("+")
    if not partes or any(p not in ("train", "dev") for p in partes):
        raise ValueError(f"split debe ser 'train', 'dev' o 'train+dev'; recibí {split!r}.")
    runs = {p: dato(f"runs_{p}") for p in partes}
    return {m: [(bool(ok), float(conf), Decimal(cost)) for p in partes for ok, conf, cost in runs[p][m]]
            for m in dato("runs_train")}


def renombrar(task_id: str, sal: str) -> str:
    return "H3-" + hashlib.blake2b(f"{sal}:{task_id}".encode(), digest_size=6).hexdigest()


@functools.lru_cache(maxsize=1)
def _casos() -> dict:
    return load_hidden(CASOS)


@functools.lru_cache(maxsize=1)
def _publico() -> dict:
    return json.loads(PUBLICO.read_text(encoding="utf-8"))


def dato(clave: str):
    """A stored measurement: the public ones from ``PUBLICO``, the hidden ones from ``CASOS``."""
    return _publico()[clave] if clave in PUBLICAS else _casos()[clave]


def tareas_ocultas() -> list[dict]:
    """The hidden test tasks with their ids renamed."""
    from course_lib.course import world

    sal = _casos()["sal"]
    tareas = world.load_tasks("test", include_hidden=True).to_dict("records")
    return [{**t, "task_id": renombrar(t["task_id"], sal)} for t in tareas]


def _indice(tareas):
    """A simulator's task index that knows ``tareas`` (and the public facts), nothing else."""
    from course_lib.course import world
    from course_lib.simulator.taskindex import TaskIndex

    return TaskIndex(tasks=tareas, facts=world.load_facts().to_dict("records"))


def cliente_oculto():
    """An isolated simulator that knows the renamed hidden tasks (and nothing else)."""
    from course_lib import connect

    return connect(isolated=True, tasks=_indice(tareas_ocultas()))


def frontera(nombre: str) -> dict[str, tuple[float, float]]:
    """Stored single-model figures: model → (cost USD on the task set, accuracy)."""
    return {m: (float(c), aciertos / n) for m, (c, aciertos, n) in dato(nombre).items()}


def veredicto(precision: float, coste: float, falsas: int, puntos: dict[str, tuple[float, float]]) -> list[str]:
    """What fails, in Spanish (empty list when the strategy passes): its accuracy, its cost in USD
    and how many of its answers no model returned, against the single-model figures ``puntos``."""
    from course_lib.cascade import Point, dominating
    from graders.lab3 import ESCALERA

    top = max(ESCALERA, key=lambda m: (puntos[m][1], -puntos[m][0]))
    coste_top, acc_top = puntos[top]
    problemas = []
    if falsas:
        problemas.append(f"{falsas} respuestas no salieron de ningún modelo (se cuentan como fallos)")
    if precision < MIN_PRECISION * acc_top:
        problemas.append(f"acierta el {fmt.pct(precision)}, por debajo del {fmt.pct(MIN_PRECISION, decimals=0)} "
                         f"de {top} ({fmt.pct(MIN_PRECISION * acc_top)})")
    if coste > MAX_COSTE * coste_top:
        problemas.append(f"cuesta el {fmt.pct(coste / coste_top, decimals=0)} de {top} "
                         f"(máximo {fmt.pct(MAX_COSTE, decimals=0)})")
    mejores = dominating(Point("estrategia", coste, precision),
                         [Point(m, c, a) for m, (c, a) in puntos.items()])
    if mejores:
        nombres = ", ".join(f"{p.name} ({fmt.pct(p.accuracy)} por el {fmt.pct(p.cost / coste_top, decimals=0)})" for p in mejores[:3])
        problemas.append(f"no supera la frontera: {nombres} acierta(n) lo mismo o más por el mismo "
                         f"coste o menos")
    return problemas


def _mide(crear_estrategia, medidas, tareas, cliente, puntos):
    """Visible check: the learner's strategy, built and measured in this process."""
    from course_lib.client.pipeline import MiddlewareError
    from graders.lab3 import evaluar

    estrategia = call(EJ3, crear_estrategia, medidas)
    if not (isinstance(estrategia, str) or callable(estrategia)):
        _no_es_estrategia(type(estrategia).__name__)
    try:
        ev = evaluar(estrategia, tareas, cliente=cliente, nombre="estrategia")
    except MiddlewareError as exc:
        _fallo_middleware(repr(exc.original))
    except AssertionError:
        raise
    except Exception as exc:  # an unknown model, a bad parameter: the provider's own message
        _fallo_llamada(f"{type(exc).__name__}: {exc}")
    return ev, veredicto(ev.accuracy, float(ev.cost), ev.forged, puntos)


def _no_es_estrategia(tipo: str) -> None:
    fail(EJ3, f"crear_estrategia devolvió {tipo}",
         "devuelve el nombre de un modelo o un middleware (call, call_next) -> respuesta")


def _fallo_middleware(detalle: str) -> None:
    fail(EJ3, f"tu middleware falló: {detalle}", "pruébalo en las tareas dev; no busques "
         "las tareas por su task_id en los ficheros del mundo")


def _fallo_llamada(detalle: str) -> None:
    fail(EJ3, f"la llamada falló: {detalle}", "usa modelos del catálogo y parámetros válidos")


def check_estrategia(crear_estrategia) -> None:
    """Visible: on the lab's public dev tasks (``lab3.tareas_lab()``)."""
    from graders.lab3 import tareas_lab

    ev, problemas = _mide(crear_estrategia, medidas_calibracion("train"), tareas_lab(), None,
                          frontera("frontera_dev"))
    if problemas:
        fail(EJ3, "en las tareas dev " + "; ".join(problemas),
             "combina un modelo barato con uno fuerte (cascada por confianza o router) y calibra los "
             "umbrales con las medidas que recibe crear_estrategia; revisa el gráfico de la frontera")
    print(f"✔ Ejercicio 3 (dev): acierta el {fmt.pct(ev.accuracy)} por {fmt.usd(ev.cost, decimals=4)}, por "
          "encima de la frontera. Al corregir se mide en tareas ocultas.")


def responder(cliente, estrategia, peticiones: list[dict]) -> dict:
    """The learner's side of the hidden check (runs in the kernel): ``estrategia`` on each request
    through ``cliente``, a client of the grader's simulator, ``lab3.HILOS`` at a time.

    Returns ``{"respuestas": [{"texto", "rechazada"}, ...]}`` in the requests' order, or
    ``{"error": "tipo" | "middleware" | "llamada", "detalle": ...}``. It sees only the requests
    (no answer, no correctness); the grader judges whatever it reports.
    """
    from course_lib.cascade import evaluate
    from course_lib.client.pipeline import MiddlewareError
    from graders.lab3 import HILOS

    if not (isinstance(estrategia, str) or callable(estrategia)):
        return {"error": "tipo", "detalle": type(estrategia).__name__}
    tareas = [{"task_id": str((p.get("metadata") or {}).get("task_id", "")), "peticion": p} for p in peticiones]
    try:
        ev = evaluate(cliente, tareas, request=lambda t: t["peticion"], is_correct=lambda t, texto: False,
                      strategy=estrategia, name="estrategia", workers=HILOS)
    except MiddlewareError as exc:
        return {"error": "middleware", "detalle": repr(exc.original)}
    except Exception as exc:  # an unknown model, a bad parameter: the provider's own message
        return {"error": "llamada", "detalle": f"{type(exc).__name__}: {exc}"}
    return {"respuestas": [{"texto": o.answer, "rechazada": o.refused} for o in ev.outcomes]}


def check_estrategia_oculto(worker) -> None:
    """Hidden, in the grader: the strategy, kept in the kernel, on the renamed hidden test split."""
    from course_lib.course import world
    from graders.kernel_sim import grader_simulator, kernel_client, provider_cost, served_answers
    from graders import on_kernel
    from graders.lab3 import peticion

    tareas = tareas_ocultas()
    estrategia = on_kernel(EJ3, worker.keep, "crear_estrategia", medidas_calibracion("train+dev"))
    with grader_simulator(tasks=_indice(tareas)) as sim, served_answers(sim) as servidas:
        got = on_kernel(EJ3, worker.call, "graders.lab3_strategy:responder", kernel_client(worker, sim),
                     estrategia, [peticion(t) for t in tareas])
        coste = float(provider_cost(sim))
    error = got.get("error") if type(got) is dict else None
    if error == "tipo":
        _no_es_estrategia(str(got.get("detalle")))
    if error == "middleware":
        _fallo_middleware(str(got.get("detalle")))
    if error is not None:
        _fallo_llamada(str(got.get("detalle")))
    respuestas = got.get("respuestas") if type(got) is dict else None
    if type(respuestas) is not list or len(respuestas) != len(tareas) or not all(
            type(r) is dict and type(r.get("texto")) is str for r in respuestas):
        fail(EJ3, "el cuaderno no devolvió una respuesta por tarea oculta",
             "no modifiques graders ni course_lib; vuelve a ejecutar el cuaderno entero")
    falsas = aciertos = 0
    for tarea, r in zip(tareas, respuestas):
        rechazada = r.get("rechazada") is True
        falsa = not rechazada and r["texto"] not in servidas.get(tarea["task_id"], ())
        falsas += falsa
        aciertos += not (rechazada or falsa) and world.is_correct(tarea, r["texto"])
    problemas = veredicto(aciertos / len(tareas), coste, falsas, frontera("frontera_oculta"))
    if problemas:
        fail(EJ3, "en las tareas ocultas " + "; ".join(problemas),
             "deja margen en el objetivo de tu calibración: calcula los umbrales con las medidas "
             "que recibes (no los fijes a mano ni los ajustes a las tareas que ves)")
