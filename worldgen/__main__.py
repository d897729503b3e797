"""``python -m worldgen [--out DIR] [--check]``: regenerate or verify the world files."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import differences, generate


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m worldgen",
        description="Regenera los datos del mundo del curso (data/world y graders/hidden).")
    parser.add_argument("--out", type=Path, default=None,
                        help="raíz donde escribir (por defecto, data/world y graders/hidden del repositorio)")
    parser.add_argument("--check", action="store_true", help="no escribe: comprueba que los ficheros coinciden")
    args = parser.parse_args(argv)
    if args.check:
        bad = differences(args.out)
        for rel in bad:
            print(f"distinto o ausente: {rel}")
        print("OK: los ficheros coinciden con el generador." if not bad else "Ejecuta `make data` para regenerarlos.")
        return 1 if bad else 0
    for path in generate(args.out):
        print(f"escrito {path} ({path.stat().st_size:,} bytes)")
    if args.out is None:
        from .stats import update_card

        print("ficha data/README.md actualizada" if update_card() else "ficha data/README.md al día")
    return 0


if __name__ == "__main__":
    sys.exit(main())
