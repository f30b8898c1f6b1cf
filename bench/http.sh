# Sourced by bench/run.sh: H1 (one message) and H2 (list of 50) against nginx serving the same
# bytes as static files, alternately, in the same run (PERFORMANCE.md).
echo "== HTTP (wrk -t2 -c64 -d${HTTP_SECONDS:-10}s; nginx serves the same JSON bytes)"
start_mailgate http
python3 Tests/EndToEndTests/Clients/smtp_client.py send --port "$SMTP_PORT" --count 200 --per-connection 50 \
  --out "$WORK/http-sent.jsonl" >/dev/null
API="http://127.0.0.1:$HTTP_PORT"
ID=$(curl -s "$API/api/v1/messages?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')
NGINX="$WORK/nginx"; mkdir -p "$NGINX/www" "$NGINX/tmp" "$NGINX/logs"
curl -s "$API/api/v1/messages/$ID" > "$NGINX/www/msg.json"
curl -s "$API/api/v1/messages?limit=50" > "$NGINX/www/list.json"
NGINX_PORT=$(free_port)
cat > "$NGINX/nginx.conf" <<CONF
worker_processes 2;
pid $NGINX/nginx.pid;
error_log $NGINX/logs/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    keepalive_requests 1000000;
    client_body_temp_path $NGINX/tmp; proxy_temp_path $NGINX/tmp; fastcgi_temp_path $NGINX/tmp;
    uwsgi_temp_path $NGINX/tmp; scgi_temp_path $NGINX/tmp;
    server { listen 127.0.0.1:$NGINX_PORT; root $NGINX/www; default_type application/json; etag on; }
}
CONF
nginx -c "$NGINX/nginx.conf" -p "$NGINX"
sleep 0.3
reqs() { wrk -t2 -c64 -d"${HTTP_SECONDS:-10}"s "$1" | awk '/Requests\/sec/ {print $2}'; }
for name in H1 H2; do
  if [ $name = H1 ]; then mine="$API/api/v1/messages/$ID"; ref="http://127.0.0.1:$NGINX_PORT/msg.json"
  else mine="$API/api/v1/messages?limit=50"; ref="http://127.0.0.1:$NGINX_PORT/list.json"; fi
  ratios=(); ms=(); ns=()
  for r in $(seq 1 "$ROUNDS"); do
    n=$(reqs "$ref"); m=$(reqs "$mine")
    ns+=("$n"); ms+=("$m"); ratios+=("$(python3 -c "print($m / $n)")")
  done
  printf '%-4s nginx %8.0f req/s   mailgate %8.0f req/s   ratio %.2f (median of %d; rounds: %s)\n' \
    "$name" "$(median "${ns[@]}")" "$(median "${ms[@]}")" "$(median "${ratios[@]}")" "$ROUNDS" "${ratios[*]}"
done
nginx -c "$NGINX/nginx.conf" -p "$NGINX" -s stop
stop_mailgate
