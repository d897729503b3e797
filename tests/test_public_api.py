"""Is the public API visible to tools, and is ``import course_lib`` still cheap?"""

import ast
import subprocess
import sys
from pathlib import Path

import course_lib

STUB = Path(course_lib.__file__).with_suffix(".pyi")


def test_does_the_stub_list_exactly_the_lazy_exports():
    tree = ast.parse(STUB.read_text(encoding="utf-8"))
    stubbed = {alias.asname or alias.name: node.module for node in tree.body
               if isinstance(node, ast.ImportFrom) for alias in node.names}
    assert set(stubbed) == set(course_lib.__all__)
    for name, module in stubbed.items():
        assert module == f"course_lib.{course_lib._EXPORTS[name]}", name


def test_does_every_exported_name_resolve():
    for name in course_lib.__all__:
        assert getattr(course_lib, name) is not None
    assert set(course_lib.__all__) <= set(dir(course_lib))


def test_does_importing_course_lib_load_no_heavy_dependency():
    """Cheap means: no openai, httpx, pandas, numpy, fastapi or tiktoken until a name is used."""
    code = ("import sys, course_lib; heavy = [m for m in ('openai', 'httpx2', 'pandas', 'numpy', "
            "'fastapi', 'tiktoken', 'sqlite3') if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout
