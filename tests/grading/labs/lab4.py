"""Lab 4 in the grading suite: its own wrong-but-plausible submissions.

Besides the generic cases, lab 4 is graded against the mistakes its issue
names: an alert that fires on every request, a guard that checks and then adds
without a reservation (it loses the concurrency check), a forecast that copies
the last value, a detector that flags everything and one that reads the hidden
log (the sandbox empties ``graders/hidden/``), plus cost per query computed per
row (per attempt) and metrics «equal to everything» (right values in a
``Decimal`` subclass whose ``__eq__`` is always true: the visible check in the
kernel accepts them, the grader receives unsupported objects).
"""

from __future__ import annotations

from tests.grading.registry import LabCases
from tests.grading.submissions import expected, student

ALWAYS_ALERT = '''
def registrar_y_alertar(registro, presupuestos, almacen):
    from course_lib.budgets import Alert
    return [Alert(budget=b.name, kind="threshold", threshold=Decimal("0.5"), period="", period_start=0.0,
                  spent=Decimal(0), limit=b.limit, ts=registro.ts) for b in presupuestos if b.applies(registro.__dict__)]
'''
CHECK_THEN_ADD = '''
def crear_guardia(presupuestos, precios, almacen):
    import threading
    from course_lib.pricing import Usage
    candado, gastado = threading.Lock(), {"usd": Decimal(0)}
    limite = presupuestos[0].limit

    def guardia(call, call_next):
        with candado:
            if gastado["usd"] >= limite:
                raise BudgetExceeded("Presupuesto agotado.")
        respuesta = call_next(call)
        with candado:
            gastado["usd"] += precios.cost(call.model, Usage.from_openai(respuesta.usage))
        return respuesta
    return guardia
'''
READS_HIDDEN = '''
def detectar_anomalias(coste_horario):
    import json
    from graders import HIDDEN_DIR
    casos = json.loads(sorted(HIDDEN_DIR.glob("lab4_*.json"))[0].read_text(encoding="utf-8"))
    return [(p["feature"], pd.Timestamp(p["start"], tz="Europe/Madrid")) for p in casos["spikes"] + casos["known"]]
'''
PER_ROW = '''
def metricas(registros):
    return {"coste_por_consulta": metrics.total_cost(registros) / len(registros),
            "coste_por_usuario": metrics.cost_by(registros, "user"),
            "coste_por_equipo": metrics.cost_by(registros, "team"),
            "tasa_aciertos_cache": metrics.cache_hit_rate(registros),
            "utilizacion_modelos": metrics.model_utilization(registros)}
'''
EQUAL_TO_ALL = '''
class Igual(Decimal):
    def __eq__(self, otro):
        return True
    __hash__ = Decimal.__hash__

def metricas(registros):
    todas = {"coste_por_consulta": metrics.cost_per_query(registros),
             "coste_por_usuario": metrics.cost_by(registros, "user"),
             "coste_por_equipo": metrics.cost_by(registros, "team"),
             "tasa_aciertos_cache": metrics.cache_hit_rate(registros),
             "utilizacion_modelos": metrics.model_utilization(registros)}
    return {k: {c: Igual(x) for c, x in v.items()} if isinstance(v, dict) else Igual(v) for k, v in todas.items()}
'''
LAST_VALUE = '''
def prever_gasto(diario, dias):
    return pd.DataFrame({"media": [float(diario.iloc[-1])] * dias})
'''
FLAG_ALL = '''
def detectar_anomalias(coste_horario):
    return [(f, t) for f in coste_horario.columns for t in coste_horario.index[::24]]
'''


def extra(release_nb, source_nb) -> dict:
    s = lambda **kw: student(release_nb, source_nb, **kw)  # noqa: E731
    e = lambda *broken: expected(source_nb, broken)  # noqa: E731
    return {
        "trampas_lab4": (s(replace={"ej2_alertas": ALWAYS_ALERT, "ej3_guardia": CHECK_THEN_ADD,
                                    "ej5_anomalias": READS_HIDDEN}),
                         e("ej2_alertas", "ej3_guardia", "ej5_anomalias")),
        "ingenuos_lab4": (s(replace={"ej1_metricas": PER_ROW, "ej4_prevision": LAST_VALUE,
                                     "ej5_anomalias": FLAG_ALL}),
                          e("ej1_metricas", "ej4_prevision", "ej5_anomalias")),
        "igual_a_todo_lab4": (s(replace={"ej1_metricas": EQUAL_TO_ALL}), e("ej1_metricas")),
    }


CASES = LabCases(lab="lab4", extra=extra, regrade="trampas_lab4")
