#!/usr/bin/env bash
# Installs what is missing, checks the formatting and runs every test.
#
# Usage: scripts/test.sh [extra arguments for `swift test`]
# Ends with one line `N passed, N failed` counted from Swift Testing's report.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-dependencies.sh

echo "== swift format lint" >&2
swift format lint --strict --recursive Package.swift Sources Tests Plugins Samples

echo "== swift build" >&2
swift build --build-tests

echo "== swift test" >&2
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
set +e
swift test --skip-build "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
set +o pipefail

# Swift Testing reports the total once ("Test run with N tests ...") and each failed test on a
# line of its own ("✘ Test name() failed ..."); parameterised tests count once.
total="$(grep -Eo 'Test run with [0-9]+ tests?' "$log" | tail -1 | grep -Eo '[0-9]+' || true)"
failed="$(grep -E '^✘ Test ' "$log" | grep -Ev '^✘ Test run with' | grep -E ' failed after ' | sed -E 's/ failed after .*//' | sort -u | wc -l)"
if [[ -n "$total" ]]; then
    echo "$((total - failed)) passed, $failed failed"
fi
exit "$status"
