"""The admin usage and costs API agrees with the ledger, bucket by bucket and group by group."""

import json
from collections import Counter, defaultdict
from decimal import Decimal

import httpx
import openai
import pytest

from course_lib.client import connect
from course_lib.simulator import Clock
from course_lib.simulator.auth import key_id

DAY0 = 1_759_968_000          # 2025-10-09 00:00 UTC
HOUR = 3_600
KEYS = ("sk-alumno-a", "sk-alumno-b")


@pytest.fixture(scope="module")
def sim():
    """Five hours of traffic: two keys, two users, two projects, two models, a batch, embeddings."""
    main = connect(isolated=True, clock=Clock(start=DAY0, frozen=True), max_retries=0, _strict_response_validation=True)
    clock = main.simulator.clock
    clients = [openai.OpenAI(base_url=main.base_url, api_key=k, max_retries=0, _strict_response_validation=True) for k in KEYS]
    for hour in range(5):
        clock.set(DAY0 + hour * HOUR + 120)
        for i, (client, user, project, model) in enumerate([
                (clients[0], "ana", "web", "gpt-4o-mini"), (clients[1], "luis", "app", "gpt-4o"),
                (clients[0], "luis", "web", "gpt-4o"), (clients[1], "", "", "gpt-4o-mini")][: 2 + hour % 3]):
            extra = {"user": user} if user else {}
            client.chat.completions.create(
                model=model, messages=[{"role": "user", "content": f"¿Plazo de devolución? ({hour}-{i})"}],
                max_tokens=15 + hour, metadata={"project": project} if project else None, **extra)
        clients[hour % 2].embeddings.create(model="text-embedding-3-small", input=f"consulta {hour}",
                                           encoding_format="float")
    clock.set(DAY0 + 2 * HOUR + 1800)
    rows = [{"custom_id": f"b{i}", "method": "POST", "url": "/v1/chat/completions",
             "body": {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": f"lote {i}"}], "max_tokens": 9}}
            for i in range(3)]
    upload = main.files.create(file=("b.jsonl", "\n".join(map(json.dumps, rows)).encode()), purpose="batch")
    main.batches.retrieve(main.batches.create(input_file_id=upload.id, endpoint="/v1/chat/completions",
                                              completion_window="24h").id)
    clock.set(DAY0 + 6 * HOUR)
    admin = openai.OpenAI(base_url=main.base_url, api_key=main.simulator.admin_key, max_retries=0, _strict_response_validation=True)
    yield main, admin
    main.simulator.stop()


def _get(admin, path, **params):
    return admin.get(path, options={"params": params}, cast_to=object)


def _chat_records(main):
    return [r for r in main.simulator.ledger.records() if not r.model.startswith("text-embedding")]


def test_do_hourly_usage_buckets_add_up_to_the_ledger(sim):
    main, admin = sim
    page = _get(admin, "/organization/usage/completions", start_time=DAY0, end_time=DAY0 + 5 * HOUR,
                bucket_width="1h")
    assert page["object"] == "page" and not page["has_more"] and len(page["data"]) == 5
    per_hour = Counter((r.ts - DAY0) // HOUR for r in _chat_records(main))
    for i, bucket in enumerate(page["data"]):
        assert (bucket["object"], bucket["start_time"], bucket["end_time"]) == ("bucket", DAY0 + i * HOUR, DAY0 + (i + 1) * HOUR)
        [result] = bucket["results"]
        assert result["object"] == "organization.usage.completions.result"
        assert result["num_model_requests"] == per_hour[i]
        assert result["model"] is None and result["user_id"] is None
    totals = Counter()
    for bucket in page["data"]:
        for r in bucket["results"]:
            totals.update({k: r[k] for k in ("input_tokens", "output_tokens", "input_cached_tokens", "num_model_requests")})
    records = _chat_records(main)
    assert totals == Counter(input_tokens=sum(r.input_tokens for r in records),
                             output_tokens=sum(r.output_tokens for r in records),
                             input_cached_tokens=sum(r.cached_tokens for r in records),
                             num_model_requests=len(records))


def test_does_group_by_split_usage_like_the_ledger(sim):
    main, admin = sim
    groups = ["model", "user_id", "project_id", "api_key_id", "batch"]
    page = _get(admin, "/organization/usage/completions", start_time=DAY0, bucket_width="1d", group_by=groups)
    [bucket] = page["data"]
    got = {tuple(r[g] for g in groups): (r["input_tokens"], r["output_tokens"], r["num_model_requests"])
           for r in bucket["results"]}
    expected = defaultdict(lambda: [0, 0, 0])
    for r in _chat_records(main):
        key = (r.model, r.user or None, r.project or None, r.api_key_id or None, r.batch)
        expected[key] = [expected[key][0] + r.input_tokens, expected[key][1] + r.output_tokens, expected[key][2] + 1]
    assert got == {k: tuple(v) for k, v in expected.items()}
    assert (key_id(KEYS[0]) in {k[3] for k in got}) and ("web" in {k[2] for k in got})
    assert any(k[4] is True for k in got) and any(k[4] is False for k in got)


def test_do_filters_and_pages_work(sim):
    main, admin = sim
    only = _get(admin, "/organization/usage/completions", start_time=DAY0, models=["gpt-4o"], batch="false")
    n = sum(r["num_model_requests"] for b in only["data"] for r in b["results"])
    assert n == sum(1 for r in _chat_records(main) if r.model == "gpt-4o" and not r.batch)
    seen, pages, cursor = 0, 0, None
    while True:
        params = {"start_time": DAY0, "end_time": DAY0 + 5 * HOUR, "bucket_width": "1h", "limit": 2}
        page = _get(admin, "/organization/usage/completions", **params, **({"page": cursor} if cursor else {}))
        pages += 1
        seen += sum(r["num_model_requests"] for b in page["data"] for r in b["results"])
        if not page["has_more"]:
            break
        cursor = page["next_page"]
    assert pages == 3 and seen == len(_chat_records(main))


def test_do_costs_add_up_to_the_ledger_total(sim):
    main, admin = sim
    ledger_total = sum((r.cost for r in main.simulator.ledger.records()), Decimal(0))
    for group_by in ([], ["line_item"], ["project_id"], ["api_key_id", "line_item"]):
        page = _get(admin, "/organization/costs", start_time=DAY0, group_by=group_by)
        amounts = [r["amount"] for b in page["data"] for r in b["results"]]
        assert all(a["currency"] == "usd" for a in amounts)
        assert sum(a["value"] for a in amounts) == pytest.approx(float(ledger_total), rel=1e-12)
    items = {r["line_item"]: r for b in _get(admin, "/organization/costs", start_time=DAY0,
                                              group_by=["line_item"])["data"] for r in b["results"]}
    assert {"gpt-4o, input", "gpt-4o, output", "gpt-4o-mini, batch input", "text-embedding-3-small, input"} <= set(items)
    batch = [r for r in main.simulator.ledger.records() if r.batch]
    assert items["gpt-4o-mini, batch output"]["quantity"] == sum(r.output_tokens for r in batch)
    by_project = {r["project_id"]: r["amount"]["value"] for b in _get(
        admin, "/organization/costs", start_time=DAY0, group_by=["project_id"])["data"] for r in b["results"]}
    web = sum((r.cost for r in main.simulator.ledger.records() if r.project == "web"), Decimal(0))
    assert by_project["web"] == pytest.approx(float(web), rel=1e-12)


def test_does_embeddings_usage_count_only_embeddings(sim):
    main, admin = sim
    page = _get(admin, "/organization/usage/embeddings", start_time=DAY0, group_by=["api_key_id"])
    results = [r for b in page["data"] for r in b["results"]]
    embedded = [r for r in main.simulator.ledger.records() if r.model.startswith("text-embedding")]
    assert sum(r["num_model_requests"] for r in results) == len(embedded) == 5
    assert sum(r["input_tokens"] for r in results) == sum(r.input_tokens for r in embedded)
    assert all(r["object"] == "organization.usage.embeddings.result" for r in results)


def test_do_the_sdks_typed_admin_calls_parse_our_answers(sim):
    main, _ = sim
    usage = main.admin.organization.usage.completions(start_time=DAY0, bucket_width="1h", limit=24,
                                                      group_by=["model", "batch"])
    assert sum(r.num_model_requests for b in usage.data for r in b.results) == len(_chat_records(main))
    costs = main.admin.organization.usage.costs(start_time=DAY0, group_by=["line_item"])
    assert sum(r.amount.value for b in costs.data for r in b.results) > 0


@pytest.mark.parametrize("params, status", [
    ({}, 400),
    ({"start_time": DAY0, "bucket_width": "1w"}, 400),
    ({"start_time": DAY0, "group_by": "colour"}, 400),
    ({"start_time": DAY0, "limit": 0}, 400),
    ({"start_time": DAY0, "page": "nope"}, 400),
    ({"start_time": DAY0, "end_time": DAY0 - 1}, 400),
    ({"start_time": 10**20}, 400),
])
def test_are_bad_queries_a_400(sim, params, status):
    main, _ = sim
    response = httpx.get(f"{main.simulator.url}/v1/organization/usage/completions", params=params,
                         headers={"Authorization": f"Bearer {main.simulator.admin_key}"})
    assert response.status_code == status and "error" in response.json()


def test_does_the_admin_api_need_the_admin_key(sim):
    main, _ = sim
    for path in ("/organization/usage/completions", "/organization/costs"):
        with pytest.raises(openai.AuthenticationError):
            main.get(path, options={"params": {"start_time": DAY0}}, cast_to=object)


def test_can_the_clock_be_moved_through_the_admin_api(sim):
    main, admin = sim
    now = admin.get("/simulator/clock", cast_to=object)["now"]
    assert admin.post("/simulator/clock", body={"advance": 60}, cast_to=object)["now"] == now + 60
    for bad in ({"advance": -5}, {"set": 10**12}, {"advance": 10**11}, {"advance": 1, "set": 1}, {"advance": "1"}):
        with pytest.raises(openai.BadRequestError):
            admin.post("/simulator/clock", body=bad, cast_to=object)
