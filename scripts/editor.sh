#!/usr/bin/env bash
# npm run editor: the extension in a real VS Code in the browser, on the article's example host.
#   - installs what it needs on first run (npm packages, code-server and Node 24 in test/e2e/.host)
#   - builds the extension (dist/client.js, dist/server.js)
#   - copies the example host (test/e2e/fixtures/article-host) to test/e2e/.run/editor-host
#     once; later runs reopen that copy with your edits (--reset makes a fresh copy)
#   - starts code-server on 127.0.0.1 (a free port, or $PORT; no password, loopback only) with
#     the extension loaded from this checkout, prints the address, and runs until Ctrl-C
# Usage: npm run editor [-- --reset]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
say() { printf 'editor: %s\n' "$*"; }

HOST="$ROOT/test/e2e/.host"
# XEN_EDITOR_DIR: where the copy of the example and the editor's profile live (the test of this
# script uses a scratch folder, leaving a person's copy alone)
RUNS="${XEN_EDITOR_DIR:-$ROOT/test/e2e/.run}"
STATE="$RUNS/editor"
WS="$RUNS/editor-host"
NODE24="$HOST/node/node_modules/node/bin/node"
ENTRY="$HOST/code/node_modules/code-server/out/node/entry.js"

# what the editor needs (Debian packages for code-server's build, npm packages, code-server and
# its Node), each step with a line of progress; a second run only checks
bash scripts/setup.sh editor || { say "set-up failed (scripts/setup.sh editor)"; exit 1; }
say "building the extension"
ONLY_TESTS='^$' node scripts/build.mjs

if [ "${1:-}" = "--reset" ] || [ ! -d "$WS/etc" ]; then
  # a fresh copy, and a fresh profile: the editor opens as on the first day
  rm -rf "$WS" "$STATE"
  mkdir -p "$WS"
  cp -R test/e2e/fixtures/article-host/. "$WS/"
  say "copied the example host to ${WS#"$ROOT"/}"
else
  say "reopening ${WS#"$ROOT"/} (npm run editor -- --reset for a fresh copy)"
fi
# The example's workspace settings: the copy lies inside this checkout, and VS Code's Git would
# otherwise ask whether to open the checkout's repository.
mkdir -p "$WS/.vscode"
[ -f "$WS/.vscode/settings.json" ] || printf '{\n  "git.openRepositoryInParentFolders": "never"\n}\n' >"$WS/.vscode/settings.json"

# VS Code loads the extension straight from this checkout: the profile's list of installed
# extensions points at the repository instead of a copy.
VERSION=$(node -p 'require("./package.json").version')
PUBLISHER=$(node -p 'require("./package.json").publisher')
NAME=$(node -p 'require("./package.json").name')
mkdir -p "$STATE/extensions" "$STATE/user-data/User" "$STATE/home/tmp"
cat >"$STATE/extensions/extensions.json" <<EOF
[{"identifier":{"id":"$PUBLISHER.$NAME"},"version":"$VERSION","location":{"\$mid":1,"path":"$ROOT","scheme":"file"},"metadata":{"installedTimestamp":0,"source":"vsix"}}]
EOF
SETTINGS="$STATE/user-data/User/settings.json"
[ -f "$SETTINGS" ] || cat >"$SETTINGS" <<'EOF'
{
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  "chat.disableAIFeatures": true,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.ignoreRecommendations": true,
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "editor.wordBasedSuggestions": "off"
}
EOF

PORT="${PORT:-$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')}"
LOG="$STATE/code-server.log"
# code-server in a process group of its own, so that stopping it stops its extension hosts too
HOME="$STATE/home" TMPDIR="$STATE/home/tmp" XDG_CONFIG_HOME="$STATE/home/.config" XDG_CACHE_HOME="$STATE/home/.cache" \
XDG_DATA_HOME="$STATE/home/.local/share" PATH="$(dirname "$NODE24"):$PATH" EXTENSIONS_GALLERY='{"serviceUrl":""}' \
  setsid "$NODE24" "$ENTRY" --config /dev/null --bind-addr "127.0.0.1:$PORT" --auth none \
  --disable-telemetry --disable-update-check --disable-workspace-trust --disable-getting-started-override \
  --user-data-dir "$STATE/user-data" --extensions-dir "$STATE/extensions" >"$LOG" 2>&1 &
PGID=$!
stop() {
  trap - INT TERM HUP EXIT
  if kill -0 -- "-$PGID" 2>/dev/null; then
    say "stopping code-server"
    kill -TERM -- "-$PGID" 2>/dev/null || true
    for _ in $(seq 30); do kill -0 -- "-$PGID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$PGID" 2>/dev/null || true
  fi
}
trap 'stop; exit 130' INT TERM HUP
trap stop EXIT

for _ in $(seq 300); do
  kill -0 "$PGID" 2>/dev/null || { say "code-server stopped; its log ($LOG):"; tail -20 "$LOG"; exit 1; }
  [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/healthz" || true)" = 200 ] && break
  sleep 0.1
done
[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/healthz" || true)" = 200 ] \
  || { say "code-server did not answer on 127.0.0.1:$PORT within 30 s; its log ($LOG):"; tail -20 "$LOG"; exit 1; }

# the story's first file open: the guest's domain file with its vif line (the workbench's
# openFile payload; the Xen Network view opens itself the first time it finds the host)
FIRST_FILE="$WS/etc/xen/vm1.cfg"
PAYLOAD=$(node -e 'console.log(encodeURIComponent(JSON.stringify([["openFile", process.argv[1]]])))' "vscode-remote://127.0.0.1:$PORT$FIRST_FILE")
URL="http://127.0.0.1:$PORT/?folder=$WS&payload=$PAYLOAD"
echo
say "VS Code with the extension is running. Open this address in a browser on this machine:"
echo
echo "    $URL"
echo
say "the example host is in ${WS#"$ROOT"/} (etc/network/interfaces, etc/xen/xend-config.sxp, etc/xen/vm1.cfg, etc/modules)"
say "Ctrl-C stops it (log: ${LOG#"$ROOT"/})"
wait "$PGID" || true
say "code-server exited; its log: ${LOG#"$ROOT"/}"
