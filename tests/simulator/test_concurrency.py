"""Many clients at once: every call lands in the ledger exactly once."""

from concurrent.futures import ThreadPoolExecutor

import openai


def test_do_8_clients_x_250_requests_leave_2000_ledger_rows(fresh):
    url = fresh.simulator.base_url

    def worker(w):
        client = openai.OpenAI(api_key=f"sk-worker-{w}", base_url=url, max_retries=0)
        ids = []
        for i in range(250):
            r = client.chat.completions.create(
                model="gpt-4o-mini", max_tokens=20, user=f"u{w}",
                messages=[{"role": "user", "content": f"Pregunta {i} del cliente {w}"}])
            ids.append(r.id)
        client.close()
        return ids

    with ThreadPoolExecutor(8) as pool:
        ids = [i for batch in pool.map(worker, range(8)) for i in batch]
    records = fresh.simulator.ledger.records()
    assert len(ids) == len(set(ids)) == 2000
    assert len(records) == 2000
    assert {r.request_id for r in records} == set(ids)
    assert len({r.api_key_id for r in records}) == 8
