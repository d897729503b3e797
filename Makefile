# Two commands: `make lab` opens the course, `make test` runs every test.
PYTHON ?= python3
# JupyterLab refuses to run as root (containers, cloud VMs) unless told so explicitly.
ROOT_FLAG := $(shell [ "$$(id -u)" = 0 ] && echo --allow-root)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

# Every lab of the course registry unless told otherwise (make lab LABS=lab1).
LABS   ?=
LAB    ?= lab1
ENTREGAS ?= entregas

.PHONY: lab lab-fuente notebooks test bench data grade check clean-venv

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	@echo "== instalando dependencias en $(VENV) (la primera vez tarda unos minutos)"
	$(BIN)/python -m pip install --quiet -r requirements.txt
	@# Plain tiktoken (LangChain, LiteLLM) finds the shipped encodings from the first call on.
	$(BIN)/python -c 'import course_lib.tokenizer_files as t; print("== codificaciones de tiktoken en", t.install_tiktoken_cache())'
	touch $(STAMP)

# Learners work on their own copies (student version, never overwritten) in mis_labs/.
lab: $(STAMP)
	@echo "== preparando tus copias de los laboratorios en mis_labs/"
	@for lab in $(or $(LABS),$$($(BIN)/python -c 'from course_lib.course.grading.config import LABS; print(*LABS)')); do \
		$(BIN)/costlab check $$lab --preparar || exit 1; done
	@echo "== abriendo JupyterLab en mis_labs/ (la dirección aparece en unos segundos; Ctrl+C para salir)"
	$(BIN)/jupyter lab mis_labs/ $(ROOT_FLAG)

# Instructors: the nbgrader source notebooks, with solutions and hidden tests.
lab-fuente: $(STAMP)
	$(BIN)/jupyter lab notebooks/ $(ROOT_FLAG)

# Course authors: rebuild notebooks/<lab>/<lab>.ipynb from the lesson sources notebooks/<lab>/<lab>.py.
notebooks: $(STAMP)
	$(BIN)/python -m course_lib.course.lessons build

# The layer contracts first (seconds), then every test on $(JOBS) pytest-xdist workers
# (a lab's grading tests stay on one worker: see conftest.py).
JOBS ?= 2
test: $(STAMP)
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -n $(JOBS) --dist loadgroup

bench: $(STAMP)
	for script in benchmarks/bench_*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

data: $(STAMP)
	$(BIN)/python -m worldgen

grade: $(STAMP)   # make grade LAB=lab1 ENTREGAS=entregas/
	$(BIN)/costlab grade todo $(LAB) --entregas $(ENTREGAS) --csv notas-$(LAB).csv --procesos 2

check: $(STAMP)   # make check LAB=lab1
	$(BIN)/costlab check $(LAB)

clean-venv:
	rm -rf $(VENV)
