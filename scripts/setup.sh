#!/usr/bin/env bash
# Everything the tests (and `npm run editor`) need on a fresh Debian machine, installed once:
#   1. Debian packages: the real parsers used as oracles, the ssh test host, the network proof,
#      shellcheck, Chromium and what code-server's native build needs
#   2. the project's npm packages (npm ci), when node_modules is missing or older than the lock
#   3. the oracles' small libxlutil checker (../shared/oracles/setup.sh)
#   4. the real editor: code-server and the Node it runs on (scripts/setup-vscode-host.sh)
# Idempotent: a second run checks and prints one line per step. One line of progress per step,
# with its time. Without root it installs nothing: it prints the one command that installs what
# is missing, and fails.
# Usage: bash scripts/setup.sh [all|editor]     (editor: only what `npm run editor` needs)
# Honours SKIP_E2E=1 (no editor, no Chromium), as `npm test` does.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
WHAT="${1:-all}"
say() { printf 'setup: %s\n' "$*"; }
now() { date +%s; }
fail() { say "$*"; exit 1; }

# --- 0. Node ---------------------------------------------------------------------------------
command -v node >/dev/null || fail "Node.js is not installed: install Node.js 20.18.1 or later, with npm"
need_node=$(node -p 'require("./package.json").engines.node')   # ">=X.Y.Z"
node -e '
  const want = process.argv[1].replace(">=", "").split(".").map(Number);
  const have = process.versions.node.split(".").map(Number);
  const cmp = have[0] - want[0] || have[1] - want[1] || have[2] - want[2];
  process.exit(cmp >= 0 ? 0 : 1);' "$need_node" || fail "Node.js $(node --version) is too old: the tools need Node.js $need_node (package.json engines.node)"

# --- 1. Debian packages ------------------------------------------------------------------------
# package: why (what needs it)
editor_pkgs=(
  "pkg-config:code-server's native addon build"
  "libkrb5-dev:code-server's native addon build (kerberos)"
  "curl:waiting for code-server to answer"
  "ca-certificates:npm over https"
)
test_pkgs=(
  "ifupdown:oracle (ifquery) and the ssh test host's ifup"
  "augeas-tools:oracle (augtool)"
  "augeas-lenses:oracle (Augeas' lenses)"
  "libxen-dev:oracle (libxlutil)"
  "gcc:building the libxlutil oracle"
  "openssh-server:the ssh test host (sshd)"
  "openssh-client:the apply path (ssh)"
  "netcat-openbsd:reaching the ssh test host in its namespace"
  "iproute2:network namespaces"
  "sudo:the apply path's sudo test"
  "openssl:the ssh test host's keys"
  "shellcheck:linting the apply script"
  "iputils-ping:the network proof"
  "xen-utils-common:the network proof (Debian's vif-route)"
  "net-tools:the network proof (ifconfig, called by vif-route)"
  "util-linux:namespaces (unshare)"
  "unzip:reading the packaged .vsix"
  "time:the bench's whole-process memory"
)
e2e_pkgs=("chromium:driving VS Code's workbench in the end-to-end tests")

wanted=("${editor_pkgs[@]}")
if [ "$WHAT" = all ]; then
  wanted+=("${test_pkgs[@]}")
  [ "${SKIP_E2E:-}" = 1 ] || wanted+=("${e2e_pkgs[@]}")
fi
missing=()
for entry in "${wanted[@]}"; do
  pkg="${entry%%:*}"
  [ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null)" = "install ok installed" ] || missing+=("$pkg")
done
if [ "${#missing[@]}" -eq 0 ]; then
  say "Debian packages: all ${#wanted[@]} present"
else
  for entry in "${wanted[@]}"; do
    for m in "${missing[@]}"; do [ "${entry%%:*}" = "$m" ] && say "  missing $m: ${entry#*:}"; done
  done
  if [ "$(id -u)" -ne 0 ]; then
    say "not root: cannot install ${#missing[@]} Debian packages. Install them with this one command, then run this again:"
    echo
    echo "    sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}"
    echo
    exit 1
  fi
  command -v apt-get >/dev/null || fail "no apt-get here: install ${missing[*]} with this system's package manager"
  t=$(now)
  export DEBIAN_FRONTEND=noninteractive
  # Wait for another apt or dpkg (unattended upgrades, a second terminal) instead of failing.
  APT_WAIT=(-o DPkg::Lock::Timeout=600 -o Acquire::Retries=3)
  say "Debian packages: updating the package lists"
  apt-get "${APT_WAIT[@]}" update -qq || fail "apt-get update failed"
  need=$(apt-get "${APT_WAIT[@]}" install -s --no-install-recommends "${missing[@]}" 2>/dev/null | grep -c '^Inst ')
  say "Debian packages: installing ${#missing[@]} asked for (${need} with their dependencies), after $(( $(now) - t )) s"
  # apt's own lines, one per download and one per package set up, keep the wait visible
  apt-get "${APT_WAIT[@]}" install -y --no-install-recommends "${missing[@]}" 2>&1 \
    | while IFS= read -r line; do
        case "$line" in
          "Need to get"*|"After this operation"*|"Fetched "*) say "  $line" ;;
          "Setting up "*) printf '.' ;;
          "E: "*) echo; say "  $line" ;;
        esac
      done
  rc=${PIPESTATUS[0]}
  echo
  [ "$rc" -eq 0 ] || fail "apt-get install failed (exit $rc)"
  say "Debian packages: ${#missing[@]} installed in $(( $(now) - t )) s"
fi

# --- 2. npm packages ---------------------------------------------------------------------------
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  t=$(now)
  say "npm packages: npm ci"
  npm ci --no-audit --no-fund --loglevel=error || fail "npm ci failed"
  say "npm packages: installed in $(( $(now) - t )) s ($(du -sh node_modules | cut -f1))"
else
  say "npm packages: up to date"
fi

[ "$WHAT" = editor ] && exec bash scripts/setup-vscode-host.sh

# --- 3. the oracles ------------------------------------------------------------------------------
SHARED="${XEN_SHARED_DIR:-$ROOT/../shared}"
if [ -f "$SHARED/oracles/setup.sh" ]; then
  t=$(now)
  out=$(sh "$SHARED/oracles/setup.sh" 2>&1) || { echo "$out"; fail "the oracles' set-up failed ($SHARED/oracles/setup.sh)"; }
  say "oracles: ${out##*$'\n'} ($(( $(now) - t )) s)"
else
  say "oracles: no shared test data at $SHARED (the corpus, real-world and oracle tests will fail and say so; set XEN_SHARED_DIR)"
fi

# --- 4. the real editor ----------------------------------------------------------------------------
if [ "${SKIP_E2E:-}" = 1 ]; then
  say "editor: not installed (SKIP_E2E=1)"
else
  bash scripts/setup-vscode-host.sh || fail "could not install code-server (scripts/setup-vscode-host.sh)"
fi
