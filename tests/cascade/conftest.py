"""Shared fixtures: a small dev sample, the answer-only request, an isolated client."""

import pytest

from course_lib import connect
from course_lib.course import world


@pytest.fixture(scope="session")
def facts():
    return world.load_facts().set_index("fact_id")["text"].to_dict()


@pytest.fixture(scope="session")
def request_for(facts):
    def build(task, model="gpt-4o-mini"):
        context = "\n".join(facts[f] for f in task["fact_ids"])
        user = (f"Documentación de referencia:\n{context}\n\nPregunta: {task['question']}"
                if context else task["question"])
        return {"model": model, "metadata": {"task_id": task["task_id"]},
                "messages": [{"role": "system", "content": "Responde solo con la respuesta."},
                             {"role": "user", "content": user}]}
    return build


@pytest.fixture(scope="session")
def dev_sample():
    tasks = world.load_tasks("dev")
    return tasks.groupby("type", group_keys=False).head(8).to_dict("records")   # 40 tasks, all types


@pytest.fixture()
def client():
    return connect(isolated=True)
