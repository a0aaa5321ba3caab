#!/usr/bin/env bash
# End-to-end tests in a real VS Code (code-server's VS Code 1.139 with its workbench in Chromium),
# driven by @vscode/test-electron; see test/e2e/ and ../shared/recipes/real-vscode-e2e.md.
#   1. installs code-server and Node 24 into test/e2e/.host on first run (idempotent)
#   2. builds the extension and the tests
#   3. copies the fixture host (test/e2e/fixtures/article-host) to test/e2e/.run/workspace
#   4. runs out/test/e2e/runner.js; screenshots land in test/e2e/.run/shots/
# Prints one line per test and ends with "N passed, N failed"; exits non-zero if a test failed or
# VS Code did not start. Everything it starts is stopped at the end, also on Ctrl-C.
# Environment: UPDATE_SCREENSHOT=1 copies the README screenshot to docs/images/editor.png (it
#   is also copied when that file is missing); XEN_E2E_TIMEOUT (ms, default 240000) limits the
#   run; XEN_E2E_VERBOSE=1 keeps the workbench log in test/e2e/.run/workbench.log.
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
  local f="$RUN/code-server.pgid" pgid
  [ -f "$f" ] || return 0
  pgid=$(cat "$f")
  # only if that process group still holds our code-server (the number may have been reused)
  if [ -n "$pgid" ] && pgrep -g "$pgid" -f "test/e2e/.host/" >/dev/null 2>&1; then
    kill -TERM -- "-$pgid" 2>/dev/null
    for _ in $(seq 30); do kill -0 -- "-$pgid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$pgid" 2>/dev/null
  fi
  rm -f "$f"
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
summary="$RUN/summary.txt"
rm -f "$summary"
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
setsid node out/test/e2e/runner.js "$RUN/workspace" > >(filter) 2>&1 &
runner_pid=$!
wait "$runner_pid"
rc=$?
runner_pid=
wait 2>/dev/null # the output filter

line=$(tail -1 "$summary" 2>/dev/null)
if [ -z "$line" ]; then
  line="0 passed, 1 failed"
  say "the run ended (exit code $rc) without a count of its tests"
  [ "$rc" -ne 0 ] || rc=1
fi

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
