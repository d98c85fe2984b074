# n8n with Switchboard's node package and workflows baked in. Build from the repository root:
#   docker build -f deploy/docker/n8n.Dockerfile .
# Keep N8N_IMAGE in step with deploy/native/versions.sh (SB_N8N_VERSION).
ARG NODE_IMAGE=node:24.21.0-bookworm-slim
ARG N8N_IMAGE=n8nio/n8n:2.40.7

FROM ${NODE_IMAGE} AS nodes
WORKDIR /app
COPY package.json package-lock.json ./
COPY backend/package.json backend/
COPY portal/package.json portal/
COPY n8n-nodes/package.json n8n-nodes/
COPY tests/package.json tests/
RUN --mount=type=cache,target=/root/.npm \
    npm ci --workspace n8n-nodes --include-workspace-root --no-audit --no-fund
COPY tsconfig.base.json ./
COPY n8n-nodes/ n8n-nodes/
RUN npm run build --workspace n8n-nodes

# The n8n image is Alpine with busybox sh, node and n8n (no bash, no package manager):
# deploy/n8n/bootstrap.sh is POSIX sh for that reason.
FROM ${N8N_IMAGE}
# Outside /home/node/.n8n, which is a volume and would hide anything baked in there.
# N8N_CUSTOM_EXTENSIONS points at the built dist/, exactly as the native stack does (nodes load as CUSTOM.<name>).
COPY --from=nodes /app/n8n-nodes/dist /opt/switchboard/n8n-nodes
COPY n8n-workflows/ /opt/switchboard/n8n-workflows/
COPY deploy/n8n/bootstrap.sh /opt/switchboard/bootstrap.sh
COPY deploy/docker/n8n-entrypoint.sh /opt/switchboard/entrypoint.sh
COPY deploy/n8n/task-runners.mjs /opt/switchboard/task-runners.mjs
ENV N8N_CUSTOM_EXTENSIONS=/opt/switchboard/n8n-nodes \
    N8N_WORKFLOWS_DIR=/opt/switchboard/n8n-workflows
USER node
ENTRYPOINT ["tini", "--", "/bin/sh", "/opt/switchboard/entrypoint.sh"]
CMD ["start"]
