"""``costlab report``: the self-contained HTML cost report of a ledger (``course_lib.budgets.report``)."""

from __future__ import annotations

from pathlib import Path

KEYS = {"nombre": "name", "limite": "limit", "ambito": "scope", "valor": "value", "periodo": "period",
        "zona": "tz", "name": "name", "limit": "limit", "scope": "scope", "value": "value", "period": "period",
        "tz": "tz"}


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "report", help="escribe un informe HTML de costes (autocontenido, sin red) a partir de un registro",
        description="Lee un registro de uso (el de la aplicación por defecto, otro con --registro, o el "
                    "tráfico público de Mercadela valorado con --trafico) y escribe un informe HTML con "
                    "gasto por equipo, usuarios y funcionalidades, mezcla de modelos, caché, consumo de "
                    "presupuestos, previsión del mes y anomalías.")
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--registro", type=Path, default=None,
                        help="fichero SQLite del registro (por defecto, app_ledger.sqlite en $COSTLAB_HOME o ~/.costlab)")
    source.add_argument("--trafico", action="store_true",
                        help="usa el tráfico público de Mercadela valorado como factura (1 fila = 60 peticiones)")
    parser.add_argument("--salida", type=Path, default=Path("informe_costes.html"),
                        help="dónde escribir el informe (por defecto, informe_costes.html)")
    parser.add_argument("--zona", default="Europe/Madrid", help="zona horaria de días y meses (IANA)")
    parser.add_argument("--presupuesto", action="append", default=[], metavar="CLAVE=VALOR,...",
                        help="añade un presupuesto al informe, p. ej. "
                             "'nombre=ecommerce-mes,limite=1800,ambito=team,valor=ecommerce,periodo=month' "
                             "(se puede repetir)")
    parser.set_defaults(func=run)


def parse_budget(text: str, *, tz: str):
    """``'nombre=x,limite=10,...'`` → ``Budget`` (Spanish errors)."""
    from course_lib.budgets import Budget

    fields = {"tz": tz}
    for part in filter(None, (p.strip() for p in text.split(","))):
        key, sep, value = part.partition("=")
        if not sep or key.strip() not in KEYS:
            raise ValueError(f"No entiendo {part!r} en --presupuesto: usa claves "
                             "nombre, limite, ambito, valor, periodo, zona (p. ej. limite=100).")
        fields[KEYS[key.strip()]] = value.strip()
    if "limit" not in fields:
        raise ValueError("Cada --presupuesto necesita limite= (USD).")
    fields.setdefault("name", f"presupuesto-{fields.get('value') or 'org'}")
    return Budget(**fields)


def run(args) -> int:
    from course_lib.budgets import write_report

    try:
        budgets = [parse_budget(text, tz=args.zona) for text in args.presupuesto]
        if args.trafico:
            from graders.lab4_data import traffic_records
            records = traffic_records()
        else:
            from course_lib.client.connection import state_dir
            from course_lib.usage import Ledger
            path = args.registro or state_dir() / "app_ledger.sqlite"
            if not Path(path).exists():
                print(f"No encuentro el registro {path}. Haz alguna llamada con connect() primero, indica "
                      "otro con --registro o prueba con --trafico.")
                return 1
            records = Ledger(path).records()
        out = write_report(records, args.salida, budgets=budgets, tz=args.zona)
    except (ValueError, TypeError) as exc:
        print(f"Error: {exc}")
        return 1
    size, rows = f"{out.stat().st_size:,}".replace(",", "."), f"{len(records):,}".replace(",", ".")
    print(f"Informe escrito en {out} ({size} bytes, {rows} registros). Ábrelo en el navegador: no necesita red.")
    return 0
