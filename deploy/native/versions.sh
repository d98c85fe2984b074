# Pinned runtime versions for the native stack; keep in step with deploy/ Dockerfiles and docker-compose.yml.
SB_NODE_VERSION="${SB_NODE_VERSION:-24.21.0}"
SB_N8N_VERSION="${SB_N8N_VERSION:-2.40.7}"
SB_CACHE="${SWITCHBOARD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/switchboard}"
SB_NODE_DIR="$SB_CACHE/node-$SB_NODE_VERSION"
SB_N8N_DIR="$SB_CACHE/n8n-$SB_N8N_VERSION"
