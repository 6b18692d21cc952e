#!/usr/bin/env bash
# A throwaway single-node Apache Kafka (KRaft, combined broker+controller) on loopback,
# run from Maven Central jars with the machine's Java 17. Used by scripts/test.sh.
#
#   scripts/kafka.sh start    resolve jars (first time only), format, start, wait for a real
#                             Metadata answer; prints `export WIREHOSE_TEST_KAFKA_BROKERS=...`
#                             on stdout, so `eval "$(scripts/kafka.sh start)"` works
#   scripts/kafka.sh stop     stop the broker this script started (only that one), drop its data
#   scripts/kafka.sh version  Apache Kafka version (of the running broker, else of the jars)
#   scripts/kafka.sh status   is it running, where are the logs
#   scripts/kafka.sh jars     only resolve/cache the jars
#
# Knobs: WIREHOSE_KAFKA_PORT (29092), WIREHOSE_KAFKA_CONTROLLER_PORT (port+1),
#        WIREHOSE_KAFKA_HEAP (-Xms256m -Xmx768m), WIREHOSE_KAFKA_START_TIMEOUT (120s),
#        WIREHOSE_CACHE, WIREHOSE_RUN_DIR, WIREHOSE_MVN_OPTS (extra mvn args).
# Jars: $WIREHOSE_CACHE/kafka-<version>/libs, complete when libs.complete holds the sha256 of
# scripts/kafka/pom.xml. Broker log: $WIREHOSE_RUN_DIR/kafka-<port>/broker.log.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
LOG_TAG=kafka
cd "$WIREHOSE_REPO"

POM=$WIREHOSE_REPO/scripts/kafka/pom.xml
KAFKA_VERSION=$(sed -n 's:.*<kafka\.version>\(.*\)</kafka\.version>.*:\1:p' "$POM" | head -n1)
[[ -n $KAFKA_VERSION ]] || die "no <kafka.version> in $POM"
KAFKA_HOME=$WIREHOSE_CACHE/kafka-$KAFKA_VERSION
LIBS=$KAFKA_HOME/libs
STAMP=$KAFKA_HOME/libs.complete

PORT=${WIREHOSE_KAFKA_PORT:-29092}
CPORT=${WIREHOSE_KAFKA_CONTROLLER_PORT:-$((PORT + 1))}
HEAP=${WIREHOSE_KAFKA_HEAP:--Xms256m -Xmx768m}
START_TIMEOUT=${WIREHOSE_KAFKA_START_TIMEOUT:-120s}
RUN=$WIREHOSE_RUN_DIR/kafka-$PORT
PIDFILE=$RUN/kafka.pid
PROPS=$RUN/server.properties
BROKERS=127.0.0.1:$PORT

jars_complete() {
	[[ -f $STAMP && -f $LIBS/kafka_2.13-$KAFKA_VERSION.jar ]] &&
		[[ $(cat "$STAMP") == "$(sha256sum "$POM" | cut -d' ' -f1)" ]]
}

# ensure_jars: copy the broker's runtime jars from Maven Central into the cache, once.
# Resolves into a fresh directory and swaps it in: never rewrites a jar in place, since a
# broker already running from this cache (e.g. someone's dev broker) has the jars open.
ensure_jars() {
	mkdir -p "$KAFKA_HOME"
	exec 8>"$KAFKA_HOME/.lock"
	flock 8 # another run resolving the same version: wait for it
	resolve_jars
	exec 8>&- # release the lock; the broker must not inherit it
}

resolve_jars() {
	if jars_complete; then
		log "jars: cached in $LIBS"
		return 0
	fi
	ensure_cmd java openjdk-17-jre-headless
	ensure_cmd mvn maven
	local want tmp t0 mvnlog
	want=$(sha256sum "$POM" | cut -d' ' -f1)
	tmp=$(mktemp -d "$KAFKA_HOME/libs.new.XXXXXX")
	mvnlog=$KAFKA_HOME/mvn.log
	t0=$(date +%s)
	log "jars: resolving Apache Kafka $KAFKA_VERSION from Maven Central into $LIBS (log: $mvnlog)"
	# shellcheck disable=SC2086
	if ! mvn -B -f "$POM" ${WIREHOSE_MVN_OPTS:-} dependency:copy-dependencies \
		-DincludeScope=runtime -DoutputDirectory="$tmp" </dev/null >"$mvnlog" 2>&1; then
		show_tail "$mvnlog" 40
		rm -rf "$tmp"
		die "mvn could not resolve the Kafka jars (see $mvnlog)"
	fi
	[[ -f $tmp/kafka_2.13-$KAFKA_VERSION.jar ]] || {
		rm -rf "$tmp"
		die "mvn finished but kafka_2.13-$KAFKA_VERSION.jar is missing"
	}
	if [[ -d $LIBS ]]; then
		mv "$LIBS" "$KAFKA_HOME/libs.old.$$"
	fi
	mv "$tmp" "$LIBS"
	rm -rf "$KAFKA_HOME/libs.old.$$"
	echo "$want" >"$STAMP"
	log "jars: $(find "$LIBS" -name '*.jar' | wc -l) jars in $(($(date +%s) - t0))s"
}

running_pid() {
	local pid
	[[ -f $PIDFILE ]] || return 1
	pid=$(cat "$PIDFILE")
	pid_is_ours "$pid" "$PROPS" || return 1
	echo "$pid"
}

# A Kafka base64url UUID (22 chars) without a leading '-', like Uuid.randomUuid().
cluster_id() {
	local id
	while :; do
		id=$(head -c16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')
		[[ ${#id} -eq 22 && $id != -* ]] && break
	done
	echo "$id"
}

write_config() {
	cat >"$PROPS" <<EOF
# written by scripts/kafka.sh: throwaway single-node KRaft broker for the tests
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CPORT
listeners=PLAINTEXT://127.0.0.1:$PORT,CONTROLLER://127.0.0.1:$CPORT
advertised.listeners=PLAINTEXT://127.0.0.1:$PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$RUN/data
num.partitions=3
default.replication.factor=1
min.insync.replicas=1
auto.create.topics.enable=false
delete.topic.enable=true
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=10
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
num.network.threads=3
num.io.threads=4
log.retention.hours=24
EOF
	cat >"$RUN/log4j2.properties" <<EOF
# written by scripts/kafka.sh: broker logs go to $RUN/broker.log
status = warn
name = wirehose-test-kafka
appender.file.type = File
appender.file.name = FILE
appender.file.fileName = $RUN/broker.log
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = FILE
logger.request.name = kafka.request.logger
logger.request.level = WARN
logger.request.additivity = false
logger.request.appenderRef.file.ref = FILE
logger.statechange.name = state.change.logger
logger.statechange.level = WARN
logger.cleaner.name = kafka.log.LogCleaner
logger.cleaner.level = WARN
EOF
}

start() {
	local pid
	if pid=$(running_pid); then
		die "a broker started by this script is already running (pid $pid, $RUN); run 'scripts/kafka.sh stop' (make kafka-down) first"
	fi
	for p in "$PORT" "$CPORT"; do
		if port_in_use "$p"; then
			die "port 127.0.0.1:$p is already in use by another process; choose free ports with WIREHOSE_KAFKA_PORT=... (controller: port+1 or WIREHOSE_KAFKA_CONTROLLER_PORT)"
		fi
	done
	ensure_cmd java openjdk-17-jre-headless
	ensure_jars
	ensure_go
	ensure_run_root
	rm -rf "$RUN"
	mkdir -p "$RUN/data"
	write_config

	local t0 cp id
	t0=$(date +%s)
	cp="$LIBS/*"
	id=$(cluster_id)
	log "formatting storage (cluster $id) in $RUN/data"
	if ! java -cp "$cp" kafka.tools.StorageTool format -t "$id" -c "$PROPS" \
		</dev/null >"$RUN/format.log" 2>&1; then
		show_tail "$RUN/format.log" 30
		die "kafka.tools.StorageTool format failed (see $RUN/format.log)"
	fi

	log "starting Apache Kafka $KAFKA_VERSION on 127.0.0.1:$PORT (controller $CPORT); log: $RUN/broker.log"
	# setsid: own session, so a Ctrl-C in the terminal does not hit it before our clean stop.
	# All fds away from our stdout, or `$(scripts/kafka.sh start)` would wait for the broker.
	# shellcheck disable=SC2086
	(cd "$RUN" && exec setsid java $HEAP -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
		-Djava.awt.headless=true -Dlog4j2.configurationFile="$RUN/log4j2.properties" \
		-cp "$cp" kafka.Kafka "$PROPS" </dev/null >"$RUN/broker.out" 2>&1) &
	pid=$!
	echo "$pid" >"$PIDFILE"

	# Build the readiness probe while the JVM boots.
	if ! go build -o "$RUN/kafkaping" ./scripts/kafkaping >"$RUN/kafkaping-build.log" 2>&1; then
		show_tail "$RUN/kafkaping-build.log" 30
		stop_pid "$pid" "$PROPS" "Kafka broker" 30 || true
		die "could not build scripts/kafkaping"
	fi
	local answer
	if ! answer=$("$RUN/kafkaping" -warm -brokers "$BROKERS" -timeout "$START_TIMEOUT" -pid "$pid" 2>"$RUN/kafkaping.err"); then
		cat "$RUN/kafkaping.err" >&2
		show_tail "$RUN/broker.out" 20
		show_tail "$RUN/broker.log" 60
		stop_pid "$pid" "$PROPS" "Kafka broker" 30 || true
		rm -f "$PIDFILE"
		die "Kafka broker did not become ready on $BROKERS (limit $START_TIMEOUT; logs: $RUN)"
	fi
	log "$answer"

	local v
	v=$(sed -n 's/.*Kafka version: \([^ ]*\).*/\1/p' "$RUN/broker.log" 2>/dev/null | head -n1)
	if [[ -z $v ]]; then
		log "WARNING: $RUN/broker.log has no 'Kafka version' line: the broker is not logging through log4j2"
		grep -h 'SLF4J' "$RUN/broker.out" >&2 || true
		v=$KAFKA_VERSION
	fi
	echo "$v" >"$RUN/version"
	echo "export WIREHOSE_TEST_KAFKA_BROKERS=$BROKERS" >"$RUN/env"
	log "ready: Apache Kafka $v (KRaft, single node) at $BROKERS, pid $pid, in $(($(date +%s) - t0))s"
	cat "$RUN/env"
}

stop() {
	if [[ ! -f $PIDFILE ]]; then
		log "no broker started by this script on port $PORT (no $PIDFILE)"
		return 0
	fi
	local pid
	pid=$(cat "$PIDFILE")
	stop_pid "$pid" "$PROPS" "Kafka broker" 60
	rm -rf "$PIDFILE" "$RUN/data" "$RUN/kafkaping"
	log "stopped; logs kept in $RUN"
}

version() {
	if running_pid >/dev/null && [[ -s $RUN/version ]]; then
		cat "$RUN/version"
	elif [[ -f $LIBS/kafka_2.13-$KAFKA_VERSION.jar ]]; then
		java -cp "$LIBS/*" kafka.Kafka --version 2>/dev/null | tail -n1
	else
		echo "$KAFKA_VERSION"
	fi
}

status() {
	local pid
	if pid=$(running_pid); then
		echo "running: Apache Kafka $(version) at $BROKERS, pid $pid, log $RUN/broker.log"
	else
		echo "not running (port $PORT)"
		return 1
	fi
}

case ${1:-} in
start) start ;;
stop) stop ;;
version) version ;;
status) status ;;
jars) ensure_jars ;;
*)
	echo "usage: $0 start|stop|version|status|jars" >&2
	exit 2
	;;
esac
