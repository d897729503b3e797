"""``costlab tokens``: tokens and price of a text or file for one or several models.

Counts for any model whose tokenizer is known (the course's encoding map or
tiktoken's own model table: ``gpt-4`` has no price in the course snapshot but
its ``cl100k_base`` tokens are counted) and says when a model has no price.
Figures are written the Spanish way (``course_lib.numbers``). A name known
neither to the price book nor to tiktoken is an error that suggests the
closest priced model.
"""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

from course_lib import numbers
from course_lib.pricing import PriceBook, UnknownModelError, Usage, cost_of
from course_lib.tokens import TokenizerFileError, count_tokens, encoding_name_for_model, estimate_cost

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
    """An exact amount with the decimals it needs: «0,0000025 USD».

    >>> _usd(Decimal("0.0000025")), _usd(Decimal(0))
    ('0,0000025 USD', '0 USD')
    """
    if not value:
        return "0 USD"
    decimals = min(12, max(2, -value.normalize().as_tuple().exponent))
    return numbers.usd(value, decimals=decimals)


def _tiktoken_knows(model: str) -> bool:
    """Whether tiktoken's own model table has a tokenizer for ``model`` (its names and prefixes).

    >>> _tiktoken_knows("gpt-4"), _tiktoken_knows("gpt4o-mini")
    (True, False)
    """
    import tiktoken.model

    try:
        name = tiktoken.model.encoding_name_for_model(model)
    except KeyError:
        return False
    return name in ("o200k_base", "cl100k_base")  # the encodings shipped for offline use


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
    unpriced = []
    try:
        for model in models:
            try:
                price = book.get(model)
            except UnknownModelError:
                if not _tiktoken_knows(model):
                    raise
                unpriced.append(model)
                row = [model, encoding_name_for_model(model), numbers.count(count_tokens(text, model)), "sin precio", "—"]
                rows.append(row + (["—"] if args.output_tokens else []))
                continue
            estimate = estimate_cost(text, model, prices=book, expected_output_tokens=args.output_tokens)
            row = [model, encoding_name_for_model(model), numbers.count(estimate.input_tokens),
                   numbers.num(price.input, decimals=3), _usd(cost_of(Usage(estimate.input_tokens), price))]
            if args.output_tokens:
                row.append(_usd(estimate.cost))
            rows.append(row)
    except (UnknownModelError, TokenizerFileError) as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 2
    print(format_table(rows))
    print(f"\nPrecios: {_source_es(book)}. Caracteres: {numbers.count(len(text))}.")
    if unpriced:
        print(f"Sin precio en la instantánea del curso: {', '.join(unpriced)} (se cuentan sus tokens, no su coste).")
    if any(m not in unpriced and book.get(m).provider != "openai" for m in models):
        print("Nota: para modelos de Anthropic y Google se usa o200k_base como aproximación de su tokenizador.")
    return 0


def _source_es(book: PriceBook) -> str:
    """Where the prices come from, in Spanish (the snapshot's own ``source`` is in English)."""
    as_of = getattr(book, "as_of", "") or ""
    origin = "tabla de precios de LiteLLM, tal como la distribuye tokencost" if "LiteLLM" in book.source else book.source
    return f"{origin}, instantánea del {as_of}" if as_of else origin
