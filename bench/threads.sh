#!/usr/bin/env bash
# Where one gateway's time goes during one smtp-source run (docs/PERFORMANCE.md, "Where the time
# goes"): msg/s, then per named thread the CPU (user/sys) and the bytes and write calls per
# message, then the store's commit count, commit seconds and batch sizes from /metrics.
#   bash bench/threads.sh BINARY COUNT SMTP-SOURCE-ARGS...
#   bash bench/threads.sh .build/release/mailgate 30000 -d -s 10 -l 2048      # W2
# For an A/B, run it alternately with two binaries, several times: this VM's noise between runs
# of one binary is 10-15 %. GATEWAY_ENV="VAR=value ..." adds settings to the gateway.
set -euo pipefail
BIN=$1 COUNT=$2; shift 2
WORK=$(mktemp -d /tmp/mailgate-threads.XXXXXX)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
PORT=$(free_port) HPORT=$(free_port)
env MAILGATE_SMTP_ADDR=127.0.0.1:$PORT MAILGATE_HTTP_ADDR=127.0.0.1:$HPORT MAILGATE_DB="$WORK/m.db" \
    MAILGATE_LOG_LEVEL=warn MAILGATE_MAX_CONNECTIONS_PER_IP=20000 MAILGATE_HOSTNAME=bench.test \
    MAILGATE_SMTP_MAX_MESSAGES_PER_CONNECTION=1000000 ${GATEWAY_ENV:-} "$BIN" serve 2>"$WORK/log" &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 100); do (echo > /dev/tcp/127.0.0.1/$PORT) 2>/dev/null && break; sleep 0.05; done

# name, CPU ticks (user+sys, user, sys) and write bytes/calls, summed per thread name.
snapshot() {
  for t in /proc/$PID/task/*; do
    echo "$(cat $t/comm) $(awk '{print $14+$15, $14, $15}' $t/stat) $(awk '/^wchar/{w=$2} /^syscw/{c=$2} END{print w, c}' $t/io)"
  done | awk '{a[$1]+=$2; u[$1]+=$3; s[$1]+=$4; w[$1]+=$5; c[$1]+=$6} END {for (k in a) print k, a[k], u[k], s[k], w[k], c[k]}' | sort
}
snapshot > "$WORK/before"
t0=$(date +%s.%N)
smtp-source "$@" -m "$COUNT" -f a@x.test -t b@y.test 127.0.0.1:$PORT >/dev/null
t1=$(date +%s.%N)
snapshot > "$WORK/after"
python3 - "$COUNT" "$t0" "$t1" "$WORK/before" "$WORK/after" "$(getconf CLK_TCK)" <<'PY'
import sys
n, t0, t1, tick = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), 1e6 / int(sys.argv[6])
load = lambda p: {l.split()[0]: [int(x) for x in l.split()[1:]] for l in open(p) if l.strip()}
before, after = load(sys.argv[4]), load(sys.argv[5])
print(f"{n / (t1 - t0):.0f} msg/s ({t1 - t0:.2f} s)")
total = 0.0
for name, a in sorted(after.items()):
    b = before.get(name, [0] * 5)
    cpu, user, sys_ = ((a[i] - b[i]) * tick / n for i in range(3))
    total += cpu
    if cpu > 0:
        print(f"  {name:16s} {cpu:7.1f} µs/msg (user {user:5.1f}, sys {sys_:5.1f})  "
              f"{(a[3] - b[3]) / n / 1024:6.1f} KiB written/msg  {(a[4] - b[4]) / n:5.1f} writes/msg")
print(f"  {'all threads':16s} {total:7.1f} µs/msg")
PY
curl -s "http://127.0.0.1:$HPORT/metrics" | grep -E '^mailgate_store_(commits_total|commit_seconds_sum|batch_size_sum) '
