#!/usr/bin/env bash
# npm test: every test of the project, the real-editor ones included.
#   0. set-up: installs what the tests need on first run (scripts/setup.sh)
#   1. build (esbuild)
#   2. three checks, each counted as one test: type-check (npm run typecheck: tsc -b, each part
#      under its own tsconfig.json), lint (npm run lint: ESLint), format (npm run format:check:
#      Prettier; `npm run format` fixes what it finds)
#   3. unit, corpus, oracle, property and LSP tests (node's test runner)
#   4. end-to-end tests inside a real VS Code (code-server + Chromium; installed on first run)
# Ends with one line "tests: N passed, N failed" over all of them; exits non-zero if any failed.
set -uo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT
passed=0; failed=0; skipped=0; status=0

step() { printf '\n=== %s\n' "$*"; }

# Everything the tests need, installed on first run (Debian packages, npm packages, the oracles,
# the real editor); a second run only checks. Without root it says what to install and stops.
step "set-up (scripts/setup.sh)"
bash scripts/setup.sh all || { echo "set-up failed: nothing was tested"; echo; echo "tests: 0 passed, 1 failed"; exit 1; }

step build
node scripts/build.mjs || { echo "build failed"; exit 1; }

# A check of the whole tree, counted as one test; a failed one does not stop the tests after it.
check() {
  local name=$1; shift
  step "$name ($*)"
  if "$@"; then
    passed=$((passed + 1)); echo "ok: $name"
  else
    failed=$((failed + 1)); status=1; echo "FAILED: $name"
  fi
}
check type-check npm run --silent typecheck
check lint npm run --silent lint
check format npm run --silent format:check

count_node_runner() { # reads node --test spec output totals
  local p f
  p=$(grep -E '^ℹ pass [0-9]+' "$1" | tail -1 | awk '{print $3}')
  f=$(grep -E '^ℹ fail [0-9]+' "$1" | tail -1 | awk '{print $3}')
  s=$(grep -E '^ℹ skipped [0-9]+' "$1" | tail -1 | awk '{print $3}')
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${s:-0}))
}

step "unit, corpus, oracle, property, LSP, apply (real sshd in a network namespace) and network (namespaces, ifup, vif-route, ping) tests"
node scripts/run-node-tests.mjs out/test/unit out/test/lsp out/test/cli out/test/setup out/test/apply out/test/network 2>&1 | tee "$log/unit.txt"
rc=${PIPESTATUS[0]}; count_node_runner "$log/unit.txt"
[ "$rc" -eq 0 ] || status=1

if [ "${SKIP_E2E:-}" = 1 ]; then
  step "end-to-end tests in a real VS Code: not run (SKIP_E2E=1 was set)"
else
  step "end-to-end tests in a real VS Code"
  bash scripts/e2e.sh 2>&1 | tee "$log/e2e.txt"
  rc=${PIPESTATUS[0]}
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log/e2e.txt" | tail -1)
  if [ -n "$line" ]; then
    passed=$((passed + $(echo "$line" | awk '{print $1}'))); failed=$((failed + $(echo "$line" | awk '{print $3}')))
    s=$(echo "$line" | sed -n 's/.*, \([0-9][0-9]*\) skipped.*/\1/p'); skipped=$((skipped + ${s:-0}))
  elif [ "$rc" -ne 0 ]; then
    failed=$((failed + 1)); echo "the end-to-end run failed before reporting any test"
  fi
  [ "$rc" -eq 0 ] || status=1
fi

echo
# Skipped tests are counted: a test is skipped only when a SKIP_* variable asked for it, and
# each says which (see README.md, "Leaving tests out").
if [ "$skipped" -gt 0 ]; then echo "tests: $passed passed, $failed failed, $skipped skipped"; else echo "tests: $passed passed, $failed failed"; fi
[ "$failed" -eq 0 ] || status=1
exit $status
