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

The hidden check runs on the hidden test split with task ids renamed by a
secret salt (a strategy that looks tasks up in the world's files, hidden or
not, finds nothing). The frontier of every catalogue model on these tasks is
measured by ``graders/lab3_build_hidden.py`` and stored in
``graders/hidden/lab3_casos.json`` (the simulator is deterministic, so the
stored figures are what a live run gives; a test re-measures some).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
from pathlib import Path

from course_lib import numbers as fmt
from graders import HIDDEN_DIR, call, fail, load_hidden

EJ3 = "Ejercicio 3 (estrategia de selección de modelo)"
MIN_PRECISION = 0.95
MAX_COSTE = 0.50
CASOS = "lab3_casos.json"


def medidas_calibracion(split: str = "train") -> dict:
    """Stored measurements of each model of ``lab3.ESCALERA`` on ``"train"``, ``"dev"`` or
    ``"train+dev"``: model → list of ``(correct, confidence, cost)`` (``Decimal`` cost), in task
    order (``world.load_tasks``). Built by ``graders/lab3_build_hidden.py``; a test re-measures some."""
    from decimal import Decimal

    partes = split.split("+")
    if not partes or any(p not in ("train", "dev") for p in partes):
        raise ValueError(f"split debe ser 'train', 'dev' o 'train+dev'; recibí {split!r}.")
    casos = _casos()
    return {m: [(bool(ok), float(conf), Decimal(cost)) for p in partes for ok, conf, cost in casos[f"runs_{p}"][m]]
            for m in casos["runs_train"]}


def renombrar(task_id: str, sal: str) -> str:
    return "H3-" + hashlib.blake2b(f"{sal}:{task_id}".encode(), digest_size=6).hexdigest()


@functools.lru_cache(maxsize=1)
def _casos() -> dict:
    return load_hidden(CASOS)


def tareas_ocultas() -> list[dict]:
    """The hidden test tasks with their ids renamed."""
    from course_lib.course import world

    sal = _casos()["sal"]
    tareas = world.load_tasks("test", include_hidden=True).to_dict("records")
    return [{**t, "task_id": renombrar(t["task_id"], sal)} for t in tareas]


def cliente_oculto():
    """An isolated simulator that knows the renamed hidden tasks (and nothing else)."""
    from course_lib import connect
    from course_lib.course import world
    from course_lib.simulator.taskindex import TaskIndex

    facts = world.load_facts().to_dict("records")
    return connect(isolated=True, tasks=TaskIndex(tasks=tareas_ocultas(), facts=facts))


def frontera(nombre: str) -> dict[str, tuple[float, float]]:
    """Stored single-model figures: model → (cost USD on the task set, accuracy)."""
    return {m: (float(c), aciertos / n) for m, (c, aciertos, n) in _casos()[nombre].items()}


def veredicto(ev, puntos: dict[str, tuple[float, float]]) -> list[str]:
    """What fails, in Spanish ('' list when the strategy passes)."""
    from course_lib.cascade import Point, dominating
    from graders.lab3 import ESCALERA

    top = max(ESCALERA, key=lambda m: (puntos[m][1], -puntos[m][0]))
    coste_top, acc_top = puntos[top]
    problemas = []
    if ev.forged:
        problemas.append(f"{ev.forged} respuestas no salieron de ningún modelo (se cuentan como fallos)")
    if ev.accuracy < MIN_PRECISION * acc_top:
        problemas.append(f"acierta el {fmt.pct(ev.accuracy)}, por debajo del {fmt.pct(MIN_PRECISION, decimals=0)} "
                         f"de {top} ({fmt.pct(MIN_PRECISION * acc_top)})")
    if float(ev.cost) > MAX_COSTE * coste_top:
        problemas.append(f"cuesta el {fmt.pct(float(ev.cost) / coste_top, decimals=0)} de {top} "
                         f"(máximo {fmt.pct(MAX_COSTE, decimals=0)})")
    mejores = dominating(Point("estrategia", float(ev.cost), ev.accuracy),
                         [Point(m, c, a) for m, (c, a) in puntos.items()])
    if mejores:
        nombres = ", ".join(f"{p.name} ({fmt.pct(p.accuracy)} por el {fmt.pct(p.cost / coste_top, decimals=0)})" for p in mejores[:3])
        problemas.append(f"no supera la frontera: {nombres} acierta(n) lo mismo o más por el mismo "
                         f"coste o menos")
    return problemas


class _Vigia:
    """While the learner's strategy runs on the hidden tasks, any read of the grader's hidden
    data (a file under ``graders/hidden``, the hidden tasks through ``world`` or this module)
    is recorded and refused: a strategy that peeks at the answers to pick the model that will
    be right (paying only the attempts it needs) would otherwise look like an oracle."""

    _activo: "_Vigia | None" = None
    _hook_instalado = False

    def __init__(self):
        self.lecturas: list[str] = []

    @classmethod
    def _hook(cls, event, args):
        vigia = cls._activo
        if vigia is None or event != "open" or not args:
            return
        try:
            path = Path(str(args[0])).resolve()
        except (TypeError, ValueError, OSError):
            return
        if HIDDEN_DIR.resolve() in path.parents:
            vigia.lecturas.append(path.name)
            raise PermissionError(f"{path.name}: datos ocultos del corrector")

    def __enter__(self):
        import sys

        from course_lib.course import world

        if not _Vigia._hook_instalado:
            sys.addaudithook(_Vigia._hook)
            _Vigia._hook_instalado = True
        self._world = world
        self._originales = {n: getattr(world, n) for n in ("get_task", "load_tasks", "load_traffic")}
        self._propias = {n: globals()[n] for n in ("tareas_ocultas", "_casos")}

        def vigilada(nombre, original, oculta=lambda *a, **k: True):
            def f(*args, **kwargs):
                if oculta(*args, **kwargs):
                    self.lecturas.append(nombre)
                    raise KeyError(f"{nombre}: datos ocultos del corrector")
                return original(*args, **kwargs)
            return f

        world.get_task = vigilada("world.get_task", world.get_task)
        for n in ("load_tasks", "load_traffic"):
            setattr(world, n, vigilada(f"world.{n}", getattr(world, n),
                                       lambda *a, **k: bool(k.get("include_hidden")) or "test" in a))
        for n, f in self._propias.items():
            globals()[n] = vigilada(n, f)
        _Vigia._activo = self
        return self

    def __exit__(self, *exc):
        _Vigia._activo = None
        for n, f in self._originales.items():
            setattr(self._world, n, f)
        globals().update(self._propias)
        return False


def _mide(crear_estrategia, medidas, tareas, cliente, puntos, *, vigilar: bool = False):
    from course_lib.client.pipeline import MiddlewareError
    from graders.lab3 import evaluar

    vigia = _Vigia() if vigilar else None
    try:
        with (vigia if vigia is not None else contextlib.nullcontext()):
            estrategia = call(EJ3, crear_estrategia, medidas)
            if not (isinstance(estrategia, str) or callable(estrategia)):
                fail(EJ3, f"crear_estrategia devolvió {type(estrategia).__name__}",
                     "devuelve el nombre de un modelo o un middleware (call, call_next) -> respuesta")
            ev = evaluar(estrategia, tareas, cliente=cliente, nombre="estrategia")
    except MiddlewareError as exc:
        if vigia is not None and vigia.lecturas:
            _leyo(vigia)
        fail(EJ3, f"tu middleware falló: {exc.original!r}", "pruébalo en las tareas dev; no busques "
             "las tareas por su task_id en los ficheros del mundo")
    except AssertionError:
        if vigia is not None and vigia.lecturas:
            _leyo(vigia)
        raise
    except Exception as exc:  # an unknown model, a bad parameter: the provider's own message
        if vigia is not None and vigia.lecturas:
            _leyo(vigia)
        fail(EJ3, f"la llamada falló: {type(exc).__name__}: {exc}",
             "usa modelos del catálogo y parámetros válidos")
    if vigia is not None and vigia.lecturas:
        _leyo(vigia)
    return ev, veredicto(ev, puntos)


def _leyo(vigia) -> None:
    fail(EJ3, f"tu estrategia intentó leer datos ocultos del corrector ({', '.join(sorted(set(vigia.lecturas)))})",
         "decide con la petición y con lo que aprendiste antes (rasgos visibles, confianza de la "
         "respuesta); no busques las tareas ni sus respuestas mientras se evalúa")


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


def check_estrategia_oculto(crear_estrategia) -> None:
    """Hidden: on the renamed hidden test split."""
    ev, problemas = _mide(crear_estrategia, medidas_calibracion("train+dev"), tareas_ocultas(),
                          cliente_oculto(), frontera("frontera_oculta"), vigilar=True)
    if problemas:
        fail(EJ3, "en las tareas ocultas " + "; ".join(problemas),
             "deja margen en el objetivo de tu calibración: calcula los umbrales con las medidas "
             "que recibes (no los fijes a mano ni los ajustes a las tareas que ves)")
