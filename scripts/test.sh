#!/usr/bin/env bash
# npm test: every test of the project, the real-editor ones included.
#   1. build (esbuild) and type-check (tsc, strict)
#   2. unit, corpus, oracle, property and LSP tests (node's test runner)
#   3. end-to-end tests inside a real VS Code (code-server + Chromium; installed on first run)
# Ends with one line "tests: N passed, N failed" over all of them; exits non-zero if any failed.
set -uo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT
passed=0; failed=0; status=0

step() { printf '\n=== %s\n' "$*"; }

# First run on a fresh machine: the npm packages, and the real parsers the agreement tests use
# (the shared oracles' setup is idempotent and quick once done; it installs Debian packages as root).
if [ ! -d node_modules ]; then
  step "installing the npm packages (npm ci)"
  npm ci --no-audit --no-fund || { echo "npm ci failed"; exit 1; }
fi
if [ -f ../shared/oracles/setup.sh ]; then
  step "the real parsers (../shared/oracles/setup.sh)"
  if [ "$(id -u)" -eq 0 ]; then
    bash ../shared/oracles/setup.sh >"$log/oracles.txt" 2>&1 || { cat "$log/oracles.txt"; echo "oracle set-up failed: the agreement tests will say they skipped"; }
  else
    echo "not root: not installing the oracles; run 'sudo bash ../shared/oracles/setup.sh' once (the agreement tests say when they skip)"
  fi
fi

step build
node scripts/build.mjs || { echo "build failed"; exit 1; }
step typecheck
npx --no-install tsc -p . --noEmit || { echo "type-check failed"; exit 1; }

count_node_runner() { # reads node --test spec output totals
  local p f
  p=$(grep -E '^ℹ pass [0-9]+' "$1" | tail -1 | awk '{print $3}')
  f=$(grep -E '^ℹ fail [0-9]+' "$1" | tail -1 | awk '{print $3}')
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
}

step "unit, corpus, oracle, property, LSP, apply (real sshd in a network namespace) and network (namespaces, ifup, vif-route, ping) tests"
node scripts/run-node-tests.mjs out/test/unit out/test/lsp out/test/cli out/test/apply out/test/network 2>&1 | tee "$log/unit.txt"
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
  elif [ "$rc" -ne 0 ]; then
    failed=$((failed + 1)); echo "the end-to-end run failed before reporting any test"
  fi
  [ "$rc" -eq 0 ] || status=1
fi

echo
echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ] || status=1
exit $status
