# Webhook delivery (PERFORMANCE.md): nginx answering `return 204;` is the subscriber.
# Sourced by bench/run.sh (uses its free_port, wait_port, now, start_mailgate, stop_mailgate, PIDS, WORK).
#   1. rate: W1 ingest (smtp-source -s 20 -l 2048) while /metrics' queue depth is sampled; does
#      delivery keep up with ingest?
#   2. latency: a paced sender at WEBHOOK_RATE msg/s records the 250 time per queue id; nginx logs
#      "$msec $http_webhook_id"; joined through the API's delivery list: p50/p99 250 -> POST.
# Knobs: WEBHOOK_COUNT (rate run, default 20000), WEBHOOK_RATE (1000), WEBHOOK_SECONDS (10),
# WEBHOOK_ENV (extra VAR=value settings for the gateway, e.g. MAILGATE_WEBHOOK_CONCURRENCY=8).

WH_DIR="$WORK/webhook"
WH_SECRET="whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

start_nginx_hook() {
  mkdir -p "$WH_DIR/nginx"
  NGX_PORT=$(free_port)
  cat > "$WH_DIR/nginx/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $WH_DIR/nginx/nginx.pid;
error_log $WH_DIR/nginx/error.log warn;
events { worker_connections 4096; }
http {
  client_body_temp_path $WH_DIR/nginx/body;
  proxy_temp_path $WH_DIR/nginx/proxy;
  fastcgi_temp_path $WH_DIR/nginx/fastcgi;
  uwsgi_temp_path $WH_DIR/nginx/uwsgi;
  scgi_temp_path $WH_DIR/nginx/scgi;
  log_format hook '\$msec \$http_webhook_id';
  access_log $WH_DIR/access.log hook;
  keepalive_requests 10000000;
  keepalive_timeout 300s;
  server {
    listen 127.0.0.1:$NGX_PORT;
    location / { return 204; }
  }
}
EOF
  : > "$WH_DIR/access.log"
  nginx -e "$WH_DIR/nginx/error.log" -p "$WH_DIR/nginx" -c "$WH_DIR/nginx/nginx.conf" &
  NGX_PID=$!; PIDS+=($NGX_PID)
  wait_port "$NGX_PORT"
}
stop_nginx_hook() { kill -QUIT "$NGX_PID" 2>/dev/null || true; wait "$NGX_PID" 2>/dev/null || true; }

# wait_posts N: until the access log has N distinct webhook-ids (at most 120 s).
wait_posts() {
  for _ in $(seq 1 1200); do
    # Counting lines is cheap; the distinct count only once there are enough (retries repeat ids).
    if [ "$(wc -l < "$WH_DIR/access.log")" -ge "$1" ] &&
       [ "$(cut -d' ' -f2 "$WH_DIR/access.log" | sort -u | wc -l)" -ge "$1" ]; then return 0; fi
    sleep 0.1
  done
  echo "only $(cut -d' ' -f2 "$WH_DIR/access.log" | sort -u | wc -l) of $1 POSTs arrived" >&2
}

echo "== Webhooks (nginx return 204 as the subscriber)"
mkdir -p "$WH_DIR"
start_nginx_hook

WH_COUNT=${WEBHOOK_COUNT:-20000}
start_mailgate webhook-rate MAILGATE_WEBHOOK_URL="http://127.0.0.1:$NGX_PORT/hook" MAILGATE_WEBHOOK_SECRET="$WH_SECRET" ${WEBHOOK_ENV:-}
python3 bench/webhook_tools.py sample --metrics "http://127.0.0.1:$HTTP_PORT/metrics" --out "$WH_DIR/samples" &
SAMPLER=$!; PIDS+=($SAMPLER)
t0=$(now)
smtp-source -s 20 -l 2048 -m "$WH_COUNT" -f a@x.test -t b@y.test 127.0.0.1:"$SMTP_PORT" >/dev/null
t1=$(now)
wait_posts "$WH_COUNT"
sleep 1.2  # one more queue-depth sample after the drain
kill "$SAMPLER" 2>/dev/null || true; wait "$SAMPLER" 2>/dev/null || true
python3 bench/webhook_tools.py rate --access-log "$WH_DIR/access.log" --samples "$WH_DIR/samples" \
  --start "$t0" --end "$t1" --count "$WH_COUNT"
stop_mailgate

: > "$WH_DIR/access.log"
start_mailgate webhook-latency MAILGATE_WEBHOOK_URL="http://127.0.0.1:$NGX_PORT/hook" MAILGATE_WEBHOOK_SECRET="$WH_SECRET" ${WEBHOOK_ENV:-}
python3 bench/webhook_tools.py send --port "$SMTP_PORT" --rate "${WEBHOOK_RATE:-1000}" \
  --seconds "${WEBHOOK_SECONDS:-10}" --out "$WH_DIR/sent"
wait_posts "$(wc -l < "$WH_DIR/sent")"
python3 bench/webhook_tools.py latency --api "http://127.0.0.1:$HTTP_PORT" --sent "$WH_DIR/sent" \
  --access-log "$WH_DIR/access.log"
stop_mailgate
stop_nginx_hook
