#!/bin/sh
# Runs jwt-benchmark and `openssl speed rsa2048` in one run on the same machine and prints
# the ratio of token issues per second to RSA-2048 signatures per second. A ratio near 1
# means issuing costs little beyond the signature itself.
#
# Usage: Benchmarks/jwt/run.sh [seconds per phase, default 3]
set -eu

seconds="${1:-3}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"

swift build -c release --product jwt-benchmark >/dev/null
binary="$(swift build -c release --show-bin-path)/jwt-benchmark"

echo "== jwt-benchmark --seconds $seconds"
results="$("$binary" --seconds "$seconds")"
echo "$results"

echo "== openssl speed -seconds $seconds rsa2048"
speed="$(openssl speed -seconds "$seconds" rsa2048 2>/dev/null)"
signs="$(echo "$speed" | awk '/^rsa 2048 bits/ { print $6 }')"
verifies="$(echo "$speed" | awk '/^rsa 2048 bits/ { print $7 }')"
echo "openssl_rsa2048_signs_per_second=$signs"
echo "openssl_rsa2048_verifies_per_second=$verifies"

logins="$(echo "$results" | awk -F= '$1 == "logins_per_second" { print $2 }')"
if [ -z "$signs" ] || [ -z "$logins" ]; then
    echo "error: could not read the signature rate or the login rate" >&2
    exit 1
fi
awk -v logins="$logins" -v signs="$signs" 'BEGIN { printf "logins_per_rsa2048_sign=%.3f\n", logins / signs }'
