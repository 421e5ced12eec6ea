#!/usr/bin/env bash
# Measures the reference server on loopback with wrk, next to nginx in the same run:
#   1. a bearer-authenticated GET /management/apis (the embedded default configuration: JWT
#      handler, token in the in-memory store);
#   2. the same resource with no handler (Samples/configs/open.xml);
#   3. nginx returning a fixed JSON body of the same length over TLS with the same self-signed
#      certificate.
# Each gets `wrk -t2 -c<connections> -d<seconds>s` in turn, while the others sit idle. Prints
# requests per second, wrk's error lines, and the ratios. Everything listens on 127.0.0.1 only,
# and every process the script starts is stopped by its PID on exit.
#
# Usage: Benchmarks/server.sh [duration-seconds] [connections]
# Environment: NGINX_PORT (default 18480). The two servers take kernel-chosen ports.
# Needs: wrk, nginx (nginx-light), curl; scripts/install-dependencies.sh --benchmarks installs them.
set -euo pipefail
cd "$(dirname "$0")/.."

duration="${1:-10}"
connections="${2:-64}"
nginx_port="${NGINX_PORT:-18480}"
[[ "$duration" =~ ^[0-9]+$ && "$connections" =~ ^[0-9]+$ ]] || {
    echo "usage: $0 [duration-seconds] [connections] (whole numbers)" >&2
    exit 2
}

scripts/install-dependencies.sh --benchmarks
swift build -c release --product management-server >&2
binary="$(swift build -c release --show-bin-path)/management-server"

work="$(mktemp -d)"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

# Starts the server with the given options, logging to $work/<name>.log. Runs in the script's
# own shell (not in $(...)) so that the PID lands in `pids`.
launch() {
    local name="$1"; shift
    "$binary" --https-port 0 --http-port 0 --bind 127.0.0.1 --state-dir "$work/state" "$@" \
        >"$work/$name.log" 2>&1 &
    pids+=($!)
}

# Waits until the server logged "management-server: server started" (the transport's earlier
# "HTTP server started" line comes before the ports are logged) and prints its HTTPS port.
https_port() {
    local name="$1"
    for _ in $(seq 1 300); do
        if grep -q "management-server: server started" "$work/$name.log"; then
            grep "listening" "$work/$name.log" | grep "scheme=https" | sed -n 's/.* port=\([0-9]*\).*/\1/p'
            return 0
        fi
        sleep 0.1
    done
    echo "the $name server did not start; its log:" >&2
    cat "$work/$name.log" >&2
    return 1
}

# The second server starts after the first has made the self-signed certificate in the shared
# state folder, so both (and nginx) serve the same certificate.
launch jwt
jwt_port="$(https_port jwt)"
"$binary" --check-config Samples/configs/open.xml >/dev/null
launch open --config Samples/configs/open.xml
open_port="$(https_port open)"

token="$(curl -ks -H 'Authorization: Basic YWRtaW46YWRtaW4=' "https://127.0.0.1:$jwt_port/management/login" \
    | sed -n 's/.*"AccessToken" *: *"\([^"]*\)".*/\1/p')"
[[ -n "$token" ]] || { echo "login to the JWT server failed" >&2; exit 1; }

bearer_url="https://127.0.0.1:$jwt_port/management/apis"
open_url="https://127.0.0.1:$open_port/management/apis"
nginx_url="https://127.0.0.1:$nginx_port/"
# nginx returns a JSON body of the same length as the server's, so both send the same bytes.
apis_bytes="$(curl -ks -H "Authorization: Bearer $token" "$bearer_url" | wc -c)"
prefix='{"count":0,"list":[],"padding":"'
padding_length=$((apis_bytes - ${#prefix} - 2))
((padding_length >= 0)) || padding_length=0
nginx_body="$prefix$(printf '%*s' "$padding_length" '' | tr ' ' a)\"}"

mkdir -p "$work/nginx/logs"
cat >"$work/nginx/nginx.conf" <<NGINX
worker_processes 2;
error_log $work/nginx/logs/error.log warn;
pid $work/nginx/nginx.pid;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $work/nginx/body;
    proxy_temp_path $work/nginx/proxy;
    fastcgi_temp_path $work/nginx/fastcgi;
    uwsgi_temp_path $work/nginx/uwsgi;
    scgi_temp_path $work/nginx/scgi;
    server {
        listen 127.0.0.1:$nginx_port ssl;
        ssl_certificate $work/state/server.crt;
        ssl_certificate_key $work/state/server.key;
        ssl_protocols TLSv1.2 TLSv1.3;
        location / { default_type application/json; return 200 '$nginx_body'; }
    }
}
NGINX
nginx -e "$work/nginx/logs/error.log" -p "$work/nginx" -c "$work/nginx/nginx.conf" -g 'daemon off;' &
pids+=($!)

for _ in $(seq 1 100); do
    curl -ks --max-time 1 -o /dev/null "$nginx_url" && break
    sleep 0.1
done
# Each target must respond with 200 before it is measured, or its figure would count errors.
check() {
    local status
    status="$(curl -ks --max-time 5 -o /dev/null -w '%{http_code}' "$@")"
    [[ "$status" == 200 ]] || { echo "expected 200 from ${*: -1}, got $status" >&2; exit 1; }
}
check -H "Authorization: Bearer $token" "$bearer_url"
check "$open_url"
check "$nginx_url"

# Runs wrk, echoes its error lines to standard error, and prints the requests per second.
run_wrk() {
    local output
    output="$(wrk -t2 -c"$connections" -d"${duration}s" "$@")"
    grep -E "Socket errors|Non-2xx" <<<"$output" >&2 || true
    awk '/Requests\/sec/ {print $2}' <<<"$output"
}

bearer_rate="$(run_wrk -H "Authorization: Bearer $token" "$bearer_url")"
open_rate="$(run_wrk "$open_url")"
nginx_rate="$(run_wrk "$nginx_url")"

echo "wrk -t2 -c$connections -d${duration}s over TLS on 127.0.0.1; $(nproc) cores, $(uname -r), $(date -u +%Y-%m-%dT%H:%MZ)"
printf '%-44s %12s req/s\n' "bearer-authenticated GET /management/apis" "$bearer_rate"
printf '%-44s %12s req/s\n' "same resource, no handler" "$open_rate"
printf '%-44s %12s req/s\n' "nginx fixed body" "$nginx_rate"
echo "(response bodies: /management/apis $apis_bytes bytes, nginx ${#nginx_body} bytes)"
awk -v bearer="$bearer_rate" -v open="$open_rate" -v nginx="$nginx_rate" 'BEGIN {
    printf "bearer / no handler: %.2f\n", bearer / open
    printf "bearer / nginx:      %.2f\n", bearer / nginx
    printf "no handler / nginx:  %.2f\n", open / nginx
}'
