"""Does every answer match the simulator's own OpenAPI document? (schemathesis, bounded)

schemathesis reads ``/openapi.json`` and, for each operation, sends requests
generated from its schemas (valid ones and deliberately invalid ones) to the
app in-process (ASGI), with the bearer key the document declares. Each answer
is checked: no 5xx, a documented status code and content type, a body that
matches the schema of that status (the typed 200s and OpenAI's error shape),
and invalid requests refused. Not checked: that every schema-valid request is
accepted (``positive_data_acceptance``): like OpenAI's, the simulator rejects
combinations JSON Schema cannot express (``top_logprobs`` without ``logprobs``,
``max_tokens`` on a reasoning model, an unknown model, a prompt over the context
window), always with a 4xx in the declared error shape. Nor that every
schema-violating request is refused (``negative_data_rejection``): unknown
query parameters and headers are ignored, as OpenAI ignores them; wrong values
of known fields are the bad-input tests' subject. Invalid requests are still
sent, and their answers checked like any other. Derandomized and bounded (a few examples per
operation, no deadline) so it adds seconds, not minutes, and CI sees the same run.
Fault injection is left out: it exists to answer 5xx.
"""

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import load_all_checks

from course_lib.clock import Clock
from course_lib.simulator import SimulatorState, create_app

load_all_checks()
from schemathesis.checks import negative_data_rejection, positive_data_acceptance  # noqa: E402

ADMIN = "sk-admin-schemathesis"
STATE = SimulatorState(clock=Clock(start=1_760_000_000.0, frozen=True), admin_key=ADMIN)
APP = create_app(STATE)
schema = schemathesis.openapi.from_asgi("/openapi.json", APP).exclude(path_regex="^/v1/simulator/faults")


def test_does_the_document_declare_typed_answers_errors_and_the_bearer_scheme():
    doc = APP.openapi()
    assert doc["components"]["securitySchemes"]["bearer"] == {
        "type": "http", "scheme": "bearer", "description": doc["components"]["securitySchemes"]["bearer"]["description"]}
    for path, item in doc["paths"].items():
        for method, op in item.items():
            assert "422" not in op["responses"], (method, path)
            assert {"200", "400", "401", "429"} <= set(op["responses"]), (method, path)
            ok = op["responses"]["200"]["content"]
            assert any(c["schema"].get("type") or c["schema"].get("required") for c in ok.values()), (method, path)
            assert op["security"] == [{"bearer": []}]


@schema.parametrize()
@settings(max_examples=10, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_does_every_answer_match_the_document(case):
    case.call_and_validate(headers={"Authorization": f"Bearer {ADMIN}"},
                           excluded_checks=[positive_data_acceptance, negative_data_rejection])
