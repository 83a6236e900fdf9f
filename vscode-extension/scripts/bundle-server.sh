#!/usr/bin/env bash
# Packages a platform-specific .vsix that carries the language server: the wit-ls wheel for that
# platform and the wheels of its dependencies for every supported Python, so that the extension
# can install the server into a private environment with no package index (src/discovery.ts).
# Usage: scripts/bundle-server.sh TARGET [WIT_LS_WHEEL]
#   TARGET        a vsce target: linux-x64, linux-arm64, darwin-x64, darwin-arm64, win32-x64
#   WIT_LS_WHEEL  the wit-ls wheel for that platform (default: built here from the checkout, which
#                 suits only this machine's platform; the release workflow passes its own)
# Output: wit-ls-TARGET.vsix in the extension folder.
set -euo pipefail
EXT=$(cd "$(dirname "$0")/.." && pwd)
cd "$EXT"
TARGET=${1:?usage: scripts/bundle-server.sh TARGET [WIT_LS_WHEEL]}
WHEEL=${2:-}
PYTHONS=(3.10 3.11 3.12 3.13 3.14)
case "$TARGET" in
  linux-x64) PLATFORMS=(manylinux_2_28_x86_64 manylinux_2_17_x86_64 manylinux2014_x86_64) ;;
  linux-arm64) PLATFORMS=(manylinux_2_28_aarch64 manylinux_2_17_aarch64 manylinux2014_aarch64) ;;
  darwin-x64) PLATFORMS=(macosx_11_0_x86_64 macosx_10_13_x86_64 macosx_10_9_x86_64) ;;
  darwin-arm64) PLATFORMS=(macosx_11_0_arm64) ;;
  win32-x64) PLATFORMS=(win_amd64) ;;
  *) echo "unknown target $TARGET" >&2; exit 2 ;;
esac

rm -rf server
mkdir -p server/wheels
trap 'rm -rf "$EXT/server"' EXIT
if [ -n "$WHEEL" ]; then
  cp "$WHEEL" server/wheels/
else
  python3 -m pip wheel --quiet --no-deps --wheel-dir server/wheels "$EXT/.."
fi
ls server/wheels/wit_ls-*.whl >/dev/null

# The server's dependencies as pyproject.toml declares them, without their environment markers
# (pip download judges markers by the Python running it, not by --python-version): a wheel that a
# Python does not need, such as tomli on 3.11+, is simply not installed there.
mapfile -t DEPS < <(python3 - "$EXT/../pyproject.toml" <<'PY'
import sys
try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib
with open(sys.argv[1], "rb") as f:
    deps = tomllib.load(f)["project"]["dependencies"]
print("\n".join(d.split(";")[0].strip() for d in deps))
PY
)
platform_args=()
for p in "${PLATFORMS[@]}"; do platform_args+=(--platform "$p"); done
for py in "${PYTHONS[@]}"; do
  if ! python3 -m pip download --quiet --disable-pip-version-check --only-binary=:all: \
        --dest server/wheels --implementation cp --python-version "$py" "${platform_args[@]}" \
        "${DEPS[@]}" 2>server/download.log; then
    echo "bundle-server: no wheels of the dependencies for Python $py on $TARGET; that Python is left out" >&2
    grep -v '^WARNING' server/download.log | tail -3 >&2 || true
  fi
done
rm -f server/download.log
echo "bundle-server: $(ls server/wheels | wc -l) wheels for $TARGET"
npx --no-install vsce package --no-dependencies --target "$TARGET" --out "wit-ls-$TARGET.vsix"
