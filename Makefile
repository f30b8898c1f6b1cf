# Mailgate: two commands on a fresh machine.
#   make run    builds the release binary and starts the gateway (SQLite file ./mailgate.db)
#   make test   runs every test (unit, protocol transcripts, store, end-to-end, crash)
#   make bench  runs the benchmarks of docs/PERFORMANCE.md against smtp-sink and nginx

SWIFT ?= swift
APT_RUNTIME := libsqlite3-dev libcurl4-openssl-dev libssl-dev pkg-config
APT_TEST := $(APT_RUNTIME) postfix swaks curl python3-pip
APT_BENCH := $(APT_TEST) wrk nginx-light
PIP_TEST := standardwebhooks openapi-spec-validator schemathesis PyYAML

.PHONY: run build test bench deps deps-test deps-bench clean

# Installs the Debian packages that are missing, when apt-get and root are available.
define apt_install
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing:$$missing"; \
	    (apt-get update -q >/dev/null || true); \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing >/dev/null; \
	  else echo "missing Debian packages:$$missing (install them, then re-run)"; exit 1; fi; \
	fi
endef

deps:
	$(call apt_install,$(APT_RUNTIME))

deps-test:
	$(call apt_install,$(APT_TEST))
	@python3 -c 'import standardwebhooks, openapi_spec_validator, schemathesis, yaml' 2>/dev/null || \
	  pip install -q $(PIP_TEST) 2>&1 | grep -v 'Running pip as' || true

deps-bench: deps-test
	$(call apt_install,$(APT_BENCH))

build: deps
	$(SWIFT) build -c release --product mailgate

run: build
	.build/release/mailgate serve

# The MIME fuzz target runs briefly first (fuzz/mime/README.md has the long run); the Swift
# Testing summary is the last thing printed.
FUZZ_SECONDS ?= 30
test: deps-test
	$(SWIFT) build --build-tests
	bash fuzz/mime/run.sh $(FUZZ_SECONDS)
	$(SWIFT) test --skip-build --disable-xctest

bench: deps-bench
	$(SWIFT) build -c release --product mailgate
	bash bench/run.sh

clean:
	rm -rf .build
