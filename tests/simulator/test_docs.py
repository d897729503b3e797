"""Does the learners' page on the simulated models say what the code does?"""

import re

from course_lib.paths import REPO_ROOT
from course_lib.pricing import PriceBook
from course_lib.simulator.catalog import Catalog
from course_lib.simulator.prompt_cache import BLOCK, MIN_CACHED
from course_lib.simulator.quality import RECOGNISABLE, SLOPE
from course_lib.simulator.state import DEFAULT_CACHE_TTL

PAGE = (REPO_ROOT / "docs" / "modelo_simulado.md").read_text(encoding="utf-8")


def test_does_the_model_table_match_the_catalogue():
    catalog = Catalog.from_prices(PriceBook.default())
    rows = re.findall(r"^\| ([a-z0-9.\-]+) \| ([0-9.]+) \| ([0-9.]+) \| (\d+) \| (\d+) \| (sí|no) \| ([0-9.]+) \| "
                      r"([0-9.]+) / ([0-9.]+) \|$", PAGE, flags=re.M)
    assert len(rows) >= 10
    for model, skill, verbosity, speed, ttft, reasoning, window, rpm, tpm in rows:
        p = catalog.get(model)
        assert p is not None, model
        assert (float(skill), float(verbosity), int(speed), int(ttft)) == \
            (p.skill, p.verbosity, p.speed, p.ttft_ms), model
        assert (reasoning == "sí") == p.reasoning
        assert int(window.replace(".", "")) == p.context_window
        assert (int(rpm.replace(".", "")), int(tpm.replace(".", ""))) == (p.rpm, p.tpm)


def test_does_the_page_state_the_caching_and_quality_constants():
    assert f"{MIN_CACHED:,}".replace(",", ".") in PAGE and str(BLOCK) in PAGE
    assert f"{int(DEFAULT_CACHE_TTL // 60)} minutos" in PAGE
    assert f"{int(RECOGNISABLE * 100)} %" in PAGE
    assert f"−{SLOPE:g}·(habilidad − dificultad)" in PAGE


def test_does_the_page_state_the_dated_snapshot_rule_the_price_book_follows():
    book = PriceBook.default()
    price = book.get("gpt-4o-2024-05-13")
    assert f"(`gpt-4o-2024-05-13`\ncuesta {int(price.input)} / {int(price.output)} USD por millón" in PAGE
    assert "`gpt-4o-mini-1999-99-99`" in PAGE and "gpt-4o-mini-1999-99-99" not in book
