"""``costlab data``: regenerate, verify or summarise the course world files."""

from __future__ import annotations

import sys
from pathlib import Path



def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "data", help="regenera o comprueba los datos del curso (base de conocimiento, tareas, tráfico)",
        description="Regenera de forma determinista los datos del mundo de Mercadela (data/world y "
                    "graders/hidden), comprueba que coinciden con el generador o muestra sus cifras.")
    parser.add_argument("accion", choices=["generate", "check", "stats"],
                        help="generate: escribe los ficheros; check: comprueba que coinciden byte a byte; "
                             "stats: imprime las tablas de la ficha de datos")
    parser.add_argument("--out", type=Path, default=None,
                        help="raíz donde escribir o comprobar (por defecto, data/world y graders/hidden)")
    parser.set_defaults(func=run)


def run(args) -> int:
    import worldgen

    if args.accion == "stats":
        from worldgen.stats import stats_markdown

        sys.stdout.write(stats_markdown() + "\n")
        return 0
    if args.accion == "check":
        bad = worldgen.differences(args.out)
        for rel in bad:
            print(f"distinto o ausente: {rel}")
        print("Los datos coinciden con el generador." if not bad
              else "Los datos no coinciden: ejecuta `costlab data generate` (o `make data`).")
        return 1 if bad else 0
    for path in worldgen.generate(args.out):
        print(f"escrito {path} ({path.stat().st_size:,} bytes)")
    if args.out is None:
        from worldgen.stats import update_card

        print("ficha data/README.md actualizada" if update_card() else "ficha data/README.md al día")
    return 0
