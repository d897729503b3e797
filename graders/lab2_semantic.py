"""Lab 2, exercise 3: the learner's semantic cache replayed over Mercadela's traffic.

``crear_cache_semantica(embed)`` returns a cache with ``lookup(params)`` and
``store(params, response)`` (a ``course_lib.cache.SemanticCache`` with the
threshold and guards the learner chose). The visible check replays the first
days of the public traffic in the learner's kernel (``graders.lab2_replay``).
The hidden one, ``check_cache_semantica_oculto(worker)``, runs in the grader
process on the first two days of the hidden traffic: it sends the kernel the
slice's texts and their stored vectors (``lab2_replay.table_embed``, built on
the learner's side), has the kernel build the learner's cache on that
``embed`` and replay the texts (``lab2_replay.play_cache``, one call), and judges
the rows each hit served with the hidden labels, which never leave the
grader. Gates, measured on the reference solution
(``DetailGuard(swaps=True)``, threshold 0.90): hidden hit rate 0.406 with
1.8 % false hits; exact matching alone reaches 0.323. A submission passes with
a hit rate ≥ exact matching's + ``GAIN_GATE`` and false hits ≤ ``FALSE_CEILING`` of its hits.
"""

from __future__ import annotations

from course_lib.numbers import pct
from graders import call, fail
from graders import lab2_replay as replay

EJ3 = "Ejercicio 3 (caché semántica)"
GAIN_GATE = 0.03
FALSE_CEILING = 0.02
PUBLIC_DAYS, HIDDEN_DAYS = 2.0, 2.0
NO_CACHE_HINT = "devuelve SemanticCache(embed=embed, threshold=..., guards=[...])"
RAISED_HINT = "pruébala tú con la celda de repetición del tráfico público"


def measure(factory, *, hidden: bool = False, exercise: str = EJ3) -> dict:
    """The replay of the public slice (or, for an author's tests, the hidden one) in this process."""
    rows = replay.slice_rows(hidden=hidden, days=HIDDEN_DAYS if hidden else PUBLIC_DAYS)
    judge = replay.Judge(rows)
    cache = call(exercise, factory, replay.vectors_for(rows, hidden=hidden))
    if not (callable(getattr(cache, "lookup", None)) and callable(getattr(cache, "store", None))):
        fail(exercise, f"crear_cache_semantica() devolvió {type(cache).__name__}, sin lookup() y store()",
             NO_CACHE_HINT)
    try:
        served = replay.play(cache, list(rows.text))
    except AssertionError:
        raise
    except Exception as exc:
        fail(exercise, f"tu caché lanzó {type(exc).__name__}: {exc}", RAISED_HINT)
    return _with_baseline(replay.score(rows, served, judge), rows, judge)


def _with_baseline(result: dict, rows, judge) -> dict:
    result["tasa_exacta"] = replay.replay(ExactOnly(), rows, judge)["tasa_aciertos"]
    return result


def measure_remote(worker, exercise: str = EJ3) -> dict:
    """The hidden replay: the learner's cache runs in the kernel, the labels stay here."""
    from graders.lab2 import on_kernel

    rows = replay.slice_rows(hidden=True, days=HIDDEN_DAYS)
    judge = replay.Judge(rows)
    texts = sorted(set(rows.text))
    embed = worker.keep("graders.lab2_replay:table_embed", texts,
                        replay.vectors_for(rows, hidden=True)(texts))
    cache = on_kernel(exercise, worker.keep, "crear_cache_semantica", embed)
    played = on_kernel(exercise, worker.call, "graders.lab2_replay:play_cache", cache, list(rows.text),
                       what="tu caché", hint=RAISED_HINT)
    if type(played) is dict and type(played.get("no_es_cache")) is str:
        fail(exercise, f"crear_cache_semantica() devolvió {played['no_es_cache'][:60]}, sin lookup() y store()",
             NO_CACHE_HINT)
    served = played.get("servidas") if type(played) is dict else None
    if type(served) is not list or len(served) != len(rows) or not all(
            s is replay.MISS or type(s) is int for s in served):
        fail(exercise, "la repetición del tráfico no devolvió un resultado por petición",
             "no cambies las funciones de graders: tu caché solo tiene que responder lookup() y store()")
    return _with_baseline(replay.score(rows, served, judge), rows, judge)


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


def _judge(r: dict, exercise: str) -> dict:
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
    r = _judge(measure(factory, exercise=EJ3), EJ3)
    print(f"✔ Ejercicio 3: {pct(r['tasa_aciertos'], decimals=1)} de aciertos sobre lo respondible, "
          f"{pct(r['tasa_falsos'], decimals=1)} de aciertos falsos.")


def check_cache_semantica_oculto(worker) -> None:
    """Hidden check (grader): 1.024 requests of the hidden traffic, judged with their labels here."""
    exercise = EJ3 + " [prueba oculta]"
    _judge(measure_remote(worker, exercise), exercise)
