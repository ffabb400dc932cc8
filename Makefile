# okno — the two commands that matter are `make run` and `make test`.
GO       ?= go
BIN      := bin/okno
VERSION  := $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -X main.version=$(VERSION)
DATA     ?= $(CURDIR)/.demo
BENCHTIME ?= 1s

.PHONY: all build run test unit e2e bench lint fuzz soak cluster clean
SOAK_RUNS ?= 200

all: build

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/okno

# The demo: a central server on loopback with a seeded catalogue, demo
# operators and visitors, and the clerk's TUI signed in to it.
run: build
	$(BIN) demo --data $(DATA)

# Everything CI runs: vet, unit and integration tests (race detector on),
# fuzz seed corpora, and the end-to-end tmux script against the real binary.
test: unit e2e

unit:
	$(GO) vet ./...
	$(GO) test -race -count=1 -timeout 15m ./...

e2e: build
	@if [ -x scripts/e2e.sh ]; then scripts/e2e.sh $(BIN); fi

# Benchmarks print their figures and the ratio against a raw baseline run in
# the same process (see docs/operations.md).
bench:
	$(GO) test -run '^$$' -bench . -benchmem -benchtime $(BENCHTIME) -timeout 60m ./... | tee bench.out
	@$(GO) run ./scripts/benchratio < bench.out

# golangci-lint v2 with .golangci.yml, at a pinned version: go run builds
# it once into the module cache (a minute), then starts in seconds. Set
# GOLANGCI_LINT=golangci-lint to use one on the PATH instead.
GOLANGCI_LINT_VERSION ?= v2.15.0
GOLANGCI_LINT ?= $(GO) run github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$(GOLANGCI_LINT_VERSION)

lint:
	$(GO) vet ./...
	$(GOLANGCI_LINT) run ./...

fuzz:
	@for t in $$(grep -rhoE '^func Fuzz[A-Za-z0-9_]+' --include=*_test.go . | sed 's/func //' | sort -u); do \
		pkg=$$(grep -rlE "^func $$t\b" --include=*_test.go . | head -1 | xargs dirname); \
		echo "== $$pkg $$t"; $(GO) test $$pkg -run '^$$' -fuzz "^$$t$$" -fuzztime $${FUZZTIME:-30s} -fuzzminimizetime 5s || exit 1; \
	done

# Many randomised fault runs of the sync (SOAK_RUNS, default 200), the
# sync process killed 50 times, and the full district-office week.
# With OKNO_TEST_POSTGRES and haproxy, also SOAK_RUNS runs against the
# cluster (three replicas, one SIGKILLed every ~2 s).
soak:
	OKNO_SOAK_RUNS=$(SOAK_RUNS) OKNO_SYNC_KILLS=50 OKNO_DISTRICT=full OKNO_CLUSTER_SOAK=$(SOAK_RUNS) \
		$(GO) test -count=1 -timeout 120m -run 'TestFaultySync|TestSyncKilled|TestDistrictOffice|TestClusterSoak' -v ./link | grep -E '^(soak|cluster soak|district|---|ok|FAIL|PASS)|kills:'

# Three PostgreSQL-backed replicas behind HAProxy on this machine
# (scripts/cluster.sh; OKNO_PG names the PostgreSQL server).
cluster: build
	scripts/cluster.sh

clean:
	rm -rf bin bench.out $(DATA) .cluster
