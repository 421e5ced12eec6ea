#!/usr/bin/env bash
# Measures the reference server on loopback with wrk, next to nginx in the same run:
#   1. a bearer-authenticated GET /management/apis (JWT handler, token in the in-memory store);
#   2. the same resource with no handler configured;
#   3. nginx returning a fixed body over TLS with the same certificate.
# Prints requests per second for each and the ratios. Everything listens on 127.0.0.1 only.
#
# Usage: Benchmarks/server.sh [duration-seconds] [connections]
set -euo pipefail
cd "$(dirname "$0")/.."

duration="${1:-10}"
connections="${2:-64}"
scripts/install-dependencies.sh --benchmarks
swift build -c release --product management-server >&2
binary="$(swift build -c release --show-bin-path)/management-server"

work="$(mktemp -d)"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

wait_for_log() {
    local file="$1"
    for _ in $(seq 1 200); do
        grep -q "server started" "$file" 2>/dev/null && return 0
        sleep 0.1
    done
    echo "server did not start; log:" >&2
    cat "$file" >&2
    return 1
}

# 1. JWT server.
jwt_port="$(free_port)"
"$binary" --https-port "$jwt_port" --http-port "$(free_port)" --state-dir "$work/state" \
    --log-level warning 2>"$work/jwt.log" &
pids+=($!)
"$binary" --check-config Samples/configs/open.xml >/dev/null
open_port="$(free_port)"
"$binary" --config Samples/configs/open.xml --https-port "$open_port" --http-port "$(free_port)" \
    --state-dir "$work/state" --log-level warning 2>"$work/open.log" &
pids+=($!)

for _ in $(seq 1 200); do
    curl -ks -o /dev/null "https://127.0.0.1:$jwt_port/management" && \
        curl -ks -o /dev/null "https://127.0.0.1:$open_port/management" && break
    sleep 0.1
done
token="$(curl -ks -H 'Authorization: Basic YWRtaW46YWRtaW4=' "https://127.0.0.1:$jwt_port/management/login" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["AccessToken"])')"

# 3. nginx over TLS with the server's certificate, in its own prefix.
nginx_port="$(free_port)"
mkdir -p "$work/nginx/logs"
cat >"$work/nginx/nginx.conf" <<NGINX
worker_processes 2;
error_log $work/nginx/logs/error.log;
pid $work/nginx/nginx.pid;
events { worker_connections 1024; }
http {
    access_log off;
    server {
        listen 127.0.0.1:$nginx_port ssl;
        ssl_certificate $work/state/server.crt;
        ssl_certificate_key $work/state/server.key;
        location / { default_type application/json; return 200 '{"count":0,"list":[]}'; }
    }
}
NGINX
nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -g 'daemon off;' &
pids+=($!)
sleep 0.5

run_wrk() {
    local label="$1"; shift
    local rate
    rate="$(wrk -t2 -c"$connections" -d"${duration}s" "$@" | awk '/Requests\/sec/ {print $2}')"
    echo "$label $rate"
}

jwt_rate="$(run_wrk bearer -H "Authorization: Bearer $token" "https://127.0.0.1:$jwt_port/management/apis" | cut -d' ' -f2)"
open_rate="$(run_wrk open "https://127.0.0.1:$open_port/management/apis" | cut -d' ' -f2)"
nginx_rate="$(run_wrk nginx "https://127.0.0.1:$nginx_port/" | cut -d' ' -f2)"

echo "wrk -t2 -c$connections -d${duration}s over TLS on 127.0.0.1, $(nproc) cores"
printf '%-40s %12s\n' "bearer-authenticated GET /management/apis" "$jwt_rate"
printf '%-40s %12s\n' "same resource, no handler" "$open_rate"
printf '%-40s %12s\n' "nginx fixed body" "$nginx_rate"
python3 - "$jwt_rate" "$open_rate" "$nginx_rate" <<'PY'
import sys
jwt, open_, nginx = map(float, sys.argv[1:])
print(f"bearer / no handler: {jwt / open_:.2f}")
print(f"bearer / nginx:      {jwt / nginx:.2f}")
print(f"no handler / nginx:  {open_ / nginx:.2f}")
PY
