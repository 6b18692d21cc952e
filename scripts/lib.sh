# shellcheck shell=bash
# Helpers shared by scripts/test.sh, scripts/kafka.sh and scripts/postgres.sh.
# Sourced, not run. Messages go to stderr; stdout is kept for `export VAR=...` lines.
#
# Environment knobs (all optional):
#   WIREHOSE_CACHE    jar cache            (default $HOME/.cache/wirehose)
#   WIREHOSE_RUN_DIR  run dirs, logs, pids (default ${TMPDIR:-/tmp}/wirehose-test-<uid>)

# shellcheck disable=SC2034 # used by the scripts that source this file
WIREHOSE_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
: "${HOME:=$(getent passwd "$(id -u)" | cut -d: -f6)}"
WIREHOSE_CACHE=${WIREHOSE_CACHE:-$HOME/.cache/wirehose}
WIREHOSE_RUN_DIR=${WIREHOSE_RUN_DIR:-${TMPDIR:-/tmp}/wirehose-test-$(id -u)}

log() { printf '[%s] %s\n' "${LOG_TAG:-wirehose}" "$*" >&2; }
die() {
	log "ERROR: $*"
	exit 1
}

# show_tail FILE [N]: print the last lines of a log to stderr, framed.
show_tail() {
	local f=$1 n=${2:-40}
	[[ -s $f ]] || return 0
	printf -- '----- last %s lines of %s -----\n' "$n" "$f" >&2
	tail -n "$n" "$f" >&2 || true
	printf -- '----- end of %s -----\n' "$f" >&2
}

# shell_quote STR: STR in single quotes, safe for eval and readable (unlike printf %q).
shell_quote() {
	local q=\'
	printf "'%s'" "${1//$q/$q\\$q$q}"
}

# ensure_run_root: the run root must be traversable by the postgres user when we are root.
ensure_run_root() {
	mkdir -p "$WIREHOSE_RUN_DIR"
	chmod 0755 "$WIREHOSE_RUN_DIR" 2>/dev/null || true
}

# apt_install PKG...: install Debian packages (root only), running apt-get update once per run.
apt_install() {
	if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
		die "missing $*; install it (Debian: sudo apt-get install -y $*) and run again"
	fi
	if [[ -z ${WIREHOSE_APT_UPDATED:-} ]]; then
		log "apt-get update"
		DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 || die "apt-get update failed"
		export WIREHOSE_APT_UPDATED=1
	fi
	log "apt-get install $*"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		-o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "$@" >&2 ||
		die "apt-get install $* failed"
}

# ensure_cmd CMD DEBIAN_PACKAGE: install the package when the command is missing.
ensure_cmd() {
	command -v "$1" >/dev/null 2>&1 && return 0
	apt_install "$2"
	command -v "$1" >/dev/null 2>&1 || die "$1 still missing after installing $2"
}

ensure_go() {
	if ! command -v go >/dev/null 2>&1 && [[ -x /usr/local/go/bin/go ]]; then
		export PATH=/usr/local/go/bin:$PATH
	fi
	command -v go >/dev/null 2>&1 || die "go is not installed (expected on PATH or in /usr/local/go/bin)"
}

# port_in_use PORT: true when something accepts connections on 127.0.0.1:PORT.
port_in_use() {
	timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null
}

# pid_alive PID: the process exists and is not a zombie.
pid_alive() {
	local pid=$1 state
	[[ $pid =~ ^[0-9]+$ ]] || return 1
	[[ -r /proc/$pid/stat ]] || return 1
	state=$(sed 's/^.*) //' "/proc/$pid/stat" 2>/dev/null | cut -d' ' -f1) || return 1
	[[ -n $state && $state != Z && $state != X ]]
}

# pid_is_ours PID MARKER: alive, and its command line contains MARKER (a path
# inside our run dir), so a recycled pid is never mistaken for our process.
pid_is_ours() {
	pid_alive "$1" || return 1
	tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -qF -- "$2"
}

# stop_pid PID MARKER WHAT [GRACE_SECONDS]: SIGTERM our process, wait, then SIGKILL.
stop_pid() {
	local pid=$1 marker=$2 what=$3 grace=${4:-60} i
	if ! pid_is_ours "$pid" "$marker"; then
		pid_alive "$pid" && log "pid $pid is not our $what; leaving it alone"
		return 0
	fi
	log "stopping $what (pid $pid)"
	kill -TERM "$pid" 2>/dev/null || true
	for ((i = 0; i < grace * 10; i++)); do
		pid_alive "$pid" || return 0
		sleep 0.1
	done
	log "$what (pid $pid) still running after ${grace}s; sending SIGKILL"
	kill -KILL "$pid" 2>/dev/null || true
	for ((i = 0; i < 50; i++)); do
		pid_alive "$pid" || return 0
		sleep 0.1
	done
	log "WARNING: $what (pid $pid) did not exit"
	return 1
}
