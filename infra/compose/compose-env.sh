# Sourced by the compose scripts: the project's compose command line and the
# environment it interpolates. Not executable on its own.
# ZONEMESH_COMPOSE_OFFLINE: 1 = use the stand-ins (offline.yml), 0 = public
# images; unset = up.sh decides by trying a pull and records it in .zonemesh/.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# The project name (docker-compose.yml's `name:` unless COMPOSE_PROJECT_NAME
# says otherwise: CI uses its own, so it never touches a stack someone runs).
export COMPOSE_PROJECT_NAME="${COMPOSE_PROJECT_NAME:-zonemesh}"
project="$COMPOSE_PROJECT_NAME"
state_file="$root/.zonemesh/compose-mode"
if [ -z "${ZONEMESH_COMPOSE_OFFLINE:-}" ] && [ -f "$state_file" ]; then
  ZONEMESH_COMPOSE_OFFLINE="$(cat "$state_file")"
fi
compose_files=(-f "$root/docker-compose.yml")
if [ "${ZONEMESH_COMPOSE_OFFLINE:-0}" = 1 ]; then
  compose_files+=(-f "$root/infra/compose/offline.yml")
  export ZONEMESH_NODE_IMAGE="${ZONEMESH_NODE_IMAGE:-local/node:24}"
  export ZONEMESH_OTEL_TRACES_EXPORTER="${ZONEMESH_OTEL_TRACES_EXPORTER:-none}"
fi
# The install stages trust what this machine trusts (a TLS-intercepting
# egress proxy would otherwise break npm ci); runtime images never see it.
if [ -z "${ZONEMESH_BUILD_CA:-}" ]; then
  for ca in "${NODE_EXTRA_CA_CERTS:-}" /etc/ssl/certs/ca-certificates.crt /dev/null; do
    if [ -n "$ca" ] && [ -r "$ca" ]; then export ZONEMESH_BUILD_CA="$ca"; break; fi
  done
fi
zc() { docker compose --project-directory "$root" "${compose_files[@]}" "$@"; }
