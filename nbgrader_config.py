"""nbgrader configuration of the course: the repository root is the course root.

Source notebooks (with solutions) live in ``notebooks/<lab>/<lab>.ipynb``; nbgrader
writes ``release/``, ``submitted/``, ``autograded/``, ``feedback/`` and
``gradebook.db`` next to this file (all ignored by git). ``costlab grade`` and
``costlab check`` read this same file, so the command line, the Python helpers in
``course_lib.course.grading`` and plain ``nbgrader`` commands behave alike.
"""

import os

c = get_config()  # noqa: F821  (provided by traitlets when the file is loaded)

c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.course_id = "modulo-c-costes-llm"
c.CourseDirectory.source_directory = "notebooks"
c.CourseDirectory.release_directory = "release"
c.CourseDirectory.submitted_directory = "submitted"
c.CourseDirectory.autograded_directory = "autograded"
c.CourseDirectory.feedback_directory = "feedback"
# The lesson sources (notebooks/<lab>/<lab>.py, with solutions) never reach students.
c.CourseDirectory.ignore = [
    ".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "*.py",
]

# A cell that runs longer than this is interrupted and graded as failed, so an
# infinite loop costs the learner that exercise and never hangs the grading run.
c.Execute.timeout = 120
c.ExecutePreprocessor.timeout = 120
c.Execute.interrupt_on_timeout = True
# Kernels without a command history file and without their start-up warnings in the grading log.
c.Execute.extra_arguments = ["--HistoryManager.hist_file=:memory:", "--IPKernelApp.log_level=ERROR"]

# A test cell deleted by a learner is put back (and run) during autograding.
c.OverwriteCells.add_missing_cells = True
c.OverwriteCells.missing_cell_notification = (
    "Esta celda (id:{cell_id}) faltaba en la entrega y nbgrader la ha restaurado.\n\n"
)

c.ClearSolutions.code_stub = {
    "python": "# ESCRIBE TU CÓDIGO AQUÍ (y borra la línea raise)\n"
              "raise NotImplementedError()",
}
c.ClearSolutions.text_stub = "ESCRIBE TU RESPUESTA AQUÍ"

# Feedback never shows the hidden tests' source nor tracebacks into the graders,
# and its page labels are in Spanish.
from course_lib.course.grading.feedback import TEMPLATES_DIR  # noqa: E402

c.HTMLExporter.template_name = "feedback_es"
c.HTMLExporter.extra_template_basedirs = [str(TEMPLATES_DIR)]
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "course_lib.course.grading.feedback.HideHiddenTests",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]
