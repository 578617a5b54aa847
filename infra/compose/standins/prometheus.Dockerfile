# Stand-in for prom/prometheus where no registry answers: Debian 13's
# `prometheus` package (2.53) on the local Debian base. Same contract as the
# official image for our compose file: entrypoint is the server, config at
# /etc/prometheus/prometheus.yml, data in /prometheus, runs as nobody, and
# wget is there for the healthcheck. Every dashboard query must work on both.
ARG DEBIAN_IMAGE=local/debian:trixie
FROM ${DEBIAN_IMAGE}
RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \
    --mount=type=cache,target=/var/lib/apt/lists,sharing=locked \
    apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus wget >/dev/null \
 && mkdir -p /prometheus && chown nobody:nogroup /prometheus \
 && /usr/bin/prometheus --version
USER nobody
EXPOSE 9090
ENTRYPOINT ["/usr/bin/prometheus"]
CMD ["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus"]
