#!/usr/bin/env bash
# npm run compose:down — stop the compose stack and remove every container,
# network and volume of the project (images stay, so the next up is quick).
set -euo pipefail
source "$(dirname "$0")/compose-env.sh"
timeout 10 docker info >/dev/null 2>&1 || { echo "compose:down: no Docker engine answers: nothing to stop"; exit 0; }
echo "compose:down: stopping compose project $project"
zc --profile online down --volumes --remove-orphans --timeout 10 2>&1 | grep -vE '^\s*$' || true
left=$( (docker ps -aq --filter label=com.docker.compose.project=$project
         docker network ls -q --filter label=com.docker.compose.project=$project
         docker volume ls -q --filter label=com.docker.compose.project=$project) | wc -l)
if [ "$left" -ne 0 ]; then echo "compose:down: $left container(s)/network(s)/volume(s) of the project remain" >&2; exit 1; fi
rm -f "$state_file"
echo "compose:down: no container, network or volume of the project left"
