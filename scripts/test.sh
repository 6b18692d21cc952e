#!/usr/bin/env bash
# The project's one test command (`make test`, and CI through .ci/run): installs what is
# missing, starts a real single-node Apache Kafka (KRaft) and a throwaway PostgreSQL on
# loopback, checks formatting and vet, runs every Go test with the integration tests enabled,
# then stops what it started (only that).
#
#   scripts/test.sh                       all packages: ./...
#   scripts/test.sh -run Foo -v           extra go test flags
#   scripts/test.sh ./pkg/... -run Foo    package patterns (./..., ../x, github.com/wirehose/...)
#   make test ARGS='-run=Foo'
#
# Already have services? WIREHOSE_TEST_KAFKA_BROKERS=host:port and/or
# WIREHOSE_TEST_POSTGRES_DSN=postgres://... are used as given and nothing is started for them.
# Ports of the started ones: WIREHOSE_KAFKA_PORT (29092, controller +1), WIREHOSE_PG_PORT (25432).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/lib.sh
source scripts/lib.sh
LOG_TAG="test"

T0=$(date +%s)
ensure_go
go version
# promtool checks deploy/prometheus/alerts.yml against its rule tests (internal/obs).
ensure_cmd promtool prometheus

started_kafka=0
started_pg=0
gotest_pid=
# shellcheck disable=SC2317 # invoked by the EXIT trap
cleanup() {
	local rc=$? i
	set +e
	if [[ -n $gotest_pid ]] && kill -0 -- "-$gotest_pid" 2>/dev/null; then
		log "interrupted: stopping go test (process group $gotest_pid)"
		kill -TERM -- "-$gotest_pid" 2>/dev/null
		for ((i = 0; i < 50; i++)); do
			kill -0 -- "-$gotest_pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL -- "-$gotest_pid" 2>/dev/null
	fi
	if [[ $started_pg == 1 ]]; then bash scripts/postgres.sh stop; fi
	if [[ $started_kafka == 1 ]]; then bash scripts/kafka.sh stop; fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- services -------------------------------------------------------------------------------
if [[ -n ${WIREHOSE_TEST_KAFKA_BROKERS:-} ]]; then
	log "Kafka: using WIREHOSE_TEST_KAFKA_BROKERS=$WIREHOSE_TEST_KAFKA_BROKERS (starting none)"
	go run ./scripts/kafkaping -brokers "$WIREHOSE_TEST_KAFKA_BROKERS" -timeout 30s >&2 ||
		die "the given Kafka ($WIREHOSE_TEST_KAFKA_BROKERS) does not answer Metadata"
	kafka_desc="Apache Kafka (given by WIREHOSE_TEST_KAFKA_BROKERS) at $WIREHOSE_TEST_KAFKA_BROKERS"
	if [[ $WIREHOSE_TEST_KAFKA_BROKERS == "127.0.0.1:${WIREHOSE_KAFKA_PORT:-29092}" ]] &&
		bash scripts/kafka.sh status >/dev/null 2>&1; then # ours, from `make kafka-up`
		kafka_desc="Apache Kafka $(bash scripts/kafka.sh version) (KRaft, single node; given, from make kafka-up) at $WIREHOSE_TEST_KAFKA_BROKERS"
	fi
else
	started_kafka=1 # set first: a half-started broker is stopped too
	out=$(bash scripts/kafka.sh start)
	eval "$out"
	kafka_desc="Apache Kafka $(bash scripts/kafka.sh version) (KRaft, single node) at $WIREHOSE_TEST_KAFKA_BROKERS"
fi

if [[ -n ${WIREHOSE_TEST_POSTGRES_DSN:-} ]]; then
	log "PostgreSQL: using WIREHOSE_TEST_POSTGRES_DSN (starting none)"
	pg_desc="PostgreSQL $(bash scripts/postgres.sh version) (given by WIREHOSE_TEST_POSTGRES_DSN)"
else
	started_pg=1
	out=$(bash scripts/postgres.sh start)
	eval "$out"
	pg_desc="PostgreSQL $(bash scripts/postgres.sh version) at 127.0.0.1:${WIREHOSE_PG_PORT:-25432}"
fi
export WIREHOSE_TEST_KAFKA_BROKERS WIREHOSE_TEST_POSTGRES_DSN

banner() {
	printf '==> integration services: %s; %s%s\n' "$kafka_desc" "$pg_desc" "${1:-}"
}
banner

# --- what to check ---------------------------------------------------------------------------
# Package patterns among the arguments (./x/..., ../y, github.com/wirehose/wirehose/z)?
# Then gofmt, vet and test only those; otherwise the whole module.
pkgs=()
fmt_roots=()
for a in "$@"; do
	case $a in
	. | ./* | ../* | github.com/wirehose/wirehose*)
		pkgs+=("$a")
		d=${a#github.com/wirehose/wirehose}
		d=${d#/}
		d=${d%/...}
		d=${d%...}
		fmt_roots+=("${d:-.}")
		;;
	esac
done
test_pkgs=()
if [[ ${#pkgs[@]} -eq 0 ]]; then
	pkgs=(./...)
	fmt_roots=(.)
	test_pkgs=(./...) # given patterns stay in "$@", in the user's order
fi

# --- static checks ----------------------------------------------------------------------------
log "gofmt -l ${fmt_roots[*]}"
unformatted=$(find "${fmt_roots[@]}" -name '*.go' -not -path '*/.git/*' -not -path '*/testdata/*' \
	-not -path './vendor/*' -print0 | xargs -0 -r gofmt -l)
if [[ -n $unformatted ]]; then
	printf '%s\n' "$unformatted" >&2
	die "these files are not gofmt-formatted (run: gofmt -w <file>)"
fi
log "go vet ${pkgs[*]}"
go vet "${pkgs[@]}" || die "go vet reported problems (above)"

# --- tests ------------------------------------------------------------------------------------
cmdline="go test -json -race -count=1 -timeout 40m"
for w in "${test_pkgs[@]}" "$@"; do cmdline+=" $w"; done
log "$cmdline"
# In its own process group, waited for with `wait`: a SIGINT/SIGTERM to this script then acts
# at once (bash would defer the trap until a foreground child ends), and cleanup can end the
# whole go test tree (go, compilers, test binaries) before stopping the services.
# -json through testsummary: package lines as go test prints them, every skip with its
# reason, failures in full, and a closing "tests: N passed, N failed, N skipped" line.
summary_bin=$(mktemp -d)/testsummary
go build -o "$summary_bin" ./scripts/testsummary
set +e
GOTEST_CMD=(go test -json -race -count=1 -timeout 40m "${test_pkgs[@]}" "$@")
setsid bash -o pipefail -c '"$@" </dev/null | "'"$summary_bin"'"' _ "${GOTEST_CMD[@]}" &
gotest_pid=$!
wait "$gotest_pid"
rc=$?
gotest_pid=
set -e

banner " -- go test exit $rc after $(($(date +%s) - T0))s"
exit "$rc"
