#!/usr/bin/env bash
# `make restore FILE=backups/switchboard-<time>.sbbk`: replaces ALL data of this install with the backup's.
# Works onto an empty install (after `make up` on a new server, with the backup file copied into ./backups) and
# onto this one. Order: check the file, stop everything that uses the databases, restore and verify (the
# `backup` service, backend/src/cli/backup.ts), take the .env keys the data needs, then start as `make up` does.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
compose=(${COMPOSE:-docker compose})
say() { printf '\033[1;34m[restore]\033[0m %s\n' "$*"; }
fail() { printf '\033[1;31m[restore]\033[0m %s\n' "$*" >&2; exit 1; }

file="${1:-}"
[ -n "$file" ] || fail "Which backup? make restore FILE=backups/switchboard-<time>.sbbk (make backup lists none? see ls backups/)"
[ -f "$file" ] || fail "$file: no such file"
[ -f .env ] || fail "No .env here: install first (make up), then restore onto it."
mkdir -p backups
name="$(basename "$file")"
if [ "$(cd "$(dirname "$file")" && pwd)" != "$(pwd)/backups" ]; then
  cp "$file" "backups/$name"
  say "Copied $file into backups/ (the backup service reads it there)."
fi

if [ "${CONFIRM:-}" != "yes" ]; then
  echo "This replaces ALL data of this install (both databases, n8n's data, the keys in .env) with $name."
  read -r -p "Type 'restore' to continue: " answer
  [ "$answer" = "restore" ] || fail "Not confirmed; nothing changed."
fi

# A backup made by another install is read with that install's passphrase: BACKUP_PASSPHRASE=... make restore
# FILE=... (this install keeps its own in .env for the backups it takes from now on).
given_passphrase="${BACKUP_PASSPHRASE:-}"
set -a; source .env; set +a
[ -n "$given_passphrase" ] && export BACKUP_PASSPHRASE="$given_passphrase"
[ "${SB_SKIP_BUILD:-}" = "1" ] || "${compose[@]}" build backup >/dev/null || fail "Building the backup image failed."
"${compose[@]}" up -d --wait postgres redis >/dev/null || fail "PostgreSQL or Redis is not healthy: make logs SERVICE=postgres"
say "Stopping the services that use the data…"
"${compose[@]}" stop backend worker n8n n8n-worker n8n-runners portal proxy backup >/dev/null 2>&1 || true
say "Restoring $name (decrypt, check, replace, verify)…"
if ! "${compose[@]}" run --rm --no-deps -T -v "$(pwd)/.env:/run/switchboard/env-target" backup \
    node backend/dist/cli/backup.js restore "/backups/$name" --env /run/switchboard/env-target; then
  fail "The restore failed (reason above). Services are left stopped; fix the cause and run make restore again (a backup from another install needs its passphrase: BACKUP_PASSPHRASE='...' make restore FILE=$file)."
fi
say "Starting the appliance with the restored data…"
exec bash deploy/scripts/compose-up.sh
