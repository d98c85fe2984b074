# Image for the portal (SvelteKit, adapter-node). Build from the repository root:
#   docker build -f deploy/docker/portal.Dockerfile .
ARG NODE_IMAGE=node:24.21.0-bookworm-slim

# npm ci needs every workspace's manifest to check the lockfile, even when installing one workspace.
FROM ${NODE_IMAGE} AS manifests
WORKDIR /app
COPY package.json package-lock.json ./
COPY backend/package.json backend/
COPY portal/package.json portal/
COPY n8n-nodes/package.json n8n-nodes/
COPY tests/package.json tests/

FROM manifests AS build
RUN --mount=type=cache,target=/root/.npm \
    npm ci --workspace portal --include-workspace-root --no-audit --no-fund
COPY tsconfig.base.json ./
COPY portal/ portal/
RUN npm run build --workspace portal

# adapter-node bundles devDependencies into build/; only `dependencies` are loaded at runtime.
FROM manifests AS prod-deps
RUN --mount=type=cache,target=/root/.npm \
    npm ci --workspace portal --omit=dev --no-audit --no-fund \
 && mkdir -p portal/node_modules

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production PORT=3000 HOST=0.0.0.0
WORKDIR /app
COPY package.json ./
COPY portal/package.json portal/
COPY --from=prod-deps /app/node_modules node_modules
COPY --from=prod-deps /app/portal/node_modules portal/node_modules
COPY --from=build /app/portal/build portal/build
USER node
EXPOSE 3000
CMD ["node", "portal/build"]
