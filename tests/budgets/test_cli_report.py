"""``costlab report`` on a ledger file: writes the report, and bad input gets a Spanish message."""

from decimal import Decimal

from course_lib.course.cli import main
from course_lib.usage import CallRecord, Ledger


def _ledger(path):
    ledger = Ledger(path)
    ledger.record_many([CallRecord(model="gpt-4o", input_tokens=1000, output_tokens=100, cost=Decimal("0.35"),
                                   team="postventa", feature="garantias", user=f"cli-{i % 3}",
                                   ts=1_773_014_400.0 + 3600 * i) for i in range(60)])
    return path


def test_does_costlab_report_write_the_html_of_a_ledger(tmp_path, capsys):
    out = tmp_path / "informe.html"
    code = main(["report", "--registro", str(_ledger(tmp_path / "l.sqlite")), "--salida", str(out),
                 "--presupuesto", "nombre=postventa-dia,limite=5,ambito=team,valor=postventa,periodo=day"])
    assert code == 0 and "Informe escrito" in capsys.readouterr().out
    page = out.read_text(encoding="utf-8")
    assert "postventa-dia" in page and page.count("<img") == 4


def test_does_a_missing_ledger_or_a_bad_budget_get_a_spanish_message(tmp_path, capsys):
    assert main(["report", "--registro", str(tmp_path / "no.sqlite")]) == 1
    assert "No encuentro el registro" in capsys.readouterr().out
    assert main(["report", "--registro", str(_ledger(tmp_path / "l.sqlite")), "--presupuesto", "tope=3"]) == 1
    assert "No entiendo" in capsys.readouterr().out
