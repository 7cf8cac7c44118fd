#!/usr/bin/env bash
# Installs what this project needs beyond Node.js and npm on a fresh Debian machine: Debian's Chromium
# for the browser tests (never a browser downloaded by a test tool). Idempotent; run as root in CI.
set -euo pipefail

need_node_major=20
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt "$need_node_major" ]; then
  echo "install-system-deps: Node.js >= $need_node_major is required, found $(node --version 2>/dev/null || echo none)" >&2
  exit 1
fi

chromium_path="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$chromium_path" ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "install-system-deps: $chromium_path is missing; as root run: apt-get update && apt-get install -y chromium" >&2
    exit 1
  fi
  echo "install-system-deps: installing Debian's chromium"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium >/dev/null
fi

echo "install-system-deps: node $(node --version), npm $(npm --version 2>/dev/null), $("$chromium_path" --version 2>/dev/null | head -1)"
