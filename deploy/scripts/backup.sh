#!/usr/bin/env bash
# `make backup`: one backup now, by the compose `backup` service (backend/src/cli/backup.ts), into ./backups.
# The appliance keeps running: both databases are dumped from snapshots taken at the same moment.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
compose=(${COMPOSE:-docker compose})
say() { printf '\033[1;34m[backup]\033[0m %s\n' "$*"; }
fail() { printf '\033[1;31m[backup]\033[0m %s\n' "$*" >&2; exit 1; }

[ -f .env ] || fail "No .env here: this is not an installed appliance (make up creates it)."
mkdir -p backups
"${compose[@]}" up -d --wait postgres >/dev/null || fail "PostgreSQL is not healthy: make logs SERVICE=postgres"
say "Backing up both databases, n8n's data and the .env keys…"
"${compose[@]}" run --rm --no-deps -T backup node backend/dist/cli/backup.js create || fail "The backup failed (reason above); nothing was written."
say "Keep BACKUP_PASSPHRASE (in .env) somewhere off this server: without it the file cannot be read."
