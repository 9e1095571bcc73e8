#!/usr/bin/env bash
# Installs everything the tests need on a fresh Debian/Ubuntu machine: Chromium and LibreOffice Calc
# from the distribution (when missing), then the npm dependencies exactly as locked.
# Electron's binary is not needed for the tests (and cannot be downloaded on the build machines).
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || need+=(chromium)
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-calc-nogui)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "Installing ${need[*]} with apt-get"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

export ELECTRON_SKIP_BINARY_DOWNLOAD=1 PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
# --prefer-offline: the lock file pins every version and checksum, so packages already in npm's
# cache are used without asking the registry about each of the ~900 again (measured here under
# load: 67 s instead of 160 s); a cold cache still downloads everything.
npm ci --no-audit --no-fund --prefer-offline
