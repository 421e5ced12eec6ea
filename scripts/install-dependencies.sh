#!/usr/bin/env bash
# Installs the Debian packages the build and the tests need, skipping those already present.
#
# Usage: scripts/install-dependencies.sh [--benchmarks]
#   --benchmarks  also install the load generator and the peer servers used by Benchmarks/.
#
# Services that apt would start (redis-server, slapd, nginx) are kept from starting: the tests
# run their own instances on loopback ports they choose.
set -euo pipefail

packages=(
    pkg-config
    libxml2-dev
    libssl-dev
    openssl
    libevent-dev
    libhttp-parser-dev
    libcrypt-dev
    curl
    ca-certificates
)
if ! command -v java >/dev/null 2>&1 || ! command -v keytool >/dev/null 2>&1; then
    packages+=(default-jdk-headless)
fi
if [[ "${1:-}" == "--benchmarks" ]]; then
    packages+=(wrk nginx-light apache2-utils)
fi

missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
    exit 0
fi

echo "Installing: ${missing[*]}" >&2
sudo_prefix=()
if [[ $(id -u) -ne 0 ]]; then
    sudo_prefix=(sudo)
fi

# Keep apt from starting daemons while the packages install.
policy=/usr/sbin/policy-rc.d
created_policy=false
if [[ ! -e "$policy" ]]; then
    printf '#!/bin/sh\nexit 101\n' | "${sudo_prefix[@]}" tee "$policy" >/dev/null
    "${sudo_prefix[@]}" chmod +x "$policy"
    created_policy=true
fi

"${sudo_prefix[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_prefix[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

if [[ "$created_policy" == true ]]; then
    "${sudo_prefix[@]}" rm -f "$policy"
fi
