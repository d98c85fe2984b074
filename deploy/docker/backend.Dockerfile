# Images for the API (`backend`), the queue worker (`worker`) and the one-shot `migrate` job (target runtime),
# and for backups (target backup). Build from the repository root:
#   docker build -f deploy/docker/backend.Dockerfile --target runtime .
# Node matches the native stack (deploy/native/versions.sh, SB_NODE_VERSION); PostgreSQL matches docker-compose.yml.
ARG NODE_IMAGE=node:24.21.0-bookworm-slim
ARG POSTGRES_IMAGE=postgres:17.6-bookworm

# npm ci needs every workspace's manifest to check the lockfile, even when installing one workspace.
FROM ${NODE_IMAGE} AS manifests
WORKDIR /app
COPY package.json package-lock.json ./
COPY backend/package.json backend/
COPY portal/package.json portal/
COPY n8n-nodes/package.json n8n-nodes/
COPY tests/package.json tests/

FROM manifests AS build
# The root holds the shared devDependencies the build needs (typescript, @types/node).
RUN --mount=type=cache,target=/root/.npm \
    npm ci --workspace backend --include-workspace-root --no-audit --no-fund
COPY tsconfig.base.json ./
COPY backend/ backend/
RUN npm run build --workspace backend

FROM manifests AS prod-deps
RUN --mount=type=cache,target=/root/.npm \
    npm ci --workspace backend --omit=dev --no-audit --no-fund \
 && mkdir -p backend/node_modules

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
# Files stay owned by root: the process (user node) can read but not modify its own code.
COPY package.json ./
COPY backend/package.json backend/
COPY --from=prod-deps /app/node_modules node_modules
COPY --from=prod-deps /app/backend/node_modules backend/node_modules
COPY --from=build /app/backend/dist backend/dist
# Mount point of n8n's data volume in the one-shot n8n-token job: created here owned by node, so a volume
# first mounted by that job is writable by it and by n8n (also uid 1000).
RUN mkdir -p /home/node/.n8n && chown node:node /home/node/.n8n
USER node
EXPOSE 4000
# worker: node backend/dist/worker.js   migrate: node backend/dist/cli/migrate.js up
CMD ["node", "backend/dist/server.js"]

# Backups (`backup` service, make backup / make restore): pg_dump and pg_restore must be as new as the server, so
# this image is PostgreSQL's own, with Node and the same backend build copied in. Runs as root: it writes into
# the host's ./backups and restores n8n's data folder with its owner's ids.
FROM ${POSTGRES_IMAGE} AS backup
COPY --from=runtime /usr/local/bin/node /usr/local/bin/node
COPY --from=runtime /app /app
WORKDIR /app
ENV NODE_ENV=production
ENTRYPOINT []
CMD ["node", "backend/dist/cli/backup.js", "schedule"]
