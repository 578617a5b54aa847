#!/usr/bin/env bash
# Make a Docker engine answer on this kind of machine (Debian 12, root, no
# systemd): install docker.io 26.1, Compose v2 and buildx from Debian 13's
# packages pinned low (nothing else on the machine moves), plus mmdebstrap
# for the offline base image, then start dockerd in its own session and wait
# for `docker info`. Idempotent: does nothing that is already done.
# Recipe and reasons: TOOLCHAIN.md "Docker on these machines".
#
#   infra/compose/install-engine.sh          install if missing, start if not answering
#   DOCKERD_LOG=/path/dockerd.log infra/compose/install-engine.sh
set -euo pipefail

log="${DOCKERD_LOG:-/var/log/zonemesh-dockerd.log}"
say() { echo "install-engine: $*"; }

compose_v2() { docker compose version --short 2>/dev/null | grep -Eq '^v?2\.'; }
engine_answers() { timeout 10 docker info >/dev/null 2>&1; }

missing=()
command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
command -v docker >/dev/null 2>&1 && compose_v2 || missing+=(docker-compose)
docker buildx version >/dev/null 2>&1 || missing+=(docker-buildx)
command -v mmdebstrap >/dev/null 2>&1 || missing+=(mmdebstrap)

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    say "missing ${missing[*]} and not root: run this script as root (or install them yourself)" >&2
    exit 1
  fi
  # Same mirror and keyring as the machine's own entry, suite trixie, pinned to
  # 100 so that only what we ask for with -t trixie comes from it.
  if [ ! -e /etc/apt/sources.list.d/zonemesh-trixie.sources ]; then
    uri="$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)"
    keyring="$(awk '/^Signed-By:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)"
    cat > /etc/apt/sources.list.d/zonemesh-trixie.sources <<SOURCES
Types: deb
URIs: ${uri:-http://deb.debian.org/debian}
Suites: trixie
Components: main
Signed-By: ${keyring:-/usr/share/keyrings/debian-archive-keyring.gpg}
SOURCES
    printf 'Package: *\nPin: release n=trixie\nPin-Priority: 100\n' > /etc/apt/preferences.d/zonemesh-trixie
  fi
  say "installing ${missing[*]} (Debian 13 packages, pinned low)"
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  wanted=()
  for p in "${missing[@]}"; do [ "$p" = mmdebstrap ] || wanted+=("$p"); done
  if [ ${#wanted[@]} -gt 0 ]; then
    # docker-compose and docker-buildx pull docker.io/docker-cli 26.1 from trixie with them.
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends -t trixie \
      docker.io docker-cli docker-compose docker-buildx >/dev/null
  fi
  if [[ " ${missing[*]} " == *" mmdebstrap "* ]]; then
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends mmdebstrap >/dev/null
  fi
fi

# A docker CLI earlier in PATH than Debian's may not look where Debian puts the
# Compose plugin; link the plugin where every CLI looks.
if ! compose_v2 && [ -x /usr/libexec/docker/cli-plugins/docker-compose ]; then
  mkdir -p /usr/local/lib/docker/cli-plugins
  ln -sf /usr/libexec/docker/cli-plugins/docker-compose /usr/local/lib/docker/cli-plugins/docker-compose
  [ -x /usr/libexec/docker/cli-plugins/docker-buildx ] && ln -sf /usr/libexec/docker/cli-plugins/docker-buildx /usr/local/lib/docker/cli-plugins/docker-buildx
fi
compose_v2 || { say "Compose v2 still missing after install (docker compose version: $(docker compose version 2>&1 | head -1))" >&2; exit 1; }

if ! engine_answers; then
  if [ "$(id -u)" != 0 ]; then say "no Docker engine answers and not root: cannot start dockerd" >&2; exit 1; fi
  say "starting dockerd (log: $log)"
  # No systemd here: dockerd runs in its own session so it outlives this shell.
  setsid dockerd >"$log" 2>&1 < /dev/null &
  # Whoever started it through this script can stop it by this pid (ci-check.sh does).
  echo $! > /run/zonemesh-dockerd.pid
  deadline=$((SECONDS + 60))
  until engine_answers; do
    if [ $SECONDS -ge $deadline ]; then say "dockerd did not answer within 60 s; last log lines:" >&2; tail -20 "$log" >&2; exit 1; fi
    sleep 1
  done
fi
say "engine $(docker version --format '{{.Server.Version}}'), compose $(docker compose version --short), buildx $(docker buildx version 2>/dev/null | awk '{print $2}')"
