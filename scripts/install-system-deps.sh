#!/usr/bin/env bash
# Installs what this project needs beyond Node.js and npm on a fresh Debian machine (run as root in CI).
# Idempotent: does nothing when everything is present.
set -euo pipefail

need_node_major=20
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt "$need_node_major" ]; then
  echo "install-system-deps: Node.js >= $need_node_major is required, found $(node --version 2>/dev/null || echo none)" >&2
  exit 1
fi
echo "install-system-deps: node $(node --version), npm $(npm --version 2>/dev/null)"
