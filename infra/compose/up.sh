#!/usr/bin/env bash
# npm run compose:up — the compose stack on a local Docker engine, healthy.
# Checks its prerequisites, uses the public images when they can be pulled
# and local stand-ins (infra/compose/offline.yml) when they cannot, builds
# the mesh image once, starts everything and waits for every healthcheck.
# Host ports: ZONEMESH_GATEWAY_PORT etc. (see docker-compose.yml's header).
set -euo pipefail
started=$(date +%s)
say() { echo "compose:up [$(( $(date +%s) - started ))s] $*"; }
die() { echo "compose:up: $*" >&2; exit 1; }

command -v docker >/dev/null 2>&1 || die "no docker CLI on PATH: install Docker (on Debian 12 as root: infra/compose/install-engine.sh)"
timeout 10 docker info >/dev/null 2>&1 || die "no Docker engine answers (docker info failed): start dockerd (as root: infra/compose/install-engine.sh)"
docker compose version --short 2>/dev/null | grep -Eq '^v?2\.' || die "Compose v2 missing (\`docker compose version\` failed): install the compose plugin (as root: infra/compose/install-engine.sh)"

source "$(dirname "$0")/compose-env.sh"
mkdir -p "$root/.zonemesh"

# Every published port must be free on 127.0.0.1, or the engine fails late and obscurely.
for spec in GATEWAY:8080 REGISTRY_A:8761 REGISTRY_B:8762 TOXIPROXY:8474 SYNC:8790 PROMETHEUS:9090; do
  var="ZONEMESH_${spec%%:*}_PORT"; port="${!var:-${spec#*:}}"
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    if ! docker ps -q --filter label=com.docker.compose.project=$project --filter "publish=$port" | grep -q .; then
      die "port $port on 127.0.0.1 is in use by something else: set $var to a free port"
    fi
  fi
done

if [ -z "${ZONEMESH_COMPOSE_OFFLINE:-}" ]; then
  say "checking whether public images can be pulled"
  if timeout 60 docker pull -q node:24-bookworm-slim >/dev/null 2>&1; then ZONEMESH_COMPOSE_OFFLINE=0; else ZONEMESH_COMPOSE_OFFLINE=1; fi
  echo "$ZONEMESH_COMPOSE_OFFLINE" > "$state_file"
  source "$(dirname "$0")/compose-env.sh"
fi
if [ "$ZONEMESH_COMPOSE_OFFLINE" = 1 ]; then
  say "no image registry answers: building local stand-ins (offline.yml; Grafana and Jaeger left out)"
  "$root/infra/compose/build-standins.sh"
else
  say "public images: pulling"
  zc pull --quiet --ignore-buildable
fi

say "building zonemesh/mesh:local (base ${ZONEMESH_NODE_IMAGE:-node:24-bookworm-slim})"
# One service builds the image every mesh service shares.
zc --progress plain build registry-zone-a 2>&1 | grep -E '^#[0-9]+ (\[|DONE|CACHED)|ERROR|error' | grep -vE '^#[0-9]+ \[internal\]' || true
docker image inspect zonemesh/mesh:local >/dev/null 2>&1 || die "the mesh image did not build (run: docker compose ${compose_files[*]} build)"

say "starting $(zc config --services | wc -l) services, waiting for every healthcheck"
zc up -d --no-build --wait --wait-timeout "${ZONEMESH_COMPOSE_WAIT:-300}" 2>&1 | grep -vE '^\s*$' || {
  echo "compose:up: not every service became healthy; unhealthy or exited:" >&2
  docker ps -a --filter label=com.docker.compose.project=$project --format '{{.Names}}\t{{.Status}}' | grep -v '(healthy)' >&2 || true
  exit 1
}

url() { echo "http://127.0.0.1:$(zc port "$1" "$2" 2>/dev/null | sed 's/.*://')$3"; }
say "all $(docker ps --filter label=com.docker.compose.project=$project --filter health=healthy -q | wc -l) healthchecked containers healthy"
echo "  gateway        $(url gateway 8080 /api/products/1)"
echo "  registry a     $(url registry-zone-a 8761 /eureka/apps)"
echo "  registry b     $(url registry-zone-b 8761 /eureka/apps)"
echo "  toxiproxy API  $(url toxiproxy 8474 /proxies)"
echo "  registry-sync  $(url registry-sync 8790 /status)"
echo "  prometheus     $(url prometheus 9090 /targets)"
if [ "$ZONEMESH_COMPOSE_OFFLINE" = 1 ]; then
  echo "  grafana, jaeger: not started here (no image registry; see infra/compose/offline.yml)"
else
  echo "  grafana        $(url grafana 3000 /)"
  echo "  jaeger         $(url jaeger 16686 /)"
fi
say "up in $(( $(date +%s) - started ))s; stop with: npm run compose:down"
