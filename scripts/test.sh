#!/usr/bin/env bash
# Installs what is missing, checks the formatting and runs every test.
#
# Usage: scripts/test.sh [extra arguments for `swift test`]
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-dependencies.sh

echo "== swift format lint" >&2
swift format lint --strict --recursive Package.swift Sources Tests Plugins Samples

echo "== swift build" >&2
swift build --build-tests

echo "== swift test" >&2
swift test --skip-build "$@"
