#!/usr/bin/env bash
# Compares the EventHTTP transport (eventhttp-bench) with nginx-light, both returning a fixed
# 13-byte body, over plain HTTP and over TLS, with `wrk -t2 -c64 -d5s` on 127.0.0.1.
#
# Usage: Benchmarks/http-transport.sh
# Environment: BASE_PORT (default 18400; the script uses BASE_PORT+1 to BASE_PORT+4),
#              DURATION (default 5s).
# Needs: wrk, nginx (nginx-light), openssl, curl. nginx runs with its own configuration in a
# temporary folder, never the system one. Everything listens on 127.0.0.1 only.
set -euo pipefail

cd "$(dirname "$0")/.."
base_port=${BASE_PORT:-18400}
duration=${DURATION:-5s}
plain_port=$((base_port + 1))
tls_port=$((base_port + 2))
nginx_plain_port=$((base_port + 3))
nginx_tls_port=$((base_port + 4))

for tool in wrk nginx openssl curl; do
    command -v "$tool" >/dev/null || { echo "missing tool: $tool" >&2; exit 1; }
done

work=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${pids[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$work"
}
trap cleanup EXIT

openssl req -x509 -newkey rsa:2048 -nodes -keyout "$work/key.pem" -out "$work/cert.pem" -days 1 \
    -subj /CN=localhost -addext subjectAltName=IP:127.0.0.1 2>/dev/null

swift build -c release --product eventhttp-bench >/dev/null
bench=$(swift build -c release --show-bin-path)/eventhttp-bench

mkdir -p "$work/nginx/logs"
cat >"$work/nginx/nginx.conf" <<CONF
worker_processes 2;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $work/nginx/body;
    proxy_temp_path $work/nginx/proxy;
    fastcgi_temp_path $work/nginx/fastcgi;
    uwsgi_temp_path $work/nginx/uwsgi;
    scgi_temp_path $work/nginx/scgi;
    server {
        listen 127.0.0.1:$nginx_plain_port;
        location / { default_type text/plain; return 200 "hello, world\n"; }
    }
    server {
        listen 127.0.0.1:$nginx_tls_port ssl;
        ssl_certificate $work/cert.pem;
        ssl_certificate_key $work/key.pem;
        ssl_protocols TLSv1.2 TLSv1.3;
        location / { default_type text/plain; return 200 "hello, world\n"; }
    }
}
CONF

"$bench" "$plain_port" 2>"$work/plain.log" &
pids+=($!)
"$bench" "$tls_port" "$work/cert.pem" "$work/key.pem" 2>"$work/tls.log" &
pids+=($!)
nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -g 'daemon off;' &
pids+=($!)

# Wait until all four servers respond, for at most 10 seconds.
for url in "http://127.0.0.1:$plain_port/" "https://127.0.0.1:$tls_port/" \
    "http://127.0.0.1:$nginx_plain_port/" "https://127.0.0.1:$nginx_tls_port/"; do
    for _ in $(seq 100); do
        curl -sk --max-time 1 -o /dev/null "$url" && break
        sleep 0.1
    done
    curl -sk --max-time 1 -o /dev/null "$url" || { echo "no response from $url" >&2; exit 1; }
done

run() {
    local name=$1 url=$2
    local output
    output=$(wrk -t2 -c64 -d"$duration" "$url")
    printf '%-22s %12s req/s   latency avg %s\n' "$name" \
        "$(awk '/Requests\/sec/ {print $2}' <<<"$output")" \
        "$(awk '/Latency/ {print $2; exit}' <<<"$output")"
    grep -E "Socket errors|Non-2xx" <<<"$output" || true
}

echo "wrk -t2 -c64 -d$duration on $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
run "eventhttp http" "http://127.0.0.1:$plain_port/"
run "nginx http" "http://127.0.0.1:$nginx_plain_port/"
run "eventhttp https" "https://127.0.0.1:$tls_port/"
run "nginx https" "https://127.0.0.1:$nginx_tls_port/"
