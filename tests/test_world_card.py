"""Does the data card show the figures the files really have?"""

from course_lib.paths import DATA_DIR
from worldgen.stats import card_block, stats_markdown


def test_data_card_tables_match_the_files():
    card = (DATA_DIR / "README.md").read_text(encoding="utf-8")
    assert card_block(card) == stats_markdown(), (
        "data/README.md no coincide con los datos: regenera el bloque con `python -m worldgen.stats`")


def test_data_card_names_the_hidden_files_and_the_command():
    card = (DATA_DIR / "README.md").read_text(encoding="utf-8")
    for needle in ("graders/hidden/tasks_test.jsonl", "graders/hidden/traffic_hidden.csv.gz",
                   "graders/hidden/cache_pairs_hidden.jsonl", "make data", "python -m worldgen"):
        assert needle in card
