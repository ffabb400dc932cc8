#!/usr/bin/env bash
# make cluster: three `okno serve` replicas over one PostgreSQL database
# behind HAProxy, on this machine (issue 17). Prints the URL to enrol
# against; Ctrl-C (or `kill` of this script) stops everything it started.
#
#   OKNO_PG         the PostgreSQL server (default postgres://postgres@127.0.0.1:5432/?sslmode=disable)
#   OKNO_CLUSTER_DB the database (default okno_cluster; created if missing)
#   OKNO_REPLICAS   how many replicas (default 3)
#   OKNO_PORT       HAProxy's port (default 8480); replicas listen on 8481…
#   OKNO_CLUSTER    the folder for the config, logs and the signing key (default .cluster)
#   OKNO_BIN        the okno binary (default bin/okno)
set -euo pipefail

BIN=${OKNO_BIN:-bin/okno}
PG=${OKNO_PG:-postgres://postgres@127.0.0.1:5432/?sslmode=disable}
DB=${OKNO_CLUSTER_DB:-okno_cluster}
N=${OKNO_REPLICAS:-3}
PORT=${OKNO_PORT:-8480}
DIR=${OKNO_CLUSTER:-.cluster}

die() { echo "cluster: $*" >&2; exit 1; }
[ -x "$BIN" ] || die "$BIN not found: run make build first"

if ! command -v haproxy >/dev/null; then
	echo "cluster: installing haproxy (Debian's package)…"
	command -v apt-get >/dev/null || die "no haproxy and no apt-get: install HAProxy 2.x"
	if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
	$SUDO apt-get update -qq >/dev/null
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq haproxy >/dev/null
fi

# The database: created if missing (the replicas migrate it at start).
base=${PG%%\?*}
query=${PG#"$base"}
[ "$query" = "$PG" ] && query=
DSN="${base%/}/$DB$query"
ADMIN="${base%/}/postgres$query"
if command -v psql >/dev/null; then
	psql -q "$ADMIN" -tc "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1 ||
		psql -q "$ADMIN" -c "CREATE DATABASE $DB" >/dev/null
fi

mkdir -p "$DIR"
chmod 700 "$DIR"
pids=()
stop() {
	trap - INT TERM EXIT
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
}
trap stop INT TERM EXIT

# Each replica runs under a loop that starts it again a second after it
# ends, as systemd's Restart=always would: kill one (its pid is in
# $DIR/replicaN.pid) and it comes back. Every replica signs with the same
# key; the first one makes it.
replica() {
	local i=$1 p=$2
	trap 'kill "$(cat "$DIR/replica$i.pid")" 2>/dev/null; exit 0' TERM
	while :; do
		"$BIN" serve --addr "127.0.0.1:$p" --db "$DSN" --signing-key "$DIR/central.key" \
			--trusted-proxies 127.0.0.1 >>"$DIR/replica$i.log" 2>&1 &
		echo $! >"$DIR/replica$i.pid"
		wait $! 2>/dev/null || true
		sleep 1
	done
}
servers=""
for i in $(seq 1 "$N"); do
	p=$((PORT + i))
	replica "$i" "$p" &
	pids+=($!)
	for _ in $(seq 1 100); do
		curl -fsS "http://127.0.0.1:$p/healthz" >/dev/null 2>&1 && break
		sleep 0.1
	done
	curl -fsS "http://127.0.0.1:$p/healthz" >/dev/null 2>&1 || die "replica $i did not start: $(tail -3 "$DIR/replica$i.log")"
	servers+="    server replica$i 127.0.0.1:$p check"$'\n'
done

cat >"$DIR/haproxy.cfg" <<CFG
# okno: $N replicas of one PostgreSQL-backed central (docs/operations.md).
global
    maxconn 4096

defaults
    mode http
    # The frontend's own limit, said rather than left to the version's
    # default: every supervisor's queue stream holds a connection.
    maxconn 4000
    option httplog
    option forwardfor
    option http-no-delay
    timeout connect 2s
    timeout client  60s
    timeout server  60s
    # The queue streams (SSE) send a ping every 15 s: a tunnel idle for a
    # minute is dead. A replica killed mid-stream drops its streams; the
    # supervisors reconnect through the balancer to another.
    timeout tunnel  1h
    timeout http-keep-alive 10s
    retries 2
    option redispatch

frontend okno
    bind 127.0.0.1:$PORT
    default_backend replicas

backend replicas
    balance leastconn
    option httpchk GET /healthz
    http-check expect status 200
    default-server inter 1s fall 2 rise 2 on-marked-down shutdown-sessions
    # Which replica answered (its server name): for finding a replica's
    # log lines, and for BenchmarkLiveLatency's same/other replica split.
    http-response set-header X-Okno-Replica %s
$servers
CFG
haproxy -c -q -f "$DIR/haproxy.cfg" || die "haproxy refused $DIR/haproxy.cfg"
haproxy -db -f "$DIR/haproxy.cfg" >"$DIR/haproxy.log" 2>&1 &
lb=$!
pids+=($lb)
for _ in $(seq 1 50); do
	curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
	sleep 0.1
done
curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null || die "HAProxy does not answer: $(tail -3 "$DIR/haproxy.log")"

cat <<MSG
okno cluster: $N replicas on $DSN behind HAProxy
  enrol against: http://127.0.0.1:$PORT
  e.g. $BIN user add --db '$DSN' --login admin --role admin --office '*' < password
       $BIN enrol --data DIR --central http://127.0.0.1:$PORT --office IRK --window 1 --login admin < password
  replicas: $(for i in $(seq 1 "$N"); do printf '127.0.0.1:%d ' $((PORT + i)); done)(pids in $DIR/replicaN.pid; a replica killed starts again)
  config and logs: $DIR/  — Ctrl-C stops the cluster
MSG
wait "$lb" || true
echo "cluster: HAProxy ended; stopping" >&2
