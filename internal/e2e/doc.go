// Package e2e holds the end-to-end tests: the ingest, enrich and sink binaries run as
// separate processes against a real Kafka (WIREHOSE_TEST_KAFKA_BROKERS) and store into SQLite
// and PostgreSQL (WIREHOSE_TEST_POSTGRES_DSN). `make test` provides both.
package e2e
