# Two environments: .venv (Python 3.11: web app, search, action server, tests) and
# .venv-rasa (Python 3.10: Rasa Open Source 3.6). See README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
RASA_VENV := .venv-rasa
PY := $(VENV)/bin/python
RASA := $(RASA_VENV)/bin/rasa
PYTHON311 ?= python3.11
RASA_DATA := data/nlu data/rules.yml
NODE_BIN := node_modules/.bin
# The browser scripts the web app serves (no build step), their node tests, and the lint config.
JS := eslint.config.js bot/web/static/*.js tests/bot/web/static/*.mjs
export PIP_DISABLE_PIP_VERSION_CHECK := 1
# Rasa must not try to send telemetry or error reports: this machine has no internet.
export RASA_TELEMETRY_ENABLED := false

.PHONY: help setup run test lint validate rasa-data train rasa-validate rasa-test rasa-env-test \
        unit js-test e2e \
        eval calibrate bench bench-search bench-rest telegram-polling lock clean messages

help:
	@echo "make run    - set up, train if needed, start the assistant (Ctrl-C stops it)"
	@echo "make test   - every check and test (unit, integration, Rasa, end-to-end)"
	@echo "make setup  - create .venv and .venv-rasa only"
	@echo "make eval   - search quality on the dev and held-out sets"
	@echo "make bench  - every benchmark (quality, speed, load, scale, cold start) -> BENCHMARKS.md"
	@echo "make bench-search - search latency, index build time and memory"
	@echo "make bench-rest   - message latency through Rasa's REST channel"

setup: $(VENV)/.ready $(RASA_VENV)/.ready node_modules/.ready

$(VENV)/.ready: requirements/app.lock pyproject.toml
	@command -v $(PYTHON311) >/dev/null || { echo "error: $(PYTHON311) not found (set PYTHON311=)"; exit 1; }
	test -x $(PY) || $(PYTHON311) -m venv $(VENV)
	$(PY) -m pip install -q -r requirements/app.lock
	$(PY) -m pip install -q --no-deps --no-build-isolation -e .
	touch $@

$(RASA_VENV)/.ready: requirements/rasa.lock
	test -x $(RASA_VENV)/bin/python || "$$(scripts/find-python310.sh)" -m venv $(RASA_VENV)
	$(RASA_VENV)/bin/python -m pip install -q -r requirements/rasa.lock
	touch $@

# Browser libraries the web app serves (socket.io client) and the browser tests inject (axe-core);
# ESLint and Prettier for the scripts.
node_modules/.ready: package.json package-lock.json
	@command -v npm >/dev/null || { echo "error: npm not found (apt-get install nodejs npm)"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

run: setup
	$(PY) -m tools.devstack run

validate: $(VENV)/.ready
	$(VENV)/bin/faq validate

rasa-data: $(VENV)/.ready
	$(VENV)/bin/faq rasa-data

train: setup rasa-data
	$(PY) -m tools.devstack train

rasa-validate: setup rasa-data
	$(RASA) data validate --domain domain.yml --data $(RASA_DATA)

rasa-test: train
	$(PY) -m tools.devstack rasa-test

rasa-env-test: train
	RASA_MODEL=$$($(PY) -m tools.devstack model-path) \
	  $(RASA_VENV)/bin/python -m pytest tests/data tests/connectors -q -p no:cacheprovider \
	  --confcutdir=tests/data

# Telegram without a public URL (needs TELEGRAM_BOT_TOKEN, TELEGRAM_SECRET_TOKEN; run beside `make run`).
telegram-polling: $(RASA_VENV)/.ready
	PYTHONPATH=. $(RASA_VENV)/bin/python -m connectors.telegram_polling

# The consoles' texts: re-extract after changing a template or console script, then translate
# the new or changed messages in bot/web/locale/pl/LC_MESSAGES/messages.po (tests check it).
messages: $(VENV)/.ready
	$(VENV)/bin/pybabel extract -F babel.cfg --no-wrap --sort-by-file --project=infoopt-faq \
	  --copyright-holder="INFO.OPT FAQ assistant" -o bot/web/locale/messages.pot .
	$(VENV)/bin/pybabel update -i bot/web/locale/messages.pot -d bot/web/locale --no-wrap \
	  --ignore-obsolete

# connectors/ run inside the Rasa server: mypy checks them against .venv-rasa's packages and Python.
lint: $(VENV)/.ready $(RASA_VENV)/.ready node_modules/.ready
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy bot actions tools
	$(VENV)/bin/mypy --python-executable $(RASA_VENV)/bin/python --python-version 3.10 connectors
	$(NODE_BIN)/eslint $(JS)
	$(NODE_BIN)/prettier --check $(JS)

unit: $(VENV)/.ready
	$(VENV)/bin/pytest -m "not e2e" -q

# The browser scripts' pure functions (formatters, the widget's strings), with node's own runner.
js-test:
	node --test tests/bot/web/static/

e2e: train
	$(VENV)/bin/pytest -m e2e -q

test: lint validate rasa-validate unit js-test rasa-env-test rasa-test e2e

eval: $(VENV)/.ready
	$(VENV)/bin/faq eval tests/eval/dev.jsonl tests/eval/holdout.jsonl tests/eval/realistic.jsonl \
		tests/eval/realistic_holdout.jsonl tests/eval/realistic_holdout2.jsonl

calibrate: $(VENV)/.ready
	$(VENV)/bin/faq calibrate

# About 10 minutes on 2 idle cores (21 on a busy machine), plus the load stage's second stack
# (REPLICAS=2 on PostgreSQL and Redis); writes BENCHMARKS.md, docs/bench/*.png and var/bench/*.json.
bench: train
	$(PY) -m tools.bench.run

bench-search: $(VENV)/.ready
	$(PY) -m tools.bench.search

bench-rest: train
	$(PY) -m tools.bench.rest

lock:
	rm -rf /tmp/faq-lock && $(PYTHON311) -m venv /tmp/faq-lock
	/tmp/faq-lock/bin/pip install -q -r requirements/app.in
	/tmp/faq-lock/bin/pip freeze | sed 's/+cpu$$//' > requirements/app.lock
	rm -rf /tmp/faq-lock && "$$(scripts/find-python310.sh)" -m venv /tmp/faq-lock
	/tmp/faq-lock/bin/pip install -q -r requirements/rasa.in
	/tmp/faq-lock/bin/pip freeze > requirements/rasa.lock
	rm -rf /tmp/faq-lock

clean:
	rm -rf models/rasa models/index var results .pytest_cache .mypy_cache .ruff_cache
