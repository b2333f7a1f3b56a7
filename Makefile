# Every target bootstraps .venv itself; the stamp makes a second run quick.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PORT ?= 8501
# `make run` opens in demo mode (a named guest trainee, no password); LESIONLAB_DEMO=0 turns it off.
LESIONLAB_DEMO ?= 1

.PHONY: run test lint bench train-default system-deps clean

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt -r requirements-dev.txt
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

run: $(STAMP)
	LESIONLAB_DEMO=$(LESIONLAB_DEMO) $(VENV)/bin/streamlit run app/streamlit_app.py --server.port $(PORT) --server.headless true \
		--browser.gatherUsageStats false

system-deps:
	scripts/system-deps.sh

test: $(STAMP) system-deps
	scripts/with-test-services.sh $(PY) -m pytest

lint: $(STAMP)
	$(VENV)/bin/ruff check engine app tests bench

# Each prints its figures beside a baseline measured in the same run. The phantom fidelity and
# statistics scripts compare with real images and take their folder: see docs/phantoms.md.
BENCHMARKS := datasets phantom train quiz store evaluation app load

bench: $(STAMP)
	for name in $(BENCHMARKS); do echo "== bench/$$name.py"; $(PY) bench/$$name.py || exit 1; done

train-default: $(STAMP)
	scripts/train-default.sh

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
