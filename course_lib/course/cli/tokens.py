"""``costlab tokens``: tokens and price of a text or file for one or several models."""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

from course_lib.pricing import PriceBook, UnknownModelError, Usage, cost_of
from course_lib.tokens import TokenizerFileError, encoding_name_for_model, estimate_cost

DEFAULT_MODELS = ("gpt-4o", "gpt-4o-mini", "gpt-4.1-nano", "gpt-5-mini")


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "tokens", help="cuenta los tokens de un texto y calcula su precio",
        description="Cuenta los tokens de un texto (o fichero) y calcula cuánto cuesta enviarlo a cada modelo.")
    parser.add_argument("texto", nargs="?", help="texto a medir (o usa --fichero, o la entrada estándar con '-')")
    parser.add_argument("-f", "--fichero", "--file", dest="fichero", help="fichero de texto a medir")
    parser.add_argument("-m", "--model", "--modelo", dest="models", action="append",
                        help="modelo (repetible); por defecto: " + ", ".join(DEFAULT_MODELS))
    parser.add_argument("--todos", "--all", dest="all_models", action="store_true",
                        help="todos los modelos de chat con precio")
    parser.add_argument("-s", "--salida", "--output-tokens", dest="output_tokens", type=int, default=0,
                        help="tokens de salida esperados, para estimar el coste total (por defecto 0)")
    parser.set_defaults(func=run)


def _read_text(args) -> str:
    if args.fichero:
        path = Path(args.fichero)
        try:
            return path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise SystemExit(f"Error: no existe el fichero '{path}'. Revisa la ruta.") from None
        except UnicodeDecodeError:
            raise SystemExit(f"Error: '{path}' no es texto UTF-8. Conviértelo a UTF-8 y vuelve a probar.") from None
    if args.texto == "-":
        return sys.stdin.read()
    if args.texto is None:
        raise SystemExit("Error: indica un texto, '-' para leer la entrada estándar, o --fichero RUTA.")
    return args.texto


def _usd(value: Decimal) -> str:
    return f"${value:.8f}".rstrip("0").rstrip(".") if value else "$0"


def format_table(rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths)))
             for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def run(args) -> int:
    if args.output_tokens < 0:
        print("Error: --salida debe ser un número de tokens >= 0.", file=sys.stderr)
        return 2
    text = _read_text(args)
    book = PriceBook.default()
    models = book.models(mode="chat") if args.all_models else (args.models or list(DEFAULT_MODELS))
    header = ["Modelo", "Codificación", "Tokens", "USD/1M entrada", "Coste entrada"]
    if args.output_tokens:
        header += [f"Coste con {args.output_tokens} de salida"]
    rows = [header]
    try:
        for model in models:
            price = book.get(model)
            estimate = estimate_cost(text, model, prices=book, expected_output_tokens=args.output_tokens)
            row = [model, encoding_name_for_model(model), str(estimate.input_tokens),
                   f"{price.input:.3f}", _usd(cost_of(Usage(estimate.input_tokens), price))]
            if args.output_tokens:
                row.append(_usd(estimate.cost))
            rows.append(row)
    except (UnknownModelError, TokenizerFileError) as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 2
    print(format_table(rows))
    print(f"\nPrecios: {book.source}. Caracteres: {len(text)}.")
    if any(book.get(m).provider != "openai" for m in models):
        print("Nota: para modelos de Anthropic y Google se usa o200k_base como aproximación de su tokenizador.")
    return 0
