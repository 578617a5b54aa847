#!/usr/bin/env bash
# Container healthcheck in plain bash (no curl in the image, and no node start:
# every check is a `docker exec`, and 26 containers starting node every few
# seconds saturate a small machine):
#   healthcheck.sh http PORT PATH   GET http://127.0.0.1:PORT/PATH answers 2xx
#   healthcheck.sh tcp PORT         something accepts on 127.0.0.1:PORT (gRPC
#                                   servers: grpc-js binds once the server is built)
set -u
kind="${1:-}" port="${2:-}"
case "$kind:$port" in
  http:[0-9]* | tcp:[0-9]*) ;;
  *) echo "usage: healthcheck.sh http PORT PATH | tcp PORT" >&2; exit 2 ;;
esac
{ exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null || { echo "unhealthy: nothing accepts on port $port"; exit 1; }
[ "$kind" = tcp ] && exit 0
printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n\r\n' "${3:-/}" >&3
IFS= read -r -t 20 status <&3 || { echo "unhealthy: no answer from port $port"; exit 1; }
case "$status" in
  HTTP/1.?\ 2*) exit 0 ;;
  *) echo "unhealthy: ${status%$'\r'}"; exit 1 ;;
esac
