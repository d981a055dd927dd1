#!/usr/bin/env bash
# Installs what building and testing needs beyond the .NET SDK, from Debian's packages, only when it is absent:
#   Node.js + npm  — the silo's build runs `npm ci` for the operator console's chart library (Chart.js, pinned);
#   chromium       — with --browser: the console's browser tests drive Debian's Chromium (no browser download).
set -euo pipefail

packages=()
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)
if [ "${1:-}" = "--browser" ] && [ ! -x /usr/bin/chromium ]; then
  packages+=(chromium)
fi

if [ ${#packages[@]} -eq 0 ]; then
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi
echo "Installing ${packages[*]} (Debian packages)…"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${packages[@]}"
