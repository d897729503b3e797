"""Many clients at once on the shared server: every call lands in the ledger exactly once."""

from concurrent.futures import ThreadPoolExecutor

from course_lib.client import connect
from course_lib.simulator.daemon import stop_server


def test_do_8_clients_x_250_requests_leave_2000_ledger_rows(tmp_path):
    connect(home=tmp_path)  # start the shared server once, in its own process

    def worker(w):
        client = connect(home=tmp_path, api_key=f"sk-worker-{w}", max_retries=0)
        ids = []
        for i in range(250):
            r = client.chat.completions.create(
                model="gpt-4o-mini", max_tokens=20, user=f"u{w}",
                messages=[{"role": "user", "content": f"Pregunta {i} del cliente {w}"}])
            ids.append(r.id)
        client.close()
        return ids

    try:
        with ThreadPoolExecutor(8) as pool:
            ids = [i for batch in pool.map(worker, range(8)) for i in batch]
        records = connect(home=tmp_path).simulator.ledger.records()
    finally:
        stop_server(tmp_path)
    assert len(ids) == len(set(ids)) == 2000
    assert len(records) == 2000
    assert {r.request_id for r in records} == set(ids)
    assert len({r.api_key_id for r in records}) == 8
    assert {r.user for r in records} == {f"u{w}" for w in range(8)}


def test_do_the_first_concurrent_calls_to_a_fresh_isolated_instance_share_one_ledger():
    from tests.simulator.conftest import make_client

    client = make_client()
    try:
        def call(i):
            return client.chat.completions.create(
                model="gpt-4o-mini", messages=[{"role": "user", "content": f"Hola {i}"}]).id

        with ThreadPoolExecutor(8) as pool:
            ids = set(pool.map(call, range(16)))
        assert {r.request_id for r in client.simulator.ledger.records()} == ids
    finally:
        client.simulator.stop()
