"""Files and Batch API through the openai SDK: round trip, error file, half price, validation."""

import json
from decimal import Decimal

import httpx2
import openai
import pytest

from course_lib.client import connect
from course_lib.pricing import PriceBook, Usage
from course_lib.simulator import Clock
from course_lib.simulator.batch import read_jsonl, validate_requests
from course_lib.simulator.errors import APIError

T0 = 1_760_000_000.0


def _line(custom_id, content, model="gpt-4o-mini", url="/v1/chat/completions", **body):
    return {"custom_id": custom_id, "method": "POST", "url": url,
            "body": {"model": model, "messages": [{"role": "user", "content": content}], **body}}


def _jsonl(rows) -> bytes:
    return "\n".join(json.dumps(r, ensure_ascii=False) for r in rows).encode("utf-8")


@pytest.fixture()
def client():
    client = connect(isolated=True, clock=Clock(start=T0, frozen=True), max_retries=0, _strict_response_validation=True)
    yield client
    client.simulator.stop()


def test_does_a_batch_round_trip_at_half_price_with_the_bad_line_in_the_error_file(client):
    rows = [_line(f"q{i}", f"¿Cuál es el plazo de devolución? (pregunta {i})", max_tokens=40) for i in range(4)]
    rows.insert(2, {"custom_id": "roto", "method": "POST", "url": "/v1/chat/completions",
                    "body": {"model": "gpt-4o-mini", "messages": "esto no es una lista"}})
    upload = client.files.create(file=("preguntas.jsonl", _jsonl(rows)), purpose="batch")
    assert (upload.purpose, upload.status, upload.bytes) == ("batch", "processed", len(_jsonl(rows)))
    assert client.files.retrieve(upload.id).filename == "preguntas.jsonl"
    assert client.files.content(upload.id).content == _jsonl(rows)

    batch = client.batches.create(input_file_id=upload.id, endpoint="/v1/chat/completions",
                                  completion_window="24h", metadata={"lab": "4"})
    assert batch.status == "validating" and batch.request_counts.total == 5
    batch = client.batches.retrieve(batch.id)
    assert batch.status == "completed" and batch.completed_at is not None
    assert (batch.request_counts.total, batch.request_counts.completed, batch.request_counts.failed) == (5, 4, 1)
    assert batch.metadata == {"lab": "4"} and batch.model == "gpt-4o-mini"

    output = [json.loads(l) for l in client.files.content(batch.output_file_id).text.splitlines()]
    errors = [json.loads(l) for l in client.files.content(batch.error_file_id).text.splitlines()]
    assert sorted(o["custom_id"] for o in output) == ["q0", "q1", "q2", "q3"]
    assert [e["custom_id"] for e in errors] == ["roto"]
    for line in output:
        assert line["id"].startswith("batch_req_") and line["error"] is None
        assert line["response"]["status_code"] == 200 and line["response"]["request_id"]
        openai.types.chat.ChatCompletion.model_validate(line["response"]["body"])
    assert errors[0]["response"]["status_code"] == 400
    assert errors[0]["response"]["body"]["error"]["param"] == "messages"

    # billed once per answered line, at half of the realtime price
    records = client.simulator.ledger.records()
    assert len(records) == 4 and all(r.batch for r in records)
    book = PriceBook.default()
    for line in output:
        usage = Usage.from_openai(line["response"]["body"]["usage"])
        full = book.cost("gpt-4o-mini", usage)
        match = [r for r in records if r.input_tokens == usage.input_tokens and r.output_tokens == usage.output_tokens]
        assert match and match[0].cost == full / 2
    assert batch.usage.input_tokens == sum(r.input_tokens for r in records)
    assert batch.usage.output_tokens == sum(r.output_tokens for r in records)
    assert client.files.retrieve(batch.output_file_id).purpose == "batch_output"


def test_is_a_batch_answer_the_same_as_a_realtime_one_but_cheaper(client):
    row = _line("solo", "¿Hacéis envíos a Canarias?", max_tokens=30)
    upload = client.files.create(file=("uno.jsonl", _jsonl([row])), purpose="batch")
    batch = client.batches.retrieve(client.batches.create(
        input_file_id=upload.id, endpoint="/v1/chat/completions", completion_window="24h").id)
    batched = json.loads(client.files.content(batch.output_file_id).text)["response"]["body"]
    direct = client.chat.completions.create(**row["body"])
    assert batched["choices"][0]["message"]["content"] == direct.choices[0].message.content
    batch_rec, direct_rec = client.simulator.ledger.records()
    assert batch_rec.batch and not direct_rec.batch
    assert batch_rec.cost * 2 == direct_rec.cost > 0


def test_do_embedding_batches_work_too(client):
    rows = [{"custom_id": f"e{i}", "method": "POST", "url": "/v1/embeddings",
             "body": {"model": "text-embedding-3-small", "input": t, "encoding_format": "float"}}
            for i, t in enumerate(["hola", "adiós"])]
    upload = client.files.create(file=("emb.jsonl", _jsonl(rows)), purpose="batch")
    batch = client.batches.retrieve(client.batches.create(
        input_file_id=upload.id, endpoint="/v1/embeddings", completion_window="24h").id)
    assert batch.status == "completed" and batch.error_file_id is None
    lines = [json.loads(l) for l in client.files.content(batch.output_file_id).text.splitlines()]
    assert all(len(l["response"]["body"]["data"][0]["embedding"]) == 1536 for l in lines)
    recs = client.simulator.ledger.records()
    assert all(r.batch for r in recs) and recs[0].cost == Decimal(recs[0].input_tokens) * Decimal("0.01") / 10**6


def test_does_a_malformed_file_fail_the_batch_with_errors(client):
    rows = [_line("a", "x"), _line("a", "y"), _line("b", "z", url="/v1/embeddings")]
    upload = client.files.create(file=("mal.jsonl", _jsonl(rows)), purpose="batch")
    batch = client.batches.create(input_file_id=upload.id, endpoint="/v1/chat/completions", completion_window="24h")
    assert batch.status == "failed" and batch.failed_at is not None
    codes = [(e.code, e.line) for e in batch.errors.data]
    assert codes == [("duplicate_custom_id", 2), ("invalid_url", 3)]
    assert client.batches.retrieve(batch.id).status == "failed"
    assert len(client.simulator.ledger) == 0


def test_does_the_batch_wait_for_the_simulated_delay(client):
    client.simulator.state.extra["batch_delay_s"] = 3600
    upload = client.files.create(file=("d.jsonl", _jsonl([_line("a", "hola")])), purpose="batch")
    batch = client.batches.create(input_file_id=upload.id, endpoint="/v1/chat/completions", completion_window="24h")
    assert client.batches.retrieve(batch.id).status == "validating"
    client.simulator.clock.advance(3600)
    assert client.batches.retrieve(batch.id).status == "completed"
    listed = client.batches.list()
    assert [b.id for b in listed.data] == [batch.id]


@pytest.mark.parametrize("content, purpose, status", [
    (b"{\"a\": 1}\nno es json\n", "batch", 400),
    (b"", "batch", 400),
    (b"\xff\xfe", "batch", 400),
    (b"{}", "training", 400),
])
def test_are_bad_uploads_refused(client, content, purpose, status):
    with pytest.raises(openai.APIStatusError) as caught:
        client.files.create(file=("x.jsonl", content), purpose=purpose)
    assert caught.value.status_code == status


def test_are_bad_batch_requests_refused(client):
    upload = client.files.create(file=("ok.jsonl", _jsonl([_line("a", "x")])), purpose="batch")
    with pytest.raises(openai.NotFoundError):
        client.batches.create(input_file_id="file-nope", endpoint="/v1/chat/completions", completion_window="24h")
    with pytest.raises(openai.BadRequestError):
        client.batches.create(input_file_id=upload.id, endpoint="/v1/chat/completions", completion_window="1h")
    with pytest.raises(openai.BadRequestError):
        client.batches.create(input_file_id=upload.id, endpoint="/v1/completions", completion_window="24h")
    with pytest.raises(openai.NotFoundError):
        client.batches.retrieve("batch_nope")
    with pytest.raises(openai.NotFoundError):
        client.files.content("file-nope")


# -- the pure parts -------------------------------------------------------------------

def test_does_an_upload_keep_the_bytes_exactly(client):
    payload = "{\"q\": \"¿envío?\"}\r\n{\"q\": \"2\"}\n".encode()
    body = (b"--b0\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nbatch\r\n"
            b"--b0\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.jsonl\"\r\n"
            b"Content-Type: application/octet-stream\r\n\r\n" + payload + b"\r\n--b0--\r\n")
    auth = {"authorization": "Bearer sk-test"}
    with httpx2.Client(base_url=client.simulator.url, timeout=30) as http:
        sent = http.post("/v1/files", content=body,
                         headers={**auth, "content-type": 'multipart/form-data; boundary="b0"'})
        assert sent.status_code == 200 and sent.json()["filename"] == "a.jsonl"
        assert http.get(f"/v1/files/{sent.json()['id']}/content", headers=auth).content == payload
        wrong = http.post("/v1/files", content=body, headers={**auth, "content-type": "application/json"})
        assert wrong.status_code == 400 and wrong.json()["error"]["message"]
        broken = http.post("/v1/files", content=b"--b0\r\nbasura",
                           headers={**auth, "content-type": "multipart/form-data; boundary=b0"})
        assert broken.status_code == 400 and "error" in broken.json()


def test_does_validation_report_each_bad_line():
    rows = read_jsonl(_jsonl([_line("a", "x"), {"custom_id": "b", "method": "GET", "url": "/v1/chat/completions",
                                                "body": {}}, {"method": "POST"}, _line("c", "y", model="gpt-4o")]))
    problems = validate_requests(rows, "/v1/chat/completions")
    assert [(p["code"], p["line"]) for p in problems] == [
        ("invalid_method", 2), ("missing_required_parameter", 3), ("mismatched_model", None)]


def test_are_lines_split_only_on_newlines():
    rows = read_jsonl('{"q": "a\u2028b"}\r\n{"q": "c\x85d"}\n'.encode())
    assert [r["q"] for _, r in rows] == ["a\u2028b", "c\x85d"]


def test_is_a_batch_run_once_when_polled_from_many_threads(client):
    from concurrent.futures import ThreadPoolExecutor
    upload = client.files.create(file=("p.jsonl", _jsonl([_line(f"c{i}", f"hola {i}") for i in range(6)])),
                                 purpose="batch")
    batch = client.batches.create(input_file_id=upload.id, endpoint="/v1/chat/completions", completion_window="24h")
    with ThreadPoolExecutor(4) as pool:
        seen = list(pool.map(lambda _: client.batches.retrieve(batch.id), range(8)))
    assert {b.status for b in seen} == {"completed"} and len({b.output_file_id for b in seen}) == 1
    assert len(client.simulator.ledger) == 6


def test_can_files_be_listed_and_deleted_and_batches_cancelled(client):
    client.simulator.state.extra["batch_delay_s"] = 60
    upload = client.files.create(file=("c.jsonl", _jsonl([_line("a", "hola")])), purpose="batch")
    notes = client.files.create(file=("notas.txt", b"texto libre"), purpose="user_data")
    assert {f.id for f in client.files.list(purpose="batch")} == {upload.id}
    assert {f.id for f in client.files.list()} == {upload.id, notes.id}
    batch = client.batches.create(input_file_id=upload.id, endpoint="/v1/chat/completions", completion_window="24h")
    cancelled = client.batches.cancel(batch.id)
    assert cancelled.status == "cancelled" and cancelled.cancelled_at is not None
    client.simulator.clock.advance(120)
    assert client.batches.retrieve(batch.id).status == "cancelled" and len(client.simulator.ledger) == 0
    with pytest.raises(openai.BadRequestError):
        client.batches.cancel(batch.id)
    assert client.files.delete(notes.id).deleted
    with pytest.raises(openai.NotFoundError):
        client.files.retrieve(notes.id)
