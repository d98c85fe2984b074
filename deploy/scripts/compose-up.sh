#!/usr/bin/env bash
# `make up`: build and start the appliance with Docker Compose, wait until healthy, print where to go.
# Order: build the images once, start PostgreSQL and Redis, run the migrations as their own step, create the
# first login (printed the first time only), then start everything and wait for every healthcheck.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
compose=(${COMPOSE:-docker compose})
say() { printf '\033[1;34m[up]\033[0m %s\n' "$*"; }
fail() { printf '\033[1;31m[up]\033[0m %s\n' "$*" >&2; exit 1; }

if ! docker info >/dev/null 2>&1; then
  echo "No Docker engine is reachable from here (docker info failed)." >&2
  echo "Install Docker Engine with the compose plugin and try again, or run the native stack instead: make dev" >&2
  exit 1
fi
set -a; source .env; set +a
if [ "${SB_SKIP_BUILD:-}" = "1" ]; then
  say "Using the images already built (make upgrade built them, or rolled them back)."
else
  say "Building images (first time: several minutes)…"
  "${compose[@]}" build
fi
say "Starting PostgreSQL and Redis…"
"${compose[@]}" up -d --wait postgres redis || fail "PostgreSQL or Redis did not become healthy: make logs SERVICE=postgres"
say "Running database migrations…"
"${compose[@]}" run --rm --no-deps migrate || fail "The migrations failed (output above); nothing else was started."
seed_output=$("${compose[@]}" run --rm --no-deps migrate node backend/dist/cli/seed.js) || fail "Creating the first login failed: ${seed_output}"
say "Starting every service and waiting until each healthcheck passes…"
# WORKERS / N8N_WORKERS: how many backend worker and n8n queue-worker containers run (docs/scaling.md).
scale=(--scale "worker=${WORKERS:-1}" --scale "n8n-worker=${N8N_WORKERS:-1}")
[[ "${WORKERS:-1}" =~ ^[1-9][0-9]?$ && "${N8N_WORKERS:-1}" =~ ^[1-9][0-9]?$ ]] || fail "WORKERS and N8N_WORKERS must be whole numbers from 1 to 99."
"${compose[@]}" up -d --wait "${scale[@]}" || fail "Some services are not healthy: make ps, then make logs SERVICE=<name>"
echo
say "Switchboard is up."
say "  Portal and API:  https://${DOMAIN}"
say "  n8n editor:      https://${N8N_DOMAIN}   (operators only; owner ${N8N_OWNER_EMAIL:-owner@switchboard.local}, password N8N_OWNER_PASSWORD in .env)"
say "  Health:          https://${DOMAIN}/readyz"
if grep -q '^First login' <<<"$seed_output"; then
  say "First login (shown once; the password is also kept in .env as SEED_ADMIN_PASSWORD — change it after signing in):"
  grep -E '^(First login|Password)' <<<"$seed_output" | sed 's/^/      /'
else
  say "  First login:     ${SEED_ADMIN_EMAIL:-admin@switchboard.local} (its first password is SEED_ADMIN_PASSWORD in .env)"
fi
say "  Logs:            make logs      Stop: make down"
# What runs now, for make upgrade's messages (deploy/release.env, the checkout's commit).
{ sed -n 's/^SB_RELEASE=/release=/p' deploy/release.env; echo "commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"; echo "at=$(date -u +%FT%TZ)"; } > .installed-release 2>/dev/null || true
