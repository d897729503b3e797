"""Run lab 1's hidden checks as the grader does, on functions of this process (``LocalWorker``)."""

from __future__ import annotations

from graders.verdicts import LocalWorker


def oculto(check, name: str, **more):
    """``check(worker)`` as a function of the learner's ``name`` (and the other names in ``more``)."""
    def run(func, **extra):
        return check(LocalWorker({name: func, **more, **extra}))

    run.__name__ = check.__name__
    return run
