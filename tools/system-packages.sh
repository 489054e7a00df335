#!/usr/bin/env bash
# The Debian/Ubuntu packages the tests need beyond Python: Qt's offscreen libraries, and poppler's
# pdftoppm (tests look at every PDF as pictures). Installs what is missing when it can (root),
# otherwise names the one command to run. Elsewhere (macOS, Windows) there is nothing to do.
set -euo pipefail
packages=(libglib2.0-0 libgl1 libxkbcommon0 libegl1 libfontconfig1 libdbus-1-3 poppler-utils "$@")
command -v dpkg >/dev/null 2>&1 || exit 0
need=()
for pkg in "${packages[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq "${need[@]}" >/dev/null
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
else
  echo "The tests need these system packages: sudo apt-get install -y ${need[*]}" >&2
  exit 1
fi
