"""Checks of lab 4 «Alertas de presupuesto y monitoreo».

Each ``check_*`` runs the learner's function on public data, in the kernel
(visible check). Each ``check_*_oculto(worker)`` is a hidden check run by the
grader process (``graders.verdicts``): it reads the hidden slice of
Mercadela's traffic (9–29 March 2026, ``graders/hidden/``) and the hidden
budgets and cost spikes of ``lab4_cases.json``, sends the kernel only the
inputs (ledger rows, the budgets to replay, the training days, the hourly
cost) and judges there. The *drivers* below (visible, run on the learner's
side with ``worker.call("graders.lab4:…")``) rebuild those inputs as the
objects the learner's function expects, loop over it where there are
thousands of calls, and hand back plain values; what they report is judged
like any other answer of the kernel. The hard cap of exercise 3 is judged on
what a simulator owned by the checker billed, never on the kernel's numbers.
Oracles are computed here independently of ``course_lib.budgets`` (plain
loops, ``zoneinfo``), and the typical wrong answers (cost per attempt instead
of per call, periods cut in UTC, a guard that checks and then adds, a
forecast that repeats the last value, a detector that flags everything) are
recognised to name the fix.
"""

from __future__ import annotations

import functools
import sys
import threading
import time
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from course_lib import numbers
from graders import CheckFailed, call, fail, kernel_sim, load_hidden, on_kernel, run_visible_checks
from graders import lab4_data as data

EJ1, EJ2, EJ3, EJ4, EJ5 = (f"Ejercicio {i}" for i in range(1, 6))
MAPE_GATE, NAIVE_GAIN = 0.10, 0.20            # reference: 4,9 % hidden (seasonal naive 10,2 %)
RECALL_GATE, FALSE_PER_30_DAYS = 0.90, 1.0     # reference: 10 of 10 caught, 0 false alarms in 84 days
MADRID = "Europe/Madrid"


def _num(x, digits: int) -> str:
    return numbers.num(x, decimals=digits)


def _pct(x, digits: int = 1) -> str:
    return numbers.pct(x, decimals=digits)


# -- the grader's side of a hidden check --------------------------------------------------------

def _function(worker, name: str):
    """A handle of the learner's function itself, for a driver that calls it on the learner's side."""
    return worker.handle(name)


def _driven(worker, driver: str, *args, **kwargs):
    """Run a visible driver on the learner's side; a failure it reports (``{"fallo": ...}``) fails here."""
    return _reported_failure(worker.call(f"graders.lab4:{driver}", *args, **kwargs))


def _driven_here(driver: str, *args, **kwargs):
    """A visible check runs the same drivers in this process (the kernel)."""
    return _reported_failure(globals()[driver](*args, **kwargs))


def _reported_failure(got):
    if type(got) is dict and "fallo" in got:
        raise CheckFailed(str(got["fallo"])[:1000])
    if type(got) is not dict:
        raise AssertionError("respuesta no válida del cuaderno")
    return got


def _reported(exercise: str, func):
    """A driver's wrapper: the learner's failures travel back as ``{"fallo": message}``."""
    @functools.wraps(func)
    def run(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except CheckFailed as exc:
            return {"fallo": str(exc)}
        except Exception as exc:  # the learner's objects misbehaved inside the driver
            return {"fallo": f"{exercise}: tu código lanzó {type(exc).__name__}: {exc}. Pista: ejecútalo tú con "
                             "el ejemplo de la celda anterior y corrige el error."}
    return run


# -- ejercicio 1: metrics -----------------------------------------------------------------

def oracle_metrics(recs) -> dict:
    calls = {r.call_id for r in recs}
    total = sum((r.cost for r in recs), Decimal(0))
    attempts = [r for r in recs if not r.response_cache_hit]
    by = lambda col: {k: sum((r.cost for r in recs if getattr(r, col) == k), Decimal(0))  # noqa: E731
                      for k in {getattr(r, col) for r in recs}}
    models = {m: sum(1 for r in attempts if r.model == m) / len(attempts) for m in {r.model for r in attempts}}
    return {"coste_por_consulta": total / len(calls), "coste_por_usuario": by("user"), "coste_por_equipo": by("team"),
            "tasa_aciertos_cache": len({r.call_id for r in recs if r.response_cache_hit}) / len(calls),
            "utilizacion_modelos": models}


def _close(a, b, rel=1e-6) -> bool:
    try:
        a, b = float(a), float(b)
    except (TypeError, ValueError):
        return False
    return abs(a - b) <= rel * max(abs(b), 1e-12)


def _judge_metrics(got, recs, where=""):
    if not isinstance(got, dict):
        fail(EJ1, f"metricas() debe devolver un diccionario, no {type(got).__name__}", "mira las claves del enunciado")
    want = oracle_metrics(recs)
    missing = [k for k in want if k not in got]
    if missing:
        fail(EJ1, f"faltan las claves {', '.join(missing)}", "devuelve exactamente las cinco claves del enunciado")
    rows = len(recs)
    total = sum((r.cost for r in recs), Decimal(0))
    if not _close(got["coste_por_consulta"], want["coste_por_consulta"]):
        if _close(got["coste_por_consulta"], total / rows):
            fail(EJ1, f"el coste por consulta{where} divide entre filas (intentos)",
                 "una consulta es un call_id: los dos intentos de una cascada y un acierto de caché son una consulta cada uno")
        fail(EJ1, f"el coste por consulta{where} no coincide", "coste total / número de call_id distintos")
    if not _close(got["tasa_aciertos_cache"], want["tasa_aciertos_cache"]):
        fail(EJ1, f"la tasa de aciertos de caché{where} no coincide",
             "aciertos (response_cache_hit) entre consultas (call_id distintos), no entre filas")
    for key, hint in (("coste_por_usuario", "suma r.cost por r.user"), ("coste_por_equipo", "suma r.cost por r.team")):
        g, w = got[key], want[key]
        if not isinstance(g, dict) or set(g) != set(w) or not all(_close(g[k], w[k]) for k in w):
            fail(EJ1, f"{key}{where} no coincide", hint)
    g, w = got["utilizacion_modelos"], want["utilizacion_modelos"]
    if not isinstance(g, dict) or set(g) != set(w) or not all(_close(g[k], w[k], 1e-9) for k in w):
        fail(EJ1, f"la utilización de modelos{where} no coincide",
             "cuenta intentos al proveedor por modelo (sin los aciertos de caché) y divide entre el total de intentos")


def check_metricas(func) -> None:
    recs = data.metrics_records(split="public", rows=800)
    _judge_metrics(call(EJ1, func, list(recs)), recs)
    print("✔ Ejercicio 1: métricas correctas en el registro de ejemplo.")


def records_of(rows: list) -> list:
    """Driver: ledger rows (plain dicts) → the ``CallRecord`` list the learner's function receives."""
    from course_lib.usage import CallRecord
    return [CallRecord(**row) for row in rows]


def plain_dicts(value):
    """Driver: the standard library's dict types (``defaultdict``, ``Counter``, ``OrderedDict``) in a
    result as plain ``dict``, so a correct answer written with them travels; anything else as it is."""
    import collections
    if type(value) in (dict, collections.defaultdict, collections.Counter, collections.OrderedDict):
        return {k: plain_dicts(v) for k, v in value.items()}
    return value


def check_metricas_oculto(worker) -> None:
    spec = load_hidden("lab4_cases.json")["ledger_sample"]
    recs = data.metrics_records(split="hidden", **spec)
    rows = worker.keep("graders.lab4:records_of", [dict(r.__dict__) for r in recs])
    got = worker.call("graders.lab4:plain_dicts", on_kernel(EJ1, worker.keep, "metricas", rows))
    _judge_metrics(got, recs, " (registro oculto)")


# -- ejercicio 2: alerts replayed -------------------------------------------------------------

def _period_key(ts: float, period: str, tz: str) -> str:
    local = datetime.fromtimestamp(ts, ZoneInfo(tz))
    if period == "day":
        return local.strftime("%Y-%m-%d")
    if period == "week":
        y, w, _ = local.isocalendar()
        return f"{y}-W{w:02d}"
    return local.strftime("%Y-%m")


def _applies(spec: dict, rec) -> bool:
    field = {"team": "team", "feature": "feature", "user": "user", "key": "api_key_id"}.get(spec["scope"])
    return field is None or getattr(rec, field) == spec["value"]


def oracle_alerts(recs, specs, *, tz_override: str | None = None) -> set[tuple[str, str, str]]:
    """(budget, threshold, request_id) of every threshold crossing, once per period."""
    fired = set()
    for spec in specs:
        spent: dict[str, Decimal] = {}
        done: set = set()
        for r in recs:
            if not _applies(spec, r):
                continue
            key = _period_key(r.ts, spec["period"], tz_override or spec["tz"])
            spent[key] = spent.get(key, Decimal(0)) + r.cost
            for share in ("0.5", "0.8", "1"):
                if (key, share) not in done and spent[key] > 0 and spent[key] >= Decimal(spec["limit"]) * Decimal(share):
                    done.add((key, share))
                    fired.add((spec["name"], share, r.request_id))
    return fired


def _budgets(specs):
    from course_lib.budgets import Budget
    return [Budget(**{k: v for k, v in s.items() if v != "" or k != "value"}, hard=False) for s in specs]


def _replay(func, recs, specs) -> list[list[str]]:
    """The learner's function over ``recs`` in order: ``[budget, threshold, request_id]`` of each alert."""
    from course_lib.budgets import BudgetStore
    budgets, store = _budgets(specs), BudgetStore(":memory:")
    fired = []
    for r in recs:
        out = call(EJ2, func, r, budgets, store) or []
        for a in out:
            name = getattr(getattr(a, "budget", None), "name", getattr(a, "budget", None))
            share = getattr(a, "threshold", None)
            if name is None or share is None:
                fail(EJ2, "cada alerta devuelta debe tener .budget y .threshold (usa las Alert del almacén)",
                     "devuelve lo que devuelve almacen.charge(...) o almacen.settle(...)")
            fired.append([str(name), str(Decimal(str(share)).normalize()), str(r.request_id)])
    return fired


@functools.partial(_reported, EJ2)
def replay_alerts(func, rows: list, specs: list) -> dict:
    """Driver: replay the ledger ``rows`` through the learner's ``registrar_y_alertar``."""
    return {"alertas": _replay(func, records_of(rows), specs)}


def _judge_alerts(fired, recs, specs, where=""):
    if type(fired) is not list or not all(type(a) is list and len(a) == 3 and all(type(v) is str for v in a)
                                          for a in fired):
        fail(EJ2, "las alertas no llegaron como se esperaba", "devuelve lo que devuelve almacen.charge(...)")
    got = {tuple(a) for a in fired}
    want = {(b, str(Decimal(s).normalize()), rid) for b, s, rid in oracle_alerts(recs, specs)}
    if got == want:
        return len(want)
    if len(got) > 3 * len(want):
        fail(EJ2, f"tus alertas{where} se disparan {len(got)} veces (esperaba {len(want)})",
             "cada umbral dispara una sola vez por periodo: usa el almacén (charge) y devuelve solo lo que devuelve")
    utc = {(b, str(Decimal(s).normalize()), rid) for b, s, rid in oracle_alerts(recs, specs, tz_override="UTC")}
    if got == utc:
        fail(EJ2, f"las alertas{where} se reinician a medianoche UTC",
             "cada presupuesto se reinicia en su zona horaria (Budget(tz=...)): no la pierdas")
    missing, extra = len(want - got), len(got - want)
    fail(EJ2, f"{missing} alertas esperadas no se dispararon y {extra} sobran{where}",
         "reserva y liquida el coste de cada registro en todos los presupuestos que le aplican, con now=registro.ts")


PUBLIC_BUDGETS = [
    {"name": "ecommerce-dia", "scope": "team", "value": "ecommerce", "period": "day", "tz": MADRID, "limit": "55"},
    {"name": "marketing-semana", "scope": "team", "value": "marketing", "period": "week", "tz": "Atlantic/Canary",
     "limit": "60"},
    {"name": "org-mes", "scope": "organization", "value": "", "period": "month", "tz": MADRID, "limit": "3000"},
]


@functools.lru_cache(maxsize=2)
def _priced(split: str):
    return data.traffic_records(split=split)


def check_alertas(func) -> None:
    recs = [r for r in _priced("public") if "2026-02-09" <= datetime.utcfromtimestamp(r.ts).strftime("%F") < "2026-02-16"]
    n = _judge_alerts(_replay(func, recs, PUBLIC_BUDGETS), recs, PUBLIC_BUDGETS)
    print(f"✔ Ejercicio 2: las {n} alertas de la semana del 9 de febrero saltan una vez, en la petición que "
          "cruza cada umbral.")


def check_alertas_oculto(worker) -> None:
    recs, specs = list(_priced("hidden")), load_hidden("lab4_cases.json")["budgets"]
    got = _driven(worker, "replay_alerts", _function(worker, "registrar_y_alertar"),
                  [dict(r.__dict__) for r in recs], specs)
    _judge_alerts(got.get("alertas"), recs, specs, " (tráfico oculto)")


# -- ejercicio 3: the hard cap under concurrency -------------------------------------------------
#
# The learner's guard runs on the learner's side (threads, then forked processes sharing one SQLite
# store, each building its guard with the learner's function); its calls go to a simulator owned by
# the checker, which answers every chat call after a 20 ms wait so that calls overlap and a guard
# that checks and then adds lets several through at the cap. What counts is what that simulator
# billed: the total against the cap plus one worst case, and whether a call reached it when the
# bill was already at the cap.

QUESTIONS = ["¿Cuánto cuesta el envío a Canarias?", "¿Puedo devolver un producto usado?",
             "¿Cómo pido una factura de empresa?", "¿Qué cubre Mercadela Protect?"]
CONTEXT = "Política de envíos de Mercadela: plazos, costes y destinos. " * 55   # 901 tokens, no prompt cache
MAX_TOKENS = 100           # the simulator's answers are longer: each call bills ~its worst case
PROVIDER_DELAY = 0.02      # seconds the simulator waits before serving each chat call
GUARD_MODEL = "gpt-4o"


def _guard_request(i: int) -> dict:
    return {"model": GUARD_MODEL, "max_tokens": MAX_TOKENS,
            "messages": [{"role": "system", "content": CONTEXT},
                         {"role": "user", "content": QUESTIONS[i % len(QUESTIONS)]}]}


def _guard_client(base_url: str):
    from course_lib.client import connect
    from course_lib.client.connection import DEFAULT_KEY
    return connect(provider="openai", base_url=base_url, api_key=DEFAULT_KEY, max_retries=0, ledger=":memory:")


def _new_guard(factory, limit: str, store):
    """The learner's guard for one budget of ``limit`` USD a month, on ``store``."""
    from course_lib.budgets import Budget
    from course_lib.pricing import PriceBook

    guard = call(EJ3, factory, [Budget(name="tope", limit=limit, period="month", tz=MADRID)], PriceBook.default(),
                 store)
    if not callable(guard):
        fail(EJ3, "crear_guardia() debe devolver un middleware (una función call, call_next)",
             "devuelve BudgetGuard(...) o tu propia función")
    return guard


def _calls(client, index: int, calls: int, errors: list) -> None:
    """``calls`` calls through ``client``; a refusal is expected, any other exception is noted."""
    from course_lib.client.pipeline import CallRefused

    for j in range(calls):
        try:
            client.chat.completions.create(**_guard_request(index + j))
        except CallRefused:
            pass
        except Exception as exc:   # reported after the threads end
            errors.append(f"{type(exc).__name__}: {exc}"[:300])


@functools.partial(_reported, EJ3)
def guard_threads(factory, base_url: str, *, limit: str, threads: int, calls: int) -> dict:
    """Driver: one guard built by the learner's function, ``threads`` threads calling through it."""
    from course_lib.budgets import BudgetStore

    client, errors = _guard_client(base_url), []
    client.pipeline.use(_new_guard(factory, limit, BudgetStore(":memory:")), slot="guard", name="guardia")
    pool = [threading.Thread(target=_calls, args=(client, i, calls, errors)) for i in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    client.close()
    return {"errors": errors[:3]}


def _process_main(factory, base_url: str, limit: str, path: str, index: int, calls: int, errors) -> None:
    """One forked process: its own client, the learner's guard built by their function on the shared store."""
    import os
    # A forked child of a Jupyter kernel must not touch the kernel's ZMQ sockets: no prints reach
    # them, and it leaves with os._exit (no finalizers, no flush of the kernel's streams).
    sys.stdout = sys.stderr = open(os.devnull, "w")
    try:
        from course_lib.budgets import BudgetStore

        client, found = _guard_client(base_url), []
        client.pipeline.use(_new_guard(factory, limit, BudgetStore(path)), slot="guard", name="guardia")
        _calls(client, index, calls, found)
        for message in found[:1]:
            errors.put(message)
    except CheckFailed as exc:
        errors.put(str(exc)[:300])
    except BaseException as exc:
        errors.put(f"{type(exc).__name__}: {exc}"[:300])
    finally:
        os._exit(0)


@functools.partial(_reported, EJ3)
def guard_processes(factory, base_url: str, *, limit: str, processes: int, calls: int) -> dict:
    """Driver: ``processes`` forked processes, each with the learner's guard on one shared SQLite store."""
    import gc
    import multiprocessing as mp
    import shutil
    import tempfile

    from course_lib.budgets import BudgetStore

    if "fork" not in mp.get_all_start_methods():      # Windows: no fork
        return {"sin_fork": True}
    ctx = mp.get_context("fork")          # the learner's function lives in the notebook: fork inherits it
    folder = tempfile.mkdtemp(prefix="lab4-procesos-")
    path = f"{folder}/tope.sqlite"
    BudgetStore(path).close()
    errors = ctx.SimpleQueue()            # written synchronously: nothing lost at os._exit
    pool = [ctx.Process(target=_process_main, args=(factory, base_url, limit, path, i, calls, errors), daemon=True)
            for i in range(processes)]
    gc.freeze()                           # the children never collect (and close) the kernel's objects
    try:
        for p in pool:
            p.start()
        gc.unfreeze()
        deadline = time.monotonic() + 30
        for p in pool:
            p.join(max(0.1, deadline - time.monotonic()))
        stuck = [p for p in pool if p.is_alive()]
        for p in stuck:
            p.kill()
        found = []
        while not errors.empty():
            found.append(errors.get())
    finally:
        gc.unfreeze()
        shutil.rmtree(folder, ignore_errors=True)
    return {"errors": found[:3], "stuck": len(stuck)}


class _SlowProvider:
    """Stands in for the checker's simulator's fault injector: every chat call waits
    ``PROVIDER_DELAY`` seconds before it is served (and billed); the arrival times are noted
    on the simulator's clock, the one its ledger records are stamped with."""

    def __init__(self, clock):
        self.clock, self.arrivals = clock, []

    async def check(self, route: str, *, model=None, api_key=None) -> float:
        if route != "/v1/chat/completions":
            return 0.0
        self.arrivals.append(self.clock())
        return PROVIDER_DELAY


def _billed(sim, slow: _SlowProvider, since: int, arrivals_since: int, limit: str) -> dict:
    """What the checker's simulator billed from record ``since`` on, judged against ``limit``."""
    from course_lib.pricing import PriceBook, Usage

    prices = PriceBook.default()
    recs = [r for r in kernel_sim.provider_records(sim)[since:] if r.endpoint == "chat.completions"]
    limit = Decimal(limit)
    spent = sum((Decimal(r.cost) for r in recs), Decimal(0))
    worst = max((prices.cost(r.model, Usage(r.input_tokens, max(MAX_TOKENS, r.output_tokens))) for r in recs),
                default=Decimal(0))
    bills = sorted((r.ts, Decimal(r.cost)) for r in recs)
    late = 0
    for arrival in slow.arrivals[arrivals_since:]:
        if sum((c for ts, c in bills if ts <= arrival), Decimal(0)) >= limit:
            late += 1
    return {"spent": spent, "worst": worst, "late": late, "calls": len(recs), "limit": limit}


def _judge_threads(report, bill, *, n, where=""):
    if report.get("errors"):
        fail(EJ3, f"tu guardia lanzó {str(report['errors'][0])[:300]}{where}",
             "al llegar al tope rechaza con BudgetExceeded (un CallRefused), no con otra excepción")
    if not bill["calls"]:
        fail(EJ3, f"tu guardia no dejó pasar ninguna llamada{where}", "reserva el peor caso y deja pasar si cabe")
    limit = bill["limit"]
    if bill["spent"] > limit + bill["worst"]:
        fail(EJ3, f"con {n} hilos a la vez se gastaron {_num(bill['spent'], 4)} USD con un tope de "
             f"{_num(limit, 2)} USD{where}",
             "comprobar y después sumar deja pasar a todos los que comprueban a la vez: reserva el peor caso de forma "
             "atómica antes de llamar (BudgetStore.reserve, BEGIN IMMEDIATE) y liquida después")
    if bill["late"]:
        fail(EJ3, f"{bill['late']} llamadas empezaron con el tope ya alcanzado{where}",
             "rechaza en cuanto no cabe el peor caso")
    if bill["spent"] < limit / 2:
        fail(EJ3, f"la guardia rechazó demasiado pronto: solo {_num(bill['spent'], 4)} de {_num(limit, 2)} USD{where}",
             "libera o liquida cada reserva al terminar la llamada")


def _judge_processes(report, bill, *, n, where=""):
    if report.get("stuck"):
        fail(EJ3, f"{report['stuck']} de {n} procesos no terminaron en 30 segundos",
             "tu guardia se queda bloqueada cuando varios procesos comparten el almacén: usa sus transacciones")
    if report.get("errors"):
        fail(EJ3, f"con varios procesos tu guardia lanzó {str(report['errors'][0])[:300]}{where}",
             "crear_guardia recibe el almacén compartido: guarda en él lo gastado, no en una variable del proceso")
    if not bill["calls"]:
        fail(EJ3, f"con varios procesos tu guardia no dejó pasar ninguna llamada{where}",
             "reserva el peor caso en el almacén y deja pasar si cabe")
    if bill["spent"] > bill["limit"] + bill["worst"]:
        fail(EJ3, f"{n} procesos que comparten el almacén gastaron {_num(bill['spent'], 4)} USD con un tope de "
             f"{_num(bill['limit'], 2)} USD{where}",
             "cada proceso tiene su propia memoria: lo gastado y lo reservado deben vivir en el almacén compartido, "
             "y reservar el peor caso debe ser atómico (BudgetStore.reserve, BEGIN IMMEDIATE)")
    if bill["late"]:
        fail(EJ3, f"con {n} procesos, {bill['late']} llamadas empezaron con el tope ya alcanzado{where}",
             "rechaza en cuanto el peor caso no cabe en lo que queda del presupuesto compartido")
    if bill["spent"] < bill["limit"] / 2:
        fail(EJ3, f"con varios procesos la guardia rechazó demasiado pronto: solo {_num(bill['spent'], 4)} de "
             f"{_num(bill['limit'], 2)} USD{where}", "libera o liquida cada reserva al terminar la llamada")


def _check_guard(factory, drive, *, threads: tuple[str, int, int] | None, processes: tuple[str, int, int] | None,
                 where=""):
    """The rounds asked for (``(limit, threads or processes, calls each)``) of the learner's guard
    ``factory``, run by ``drive(driver, ...)``, against one simulator of the checker's; the bill of
    each round (``None`` if it did not run)."""
    bills = []
    with kernel_sim.grader_simulator() as sim:
        slow = _SlowProvider(sim.simulator.state.clock)
        sim.simulator.state.faults = slow
        for driver, round_, judge in (("guard_threads", threads, _judge_threads),
                                      ("guard_processes", processes, _judge_processes)):
            if round_ is None:
                bills.append(None)
                continue
            limit, n, calls = round_
            since, arrived = len(kernel_sim.provider_records(sim)), len(slow.arrivals)
            size = {"threads" if driver == "guard_threads" else "processes": n}
            report = drive(driver, factory, sim.simulator.base_url, limit=limit, calls=calls, **size)
            if report.get("sin_fork"):
                bills.append(None)
                continue
            bills.append(_billed(sim, slow, since, arrived, limit))
            judge(report, bills[-1], n=n, where=where)
    return tuple(bills)


def check_guardia(func) -> None:
    first, second = _check_guard(func, _driven_here, threads=("0.12", 8, 12), processes=("0.07", 4, 12))
    procs = (f"4 procesos con el mismo almacén, {_num(second['spent'], 4)} USD con un tope de 0,07 USD"
             if second else "este sistema no puede bifurcar procesos: esa prueba se hará al corregir")
    print(f"✔ Ejercicio 3: 8 hilos a la vez gastaron {_num(first['spent'], 4)} USD con un tope de 0,12 USD "
          f"({first['calls']} de 96 llamadas admitidas); {procs}.")


def check_guardia_oculto(worker) -> None:
    _check_guard(_function(worker, "crear_guardia"), functools.partial(_driven, worker), threads=("0.21", 12, 14),
                 processes=("0.08", 4, 12), where=" (prueba oculta)")


# -- ejercicio 4: forecast ---------------------------------------------------------------------------

def _judge_forecast_shape(got, horizon):
    frame = got.to_frame("media") if isinstance(got, pd.Series) else got
    if not isinstance(frame, pd.DataFrame) or "media" not in frame:
        fail(EJ4, "prever_gasto() debe devolver un DataFrame con la columna 'media' (y 'inferior', 'superior')",
             "mira el ejemplo del enunciado")
    if len(frame) != horizon:
        fail(EJ4, f"la previsión tiene {len(frame)} días y se pidieron {horizon}", "devuelve exactamente `dias` filas")
    values = pd.to_numeric(frame["media"], errors="coerce").to_numpy(dtype=float)
    if not np.isfinite(values).all():
        fail(EJ4, "la previsión tiene valores vacíos o infinitos", "comprueba el ajuste del modelo")
    return frame, values


def _split(daily, train_end, horizon):
    train = daily[daily.index < pd.Timestamp(train_end, tz="UTC")]
    test = daily[daily.index >= pd.Timestamp(train_end, tz="UTC")].iloc[:horizon]
    return train, test


def _judge_forecast(got, train, test, where=""):
    from course_lib.budgets.forecast import coverage, mape, seasonal_naive
    frame, values = _judge_forecast_shape(got, len(test))
    ours, naive = mape(test.to_numpy(), values), mape(test.to_numpy(), seasonal_naive(train, len(test)).to_numpy())
    cov = (coverage(test.to_numpy(), frame["inferior"], frame["superior"])
           if {"inferior", "superior"} <= set(frame.columns) else None)
    if ours > MAPE_GATE or ours > (1 - NAIVE_GAIN) * naive:
        last = mape(test.to_numpy(), np.full(len(test), float(train.iloc[-1])))
        hint = ("repetir el último valor ignora la semana y la tendencia: ajusta un modelo con estacionalidad semanal "
                "(forecast_daily o ETS de statsmodels)" if abs(ours - last) < 1e-9 else
                "usa tendencia + estacionalidad semanal (seasonal_periods=7) y recorta el pico del 14 de febrero")
        fail(EJ4, f"MAPE{where} de {_pct(ours)} (el ingenuo estacional logra {_pct(naive)}; se pide ≤ "
             f"{_pct(MAPE_GATE, 0)} y un {_pct(NAIVE_GAIN, 0)} mejor)", hint)
    return ours, naive, cov


def _daily_all():
    return data.daily_cost(_priced("public") + _priced("hidden"), tz="UTC")


def as_series(series, tz: str = "UTC", freq: str = "D"):
    """Driver: a cost series as it arrives on the wire → the one the lab builds (time index in ``tz``
    with its frequency, float values)."""
    index = pd.DatetimeIndex(pd.to_datetime(list(series.index), utc=True)).tz_convert(tz)
    return pd.Series(series.to_numpy(dtype=float), index=pd.DatetimeIndex(index, freq=freq, name="time"),
                     name=series.name)


def check_prevision(func) -> None:
    train, test = _split(data.daily_cost(_priced("public"), tz="UTC"), "2026-02-23", 14)
    ours, naive, cov = _judge_forecast(call(EJ4, func, train.copy(), len(test)), train, test)
    extra = f", cobertura del intervalo {_pct(cov, 0)}" if cov is not None else ""
    print(f"✔ Ejercicio 4: MAPE {_pct(ours)} frente a {_pct(naive)} del ingenuo estacional{extra}.")


def check_prevision_oculto(worker) -> None:
    spec = load_hidden("lab4_cases.json")["forecast"]
    train, test = _split(_daily_all(), spec["train_end"], spec["horizon"])
    got = on_kernel(EJ4, worker.call, "prever_gasto", worker.keep("graders.lab4:as_series", train), len(test))
    _judge_forecast(got, train, test, " (periodo oculto)")


# -- ejercicio 5: anomalies -------------------------------------------------------------------------

def _events(got):
    """The learner's anomalies as ``(feature, start, end)`` with Madrid timestamps."""
    out = []
    for e in got or []:
        if isinstance(e, (tuple, list)) and len(e) >= 2:
            feature, start = e[0], e[1]
            end = e[2] if len(e) > 2 else None
        else:
            feature, start, end = getattr(e, "feature", None), getattr(e, "start", None), getattr(e, "end", None)
        if feature is None or start is None:
            fail(EJ5, "cada anomalía debe ser un Anomaly o una tupla (funcionalidad, inicio[, fin])",
                 "devuelve lo que devuelve AnomalyDetector.detect(...)")
        start = pd.Timestamp(start)
        start = start.tz_localize(MADRID) if start.tzinfo is None else start
        end = pd.Timestamp(end) if end is not None else start + pd.Timedelta(hours=1)
        end = end.tz_localize(MADRID) if end.tzinfo is None else end
        out.append((str(feature), start, end))
    return out


@functools.partial(_reported, EJ5)
def plain_events(got) -> dict:
    """Driver: the learner's anomalies (``Anomaly`` objects or tuples) as plain ``(feature, start, end)``."""
    return {"eventos": [(f, pd.Timestamp(s.isoformat()), pd.Timestamp(e.isoformat())) for f, s, e in _events(got)]}


def _score(events, truth):
    caught = 0
    for feature, start, hours in truth:
        t0 = pd.Timestamp(start, tz=MADRID)
        if any(f == feature and s <= t0 + pd.Timedelta(hours=1) and e > t0 and s < t0 + pd.Timedelta(hours=hours)
               for f, s, e in events):
            caught += 1
    false = sum(1 for f, s, e in events if not any(
        f == feature and s < pd.Timestamp(start, tz=MADRID) + pd.Timedelta(hours=hours) and e > pd.Timestamp(start, tz=MADRID)
        for feature, start, hours in truth))
    return caught, false


def _judge_anomalies(events, truth, days, where=""):
    caught, false = _score(events, truth)
    per_30 = false * 30 / days
    if per_30 > FALSE_PER_30_DAYS:
        fail(EJ5, f"{false} falsas alarmas en {days} días{where} ({_num(per_30, 1)} cada 30 días; máximo "
             f"{FALSE_PER_30_DAYS:.0f})", "compara cada hora con la misma hora de semanas anteriores y exige un exceso grande")
    if caught < RECALL_GATE * len(truth):
        fail(EJ5, f"solo {caught} de {len(truth)} anomalías detectadas en su primera hora{where}",
             "usa una referencia robusta (mediana de la misma hora de la semana) y un umbral que dependa del nivel")
    return caught, false


def hourly_public():
    return data.hourly_cost(_priced("public"), tz=MADRID)


def check_anomalias(func) -> None:
    events = _events(call(EJ5, func, hourly_public()))
    caught, false = _judge_anomalies(events, [("campanas_email", "2026-02-14 10:00", 3)], 63)
    print(f"✔ Ejercicio 5: detectado el bucle de reintentos del 14 de febrero; {false} falsas alarmas en 63 días.")


def hourly_hidden(cases=None):
    cases = cases or load_hidden("lab4_cases.json")
    hourly = data.hourly_cost(_priced("public") + _priced("hidden"), tz=MADRID)
    for s in cases["spikes"]:
        t0 = pd.Timestamp(s["start"], tz=MADRID)
        hours = pd.date_range(t0, periods=s["hours"], freq="h")
        hourly.loc[hours, s["feature"]] += s["extra_per_hour"]
    truth = [(k["feature"], k["start"], k["hours"]) for k in cases["known"] + cases["spikes"]]
    return hourly, truth


def as_hourly(frame, tz: str = MADRID):
    """Driver: an hourly cost table as it arrives on the wire → the one the lab builds (hourly index in
    ``tz``, one float column per feature)."""
    index = pd.DatetimeIndex(pd.to_datetime(list(frame.index), utc=True)).tz_convert(tz)
    out = frame.astype(float)
    out.index = pd.DatetimeIndex(index, freq="h", name="time")
    out.columns = pd.Index(list(frame.columns), name="feature")
    return out


def _judge_events_shape(got):
    events = got.get("eventos")
    if type(events) is not list or not all(
            type(e) is tuple and len(e) == 3 and type(e[0]) is str and all(type(t) is pd.Timestamp for t in e[1:])
            for e in events):
        fail(EJ5, "cada anomalía debe ser un Anomaly o una tupla (funcionalidad, inicio[, fin])",
             "devuelve lo que devuelve AnomalyDetector.detect(...)")
    return [(f, s.tz_convert(MADRID), e.tz_convert(MADRID)) for f, s, e in events]


def check_anomalias_oculto(worker) -> None:
    hourly, truth = hourly_hidden()
    found = on_kernel(EJ5, worker.keep, "detectar_anomalias", worker.keep("graders.lab4:as_hourly", hourly))
    _judge_anomalies(_judge_events_shape(_driven(worker, "plain_events", found)), truth, 84, " (periodo oculto)")


# -- the closing self-check ---------------------------------------------------------------------

def comprueba_todo(namespace: dict) -> bool:
    """Run every visible check of lab 4 and print a summary (never raises)."""
    checks = [("Ejercicio 1", "metricas", check_metricas), ("Ejercicio 2", "registrar_y_alertar", check_alertas),
              ("Ejercicio 3", "crear_guardia", check_guardia), ("Ejercicio 4", "prever_gasto", check_prevision),
              ("Ejercicio 5", "detectar_anomalias", check_anomalias)]
    return run_visible_checks(namespace, checks)
