"""Check lab 1's ROI exercise: monthly saving, payback, 12-month ROI and break-even volume.

The learner writes ``retorno(coste_base, coste_opt, peticiones_mes, inversion)``
(per-request costs and the one-off investment in ``Decimal`` USD) returning a
dict with ``ahorro_mes`` (exact ``Decimal``), ``meses_amortizacion`` and
``peticiones_equilibrio`` (``None`` when nothing is saved) and ``roi_12_meses``.
``check_retorno`` uses public examples in the learner's kernel;
``check_retorno_oculto(worker)`` runs in the grader process on the ``roi`` cases
of ``graders/hidden/lab1_cases.json`` (no saving and a negative saving
included), sending the kernel only each case's four inputs. Products are compared exactly; quotients to 10⁻⁹ relative, since the
order of the divisions changes the last digit.
"""

from __future__ import annotations

from decimal import Decimal

from graders import fail, load_hidden
from graders.lab1 import Learner, run
from graders.wire import kind

EJ6 = "Ejercicio 6 (retorno de la optimización)"
KEYS = ("ahorro_mes", "meses_amortizacion", "peticiones_equilibrio", "roi_12_meses")
EXAMPLES = [
    # coste_base, coste_opt (USD per request), requests per month, investment (USD)
    ("0.000800", "0.000250", 690_000, "784"),
    ("0.0045", "0.0012", 45_000, "1960"),
    ("0.0003", "0.0003", 100_000, "500"),
]


def reference(coste_base: Decimal, coste_opt: Decimal, peticiones_mes: int, inversion: Decimal) -> dict:
    """The expected figures.

    >>> r = reference(Decimal("0.0008"), Decimal("0.00025"), 690_000, Decimal("784"))
    >>> r["ahorro_mes"], round(r["meses_amortizacion"], 2), round(r["peticiones_equilibrio"])
    (Decimal('379.50000'), Decimal('2.07'), 118788)
    """
    per_request = coste_base - coste_opt
    monthly = per_request * peticiones_mes
    if per_request <= 0:
        return {"ahorro_mes": monthly, "meses_amortizacion": None, "peticiones_equilibrio": None,
                "roi_12_meses": (12 * monthly - inversion) / inversion}
    return {"ahorro_mes": monthly, "meses_amortizacion": inversion / monthly,
            "peticiones_equilibrio": inversion / (12 * per_request),
            "roi_12_meses": (12 * monthly - inversion) / inversion}


def _close(got, expected) -> bool:
    if expected is None or got is None:
        return got is expected
    return abs(got - expected) <= abs(expected) * Decimal("1e-9") + Decimal("1e-18")


def _mistake(key: str, got, case, expected: dict) -> str:
    base, opt, n, inv = case
    saving = base - opt
    if key == "ahorro_mes" and got == saving:
        return "es el ahorro por petición: multiplícalo por peticiones_mes"
    if key == "ahorro_mes" and got == -saving * n:
        return "el signo está al revés: ahorro = coste_base − coste_opt"
    if key == "meses_amortizacion" and expected[key] is not None and _close(got, 1 / expected[key]):
        return "está invertido: meses = inversión / ahorro_mes"
    if key == "peticiones_equilibrio" and expected[key] is not None and _close(got, expected[key] * 12):
        return "te falta repartir la inversión en 12 meses: inversión / (12 × ahorro por petición)"
    if key == "roi_12_meses" and _close(got, expected[key] + 1):
        return "el ROI es (beneficio − inversión) / inversión: resta la inversión"
    if expected[key] is None:
        return "sin ahorro la inversión no se recupera nunca: devuelve None"
    return "revisa la fórmula del enunciado"


def _check_case(func, case, where: str) -> None:
    from course_lib.numbers import num

    base, opt, n, inv = Decimal(case[0]), Decimal(case[1]), int(case[2]), Decimal(case[3])
    got = run(EJ6, func, base, opt, n, inv)
    if not isinstance(got, dict) or set(KEYS) - set(got):
        fail(EJ6, f"devuelve {kind(got)} sin las claves {', '.join(KEYS)}",
             "devuelve un dict con esas cuatro claves")
    expected = reference(base, opt, n, inv)
    for key in KEYS:
        value = got[key]
        if value is not None and (isinstance(value, bool) or not isinstance(value, Decimal)):
            fail(EJ6, f"'{key}' es {kind(value)}, no Decimal{where}",
                 "el dinero se calcula en Decimal de principio a fin (no conviertas a float)")
        exact = key == "ahorro_mes"
        ok = (value == expected[key]) if exact else _close(value, expected[key])
        if not ok:
            shown = "None" if value is None else num(value, decimals=6)
            wanted = "None" if expected[key] is None else num(expected[key], decimals=6)
            fail(EJ6, f"'{key}' vale {shown} y esperaba {wanted}{where}",
                 _mistake(key, value, (base, opt, n, inv), expected))


def check_retorno(func) -> None:
    """Visible check: three public cases, one with no saving."""
    for case in EXAMPLES:
        _check_case(func, case, f" (coste_base={case[0]}, coste_opt={case[1]}, "
                                f"peticiones_mes={case[2]}, inversion={case[3]})")
    print("✔ Ejercicio 6: ahorro, amortización, equilibrio y ROI coinciden en los ejemplos.")


def check_retorno_oculto(worker) -> None:
    """Hidden check (grader): twelve cases (no saving and a negative one included)."""
    func = Learner(worker, "retorno")
    for case in load_hidden("lab1_cases.json")["roi"]:
        _check_case(func, (case["coste_base"], case["coste_opt"], case["peticiones_mes"], case["inversion"]),
                    " en un caso oculto")
