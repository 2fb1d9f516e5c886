# hwb: every target bootstraps .venv from requirements.lock when it is missing or the lock changed.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.hwb-built
HWB    := $(BIN)/hwb
ARGS   ?=

.PHONY: reports test verify figures lab bench clean lint national help git-filter
MONTH  ?= 2017-11
PAPER  ?= all
.DEFAULT_GOAL := help

help:
	@echo "make reports   build every configured board appendix and outputs/index.html"
	@echo "make test      build the reports (cached) and run the test suite"
	@echo "make verify    re-derive every figure and compare with manifests and the printed papers"
	@echo "make national  every paper for every HWB, each with its national summary (PAPER=dtoc|bcf|falls|equity for one: dtoc for MONTH, default $(MONTH); the others for PERIOD, default the paper's own)"
	@echo "make figures   every printed figure: compared, or out of scope with a reason"
	@echo "make lab       open JupyterLab on the hwb kernel"
	@echo "make bench     run the benchmarks (writes docs/benchmarks.md)"
	@echo "make lint      ruff, import layers, secrets and file sizes, the notebook checks"
	@echo "make clean     remove generated outputs and caches (keeps .venv)"

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	$(HWB) kernel install
	-@git rev-parse --git-dir >/dev/null 2>&1 && $(MAKE) --no-print-directory git-filter
	-@git rev-parse --git-dir >/dev/null 2>&1 && $(BIN)/pre-commit install --install-hooks >/dev/null  # the house checks on commit
	@touch $(STAMP)

# the notebooks' clean filter (.gitattributes): nbstripout's output from the standard library alone,
# one process per git command (git's long-running filter protocol)
NBSTRIP := $(abspath $(BIN))/python -I -S lib/hwb/core/nbstrip.py
git-filter:
	git config filter.nbstripout.process '$(NBSTRIP) --process'
	git config filter.nbstripout.clean '$(NBSTRIP)'
	git config filter.nbstripout.smudge cat
	git config filter.nbstripout.required true

reports: $(STAMP)
	$(HWB) reports $(ARGS)

test: reports
	$(BIN)/python -m pytest $(ARGS)

national: $(STAMP)
	$(HWB) national $(PAPER) $(if $(filter dtoc all,$(PAPER)),--month $(MONTH),$(if $(PERIOD),--period $(PERIOD))) $(ARGS)

figures: $(STAMP)
	$(HWB) figures $(ARGS)

verify: $(STAMP)
	$(HWB) verify $(ARGS)

lab: $(STAMP)
	$(BIN)/jupyter lab --notebook-dir=notebooks --MappingKernelManager.default_kernel_name=hwb $(ARGS)

bench: $(STAMP)
	$(BIN)/python bench/run.py $(ARGS)

lint: $(STAMP)
	$(BIN)/ruff check lib tests bench
	$(BIN)/lint-imports
	git ls-files -z | xargs -0 $(BIN)/python -m hwb.commands.hygiene secrets
	git ls-files -z -- ':!data' | xargs -0 $(BIN)/python -m hwb.commands.hygiene large --max-kb 2048
	$(BIN)/python -m pytest tests/core/test_notebooks.py -q

clean:
	find outputs -mindepth 1 -maxdepth 1 ! -name README.md -exec rm -rf {} +
	rm -rf .pytest_cache .ruff_cache .hypothesis
	find . -name __pycache__ -type d -prune -not -path './.venv/*' -exec rm -rf {} +
