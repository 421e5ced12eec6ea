#!/usr/bin/env bash
# Installs what is missing, builds the reference server and runs it.
#
# Usage: scripts/run.sh [management-server options]
# Without options the server runs its embedded default: the JWT handler, user admin/admin,
# the management API on https://127.0.0.1:9164/management and metrics on
# http://127.0.0.1:9201/metric-service/metrics. `scripts/run.sh --help` lists the options.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-dependencies.sh
swift build -c release --product management-server >&2
exec "$(swift build -c release --show-bin-path)/management-server" "$@"
