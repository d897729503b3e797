"""Lab 2, exercise 3: the learner's semantic cache replayed over Mercadela's traffic.

``crear_cache_semantica(embed)`` returns a cache with ``lookup(params)`` and
``store(params, response)`` (a ``course_lib.cache.SemanticCache`` with the
threshold and guards the learner chose). The visible check replays the first
days of the public traffic, the hidden one the first two days of the hidden
traffic (``graders.lab2_replay``). Gates, measured on the reference solution
(``DetailGuard(swaps=True)``, threshold 0.90): hidden hit rate 0.406 with
1.8 % false hits; exact matching alone reaches 0.323. A submission passes with
a hit rate ≥ ``HIT_GATE`` and false hits ≤ ``FALSE_CEILING`` of its hits.
While the learner's code runs, opening any file of ``graders/hidden`` fails
the check (a cache must not read the answers).
"""

from __future__ import annotations

import contextlib
import sys
import threading

from course_lib.numbers import pct
from graders import HIDDEN_DIR, call, fail
from graders import lab2_replay as replay

EJ3 = "Ejercicio 3 (caché semántica)"
GAIN_GATE = 0.03
FALSE_CEILING = 0.02
PUBLIC_DAYS, HIDDEN_DAYS = 2.0, 2.0

_watch = threading.local()
_hooked = []      # this module instance's audit hook (a hidden test re-imports graders: each copy adds its own)


def _hook(event, args):
    if event == "open" and getattr(_watch, "on", False) and args and isinstance(args[0], (str, bytes)):
        path = args[0].decode() if isinstance(args[0], bytes) else args[0]
        if str(HIDDEN_DIR) in path or "graders/hidden" in path.replace("\\", "/"):
            _watch.touched = path


@contextlib.contextmanager
def no_hidden_reads(exercise: str):
    """Fail if the code run inside opens a file of ``graders/hidden``."""
    if not _hooked:
        sys.addaudithook(_hook)
        _hooked.append(True)
    _watch.on, _watch.touched = True, None
    try:
        yield
    finally:
        _watch.on = False
    if _watch.touched:
        fail(exercise, "tu código abrió los datos ocultos de corrección",
             "la caché solo puede usar las peticiones que recibe, nunca las etiquetas")


def measure(factory, *, hidden: bool, exercise: str = EJ3) -> dict:
    rows = replay.slice_rows(hidden=hidden, days=HIDDEN_DAYS if hidden else PUBLIC_DAYS)
    judge = replay.Judge(rows)
    embed = replay.vectors_for(rows, hidden=hidden)
    with no_hidden_reads(exercise):
        cache = call(exercise, factory, embed)
        if not (callable(getattr(cache, "lookup", None)) and callable(getattr(cache, "store", None))):
            fail(exercise, f"crear_cache_semantica() devolvió {type(cache).__name__}, sin lookup() y store()",
                 "devuelve SemanticCache(embed=embed, threshold=..., guards=[...])")
        try:
            result = replay.replay(cache, rows, judge)
        except AssertionError:
            raise
        except Exception as exc:
            fail(exercise, f"tu caché lanzó {type(exc).__name__}: {exc}",
                 "pruébala tú con la celda de repetición del tráfico público")
    result["tasa_exacta"] = replay.replay(ExactOnly(), rows, judge)["tasa_aciertos"]
    return result


class ExactOnly:
    """Exact matching alone (the baseline the semantic cache must beat)."""

    def __init__(self):
        from course_lib.cache import ExactCache

        self.cache = ExactCache(max_entries=None)

    def lookup(self, params):
        from course_lib.cache import SemanticHit

        entry = self.cache.lookup(params)
        return None if entry is None else SemanticHit(entry, 1.0, "")

    def store(self, params, response):
        self.cache.store(params, response)


def _check(factory, *, hidden: bool, exercise: str) -> dict:
    r = measure(factory, hidden=hidden, exercise=exercise)
    if r["aciertos"] and r["tasa_falsos"] > FALSE_CEILING:
        ejemplo = ""
        if r["ejemplos_falsos"]:
            pregunta, servida = r["ejemplos_falsos"][0]
            ejemplo = f" (a «{pregunta[:70]}» le serviste la respuesta de «{servida[:70]}»)"
        fail(exercise, f"el {pct(r['tasa_falsos'], decimals=1)} de tus aciertos son falsos{ejemplo}; el máximo es "
             f"{pct(FALSE_CEILING, decimals=0)}",
             "sube el umbral o añade guardas (DetailGuard, swaps=True) para los casi iguales")
    gate = r["tasa_exacta"] + GAIN_GATE
    if r["tasa_aciertos"] < gate:
        fail(exercise, f"aciertas el {pct(r['tasa_aciertos'], decimals=1)} de las peticiones que la caché podía "
             f"responder; la coincidencia exacta sola llega al {pct(r['tasa_exacta'], decimals=1)} y se pide al menos "
             f"un {pct(gate, decimals=1)}",
             "con umbral 1 solo aciertan las repeticiones exactas: bájalo con la curva de "
             "precisión–exhaustividad y deja que las guardas frenen los falsos aciertos")
    return r


def check_cache_semantica(factory) -> None:
    r = _check(factory, hidden=False, exercise=EJ3)
    print(f"✔ Ejercicio 3: {pct(r['tasa_aciertos'], decimals=1)} de aciertos sobre lo respondible, "
          f"{pct(r['tasa_falsos'], decimals=1)} de aciertos falsos.")


def check_cache_semantica_oculto(factory) -> None:
    _check(factory, hidden=True, exercise=EJ3 + " [prueba oculta]")
