"""Personal data stays local; complaints never reach the weakest model."""

import pytest

from course_lib.cascade import PrivacyRefused, PrivacyRule, personal_data
from course_lib.course import world


@pytest.mark.parametrize("text,kind", [
    ("Mi DNI es 12345678Z", "dni"), ("NIE X1234567L", "dni"), ("Llamadme al 612 345 678", "telefono"),
    ("tel +34 915 123 456", "telefono"), ("escribid a ana.lopez@example.com", "email"),
    ("Vivo en calle Mayor 23, 48910 Bilbao", "direccion"), ("cuenta ES91 2100 0418 4502 0005 1332", "iban"),
    ("tarjeta 4111 1111 1111 1111", "tarjeta")])
def test_is_each_kind_of_personal_data_found(text, kind):
    assert kind in [k for k, _ in personal_data(text)]


@pytest.mark.parametrize("text", ["Pedido MD-1900526", "seguimiento PQ5140861303ES",
                                  "DNI 12345678A (letra mal)", "Cuesta 299,00 € en 3 plazos",
                                  "El envío a Canarias cuesta 9,95 €"])
def test_are_order_numbers_and_prices_not_personal_data(text):
    assert personal_data(text) == []


def test_do_public_faq_questions_carry_no_personal_data():
    faq = world.load_tasks("train")
    faq = faq[faq["type"].isin(["faq", "calculation", "multistep"])]
    assert sum(bool(personal_data(q)) for q in faq["question"]) == 0


def test_does_a_request_with_a_phone_go_to_the_local_model(client):
    from course_lib.cascade import Cascade, edge_price

    rule = PrivacyRule(ladder=["gpt-4o-mini", "gpt-4o"], local_model="tienda-edge-8b")
    prices = client.prices.with_price(edge_price("tienda-edge-8b"))
    from course_lib import connect

    local = connect(isolated=True, prices=prices)
    local.pipeline.use(Cascade(ladder=["gpt-4o-mini", "gpt-4o"], thresholds=[1.0]), slot="router")
    local.pipeline.use(rule, slot="router")
    local.chat.completions.create(model="gpt-4o-mini", messages=[
        {"role": "user", "content": "Llamadme al 612 345 678 para el cambio de dirección"}])
    rows = local.ledger.records()
    assert {r.model for r in rows} == {"tienda-edge-8b"} and all(r.cost == 0 for r in rows)


def test_is_personal_data_refused_without_a_local_model(client):
    client.pipeline.use(PrivacyRule(ladder=["gpt-4o-mini", "gpt-4o"]), slot="router")
    with pytest.raises(PrivacyRefused, match="datos personales"):
        client.chat.completions.create(model="gpt-4o", messages=[
            {"role": "user", "content": "Mi DNI es 12345678Z"}])
    assert [r.status for r in client.ledger.records()] == ["error"]   # refused before the provider


def test_does_a_refund_request_skip_the_weakest_model():
    rule = PrivacyRule(ladder=["gpt-4.1-nano", "gpt-4o-mini", "gpt-4o"], local_model="edge")
    assert rule.decide("gpt-4.1-nano", "Quiero el reembolso de mi pedido")[0] == "gpt-4o-mini"
    assert rule.decide("gpt-4.1-nano", "¿Cuánto cuesta el envío?")[0] == "gpt-4.1-nano"
