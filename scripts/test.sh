#!/usr/bin/env bash
# Runs the whole test suite: sets up first (idempotent), then every test.
# Kernel tests need root; with NETLADDER_REQUIRE_BPF=1 they fail instead of
# skipping when they cannot run.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npx --no-install tsc -p tsconfig.test.json

report=$(mktemp)
trap 'rm -f "$report"' EXIT
status=0
npx --no-install vitest run --reporter=default --reporter=json --outputFile.json="$report" "$@" || status=$?
# One plain closing line that any CI can read.
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
' "$report" || true
exit "$status"
