# wirehose — see README.md. `make test` is the one test command (real Kafka + PostgreSQL).
GO ?= go
ARGS ?=

.PHONY: test unit bench build run vet fmt kafka-up kafka-down pg-up pg-down services-down

## test: every Go test against a real single-node Kafka (KRaft) and a throwaway PostgreSQL
test:
	bash scripts/test.sh $(ARGS)

## unit: go test -race without starting services (integration tests skip)
unit:
	env -u WIREHOSE_TEST_KAFKA_BROKERS -u WIREHOSE_TEST_POSTGRES_DSN $(GO) test -race $(ARGS) ./...

## bench: benchmarks; each reports x_bare, its time as a ratio to the bare library in the same run
bench:
	$(GO) test -run '^$$' -bench . -benchmem $(ARGS) ./...

build:
	$(GO) build ./...

## run: the whole pipeline on the embedded default (kfake + SQLite) with demo feeds
run:
	$(GO) run ./cmd/wirehose dev --demo

vet:
	$(GO) vet ./...

fmt:
	gofmt -w $$(find . -name "*.go" -not -path "./.git/*" -not -path "*/testdata/*")

## kafka-up: start the test broker for local use; prints the export line (eval "$$(make -s kafka-up)")
kafka-up:
	@bash scripts/kafka.sh start

kafka-down:
	@bash scripts/kafka.sh stop

pg-up:
	@bash scripts/postgres.sh start

pg-down:
	@bash scripts/postgres.sh stop

services-down: kafka-down pg-down
