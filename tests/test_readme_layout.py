"""Does the README's layout table match the tree, and name every part of course_lib?"""

import re

from course_lib.paths import REPO_ROOT

README = (REPO_ROOT / "README.md").read_text(encoding="utf-8")


def _table_paths() -> list[str]:
    section = README[README.index("## Estructura del repositorio"):README.index("## Precios y tokenizadores")]
    paths = []
    for line in section.splitlines():
        if not line.startswith("| `"):
            continue
        names = re.findall(r"`([^`]+)`", line.split(" | ")[0])
        base = names[0].rsplit("/", 1)[0] + "/" if "/" in names[0].rstrip("/") else ""
        paths += [names[0]] + [n if "/" in n or n.startswith(".") else base + n for n in names[1:]]
    return paths


def test_does_every_path_in_the_layout_table_exist():
    missing = [p for p in _table_paths() if not (REPO_ROOT / p.rstrip("/")).exists()]
    assert not missing, f"El README nombra rutas que no existen: {missing}"


def test_is_every_module_and_subpackage_of_course_lib_in_the_table():
    listed = {p.rstrip("/") for p in _table_paths()}
    parts = [p for p in (REPO_ROOT / "course_lib").iterdir()
             if (p.suffix == ".py" and p.name != "__init__.py") or (p.is_dir() and (p / "__init__.py").exists())]
    unlisted = [p.name for p in parts if f"course_lib/{p.name}" not in listed]
    assert not unlisted, f"Añade a la tabla de estructura del README: {unlisted}"
