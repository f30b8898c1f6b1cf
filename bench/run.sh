#!/usr/bin/env bash
# make bench: Mailgate against its references in the same run (docs/PERFORMANCE.md).
# Every figure is a ratio against smtp-sink or nginx measured alternately, median of ROUNDS.
# Usage: bash bench/run.sh [section...]   sections: smtp rss http webhook mime (default: all)
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${BENCH_ROUNDS:-3}
BIN=${MAILGATE_BIN:-.build/release/mailgate}
WORK=$(mktemp -d /tmp/mailgate-bench.XXXXXX)
SECTIONS=${*:-smtp rss http webhook mime}
ulimit -n 65536 2>/dev/null || ulimit -n 16384 || true
PIDS=()
cleanup() { for p in "${PIDS[@]:-}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
now() { date +%s.%N; }
median() { python3 -c 'import sys,statistics; print(statistics.median(float(x) for x in sys.argv[1:]))' "$@"; }
wait_port() { for _ in $(seq 1 200); do (echo > /dev/tcp/127.0.0.1/$1) 2>/dev/null && return 0; sleep 0.05; done; echo "port $1 never opened" >&2; return 1; }

# start_mailgate NAME [ENV=VALUE...]: starts a release gateway on fresh ports and a fresh database.
start_mailgate() {
  local name=$1; shift
  SMTP_PORT=$(free_port); HTTP_PORT=$(free_port)
  rm -f "$WORK/$name.db"*
  env MAILGATE_SMTP_ADDR=127.0.0.1:$SMTP_PORT MAILGATE_HTTP_ADDR=127.0.0.1:$HTTP_PORT \
      MAILGATE_DB="$WORK/$name.db" MAILGATE_LOG_LEVEL=warn MAILGATE_MAX_CONNECTIONS_PER_IP=20000 \
      MAILGATE_MAX_CONNECTIONS=20000 MAILGATE_SMTP_MAX_MESSAGES_PER_CONNECTION=1000000 MAILGATE_HOSTNAME=bench.test "$@" "$BIN" serve 2>>"$WORK/$name.log" &
  MG_PID=$!; PIDS+=($MG_PID)
  wait_port "$SMTP_PORT"
}
stop_mailgate() { kill -TERM "$MG_PID" 2>/dev/null || true; wait "$MG_PID" 2>/dev/null || true; }

start_sink() {
  SINK_PORT=$(free_port)
  smtp-sink -u root 127.0.0.1:$SINK_PORT 1000 >/dev/null 2>&1 &
  SINK_PID=$!; PIDS+=($SINK_PID)
  wait_port "$SINK_PORT"
}
stop_sink() { kill "$SINK_PID" 2>/dev/null || true; wait "$SINK_PID" 2>/dev/null || true; }

# rate PORT COUNT SMTP-SOURCE-ARGS...: messages per second of one smtp-source run.
rate() {
  local port=$1 count=$2; shift 2
  local t0 t1; t0=$(now)
  smtp-source "$@" -m "$count" -f a@x.test -t b@y.test 127.0.0.1:"$port" >/dev/null
  t1=$(now)
  python3 -c "print($count / ($t1 - $t0))"
}

workload() { # NAME COUNT ARGS...
  local name=$1 count=$2; shift 2
  local ratios=() sinks=() gates=()
  for r in $(seq 1 "$ROUNDS"); do
    # Each run starts with no other run's writes in flight: the previous gateway's database is
    # deleted (its dirty pages need no writeback) and the rest is flushed, so a run's fsyncs wait
    # only for its own data.
    sync
    start_sink; s=$(rate "$SINK_PORT" "$count" "$@"); stop_sink
    sync
    start_mailgate "$name-$r"; g=$(rate "$SMTP_PORT" "$count" "$@"); stop_mailgate
    rm -f "$WORK/$name-$r.db"*
    sinks+=("$s"); gates+=("$g"); ratios+=("$(python3 -c "print($g / $s)")")
  done
  printf '%-4s smtp-sink %8.0f msg/s   mailgate %8.0f msg/s   ratio %.2f (median of %d; rounds: %s)\n' \
    "$name" "$(median "${sinks[@]}")" "$(median "${gates[@]}")" "$(median "${ratios[@]}")" "$ROUNDS" "${ratios[*]}"
}

if [[ " $SECTIONS " == *" smtp "* ]]; then
  echo "== SMTP ingest (2 KiB messages unless said; durable: synchronous=FULL)"
  workload W1 ${W1_COUNT:-20000} -s 20 -l 2048
  workload W2 ${W2_COUNT:-50000} -d -s 10 -l 2048
  workload W3 ${W3_COUNT:-200} -s 4 -l 1048576
fi

if [[ " $SECTIONS " == *" rss "* ]]; then
  echo "== Memory"
  start_mailgate idle
  python3 bench/tools.py idle --port "$SMTP_PORT" --count ${IDLE_COUNT:-10000} --pid "$MG_PID"
  stop_mailgate
  start_mailgate big MAILGATE_MAX_MESSAGE_SIZE=40M
  python3 bench/tools.py big --port "$SMTP_PORT" --mib 25 --pid "$MG_PID"
  stop_mailgate
fi

if [[ " $SECTIONS " == *" http "* ]] && [ -f bench/http.sh ]; then
  source bench/http.sh
fi
if [[ " $SECTIONS " == *" webhook "* ]] && [ -f bench/webhook.sh ]; then
  source bench/webhook.sh
fi
if [[ " $SECTIONS " == *" mime "* ]]; then
  echo "== MIME parse and render per message (-O, the ingest step of MessageIngest)"
  bash fuzz/mime/bench.sh
fi
