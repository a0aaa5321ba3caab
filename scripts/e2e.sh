#!/usr/bin/env bash
# End-to-end tests in a real VS Code (code-server's VS Code 1.139 with its workbench in Chromium),
# driven by @vscode/test-electron; see test/e2e/ and ../shared/recipes/real-vscode-e2e.md.
#   1. installs code-server and Node 24 into test/e2e/.host on first run (idempotent)
#   2. builds the extension and the tests
#   3. copies the fixture host (test/e2e/fixtures/article-host) to test/e2e/.run/workspace
#   4. runs out/test/e2e/runner.js twice: the whole suite, then the Restricted Mode suite (Workspace
#      Trust on, the folder untrusted) on a fresh copy; then the on-host run (out/test/e2e/on-host.js:
#      VS Code inside a dom0 test host's namespaces on its /etc/xen); screenshots land in test/e2e/.run/shots/
# Prints one line per test and ends with "N passed, N failed"; exits non-zero if a test failed or
# VS Code did not start. Everything it starts is stopped at the end, also on Ctrl-C.
# Environment: UPDATE_SCREENSHOT=1 copies the README screenshot to docs/images/editor.png (it
#   is also copied when that file is missing); XEN_E2E_TIMEOUT (ms, default 240000; 360000 for
#   the trusted run) limits each run; XEN_E2E_VERBOSE=1 keeps the workbench log in test/e2e/.run/workbench.log.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
RUN="$ROOT/test/e2e/.run"
README_SHOT=interfaces-mistake-hover
start=$(date +%s%N)
ms() { echo $(( ($(date +%s%N) - start) / 1000000 )); }
say() { printf 'e2e: %s\n' "$*"; }
fail_early() { say "$*"; echo "0 passed, 1 failed"; exit 1; }

# A run killed with SIGKILL can leave its code-server behind: stop it before starting another.
kill_recorded_code_server() {
  local f pgid
  for f in "$RUN/code-server.pgid" "$RUN/restricted/code-server.pgid" "$RUN/onhost/code-server.pgid"; do
    [ -f "$f" ] || continue
    pgid=$(cat "$f")
    # only if that process group still holds our code-server (the number may have been reused)
    if [ -n "$pgid" ] && pgrep -g "$pgid" -f "test/e2e/.host/" >/dev/null 2>&1; then
      kill -TERM -- "-$pgid" 2>/dev/null
      for _ in $(seq 30); do kill -0 -- "-$pgid" 2>/dev/null || break; sleep 0.1; done
      kill -KILL -- "-$pgid" 2>/dev/null
    fi
    rm -f "$f"
  done
}
kill_recorded_code_server

bash scripts/setup-vscode-host.sh || fail_early "could not install code-server (scripts/setup-vscode-host.sh failed)"
ONLY_TESTS='^test/e2e/' node scripts/build.mjs || fail_early "the build failed"
[ -f out/test/e2e/runner.js ] && [ -f out/test/e2e/suite/index.js ] && [ -f dist/client.js ] \
  || fail_early "the build did not produce out/test/e2e/runner.js, out/test/e2e/suite/index.js and dist/client.js"
say "installed and built in $(ms) ms"

rm -rf "$RUN/workspace" "$RUN/shots" "$RUN/logs" "$RUN/user-data" "$RUN/extensions" "$RUN/home" "$RUN/tmp"
mkdir -p "$RUN/workspace" "$RUN/shots" "$RUN/tmp"
cp -R test/e2e/fixtures/article-host/. "$RUN/workspace/"
export TMPDIR="$RUN/tmp" XEN_E2E_RUN="$RUN" XEN_E2E_SHOTS="$RUN/shots"

# The runner gets a process group of its own (setsid): stopping that group stops test-electron
# and the VS Code stand-in, which in turn stops code-server's group and Chromium.
runner_pid=
stop_all() {
  if [ -n "$runner_pid" ] && kill -0 -- "-$runner_pid" 2>/dev/null; then
    kill -TERM -- "-$runner_pid" 2>/dev/null
    for _ in $(seq 50); do kill -0 -- "-$runner_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$runner_pid" 2>/dev/null
  fi
  kill_recorded_code_server
}
on_signal() {
  say "interrupted: stopping VS Code"
  stop_all
  echo "0 passed, 1 failed"
  exit 130
}
trap on_signal INT TERM HUP
trap stop_all EXIT

# Lines pass through, except the suite's closing count (kept for the end) and test-electron's
# "Exit code" line.
filter() {
  local line
  while IFS= read -r line; do
    case "$line" in
      "Exit code: "*) ;;
      *) if [[ "$line" =~ ^[0-9]+\ passed,\ [0-9]+\ failed ]]; then echo "$line" >>"$summary"; else printf '%s\n' "$line"; fi ;;
    esac
  done
}

# One run of VS Code on a workspace: sets passed/failed/rc for that run.
# $1: what (for the log), $2: the workspace folder; the environment picks the suite and trust.
total_passed=0; total_failed=0; rc_all=0
run_suite() {
  summary="$RUN/summary-$1.txt"
  rm -f "$summary"
  say "run: $1"
  setsid node out/test/e2e/runner.js "$2" > >(filter) 2>&1 &
  runner_pid=$!
  wait "$runner_pid"
  local rc=$?
  runner_pid=
  wait 2>/dev/null # the output filter
  local line
  line=$(tail -1 "$summary" 2>/dev/null)
  if [ -z "$line" ]; then
    line="0 passed, 1 failed"
    say "the $1 run ended (exit code $rc) without a count of its tests"
    [ "$rc" -ne 0 ] || rc=1
  fi
  say "$1: $line"
  total_passed=$((total_passed + $(echo "$line" | awk '{print $1}')))
  total_failed=$((total_failed + $(echo "$line" | awk '{print $3}')))
  [ "$rc" -eq 0 ] || rc_all=$rc
}

# 1. the whole suite, Workspace Trust off (as a trusted folder); its own time limit (the stand-in's
#    default, 240 s, is for the short runs): about 200 s under load with the import test. The
#    language server counts its work (XEN_LS_TEST_COUNTERS=1) in this run alone, and the client
#    then offers the counters to the tests (large.e2e.ts: what had run when a publish was written).
XEN_LS_TEST_COUNTERS=1 XEN_E2E_TIMEOUT="${XEN_E2E_TIMEOUT:-360000}" run_suite trusted "$RUN/workspace"

# 2. Restricted Mode: trust on, the folder untrusted, a fresh copy of the host and a fresh profile
rm -rf "$RUN/restricted"
mkdir -p "$RUN/restricted/workspace"
cp -R test/e2e/fixtures/article-host/. "$RUN/restricted/workspace/"
XEN_E2E_RUN="$RUN/restricted" XEN_E2E_TRUST=restricted XEN_E2E_SUITE=restricted \
  run_suite restricted "$RUN/restricted/workspace"

# A check that looks at the editor from outside (a script of test/e2e/ printing one count line).
run_check() {
  say "run: $1"
  node "out/test/e2e/$1.js" 2>&1 | tee "$RUN/summary-$1.txt"
  local rc=${PIPESTATUS[0]} c
  c=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$RUN/summary-$1.txt" | tail -1)
  [ -n "$c" ] || c="0 passed, 1 failed"
  total_passed=$((total_passed + $(echo "$c" | awk '{print $1}')))
  total_failed=$((total_failed + $(echo "$c" | awk '{print $3}')))
  [ "$rc" -eq 0 ] || rc_all=$rc
}
# 3. on the host itself: VS Code inside a dom0 test host's namespaces (its own network namespace,
#    its /etc overlaid in a private mount namespace), /etc/xen as the workspace, as Remote-SSH gives
#    (test/e2e/on-host.ts: the suite suite/onhost.ts, and from outside this machine's /etc untouched)
rm -rf "$RUN/onhost"
run_check on-host
# 4. what a person sees after `npm run editor` (the script run as the README says, in Chromium)
run_check first-view
# 5. the packaged extension's page in a fresh VS Code (last: npm run package rebuilds dist/ minified)
run_check package-view

line="$total_passed passed, $total_failed failed"
rc=$rc_all

if [ -f "$RUN/shots/$README_SHOT.png" ]; then
  if [ "${UPDATE_SCREENSHOT:-}" = 1 ] || [ ! -f docs/images/editor.png ]; then
    mkdir -p docs/images
    cp "$RUN/shots/$README_SHOT.png" docs/images/editor.png
    say "copied the screenshot $README_SHOT.png to docs/images/editor.png"
  fi
  say "screenshots: $(cd "$RUN/shots" && ls *.png | tr '\n' ' ')(in test/e2e/.run/shots/)"
fi
say "finished in $(ms) ms"
echo "$line"
exit "$rc"
