"""connect(): the shared on-demand server (start, reuse, restart, no clash), isolation, real provider."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from course_lib.client import connect
from course_lib.simulator.daemon import healthy, read_info, stop_server

HELLO = [{"role": "user", "content": "Hola"}]


@pytest.fixture
def home(tmp_path):
    yield tmp_path
    stop_server(tmp_path)


def test_does_connect_start_a_shared_server_on_demand_and_reuse_it(home):
    assert read_info(home) is None
    first = connect(home=home, max_retries=0)
    r = first.chat.completions.create(model="gpt-4o-mini", messages=HELLO, user="ana")
    info = read_info(home)
    assert info and first.simulator.base_url.endswith(f":{info['port']}/v1")
    second = connect(home=home, max_retries=0)
    assert read_info(home)["pid"] == info["pid"]          # reused, not restarted
    second.chat.completions.create(model="gpt-4o-mini", messages=HELLO)
    ids = {rec.request_id for rec in second.simulator.ledger.records()}
    assert r.id in ids and len(ids) == 2                   # one ledger file for both
    assert (home / "ledger.sqlite").exists()
    assert oct((home / "admin_key").stat().st_mode & 0o777) == "0o600"


def test_does_the_shared_server_never_write_keys_to_its_files(home):
    secret = "sk-secreto-que-no-debe-aparecer-1234"
    client = connect(home=home, api_key=secret, max_retries=0)
    client.chat.completions.create(model="gpt-4o-mini", messages=HELLO)
    with pytest.raises(Exception):
        client.chat.completions.create(model="no-existe", messages=HELLO)
    stop_server(home)
    for path in home.iterdir():
        if path.is_file() and path.name != "admin_key":
            assert secret.encode() not in path.read_bytes(), path.name


def test_is_a_dead_shared_server_restarted(home):
    client = connect(home=home, max_retries=0)
    old = read_info(home)
    os.kill(old["pid"], signal.SIGKILL)
    deadline = time.monotonic() + 10
    while healthy(old) and time.monotonic() < deadline:   # SIGKILL closes its socket at once
        time.sleep(0.05)
    # the already-connected client heals itself...
    assert client.chat.completions.create(model="gpt-4o", messages=HELLO).choices
    new = read_info(home)
    assert new["pid"] != old["pid"]
    # ...and a new connect() finds the new server
    assert connect(home=home).simulator.info["pid"] == new["pid"]


def test_do_two_kernels_starting_at_once_share_one_server(home):
    code = ("from course_lib.client import connect; import json;"
            f"c = connect(home={str(home)!r});"
            "c.chat.completions.create(model='gpt-4o-mini', messages=[{'role': 'user', 'content': 'hola'}]);"
            "print(json.dumps(c.simulator.info))")
    procs = [subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
             for _ in range(2)]
    infos = [json.loads(p.communicate(timeout=120)[0].strip().splitlines()[-1]) for p in procs]
    assert infos[0]["port"] == infos[1]["port"] and infos[0]["pid"] == infos[1]["pid"]
    assert len(connect(home=home).simulator.ledger) == 2


def test_are_isolated_instances_independent(sim):
    a = connect(isolated=True)
    b = connect(isolated=True)
    try:
        assert a.simulator.base_url != b.simulator.base_url
        a.chat.completions.create(model="gpt-4o", messages=HELLO)
        assert (len(a.simulator.ledger), len(b.simulator.ledger)) == (1, 0)
        a.simulator.clock.advance(3600)
        assert b.simulator.clock() < a.simulator.clock()
        assert a.simulator.state.limiter is not b.simulator.state.limiter
    finally:
        a.simulator.stop()
        b.simulator.stop()


def test_does_the_real_provider_setting_build_a_plain_client(sim, monkeypatch):
    monkeypatch.setenv("COSTLAB_PROVIDER", "openai")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-real-looking")
    monkeypatch.setenv("OPENAI_BASE_URL", sim.simulator.base_url)   # stands in for the provider
    client = connect(max_retries=0)
    assert client.simulator is None and client.api_key == "sk-real-looking"
    assert client.chat.completions.create(model="gpt-4o", messages=HELLO).usage.prompt_tokens > 0
    monkeypatch.delenv("OPENAI_API_KEY")
    with pytest.raises(RuntimeError, match="OPENAI_API_KEY"):
        connect()


def test_costlab_serve_runs_a_server_the_sdk_can_use(tmp_path):
    import openai
    cmd = [sys.executable, "-c", "import sys; from course_lib.course.cli import main; sys.exit(main())",
           "serve", "--port", "0", "--admin-key-file", str(tmp_path / "admin")]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        assert "http://127.0.0.1:" in line
        base_url = line.split()[3]
        client = openai.OpenAI(api_key="sk-test", base_url=base_url, max_retries=0)
        assert client.chat.completions.create(model="gpt-4o-mini", messages=HELLO).choices
        assert "sk-admin" not in line + proc.stdout.readline()
    finally:
        proc.terminate()
        proc.wait(10)


def test_is_a_stale_record_replaced_without_signalling_the_process_that_reused_its_pid(home):
    (home / "server.json").write_text(json.dumps({"pid": os.getpid(), "host": "127.0.0.1",
                                                  "port": 9, "instance": "stale"}))
    client = connect(home=home, max_retries=0)      # we are still alive to check the answer
    assert client.chat.completions.create(model="gpt-4o-mini", messages=HELLO).choices
    assert read_info(home)["pid"] != os.getpid()
