"""Does one command rebuild the committed world files byte for byte?"""

import gzip

import pytest

import worldgen
from course_lib.course.cli import main as costlab
from course_lib.paths import REPO_ROOT

ALL_FILES = [f"data/world/{n}" for n in worldgen.PUBLIC_FILES] + [f"graders/hidden/{n}" for n in worldgen.HIDDEN_FILES]


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory):
    root = tmp_path_factory.mktemp("world")
    worldgen.generate(root)
    return root


def test_generator_writes_exactly_the_contract_files(regenerated):
    written = sorted(str(p.relative_to(regenerated)) for p in regenerated.rglob("*") if p.is_file())
    assert written == sorted(ALL_FILES)


@pytest.mark.parametrize("rel", ALL_FILES)
def test_regeneration_is_byte_identical_to_the_committed_file(regenerated, rel):
    committed = REPO_ROOT / rel
    assert committed.exists(), f"falta {rel}: ejecuta `make data`"
    assert (regenerated / rel).read_bytes() == committed.read_bytes(), f"{rel} no coincide: ejecuta `make data`"


@pytest.mark.parametrize("rel", [r for r in ALL_FILES if r.endswith(".gz")])
def test_gzip_files_carry_no_timestamp_and_a_fixed_name(rel):
    data = (REPO_ROOT / rel).read_bytes()
    assert data[:2] == b"\x1f\x8b"
    assert data[4:8] == b"\x00\x00\x00\x00", "mtime must be 0"
    name = data[10:data.index(b"\x00", 10)].decode()
    assert name == rel.rsplit("/", 1)[1].removesuffix(".gz")
    gzip.decompress(data)  # and it is a valid gzip stream


def test_costlab_data_check_and_generate_use_the_generator(tmp_path, capsys, monkeypatch):
    """The CLI wiring, with a two-file world so the test stays fast."""
    fake = {"data/world/tasks.jsonl": b"{}\n", "graders/hidden/tasks_test.jsonl": b"{}\n"}
    monkeypatch.setattr(worldgen, "build_world", lambda seed=worldgen.SEED: fake)
    assert costlab(["data", "check", "--out", str(tmp_path)]) == 1
    assert "data/world/tasks.jsonl" in capsys.readouterr().out
    assert costlab(["data", "generate", "--out", str(tmp_path)]) == 0
    assert (tmp_path / "graders/hidden/tasks_test.jsonl").read_bytes() == b"{}\n"
    assert costlab(["data", "check", "--out", str(tmp_path)]) == 0
    assert "coinciden" in capsys.readouterr().out
