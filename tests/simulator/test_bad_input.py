"""The bad input and odd clients of issue 13: each gets OpenAI's answer, and the connection lives.

Raw HTTP (``http.client`` on one keep-alive connection) where the SDK would
never send such a request; the SDK where a real client's behaviour matters.
"""

import http.client
import json
import os
import socket
import stat
import urllib.parse

import openai
import pytest

from course_lib.simulator import SimulatorState, create_app
from course_lib.simulator.server import ServerHandle
from course_lib.usage import Ledger, key_id

OK = [{"role": "user", "content": "Hola"}]
KEY = "sk-malos"


class Conn:
    """One keep-alive HTTP connection; a server that silently drops it fails the next call."""

    def __init__(self, url):
        host, port = url.removeprefix("http://").split(":")
        self.http = http.client.HTTPConnection(host, int(port), timeout=30)

    def post(self, path, body, *, headers=None, raw=None):
        data = raw if raw is not None else json.dumps(body).encode()
        self.http.request("POST", path, body=data, headers={
            "Authorization": f"Bearer {KEY}", "Content-Type": "application/json", **(headers or {})})
        resp = self.http.getresponse()
        payload = resp.read()
        return resp.status, dict((k.lower(), v) for k, v in resp.getheaders()), payload

    def close(self):
        self.http.close()


@pytest.fixture
def conn(sim):
    c = Conn(sim.simulator.url)
    yield c
    c.close()


def _error(payload):
    err = json.loads(payload)["error"]
    assert set(err) == {"message", "type", "param", "code"}
    return err


SURROGATE = b'{"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "corte \\ud800 emoji"}]}'
SURROGATE_EMBEDDING = b'{"model": "text-embedding-3-small", "input": ["hola \\udfff"]}'


def test_is_a_lone_surrogate_a_400_and_the_connection_still_usable(conn):
    for _ in range(15):
        status, headers, payload = conn.post("/v1/chat/completions", None, raw=SURROGATE)
        assert status == 400 and "surrogate" in _error(payload)["message"]
        assert headers.get("connection") != "close"
        status, _, payload = conn.post("/v1/embeddings", None, raw=SURROGATE_EMBEDDING)
        assert status == 400 and _error(payload)["param"] == "input[0]"
        status, _, _ = conn.post("/v1/chat/completions", {"model": "gpt-4o-mini", "messages": OK})
        assert status == 200


def test_does_a_500_keep_the_connection_usable(fresh, monkeypatch):
    c = Conn(fresh.simulator.url)
    try:
        real = fresh.simulator.state.tasks
        monkeypatch.setattr(fresh.simulator.state, "tasks", None)     # a bug of ours
        status, _, payload = c.post("/v1/chat/completions", {"model": "gpt-4o-mini", "messages": OK})
        assert status == 500 and _error(payload)["type"] == "server_error"
        monkeypatch.setattr(fresh.simulator.state, "tasks", real)
        status, _, _ = c.post("/v1/chat/completions", {"model": "gpt-4o-mini", "messages": OK})
        assert status == 200          # same socket: a silently dropped one would raise here
    finally:
        c.close()


@pytest.mark.parametrize("path, body, param", [
    ("/v1/chat/completions", {"model": "gpt-4o-mini", "messages": OK, "stream": "yes"}, "stream"),
    ("/v1/chat/completions", {"model": "gpt-4o-mini", "messages": OK, "max_tokens": "5"}, "max_tokens"),
    ("/v1/chat/completions", {"model": "gpt-4o-mini", "messages": OK, "n": True}, "n"),
    ("/v1/chat/completions", {"model": "gpt-4o-mini", "messages": OK, "temperature": "0"}, "temperature"),
    ("/v1/chat/completions", {"model": "gpt-4o-mini", "messages": OK, "n": 129}, "n"),
    ("/v1/embeddings", {"model": "text-embedding-3-small", "input": "hola", "user": {}}, "user"),
])
def test_are_wrong_types_rejected_not_coerced(conn, path, body, param):
    status, headers, payload = conn.post(path, body)
    assert status == 400 and headers["content-type"].startswith("application/json")
    assert _error(payload)["param"] == param


def test_is_a_float_temperature_given_as_an_integer_still_fine(conn):
    status, _, _ = conn.post("/v1/chat/completions", {"model": "gpt-4o-mini", "messages": OK, "temperature": 1})
    assert status == 200


def test_is_a_huge_max_tokens_a_400_even_under_a_tight_rate_limit(fresh):
    fresh.simulator.state.limiter.set_limits(model="gpt-4o-mini", tpm=1_000)
    with pytest.raises(openai.BadRequestError) as err:
        fresh.chat.completions.create(model="gpt-4o-mini", messages=OK, max_tokens=10**9)
    assert err.value.body["param"] == "max_tokens"


def test_is_a_chunked_body_over_the_limit_a_413(fresh):
    """The server may answer and close while the client is still sending: read what it said."""
    fresh.simulator.state.max_body_bytes = 50_000
    body = json.dumps({"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "x" * 80_000}]}).encode()
    url = urllib.parse.urlsplit(fresh.simulator.url)
    head = (f"POST /v1/chat/completions HTTP/1.1\r\nHost: {url.hostname}\r\n"
            f"Authorization: Bearer {KEY}\r\nContent-Type: application/json\r\n"
            "Transfer-Encoding: chunked\r\n\r\n").encode()
    with socket.create_connection((url.hostname, url.port), timeout=30) as sock:
        try:
            sock.sendall(head)
            for i in range(0, len(body), 8192):
                piece = body[i:i + 8192]
                sock.sendall(b"%x\r\n%s\r\n" % (len(piece), piece))
            sock.sendall(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass                       # the 413 came first and the server closed: expected
        answer = b""
        try:
            while b"\r\n\r\n" not in answer or len(answer) < 200:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                answer += chunk
        except ConnectionResetError:
            pass
    assert answer.split(b" ", 2)[1] == b"413", answer[:200]
    assert b"request_too_large" in answer
    assert fresh.simulator.ledger.records() == []


def test_is_a_giant_logprobs_answer_refused_not_built(conn):
    body = {"model": "gpt-4o-mini", "messages": OK, "n": 128, "logprobs": True, "top_logprobs": 20}
    status, _, payload = conn.post("/v1/chat/completions", body)
    assert status == 400 and len(payload) < 2_000
    assert _error(payload)["code"] == "response_too_large"


def test_does_a_405_say_which_methods_are_allowed(conn):
    conn.http.request("DELETE", "/v1/chat/completions", headers={"Authorization": f"Bearer {KEY}"})
    resp = conn.http.getresponse()
    resp.read()
    assert resp.status == 405 and "POST" in resp.getheader("allow", "")


# -- attribution and limits --------------------------------------------------------------

def test_does_the_costs_api_filter_by_api_key_and_chat_keep_the_project_header(fresh):
    admin = openai.OpenAI(api_key=fresh.simulator.admin_key, base_url=fresh.simulator.base_url, max_retries=0)
    a = openai.OpenAI(api_key="sk-equipo-a", base_url=fresh.simulator.base_url, project="proj_a", max_retries=0)
    b = openai.OpenAI(api_key="sk-equipo-b", base_url=fresh.simulator.base_url, max_retries=0)
    a.chat.completions.create(model="gpt-4o-mini", messages=OK)
    a.embeddings.create(model="text-embedding-3-small", input="hola")
    b.chat.completions.create(model="gpt-4o", messages=OK)
    rows = fresh.simulator.ledger.records()
    assert {r.project for r in rows if r.api_key_id == key_id("sk-equipo-a")} == {"proj_a"}
    start = int(min(r.ts for r in rows)) - 10
    only_a = admin.get("/organization/costs", cast_to=object,
                       options={"params": {"start_time": start, "api_key_ids": key_id("sk-equipo-a")}})
    spent = sum(res["amount"]["value"] for bucket in only_a["data"] for res in bucket["results"])
    expected = sum(r.cost for r in rows if r.api_key_id == key_id("sk-equipo-a"))
    assert spent == pytest.approx(float(expected))
    by_project = admin.get("/organization/usage/completions", cast_to=object,
                           options={"params": {"start_time": start, "group_by": "project_id"}})
    projects = {res["project_id"] for bucket in by_project["data"] for res in bucket["results"]}
    assert "proj_a" in projects


def test_does_an_rpm_only_override_keep_the_token_limit(fresh):
    admin = openai.OpenAI(api_key=fresh.simulator.admin_key, base_url=fresh.simulator.base_url, max_retries=0)
    admin.post("/simulator/rate_limits", body={"model": "gpt-4o-mini", "rpm": 50}, cast_to=object)
    raw = fresh.chat.completions.with_raw_response.create(model="gpt-4o-mini", messages=OK)
    profile = fresh.simulator.state.catalog.get("gpt-4o-mini")
    assert raw.headers["x-ratelimit-limit-requests"] == "50"
    assert raw.headers["x-ratelimit-limit-tokens"] == str(profile.tpm)


# -- retries and keys ----------------------------------------------------------------------

def test_is_a_retry_after_a_restart_billed_once(tmp_path):
    """The first server answers (and bills) but dies before the client reads it; the SDK's
    retry, with the same Idempotency-Key, reaches a new server on the same ledger file."""
    body = {"model": "gpt-4o-mini", "messages": OK}
    ids = []
    for _ in range(2):
        state = SimulatorState(ledger=Ledger(tmp_path / "ledger.sqlite"))
        with ServerHandle(create_app(state)) as server:
            client = openai.OpenAI(api_key=KEY, base_url=server.base_url, max_retries=0)
            ids.append(client.chat.completions.create(**body, extra_headers={"Idempotency-Key": "retry-7"}).id)
    assert ids[0] == ids[1]
    assert len(Ledger(tmp_path / "ledger.sqlite").records()) == 1
    # a different key is a different request
    state = SimulatorState(ledger=Ledger(tmp_path / "ledger.sqlite"))
    with ServerHandle(create_app(state)) as server:
        openai.OpenAI(api_key=KEY, base_url=server.base_url, max_retries=0).chat.completions.create(
            **body, extra_headers={"Idempotency-Key": "retry-8"})
    assert len(Ledger(tmp_path / "ledger.sqlite").records()) == 2


def test_does_costlab_serve_keep_its_admin_key_in_the_state_folder(tmp_path, monkeypatch):
    from course_lib.course.cli.serve import _admin_key
    home, course = tmp_path / "estado", tmp_path / "curso"
    course.mkdir()
    monkeypatch.setenv("COSTLAB_HOME", str(home))
    monkeypatch.delenv("COSTLAB_ADMIN_KEY", raising=False)
    monkeypatch.chdir(course)
    key, path = _admin_key(None)
    assert key.startswith("sk-admin-") and path == home / "admin_key"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert list(course.iterdir()) == []
    assert _admin_key(None)[0] == key            # the same key next time
