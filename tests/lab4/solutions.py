"""Reference solutions of lab 4 and the wrong ones its graders must reject."""

from decimal import Decimal

import numpy as np
import pandas as pd

from course_lib.budgets import AnomalyDetector, BudgetExceeded, BudgetGuard, forecast_daily
from course_lib.usage import metrics as m


def metricas(registros):
    return {"coste_por_consulta": m.cost_per_query(registros), "coste_por_usuario": m.cost_by(registros, "user"),
            "coste_por_equipo": m.cost_by(registros, "team"), "tasa_aciertos_cache": m.cache_hit_rate(registros),
            "utilizacion_modelos": m.model_utilization(registros)}


def metricas_por_fila(registros):
    out = metricas(registros)
    out["coste_por_consulta"] = m.total_cost(registros) / len(registros)
    return out


class Igual(Decimal):
    """A number equal to everything."""

    def __eq__(self, other):
        return True

    __hash__ = Decimal.__hash__


def metricas_igual_a_todo(registros):
    return {k: Igual(0) for k in ("coste_por_consulta", "coste_por_usuario", "coste_por_equipo",
                                  "tasa_aciertos_cache", "utilizacion_modelos")}


def metricas_con_defaultdict(registros):
    """Right, written by hand with ``defaultdict`` and numpy numbers."""
    from collections import defaultdict
    por_usuario, por_equipo = defaultdict(Decimal), defaultdict(Decimal)
    for r in registros:
        por_usuario[r.user] += r.cost
        por_equipo[r.team] += r.cost
    out = metricas(registros)
    out.update(coste_por_usuario=por_usuario, coste_por_equipo=por_equipo,
               tasa_aciertos_cache=np.float64(out["tasa_aciertos_cache"]))
    return out


def registrar_y_alertar(registro, presupuestos, almacen):
    aplican = [b for b in presupuestos if b.applies(registro.__dict__)]
    return almacen.charge(aplican, registro.cost, now=registro.ts, request_id=registro.request_id)


def alerta_siempre(registro, presupuestos, almacen):
    from course_lib.budgets import Alert
    return [Alert(budget=b.name, kind="threshold", threshold=Decimal("0.5"), period="", period_start=0.0,
                  spent=Decimal(0), limit=b.limit, ts=registro.ts) for b in presupuestos if b.applies(registro.__dict__)]


def alertas_en_utc(registro, presupuestos, almacen):
    from dataclasses import replace
    utc = [replace(b, tz="UTC") for b in presupuestos]
    return registrar_y_alertar(registro, utc, almacen)


def alertas_sin_umbral(registro, presupuestos, almacen):
    return [a.message for a in registrar_y_alertar(registro, presupuestos, almacen)]


def crear_guardia(presupuestos, precios, almacen):
    return BudgetGuard(presupuestos, prices=precios, store=almacen)


def guardia_que_rechaza_todo(presupuestos, precios, almacen):
    def guard(call, call_next):
        raise BudgetExceeded("Presupuesto agotado.")
    return guard


def guardia_tacana(presupuestos, precios, almacen):
    """Holds a quarter of each budget: refuses long before the cap."""
    from dataclasses import replace
    return BudgetGuard([replace(b, limit=b.limit / 4) for b in presupuestos], prices=precios, store=almacen)


def guardia_en_memoria(presupuestos, precios, almacen):
    """Right in one process (atomic reservations), but in its own store: processes don't share it."""
    from course_lib.budgets import BudgetStore
    return BudgetGuard(presupuestos, prices=precios, store=BudgetStore(":memory:"))


def guardia_comprueba_en_almacen(presupuestos, precios, almacen):
    """Checks the shared store, calls, then charges it: check-then-increment across processes."""
    from course_lib.pricing import Usage
    b = presupuestos[0]

    def guard(call, call_next):
        import time
        if almacen.spent(b, now=time.time()) >= b.limit:
            raise BudgetExceeded("Presupuesto agotado.")
        response = call_next(call)
        almacen.charge([b], precios.cost(call.model, Usage.from_openai(response.usage)), now=time.time())
        return response
    return guard


def guardia_ingenua(presupuestos, precios, almacen):
    """Checks, then adds after the call: no reservation."""
    import threading
    from course_lib.pricing import Usage
    lock, spent = threading.Lock(), {"usd": Decimal(0)}
    limit = presupuestos[0].limit

    def guard(call, call_next):
        with lock:
            if spent["usd"] >= limit:
                raise BudgetExceeded("Presupuesto agotado.")
        response = call_next(call)
        with lock:
            spent["usd"] += precios.cost(call.model, Usage.from_openai(response.usage))
        return response
    return guard


def prever_gasto(diario, dias):
    f = forecast_daily(diario, horizon=dias)
    return pd.DataFrame({"media": f.mean, "inferior": f.lower, "superior": f.upper})


def prever_serie(diario, dias):
    """Right: the mean alone, as a Series."""
    return forecast_daily(diario, horizon=dias).mean


def prever_ultimo_valor(diario, dias):
    return pd.DataFrame({"media": np.full(dias, float(diario.iloc[-1]))})


def detectar_anomalias(coste_horario):
    historia = coste_horario.iloc[: 24 * 7 * 8]
    return AnomalyDetector().fit(historia).detect(coste_horario)


def detectar_todo(coste_horario):
    return [(f, t) for f in coste_horario.columns for t in coste_horario.index[::24]]


def detectar_tuplas(coste_horario):
    """Right: (feature, start) tuples with naive local times."""
    return [(a.feature, pd.Timestamp(a.start).tz_localize(None)) for a in detectar_anomalias(coste_horario)]
