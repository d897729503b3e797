"""Tests of ``costlab tokens`` as a user runs it, through the installed console script."""

import subprocess
import sys

import pytest

from course_lib.course.cli import main


def run(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "course_lib.course.cli", *args], capture_output=True, text=True,
                          input=stdin, timeout=60)


def test_does_the_example_print_8_tokens_and_its_price():
    result = run("tokens", "¿Cuánto cuesta el envío a Canarias?", "--model", "gpt-4o")
    assert result.returncode == 0, result.stderr
    row = next(line for line in result.stdout.splitlines() if line.startswith("gpt-4o"))
    cells = row.split()
    assert cells[1:6] == ["o200k_base", "8", "2,500", "0,00002", "USD"]  # 8 × 2,50 USD / 1M


def test_are_several_models_and_output_tokens_shown(capsys):
    assert main(["tokens", "hola", "-m", "gpt-4o", "-m", "gpt-4", "--salida", "100"]) == 0  # gpt-4 has no price
    out = capsys.readouterr().out
    assert "sin precio" in out and "Sin precio en la instantánea del curso: gpt-4" in out
    assert next(line for line in out.splitlines() if line.startswith("gpt-4 ")).split()[1] == "cl100k_base"
    assert main(["tokens", "hola", "-m", "gpt-4o", "-m", "gpt-5-nano", "--salida", "100"]) == 0
    out = capsys.readouterr().out
    assert "Coste con 100 de salida" in out and "gpt-5-nano" in out


def test_does_it_read_a_file_and_stdin(tmp_path, capsys):
    path = tmp_path / "prompt.txt"
    path.write_text("¿Cuánto cuesta el envío a Canarias?", encoding="utf-8")
    assert main(["tokens", "--fichero", str(path), "-m", "gpt-4o"]) == 0
    assert " 8 " in capsys.readouterr().out
    assert run("tokens", "-", "-m", "gpt-4o", stdin="¿Cuánto cuesta el envío a Canarias?").returncode == 0


@pytest.mark.parametrize("args, message", [
    (["tokens", "--fichero", "/no/existe.txt"], "no existe el fichero"),
    (["tokens"], "indica un texto"),
])
def test_does_bad_input_get_a_spanish_message(args, message):
    result = run(*args)
    assert result.returncode != 0 and message in result.stderr


def test_does_a_misspelled_model_suggest_the_right_one():
    result = run("tokens", "hola", "-m", "gpt4o-mini")
    assert result.returncode == 2 and "gpt-4o-mini" in result.stderr


def test_are_figures_and_the_prices_line_in_spanish():
    result = run("tokens", "hola " * 3000, "-m", "gpt-4o", "--salida", "1000")
    assert result.returncode == 0, result.stderr
    assert "Precios: tabla de precios de LiteLLM" in result.stdout and "instantánea del 2025-09-05" in result.stdout
    assert "Caracteres: 15.000." in result.stdout and "3.001" in result.stdout and "$" not in result.stdout
