#!/usr/bin/env bash
# `make up`: build and start the appliance with Docker Compose, wait until healthy, seed, print where to go.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
compose=(${COMPOSE:-docker compose})
say() { printf '\033[1;34m[up]\033[0m %s\n' "$*"; }

if ! docker info >/dev/null 2>&1; then
  echo "No Docker engine is reachable from here (docker info failed)." >&2
  echo "Install Docker Engine with the compose plugin and try again, or run the native stack instead: make dev" >&2
  exit 1
fi
set -a; source .env; set +a
say "Building images (first time: several minutes)…"
"${compose[@]}" build
say "Starting services and waiting until every healthcheck passes…"
"${compose[@]}" up -d --wait
say "First login (the n8n-token job seeded the demo agency on first start)…"
"${compose[@]}" run --rm --no-deps migrate node backend/dist/cli/seed.js
echo
say "Switchboard is up."
say "  Portal and API:  https://${DOMAIN}"
say "  n8n editor:      https://${N8N_DOMAIN}   (operators only; owner ${N8N_OWNER_EMAIL})"
say "  Health:          https://${DOMAIN}/readyz"
say "  Logs:            make logs      Stop: make down"
