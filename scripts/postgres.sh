#!/usr/bin/env bash
# A throwaway PostgreSQL on loopback for the tests. Used by scripts/test.sh.
#
#   scripts/postgres.sh start    initdb in a fresh run dir and start on 127.0.0.1:$PORT; prints
#                                `export WIREHOSE_TEST_POSTGRES_DSN=...` on stdout, so
#                                `eval "$(scripts/postgres.sh start)"` works. If
#                                WIREHOSE_TEST_POSTGRES_DSN is already set, starts nothing.
#   scripts/postgres.sh stop     stop the server this script started (only that one), drop its data
#   scripts/postgres.sh version  server version (of the given DSN or of our server)
#   scripts/postgres.sh status
#
# Knobs: WIREHOSE_PG_PORT (25432), WIREHOSE_RUN_DIR. Installs Debian's `postgresql` when no
# server binaries are found. As root the server runs as the `postgres` user (initdb refuses root).
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
LOG_TAG=postgres
cd "$WIREHOSE_REPO"

PORT=${WIREHOSE_PG_PORT:-25432}
RUN=$WIREHOSE_RUN_DIR/postgres-$PORT
DATA=$RUN/data
SOCK=$RUN/sock
OWN_DSN="postgres://postgres@127.0.0.1:$PORT/postgres?sslmode=disable"

find_bindir() {
	local d
	if command -v pg_config >/dev/null 2>&1; then
		d=$(pg_config --bindir 2>/dev/null || true)
		if [[ -n $d && -x $d/initdb && -x $d/pg_ctl && -x $d/postgres ]]; then
			echo "$d"
			return 0
		fi
	fi
	for d in $(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V -r); do
		if [[ -x $d/initdb && -x $d/pg_ctl && -x $d/postgres ]]; then
			echo "$d"
			return 0
		fi
	done
	if d=$(command -v initdb 2>/dev/null); then
		d=$(dirname "$d")
		[[ -x $d/pg_ctl && -x $d/postgres ]] && echo "$d" && return 0
	fi
	return 1
}

# as_owner CMD...: run as the postgres user when we are root, else as ourselves.
as_owner() {
	if [[ $(id -u) -eq 0 ]]; then
		if command -v runuser >/dev/null 2>&1; then
			runuser -u postgres -- "$@"
		else
			su postgres -s /bin/sh -c "$(printf '%q ' "$@")"
		fi
	else
		"$@"
	fi
}

ensure_server() {
	if ! BIN=$(find_bindir); then
		apt_install postgresql
		BIN=$(find_bindir) || die "no PostgreSQL server binaries (initdb, pg_ctl, postgres) after installing postgresql"
	fi
	if [[ $(id -u) -eq 0 ]] && ! id postgres >/dev/null 2>&1; then
		log "creating system user postgres"
		useradd --system --user-group --no-create-home --home-dir /var/lib/postgresql \
			--shell /bin/sh postgres || die "could not create the postgres user"
	fi
}

running_pid() {
	local pid
	[[ -f $DATA/postmaster.pid ]] || return 1
	pid=$(head -n1 "$DATA/postmaster.pid")
	pid_is_ours "$pid" "$DATA" || return 1
	echo "$pid"
}

psql_bin() {
	if [[ -n ${BIN:-} && -x $BIN/psql ]]; then
		echo "$BIN/psql"
	elif command -v psql >/dev/null 2>&1; then
		command -v psql
	elif BIN=$(find_bindir) && [[ -x $BIN/psql ]]; then
		echo "$BIN/psql"
	else
		return 1
	fi
}

start() {
	if [[ -n ${WIREHOSE_TEST_POSTGRES_DSN:-} ]]; then
		log "WIREHOSE_TEST_POSTGRES_DSN is set; using it, starting nothing"
		echo "export WIREHOSE_TEST_POSTGRES_DSN=$(shell_quote "$WIREHOSE_TEST_POSTGRES_DSN")"
		return 0
	fi
	local pid
	if pid=$(running_pid); then
		die "a server started by this script is already running (pid $pid, $RUN); run 'scripts/postgres.sh stop' (make pg-down) first"
	fi
	if port_in_use "$PORT"; then
		die "port 127.0.0.1:$PORT is already in use by another process; choose a free one with WIREHOSE_PG_PORT=..."
	fi
	ensure_server
	ensure_run_root
	rm -rf "$RUN"
	mkdir -p "$RUN" "$SOCK"
	if [[ $(id -u) -eq 0 ]]; then
		chown -R postgres: "$RUN"
	fi
	cd "$RUN" # runuser keeps the cwd; postgres must be able to enter it

	local t0
	t0=$(date +%s)
	log "initdb $DATA ($("$BIN/postgres" --version))"
	if ! as_owner "$BIN/initdb" -D "$DATA" -U postgres -A trust -E UTF8 --locale=C --no-sync \
		</dev/null >"$RUN/initdb.log" 2>&1; then
		show_tail "$RUN/initdb.log" 30
		die "initdb failed (see $RUN/initdb.log)"
	fi

	log "starting PostgreSQL on 127.0.0.1:$PORT; log: $RUN/postgres.log"
	local opts="-p $PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$SOCK"
	opts+=" -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
	opts+=" -c max_connections=200 -c shared_buffers=128MB"
	if ! as_owner "$BIN/pg_ctl" -D "$DATA" -l "$RUN/postgres.log" -o "$opts" -w -t 60 start \
		</dev/null >"$RUN/pg_ctl.log" 2>&1; then
		cat "$RUN/pg_ctl.log" >&2
		show_tail "$RUN/postgres.log" 40
		die "PostgreSQL did not start (logs: $RUN)"
	fi
	local i
	for ((i = 0; i < 60; i++)); do
		"$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT" -t 2 && break
		sleep 0.5
	done
	"$BIN/pg_isready" -h 127.0.0.1 -p "$PORT" -t 2 >&2 || {
		show_tail "$RUN/postgres.log" 40
		stop
		die "PostgreSQL on 127.0.0.1:$PORT is not accepting connections"
	}
	local v
	v=$("$BIN/psql" "$OWN_DSN" -XAtq -c 'SHOW server_version' 2>&1) || {
		echo "$v" >&2
		stop
		die "psql could not query the new server"
	}
	echo "${v%% *}" >"$RUN/version"
	log "$("$BIN/psql" "$OWN_DSN" -XAtq -c 'SELECT version()')"
	echo "export WIREHOSE_TEST_POSTGRES_DSN=$(shell_quote "$OWN_DSN")" >"$RUN/env"
	log "ready: PostgreSQL ${v%% *} at 127.0.0.1:$PORT, pid $(running_pid || echo '?'), in $(($(date +%s) - t0))s"
	cat "$RUN/env"
}

stop() {
	local pid
	if ! pid=$(running_pid); then
		if [[ -f $DATA/postmaster.pid ]]; then
			log "stale $DATA/postmaster.pid (process gone); cleaning up"
		else
			log "no server started by this script on port $PORT"
		fi
		rm -rf "$DATA" "$SOCK"
		return 0
	fi
	BIN=$(find_bindir) || true
	log "stopping PostgreSQL (pid $pid)"
	if [[ -z $BIN ]] || ! as_owner "$BIN/pg_ctl" -D "$DATA" -m fast -w -t 60 stop </dev/null >"$RUN/pg_ctl-stop.log" 2>&1; then
		cat "$RUN/pg_ctl-stop.log" >&2 2>/dev/null || true
		stop_pid "$pid" "$DATA" "PostgreSQL postmaster" 30 || true
	fi
	rm -rf "$DATA" "$SOCK"
	log "stopped; logs kept in $RUN"
}

version() {
	local dsn=${WIREHOSE_TEST_POSTGRES_DSN:-}
	if [[ -z $dsn ]]; then
		if running_pid >/dev/null && [[ -s $RUN/version ]]; then
			cat "$RUN/version"
		elif BIN=$(find_bindir); then # not running: the installed server's version
			"$BIN/postgres" --version | sed -n 's/^postgres (PostgreSQL) \([^ ]*\).*/\1/p'
		else
			echo unknown
		fi
		return 0
	fi
	local psql v
	psql=$(psql_bin) || {
		echo unknown
		return 0
	}
	if v=$("$psql" "$dsn" -XAtq -c 'SHOW server_version' 2>/dev/null); then
		echo "${v%% *}"
	else
		echo unknown
	fi
}

status() {
	local pid
	if pid=$(running_pid); then
		echo "running: PostgreSQL $(version) at 127.0.0.1:$PORT, pid $pid, log $RUN/postgres.log"
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
*)
	echo "usage: $0 start|stop|version|status" >&2
	exit 2
	;;
esac
