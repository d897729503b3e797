"""Does the feedback preprocessor hide hidden tests and grader tracebacks, and only those?"""

import nbformat

from course_lib.course.grading.feedback import HIDDEN_NOTE, HideHiddenTests


def _cell(source, *, grade=False, solution=False, outputs=()):
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["nbgrader"] = {"grade": grade, "solution": solution, "grade_id": "x", "locked": grade}
    cell.outputs = [nbformat.v4.new_output("error", **o) for o in outputs]
    return cell


def test_are_hidden_regions_and_test_tracebacks_removed():
    test = _cell("### BEGIN HIDDEN TESTS\nsecret_check(f)\n### END HIDDEN TESTS\ncheck(f)", grade=True,
                 outputs=[{"ename": "AssertionError", "evalue": "Ejercicio 1: mal. Pista: bien.",
                           "traceback": ["Cell In[9], line 2\n----> 2 secret_check(f)",
                                         "File /repo/graders/lab1.py:40, in secret_check\n  40 data = load()"]}])
    nb = nbformat.v4.new_notebook(cells=[test])
    out, _ = HideHiddenTests()(nb, {})
    cell = out.cells[0]
    assert "secret_check" not in cell.source and HIDDEN_NOTE in cell.source and "check(f)" in cell.source
    assert cell.outputs[0]["traceback"] == ["AssertionError: Ejercicio 1: mal. Pista: bien."]


def test_does_a_learner_cell_keep_its_own_traceback_but_not_grader_frames():
    mine = _cell("resultado = medir(f)", solution=True,
                 outputs=[{"ename": "ZeroDivisionError", "evalue": "division by zero",
                           "traceback": ["Cell In[3], line 1\n----> 1 resultado = medir(f)",
                                         "File \x1b[0;32m/repo/graders/lab1_optimizer.py:88\x1b[0m, in medir",
                                         "ZeroDivisionError: division by zero"]}])
    out, _ = HideHiddenTests()(nbformat.v4.new_notebook(cells=[mine]), {})
    assert out.cells[0].outputs[0]["traceback"] == ["Cell In[3], line 1\n----> 1 resultado = medir(f)",
                                                    "ZeroDivisionError: division by zero"]
    assert out.cells[0].source == "resultado = medir(f)"
