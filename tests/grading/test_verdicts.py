"""Does the grader process judge only plain values, and score a cell only from its recorded verdict?

Fast tests of the pieces of remote grading, without nbgrader: the wire codec,
one grader session over a socket pair against the kernel side of
``graders.remote``, the verdict file and how the pipeline reads it. The
whole mechanism, cheats included, is in ``test_sandbox.py``.
"""

from __future__ import annotations

import json
import os
import socket
import threading
from decimal import Decimal

import nbformat
import pytest

from course_lib.course.grading.config import GradingError
from course_lib.course.grading.feedback import STDERR_NOTE, HideHiddenTests
from course_lib.course.grading.sandbox import bwrap_command, bwrap_problem, hidden_paths
from course_lib.course.grading.verdicts import read_verdicts, remote_specs, specs_of_cells
from course_lib.paths import REPO_ROOT
from graders import remote, wire
from graders.verdicts import VerdictBook, exact, serve_connection

from .sandbox_lab import LAB_ID, SOLUTIONS, build_course


@pytest.fixture
def checks(tmp_path, monkeypatch):
    build_course(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    return {f"{e}_test": f"minilab_checks:{c}" for e, (_, c) in
            {"ej1_coste": ("", "check_coste"), "ej2_recorte": ("", "check_recorte"),
             "ej3_pregunta": ("", "check_pregunta")}.items()}


def _solution(name: str):
    from decimal import Decimal  # noqa: F401  (the solutions' namespace)
    namespace = {"Decimal": Decimal}
    exec(SOLUTIONS[name], namespace)
    return namespace


def _session(specs, grade_id, functions, book=None):
    grader_end, kernel_end = socket.socketpair()
    result = {}
    thread = threading.Thread(target=lambda: result.update(
        v=serve_connection(grader_end.makefile("rwb"), specs, book)))
    thread.start()
    stream = kernel_end.makefile("rwb")
    verdict = remote._session(stream, stream, grade_id, functions)
    thread.join(10)
    return verdict, result["v"]


def test_does_a_correct_function_pass_over_the_wire(checks):
    verdict, (passed, _) = _session(checks, "ej1_coste_test", {"coste": _solution("ej1_coste")["coste"]})
    assert verdict["passed"] is True and passed


def test_is_an_object_equal_to_everything_not_a_plain_value(checks):
    class Always(Decimal):
        def __eq__(self, other):
            return True

        __hash__ = Decimal.__hash__

    verdict, _ = _session(checks, "ej1_coste_test", {"coste": lambda *a: Always(0)})
    assert verdict["passed"] is False and "objeto de tipo Always" in verdict["message"]


def test_does_float_arithmetic_turned_into_decimal_at_the_end_fail(checks):
    float_cost = lambda ti, to, p: Decimal(ti * float(p["entrada"]) + to * float(p["salida"])) / Decimal(10**6)  # noqa: E731
    verdict, _ = _session(checks, "ej1_coste_test", {"coste": float_cost})
    assert verdict["passed"] is False and "Pista: calcula todo en Decimal" in verdict["message"]


def test_does_the_grader_ignore_a_cell_it_does_not_know(checks, tmp_path):
    book = VerdictBook(tmp_path / "v.json")
    verdict, _ = _session(checks, "celda_inventada", {"coste": lambda *a: 0}, book)
    assert verdict["passed"] is False and not (tmp_path / "v.json").exists()


def test_does_a_learner_exception_or_warning_reach_the_verdict_as_text(checks):
    def warns_then_raises(texto):
        import warnings
        warnings.warn("aviso del alumno")
        raise ValueError("texto raro")

    verdict, _ = _session(checks, "ej3_pregunta_test", {"es_pregunta": warns_then_raises})
    assert verdict["message"] == "tu función es_pregunta lanzó ValueError: texto raro"


def test_does_a_cell_pass_only_if_every_run_passed(tmp_path):
    book = VerdictBook(tmp_path / "v.json")
    specs = {"a": "m:f", "b": "m:g", "c": "m:h"}
    book.record("a", True, "ok", 0.1)
    book.record("b", True, "ok", 0.1)
    book.record("b", False, "mal", 0.1)
    verdicts = read_verdicts(tmp_path / "v.json", specs)
    assert [verdicts[k].passed for k in "abc"] == [True, False, False]
    assert verdicts["b"].message == "mal" and "sin veredicto" in verdicts["c"].message
    assert not any(v.passed for v in read_verdicts(tmp_path / "no_existe.json", specs).values())


def test_are_the_specs_read_from_the_instructors_notebook(tmp_path):
    build_course(tmp_path)
    specs = remote_specs(tmp_path / "notebooks" / LAB_ID / f"{LAB_ID}.ipynb")
    assert specs == {"ej1_coste_test": "minilab_checks:check_coste", "ej2_recorte_test": "minilab_checks:check_recorte",
                     "ej3_pregunta_test": "minilab_checks:check_pregunta"}
    cell = nbformat.v4.new_code_cell('### BEGIN HIDDEN TESTS\nremote.hidden_check("otra", "m:f")\n### END HIDDEN TESTS',
                                     metadata={"nbgrader": {"grade": True, "grade_id": "ej1_test"}})
    with pytest.raises(GradingError, match="su propio grade_id"):
        specs_of_cells([cell])


@pytest.mark.parametrize("lab", sorted(__import__("course_lib.course.grading.config", fromlist=["LABS"]).LABS))
def test_is_every_hidden_check_of_every_lab_run_by_the_grader_process(lab):
    """Each test cell with a hidden region hands it to the grader process (graders.remote), and each
    check it names exists in the grader's own modules."""
    import nbformat

    from course_lib.course.grading import Course
    from graders.verdicts import load_check

    cells = nbformat.read(Course().source_notebook(lab), as_version=4).cells
    hidden = {c.metadata["nbgrader"]["grade_id"] for c in cells
              if c.cell_type == "code" and "BEGIN HIDDEN TESTS" in c.source}
    specs = remote_specs(Course().source_notebook(lab))
    assert hidden and set(specs) == hidden
    for spec in specs.values():
        assert callable(load_check(spec)), spec


def test_are_hidden_data_generators_and_history_hidden_from_the_kernel():
    dirs, files = hidden_paths([REPO_ROOT])
    assert {REPO_ROOT / "graders" / "hidden", REPO_ROOT / "worldgen", REPO_ROOT / ".git"} <= set(dirs)
    assert REPO_ROOT / "graders" / "build_lab1_hidden.py" in files


@pytest.mark.skipif(bwrap_problem() is not None and not os.environ.get("CI"), reason="sin bubblewrap")
def test_does_the_sandbox_block_reading_hidden_files_and_writing_the_course(tmp_path):
    import subprocess
    import sys

    dirs, files = hidden_paths([REPO_ROOT])
    probe = ("import os; print(os.listdir(%r), end=' ')\ntry:\n open(%r, 'w')\nexcept OSError as e:\n print(type(e).__name__)"
             % (str(REPO_ROOT / "graders" / "hidden"), str(REPO_ROOT / "graders" / "x.py")))
    cmd = bwrap_command([sys.executable, "-c", probe], workdir=tmp_path, channel=tmp_path, hide_dirs=dirs,
                        hide_files=files)
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "[] OSError", out.stderr


def test_does_feedback_say_when_stderr_failed_a_test_cell():
    cell = nbformat.v4.new_code_cell("check(f)", metadata={"nbgrader": {"grade": True, "grade_id": "t", "solution": False}})
    cell.outputs = [nbformat.v4.new_output("stream", name="stderr", text="UserWarning: modelo raro\n")]
    out, _ = HideHiddenTests()(nbformat.v4.new_notebook(cells=[cell]), {})
    assert out.cells[0].outputs[0]["text"] == STDERR_NOTE + "UserWarning: modelo raro\n"


def test_does_a_tagged_value_round_trip_exactly():
    value = {"a": [1, 2.5, None, True, (Decimal("0.10"), "x")]}
    assert exact(wire.loads(wire.dumps({"v": value}))["v"], value)
    assert json.loads(wire.dumps({"v": {1, 2}}))["v"] == {"$unsupported": "set"}


def test_does_the_grader_know_which_answers_its_simulator_wrote():
    """``kernel_sim.served_answers``: the provider's own texts, by task; a made-up text is not among them."""
    from course_lib.course import world
    from graders.kernel_sim import grader_simulator, served_answers

    task = world.load_tasks(split="dev").iloc[0].to_dict()
    with grader_simulator() as sim:
        with served_answers(sim) as served:
            reply = sim.chat.completions.create(model="gpt-4o-mini", max_tokens=40, n=2, temperature=1.0,
                                                messages=[{"role": "user", "content": task["question"]}],
                                                metadata={"task_id": task["task_id"]})
        sim.chat.completions.create(model="gpt-4o-mini", max_tokens=5, messages=[{"role": "user", "content": "hola"}],
                                    metadata={"task_id": task["task_id"]})
        assert not sim.simulator.state.answer_observers   # removed on exit: later answers are not recorded
    assert served == {task["task_id"]: {c.message.content for c in reply.choices}}
    assert task["answer"] + " (inventada)" not in served[task["task_id"]]
