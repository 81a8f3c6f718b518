# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000
SEED ?= 0
HOST ?= 127.0.0.1
# `make run` serves the admin API (local use); `make run ADMIN=` leaves it off.
ADMIN ?= --admin

.PHONY: install bytecode browser redis openssl run tokens test validate lint bench corpus corpus-install contract clean

install: $(STAMP)

# The real-world corpus (bench/corpus.py): npm packages pinned in bench/corpus/packages.txt,
# unpacked into build/corpus/packages/<name>; reinstalled when that list changes.
CORPUS_PACKAGES := build/corpus/packages
CORPUS_STAMP := $(CORPUS_PACKAGES)/.installed
# `make corpus` draws a random sample; CORPUS="--all", "--sample 500 --seed 9", "--only ID".
CORPUS ?= --sample 300 --seed 1

# Reinstall only when the dependency pins change.
$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "need $(PYTHON) on PATH"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	touch $(STAMP)

# A Debian package a test needs, installed if its command is missing.
define debian_package
@command -v $(1) >/dev/null || { \
	if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
		$$SUDO apt-get install -y -qq --no-install-recommends $(2) >/dev/null; }
@command -v $(1) >/dev/null || { echo "could not install Debian's $(2)"; exit 1; }
endef

# The CORS test drives a real headless Chromium: Debian's package, installed if missing.
browser:
	$(call debian_package,chromium,chromium)

# The package's bytecode written ahead, as pip does for an installed package: an editable
# checkout under PYTHONDONTWRITEBYTECODE would otherwise compile it at every start.
bytecode: $(STAMP)
	@$(BIN)/python -m compileall -q ibl_mock >/dev/null

run: bytecode
	$(BIN)/ibl-mock serve --host $(HOST) --port $(PORT) --seed $(SEED) $(ADMIN)

tokens: $(STAMP)
	$(BIN)/ibl-mock tokens

# spec/openapi.yaml rebuilt from the pinned `iblai` client and spec/seed.yaml (contractgen/).
contract: $(STAMP)
	$(BIN)/python -m contractgen
	$(BIN)/ibl-mock validate --record spec/openapi.yaml

validate: $(STAMP)
	$(BIN)/ibl-mock validate spec/openapi.yaml

lint: $(STAMP)
	$(BIN)/ruff check ibl_mock handlers fixtures tests bench contractgen
	$(BIN)/ruff format --check ibl_mock handlers fixtures tests bench contractgen
	$(BIN)/mypy ibl_mock handlers fixtures tests bench contractgen

# The shared-store tests use Redis: Debian's redis-server, installed if missing, started
# for the run on a socket of its own and stopped after it (by its pid).
REDIS_DIR := $(abspath build/redis)
redis:
	$(call debian_package,redis-server,redis-server)

# The proxy's TLS test signs its upstream's certificate with Debian's openssl.
openssl:
	$(call debian_package,openssl,openssl)

test: $(STAMP) browser redis openssl validate lint corpus-install
	@mkdir -p $(REDIS_DIR) && rm -f $(REDIS_DIR)/redis.sock $(REDIS_DIR)/redis.pid
	redis-server --port 0 --unixsocket $(REDIS_DIR)/redis.sock --save '' --appendonly no \
		--dir $(REDIS_DIR) --pidfile $(REDIS_DIR)/redis.pid --daemonize yes
	@for i in $$(seq 100); do [ -S $(REDIS_DIR)/redis.sock ] && break; sleep 0.1; done
	IBL_MOCK_TEST_REDIS=unix://$(REDIS_DIR)/redis.sock $(BIN)/python -m pytest; \
		status=$$?; kill $$(cat $(REDIS_DIR)/redis.pid); exit $$status

# `make bench` writes BENCHMARKS.md; Prism and autocannon come from npm into build/.
bench: bytecode
	@command -v npm >/dev/null || { echo "need npm on PATH (Prism, autocannon)"; exit 1; }
	@grep -qs '"version": "5.16.0"' build/prism/node_modules/@stoplight/prism-cli/package.json \
		|| { mkdir -p build/prism && npm install --prefix build/prism --silent @stoplight/prism-cli@5.16.0; }
	@grep -qs '"version": "8.0.0"' build/autocannon/node_modules/autocannon/package.json \
		|| { mkdir -p build/autocannon && npm install --prefix build/autocannon --silent autocannon@8.0.0; }
	$(BIN)/python -m bench.report

corpus-install: $(CORPUS_STAMP)

$(CORPUS_STAMP): bench/corpus/packages.txt
	@command -v npm >/dev/null || { echo "need npm on PATH (for the corpus packages)"; exit 1; }
	rm -rf $(CORPUS_PACKAGES) && mkdir -p $(CORPUS_PACKAGES)/tarballs
	set -e; for spec in $$(sed 's/#.*//' bench/corpus/packages.txt); do \
		name=$${spec%@*}; name=$${name##*/}; \
		tarball=$$(cd $(CORPUS_PACKAGES)/tarballs && npm pack --silent --ignore-scripts "$$spec"); \
		mkdir -p $(CORPUS_PACKAGES)/$$name; \
		tar -xzf $(CORPUS_PACKAGES)/tarballs/$$tarball -C $(CORPUS_PACKAGES)/$$name --strip-components=1; \
	done
	rm -rf $(CORPUS_PACKAGES)/tarballs
	touch $(CORPUS_STAMP)

corpus: $(STAMP) corpus-install
	$(BIN)/python -m bench.corpus $(CORPUS)

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
