# Two commands: `make run` (install, seed demo data when missing, start) and `make test`.
PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell md5sum requirements.txt | cut -c1-8)
PORT ?= $(or $(STREAMLIT_SERVER_PORT),8501)

.PHONY: install run test lint bench soak browser-deps seed

$(STAMP): requirements.txt
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.txt
	@rm -f $(VENV)/.installed-* && touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/python -m data_access.demo seed --if-missing --url http://localhost:$(PORT)
	$(BIN)/python -m streamlit run server.py --server.port $(PORT)

seed: $(STAMP)
	$(BIN)/python -m data_access.demo seed

browser-deps:
	@bash scripts/browser-deps.sh

lint: $(STAMP)
	$(BIN)/ruff check .

test: $(STAMP) browser-deps lint
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python -m bench.run

soak: $(STAMP) browser-deps
	$(BIN)/python -m bench.soak
