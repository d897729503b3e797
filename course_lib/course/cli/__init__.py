"""The ``costlab`` command line.

Each subcommand lives in its own module ``course_lib.course.cli.<name>`` exposing
``register(subparsers)``, which adds its parser and sets ``func``. This module
only assembles them and runs the chosen one; it holds no command logic.
"""

import argparse
import importlib
import sys

SUBCOMMANDS = ("tokens", "serve", "grade", "check", "data", "report")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="costlab",
        description="Herramientas del Módulo C — Costes y Rendimiento de LLMs.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="<comando>")
    for name in SUBCOMMANDS:
        importlib.import_module(f"course_lib.course.cli.{name}").register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
