#!/usr/bin/env bash
# Installs what this project needs beyond Node.js and npm on a fresh Debian machine: Debian's Chromium
# for the browser tests (never a browser downloaded by a test tool), PostgreSQL 15 and nginx for the
# replicated mode and its tests, and python3, make and g++, with which `npm ci` compiles better-sqlite3 (a
# benchmark contender) when its prebuilt binary cannot be downloaded. Idempotent; run as root in CI.
set -euo pipefail

need_node_major=20
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt "$need_node_major" ]; then
  echo "install-system-deps: Node.js >= $need_node_major is required, found $(node --version 2>/dev/null || echo none)" >&2
  exit 1
fi

chromium_path="${CHROMIUM_PATH:-/usr/bin/chromium}"
postgres_bin_dir="${POSTGRES_BIN_DIR:-/usr/lib/postgresql/15/bin}"
nginx_bin="${NGINX_BIN:-/usr/sbin/nginx}"

missing=()
[ -x "$chromium_path" ] || missing+=(chromium)
[ -x "$postgres_bin_dir/postgres" ] || missing+=(postgresql-15)
[ -x "$nginx_bin" ] || missing+=(nginx)
command -v python3 >/dev/null || missing+=(python3)
command -v make >/dev/null || missing+=(make)
command -v g++ >/dev/null || missing+=(g++)

if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "install-system-deps: missing ${missing[*]}; as root run: apt-get update && apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  echo "install-system-deps: installing Debian's ${missing[*]}"
  # The packages would start their default services (nginx on port 80, a PostgreSQL cluster on 5432); the
  # tests start their own, and on a machine without systemd a failed start fails the install. A
  # policy-rc.d that says 101 (denied) keeps them stopped; one already there (as in containers) is kept.
  policy=/usr/sbin/policy-rc.d
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy"
    chmod 755 "$policy"
    trap 'rm -f "$policy"' EXIT
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# PostgreSQL refuses to run as root, so the tests run it as this user when they are root; Debian's
# postgresql-common creates it, but binaries from elsewhere (POSTGRES_BIN_DIR) may come without it.
if ! id -u postgres >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "install-system-deps: the postgres user is missing; as root run: useradd --system --user-group postgres" >&2
    exit 1
  fi
  useradd --system --user-group --home-dir /var/lib/postgresql --no-create-home --shell /usr/sbin/nologin postgres
fi

echo "install-system-deps: node $(node --version), npm $(npm --version 2>/dev/null), $("$chromium_path" --version 2>/dev/null | head -1)," \
  "$("$postgres_bin_dir/postgres" --version 2>/dev/null), $("$nginx_bin" -v 2>&1 | sed 's/^nginx version: //')"
