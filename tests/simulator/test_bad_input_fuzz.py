"""Schema-based fuzzing: requests drawn from the server's own OpenAPI document never get a 5xx.

Every operation of ``/openapi.json`` is exercised with bodies generated from its
JSON schema, the same bodies mutated (keys dropped, values replaced by arbitrary
JSON), arbitrary JSON, and garbage bytes; query and path parameters are drawn
from their schemas or as arbitrary text; the key is the admin key, a user key,
a wrong key or none. A 4xx must be in OpenAI's error shape. Hypothesis runs
derandomized and bounded (about 600 requests, 60 per operation that takes a
body, 10 per other one), so CI sees the same run.
"""

import json
import urllib.parse

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from course_lib.simulator import Clock, SimulatorState, create_app
from course_lib.simulator.server import ServerHandle

ADMIN, USER = "sk-admin-fuzz", "sk-fuzz-user"
SEEDS = {  # a valid body per operation, so mutations reach past the first check
    ("post", "/v1/chat/completions"): {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hola"}],
                                       "max_tokens": 5},
    ("post", "/v1/embeddings"): {"model": "text-embedding-3-small", "input": ["hola", "adiós"], "dimensions": 64},
    ("post", "/v1/batches"): {"input_file_id": "file-x", "endpoint": "/v1/chat/completions",
                              "completion_window": "24h"},
    ("post", "/v1/simulator/faults"): {"rate": 0.0, "kinds": ["500"]},
    ("post", "/v1/simulator/rate_limits"): {"model": "gpt-4o-mini", "rpm": 1000},
    ("post", "/v1/simulator/clock"): {"advance": 1},
}

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.floats(allow_nan=False)
    | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12)


@pytest.fixture(scope="module")
def sim():
    state = SimulatorState(clock=Clock(start=1_760_000_000.0, frozen=True), admin_key=ADMIN)
    server = ServerHandle(create_app(state)).start()
    doc = httpx.get(f"{server.url}/openapi.json").json()
    yield state, server, doc
    server.stop()


def _resolve(doc, schema):
    while isinstance(schema, dict) and "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = doc["components"]["schemas"][name]
    return schema or {}


def from_schema(doc, schema, depth=0):
    """A strategy for values of a JSON schema (a useful subset), arbitrary JSON when unsure."""
    schema = _resolve(doc, schema)
    if depth > 4:
        return json_values
    for key in ("oneOf", "anyOf"):
        if key in schema:
            return st.one_of([from_schema(doc, s, depth + 1) for s in schema[key]])
    if "allOf" in schema:
        return from_schema(doc, schema["allOf"][0], depth + 1)
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    if "const" in schema:
        return st.just(schema["const"])
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        props = schema.get("properties", {})
        required = [k for k in schema.get("required", []) if k in props]
        optional = [k for k in props if k not in required]
        return st.fixed_dictionaries(
            {k: from_schema(doc, props[k], depth + 1) for k in required},
            optional={k: from_schema(doc, props[k], depth + 1) for k in optional})
    if kind == "array":
        return st.lists(from_schema(doc, schema.get("items", {}), depth + 1),
                        min_size=schema.get("minItems", 0), max_size=min(schema.get("maxItems", 4), 4))
    if kind == "integer":
        low = schema.get("minimum", -10)
        return (st.integers(low, low + 64) | st.integers(low, schema.get("maximum", 10**6))
                | st.integers())
    if kind == "number":
        return st.floats(allow_nan=False, allow_infinity=False) | st.integers(-10**6, 10**6)
    if kind == "boolean":
        return st.booleans()
    if kind == "string":
        return st.text(min_size=schema.get("minLength", 0), max_size=40)
    return json_values


def _same_kind(value):
    """Values of the same JSON type as ``value``, near the usual edges."""
    if isinstance(value, bool):
        return st.booleans()
    if isinstance(value, int):
        return st.integers(-5, 100) | st.integers(-2**63, 2**63)
    if isinstance(value, float):
        return st.floats()
    if isinstance(value, str):
        return st.text(max_size=40) | st.sampled_from(["", " ", "*", "gpt-4o", "24h", "/v1/embeddings"])
    if isinstance(value, list):
        return st.lists(json_values, max_size=5) | st.lists(st.text(max_size=10), max_size=5)
    return json_values


@st.composite
def mutated(draw, base):
    """``base`` with up to three keys dropped, replaced or added (sometimes none)."""
    body = dict(base)
    for _ in range(draw(st.integers(0, 3))):
        action = draw(st.sampled_from(["drop", "replace", "add"]))
        if action == "drop" and body:
            body.pop(draw(st.sampled_from(sorted(body))))
        elif action == "replace" and body:
            key = draw(st.sampled_from(sorted(body)))
            body[key] = draw(json_values | _same_kind(body[key]))
        else:
            body[draw(st.text(max_size=12))] = draw(json_values)
    return body


def operations(doc):
    ops = []
    for path, methods in sorted(doc["paths"].items()):
        for method, op in sorted(methods.items()):
            params = [p for p in op.get("parameters", []) if p.get("in") in ("query", "path")]
            content = op.get("requestBody", {}).get("content", {}).get("application/json", {})
            ops.append((method, path, params, content.get("schema")))
    return ops


@st.composite
def multipart(draw):
    """A form upload as the SDK sends it, with arbitrary purpose and JSONL-ish content."""
    lines = draw(st.lists(st.builds(json.dumps, json_values) | st.text(max_size=30), max_size=4))
    purpose = draw(st.sampled_from(["batch", "user_data", ""]) | st.text(max_size=10))
    return (b"--zz\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\n" + purpose.encode()
            + b"\r\n--zz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f.jsonl\"\r\n\r\n"
            + "\n".join(lines).encode() + b"\r\n--zz--\r\n")


@st.composite
def requests(draw, doc, op):
    method, path, params, body_schema = op
    url, query = path, {}
    for p in params:
        value = draw(st.one_of(from_schema(doc, p.get("schema", {})), from_schema(doc, p.get("schema", {})),
                               st.text(max_size=20)))
        if p["in"] == "path":
            url = url.replace("{" + p["name"] + "}", urllib.parse.quote(str(value), safe="") or "x")
        elif p.get("required") or draw(st.booleans()):
            if isinstance(value, list):
                query[p["name"]] = [v if isinstance(v, (str, int)) else json.dumps(v) for v in value]
            else:
                query[p["name"]] = value if isinstance(value, (str, int)) else json.dumps(value)
    key = draw(st.sampled_from([ADMIN, ADMIN, ADMIN, USER, USER, "sk-wrong", None]))
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    content = None
    if method in ("post", "put", "patch"):
        seed = SEEDS.get((method, path))
        choices = [st.builds(json.dumps, json_values), st.binary(max_size=40)]
        if body_schema:
            choices += [st.builds(json.dumps, from_schema(doc, body_schema))] * 2
        if seed:
            choices += [st.builds(json.dumps, mutated(seed))] * 3
        if path == "/v1/files":
            choices += [multipart()] * 4
        content = draw(st.one_of(choices))
        content = content.encode() if isinstance(content, str) else content
        headers["Content-Type"] = draw(st.sampled_from(
            ["application/json", "application/json", "multipart/form-data; boundary=zz", "text/plain"]))
    return method.upper(), url, query, headers, content


DOC = create_app(SimulatorState(admin_key=ADMIN)).openapi()
OPS = operations(DOC)


@pytest.fixture(scope="module")
def http(sim):
    _, server, _ = sim
    with httpx.Client(base_url=server.url, timeout=30) as client:
        yield client


def test_does_the_fuzz_cover_every_endpoint(sim):
    _, _, doc = sim
    assert operations(doc) == OPS
    assert {"/v1/embeddings", "/v1/batches", "/v1/files", "/v1/organization/costs"} <= set(doc["paths"])


@pytest.mark.parametrize("op", OPS, ids=[f"{m.upper()} {p}" for m, p, _, _ in OPS])
def test_does_no_generated_request_get_a_5xx(sim, http, op):
    state = sim[0]
    statuses = []
    takes_body = op[0] == "post" and (op[3] or (op[0], op[1]) in SEEDS or op[1] == "/v1/files")
    examples = 60 if takes_body else 10

    @settings(max_examples=examples, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(req=requests(DOC, op))
    def run(req):
        method, url, query, headers, content = req
        try:
            response = http.request(method, url, params=query, headers=headers, content=content)
        finally:  # settings a request may have changed must not leak into the next one
            state.faults.clear()
            state.limiter.clear()
        statuses.append(response.status_code)
        assert response.status_code < 500, (method, url, query, content, response.text[:300])
        if response.status_code >= 400:
            error = response.json()["error"]
            assert isinstance(error["message"], str) and error["message"]

    run()
    assert len(statuses) >= examples // 2


@pytest.mark.parametrize("content", [b"", b"[", b"\xff" * 10, b"{" * 5000 + b"}" * 5000, b"null", b"1e999"])
@pytest.mark.parametrize("path", ["/v1/embeddings", "/v1/batches", "/v1/simulator/faults", "/v1/simulator/clock",
                                  "/v1/simulator/rate_limits", "/v1/files", "/v1/chat/completions"])
def test_are_broken_bodies_a_4xx(sim, http, path, content):
    response = http.post(path, content=content, headers={"Authorization": f"Bearer {ADMIN}",
                                                         "Content-Type": "application/json"})
    assert 400 <= response.status_code < 500 and response.json()["error"]["message"]
