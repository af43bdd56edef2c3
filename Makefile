# The two commands: `make run` and `make test` (README.md). Both install what is missing on a
# Debian machine as root, or stop with a message that says what to install.
SHELL := /bin/bash
export PATH := $(PATH):/usr/local/go/bin
GO ?= go

.PHONY: run test build web deps postgres-server node-check client browser-deps web-test test-reliability fuzz

run: deps web
	$(GO) build -o bin/steward ./cmd/steward
	exec ./bin/steward dev

test: deps
	$(GO) vet ./...
	$(GO) test ./...
	$(MAKE) web-test

# The reliability battery (README, "Reliability") at full size: 10,000 deliveries under three
# SIGKILLs, 1,000 ticket moves with forced rollbacks, a 30-second database outage, 50 users for
# 60 seconds, the backup drill… (`make test` runs the same tests at their quick size), then every
# fuzz target for FUZZTIME each and the browser's hostile-input test.
FUZZTIME ?= 20s
test-reliability: deps browser-deps build
	@mkdir -p var; set -o pipefail; STEWARD_RELIABILITY=full $(GO) test -count=1 -timeout 40m -v -run 'TestReliability' ./cmd/steward \
		| tee var/reliability.log | grep -E '^\s*(--- |ok|FAIL|PASS)|FIGURE'
	$(MAKE) fuzz FUZZTIME=$(FUZZTIME)
	cd frontend && STEWARD_BIN=../bin/steward node e2e/run.mjs hostile

# Every fuzz target for FUZZTIME (go test runs their seed corpora in `make test` already).
fuzz:
	@mkdir -p var; set -e; for spec in $$(grep -rl --exclude-dir=node_modules --include='*_test.go' '^func Fuzz' . | xargs grep -h -o '^func Fuzz[A-Za-z0-9_]*' /dev/null | sort -u | sed 's/^func //'); do \
		pkg=$$(dirname $$(grep -rl --exclude-dir=node_modules --include='*_test.go' "^func $$spec(" . | head -1)); \
		echo "fuzz $$pkg $$spec for $(FUZZTIME)"; \
		$(GO) test $$pkg -run '^$$' -fuzz "^$$spec\$$" -fuzztime $(FUZZTIME) > var/fuzz.log 2>&1 || { cat var/fuzz.log; exit 1; }; \
	done

# The web app's tests: vitest, then the browser tests against the real binary with the app
# embedded (a fresh demo district on a free port; screenshots in frontend/test-results/).
web-test: browser-deps build
	cd frontend && npx vitest run && STEWARD_BIN=../bin/steward node e2e/run.mjs

build: web
	$(GO) build -o bin/steward ./cmd/steward

deps: postgres-server
	@command -v $(GO) >/dev/null || { echo "Go is not installed: install Go 1.26 (https://go.dev/dl) and put it on PATH"; exit 1; }

# PostgreSQL server binaries: Steward starts its own private server from them (no cluster of the
# package's is created or used).
postgres-server:
	@if [ -n "$$DATABASE_URL" ] || [ -n "$$PG_BINDIR" ] || command -v postgres >/dev/null \
		|| ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing the PostgreSQL server (apt-get install postgresql)…"; \
		mkdir -p /etc/postgresql-common; \
		[ -e /etc/postgresql-common/createcluster.conf ] || echo 'create_main_cluster = false' > /etc/postgresql-common/createcluster.conf; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			-o Dpkg::Options::=--force-confold postgresql >/dev/null || exit 1; \
	else \
		echo "PostgreSQL server binaries not found. Install them (Debian/Ubuntu: sudo apt-get install -y postgresql),"; \
		echo "or set PG_BINDIR to the directory holding postgres and initdb, or DATABASE_URL to use a server."; \
		exit 1; \
	fi

# Debian's Chromium and a Chinese font for the browser tests.
browser-deps:
	@if [ -x /usr/bin/chromium ] && [ -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing chromium and fonts-wqy-microhei for the browser tests…"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null || exit 1; \
	else \
		echo "The browser tests need /usr/bin/chromium and a Chinese font (Debian: sudo apt-get install -y chromium fonts-wqy-microhei)"; \
		exit 1; \
	fi

# The web app's typed client, from the server's OpenAPI document (commit both files).
client:
	$(GO) run ./cmd/steward openapi > frontend/src/api/openapi.json
	cd frontend && npx openapi-typescript src/api/openapi.json -o src/api/schema.d.ts

# The web app, when its sources exist.
web:
	@if [ -f frontend/package.json ]; then \
		command -v npm >/dev/null || { echo "npm is not installed: install Node.js 20 with npm"; exit 1; }; \
		cd frontend && npm ci --no-audit --no-fund && npm run build && touch dist/.keep; \
	fi

# The benchmark harness (README, Performance): seeds the scale district once into its own
# database under var/bench, then prints the table and writes var/bench/latest.json. Not part of
# `make test`. BENCH_FLAGS=--quick for a short run. The web app is built into the binary and
# Chromium installed, for the browser part (the staff homes' first rows, the login route's
# JavaScript).
.PHONY: bench
bench: deps browser-deps build
	./bin/steward bench $(BENCH_FLAGS)
