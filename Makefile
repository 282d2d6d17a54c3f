# diplograph: two commands for a fresh machine.
#   make run   set everything up, build the default store from the bundled data, serve it
#   make test  set everything up (the test-only packages too), run ruff, mypy and pytest
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STORE ?= oxigraph:data/store
HOST ?= 127.0.0.1
PORT ?= 5000
APT_GET := $(shell [ "$$(id -u)" = 0 ] && echo apt-get || echo sudo apt-get)

.PHONY: run test test-under-load run-setup setup system-deps test-deps build serve lint typecheck pytest bench bench-full soak eval-extract clean

run: run-setup build serve

# What running needs (make run): Graphviz and the package with its runtime dependencies.
run-setup: system-deps $(VENV)/.installed

# What developing and testing need (make test, lint, typecheck, pytest): the above, the test-only
# system packages and the package's test extra.
setup: run-setup test-deps $(VENV)/.test-installed

# Installs the Debian packages named by the commands missing from PATH ("command:package ...").
define apt_install_missing
	@missing=""; \
	for pair in $(1); do \
	  command -v $${pair%%:*} >/dev/null 2>&1 || missing="$$missing $${pair#*:}"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing system packages:$$missing"; \
	  $(APT_GET) update -qq && DEBIAN_FRONTEND=noninteractive $(APT_GET) install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi
endef

# System packages running needs: Graphviz draws the network pictures the server and export serve.
system-deps:
	$(call apt_install_missing,dot:graphviz)

# System packages only the tests need: Java (HermiT, the OWL check of `diplograph validate`),
# Chromium and its driver (browser tests), Virtuoso (the store tests' second SPARQL server).
test-deps:
	$(call apt_install_missing,java:default-jre-headless chromium:chromium chromedriver:chromium-driver virtuoso-t:virtuoso-opensource-7-bin)

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.test-installed: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

build: run-setup
	$(BIN)/diplograph --store $(STORE) build

serve: run-setup
	$(BIN)/diplograph --store $(STORE) serve --host $(HOST) --port $(PORT)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# mypy cannot follow setuptools' editable import hook, so it reads the package through links
# that give the repository root its import name (one link per module and subpackage).
PACKAGE_PARTS = $(wildcard *.py) py.typed cli graph notebook ontology queries server
typecheck: setup
	@rm -rf build/typecheck && mkdir -p build/typecheck/diplograph
	@for part in $(PACKAGE_PARTS); do ln -s ../../../$$part build/typecheck/diplograph/$$part; done
	MYPYPATH=build/typecheck $(BIN)/mypy -p diplograph

pytest: setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test: lint typecheck pytest

# The whole suite on a busy machine (issue 16): `make test` with two CPU-burning processes beside
# it, as on a laptop or CI runner doing other work. The target starts the burners itself, stops them
# by PID when the suite ends (passed, failed or interrupted), and bounds each with `timeout`
# (LOAD_SECONDS) so that none can outlive the run. Exits with the status of `make test`.
LOAD_SECONDS ?= 3600
test-under-load: setup
	@pids=""; \
	for i in 1 2; do timeout $(LOAD_SECONDS) $(BIN)/python -c 'while True: pass' & pids="$$pids $$!"; done; \
	trap 'kill $$pids 2>/dev/null; wait $$pids 2>/dev/null' EXIT; \
	echo "test-under-load: two CPU burners (PIDs$$pids, at most $(LOAD_SECONDS) s) beside make test"; \
	$(MAKE) --no-print-directory test; status=$$?; \
	echo "test-under-load: make test exited with status $$status under load"; \
	exit $$status

# Benchmarks (not tests): python -m bench runs compare, load and network; each writes its own
# section of bench/RESULTS.md. bench is the small size (under 10 minutes on 2 cores), bench-full
# adds 1M and 5M quads. The optional bench extra brings rdflib-endpoint and matplotlib.
bench: run-setup $(VENV)/.bench-installed
	$(BIN)/python -m bench --size small

bench-full: run-setup $(VENV)/.bench-installed
	$(BIN)/python -m bench --size all

$(VENV)/.bench-installed: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install -q -e '.[test,bench]'
	touch $@

# The bounded load test (issues 10, 16, 21): 16 client processes for 60 s, back to back (4 cheap
# queries, 2 heavy ones hitting the timeout, 2 malformed requests, 8 whole network exports) and
# 110 idle or trickling connections, against diplograph serve on 127.0.0.1; exits 1 unless no
# 5xx but timeouts and load shedding, no dropped connection, flat memory and cheap-query median
# within 3x of idle. Writes bench/RESULTS.md (soak). See bench/soak.py.
soak: run-setup
	$(BIN)/python -m bench.soak --duration 60 --clients 16 --mix 4,2,2,8 --think 0 --idle 110

eval-extract: run-setup
	$(BIN)/diplograph eval-extract --gold graph/data/coder/PLOVER_GSR_CAMEO_dev.json \
		--records graph/data/articles/article-001.yaml --records graph/data/articles/article-002.yaml \
		--records graph/data/articles/article-003.yaml --save bench/RESULTS.md

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache

# Re-fetch the vendored CodeMirror 5 editor (committed; only needed to upgrade it). See
# server/static/vendor/codemirror/SOURCE.md.
CODEMIRROR_VERSION := 5.65.21
CODEMIRROR_SHA256 := b26d9d7ae0f42e34b44a8f7667d29a3ab0d3df88d0e79c0dad39dc03ba43f6dc
CODEMIRROR_DIR := server/static/vendor/codemirror
.PHONY: vendor-codemirror
vendor-codemirror:
	@tmp=$$(mktemp -d) && cd $$tmp && npm pack -q codemirror@$(CODEMIRROR_VERSION) >/dev/null && \
	echo "$(CODEMIRROR_SHA256)  codemirror-$(CODEMIRROR_VERSION).tgz" | sha256sum -c - && \
	tar xzf codemirror-$(CODEMIRROR_VERSION).tgz && cd $(CURDIR) && \
	mkdir -p $(CODEMIRROR_DIR)/lib $(CODEMIRROR_DIR)/mode/sparql $(CODEMIRROR_DIR)/addon/edit $(CODEMIRROR_DIR)/addon/hint && \
	cp $$tmp/package/lib/codemirror.js $$tmp/package/lib/codemirror.css $(CODEMIRROR_DIR)/lib/ && \
	cp $$tmp/package/mode/sparql/sparql.js $(CODEMIRROR_DIR)/mode/sparql/ && \
	cp $$tmp/package/addon/edit/matchbrackets.js $(CODEMIRROR_DIR)/addon/edit/ && \
	cp $$tmp/package/addon/hint/show-hint.js $$tmp/package/addon/hint/show-hint.css $(CODEMIRROR_DIR)/addon/hint/ && \
	cp $$tmp/package/LICENSE $(CODEMIRROR_DIR)/ && rm -rf $$tmp && echo "CodeMirror $(CODEMIRROR_VERSION) copied."

# Re-fetch the vendored fCoSE layout of the graph page and the two libraries it needs (committed;
# only needed to upgrade them). See server/static/vendor/fcose/SOURCE.md.
FCOSE_DIR := server/static/vendor/fcose
FCOSE_PACKAGES := layout-base@2.0.1:34165e46d8c4b9d719a592e39a60fa5f7324c21a3edd02733e1116b17013defd \
	cose-base@2.2.0:612ec91a30b7f2dc158cca4846eeea1b7f89a97fc672951da3c1932107de6da8 \
	cytoscape-fcose@2.2.0:4e1f30e1821fdd4b66f21043c8ea40a8e2ad0ba75e4ccdd2c24d289cf5595432
.PHONY: vendor-fcose
vendor-fcose:
	@tmp=$$(mktemp -d) && mkdir -p $(FCOSE_DIR) && \
	for spec in $(FCOSE_PACKAGES); do \
	  pkg=$${spec%%:*}; sum=$${spec##*:}; name=$${pkg%@*}; version=$${pkg##*@}; \
	  (cd $$tmp && npm pack -q $$pkg >/dev/null && echo "$$sum  $$name-$$version.tgz" | sha256sum -c - && \
	   mkdir $$name && tar xzf $$name-$$version.tgz -C $$name) || exit 1; \
	  cp $$tmp/$$name/package/$$name.js $(FCOSE_DIR)/ && cp $$tmp/$$name/package/LICENSE $(FCOSE_DIR)/LICENSE-$$name; \
	done; rm -rf $$tmp; echo "fCoSE copied."
