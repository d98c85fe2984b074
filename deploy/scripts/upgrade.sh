#!/usr/bin/env bash
# `make upgrade`: moves a running appliance to the release in this checkout (after `git pull`, or
# `make upgrade VERSION=<git tag>` to check the release out here). Order: new .env secrets, build the new images
# (the running ones are kept as :rollback), back up, stop the services that write, run the migrations as their own
# step, start everything and wait for every healthcheck. On any failure: the previous images come back, the
# pre-upgrade backup is restored (unless the release says its migrations allow going back without), and this
# script says which step failed. Migrations only move forward; deploy/release.env states whether going back needs
# the restore.
set -euo pipefail
# A checkout of another release rewrites this very file: run from a copy, so bash never reads a changed script.
if [ -z "${SB_UPGRADE_COPY:-}" ]; then
  copy="$(mktemp)"; cp "${BASH_SOURCE[0]}" "$copy"
  SB_UPGRADE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)" SB_UPGRADE_COPY="$copy" exec bash "$copy" "$@"
fi
cd "$SB_UPGRADE_DIR"
trap 'rm -f "$SB_UPGRADE_COPY"' EXIT
compose=(${COMPOSE:-docker compose})
say() { printf '\033[1;34m[upgrade]\033[0m %s\n' "$*"; }
fail() { printf '\033[1;31m[upgrade]\033[0m %s\n' "$*" >&2; exit 1; }
images=(switchboard/backend switchboard/portal switchboard/n8n switchboard/backup)

[ -f .env ] || fail "No .env here: nothing is installed yet. Install with make up."
docker image inspect switchboard/backend:local >/dev/null 2>&1 || fail "No appliance images here: install with make up first."
release_of() { sed -n 's/^SB_RELEASE=//p' deploy/release.env 2>/dev/null || true; }
from_release="$(sed -n 's/^release=//p' .installed-release 2>/dev/null || true)"
previous_ref="$(git rev-parse --quiet --verify HEAD 2>/dev/null || true)"

if [ -n "${VERSION:-}" ]; then
  [ -z "$(git status --porcelain --untracked-files=no 2>/dev/null)" ] || fail "The checkout has local changes; commit or stash them before make upgrade VERSION=$VERSION."
  git fetch --quiet --tags 2>/dev/null || say "Could not fetch (offline?); using the tags already here."
  git checkout --quiet "$VERSION" || fail "Release $VERSION is not in this checkout (git tag lists the releases here)."
fi
to_release="$(release_of)"
say "Upgrading ${from_release:-the running release} to ${to_release:-this checkout}."

rollback() { # rollback <step that failed> <restore: yes|no> [backup file]
  local step=$1 restore=$2 file=${3:-}
  printf '\n\033[1;31m[upgrade]\033[0m The upgrade failed at: %s\n' "$step" >&2
  say "Rolling back to the previous images…"
  for image in "${images[@]}"; do
    docker image inspect "$image:rollback" >/dev/null 2>&1 && docker tag "$image:rollback" "$image:local"
  done
  if [ -n "${VERSION:-}" ] && [ -n "$previous_ref" ]; then git checkout --quiet "$previous_ref" && say "Checkout back at $previous_ref."; fi
  if [ "$restore" = "yes" ] && [ -n "$file" ]; then
    say "Restoring the pre-upgrade backup $file…"
    CONFIRM=yes SB_SKIP_BUILD=1 bash deploy/scripts/restore.sh "backups/$file" || fail "Rollback incomplete: restoring $file failed (above). Run: make restore FILE=backups/$file"
  else
    SB_SKIP_BUILD=1 bash deploy/scripts/compose-up.sh || fail "Rollback incomplete: the previous release did not come up (above)."
  fi
  fail "Rolled back: the appliance runs ${from_release:-the previous release} again$([ "$restore" = yes ] && echo ", with the data as it was before the upgrade"). Fix the cause of the failure at \"$step\" and run make upgrade again."
}

say "New settings in .env.example, if any, get fresh values in .env…"
bash deploy/scripts/init-env.sh
set -a; source .env; set +a

for image in "${images[@]}"; do
  docker image inspect "$image:local" >/dev/null 2>&1 && docker tag "$image:local" "$image:rollback"
done
say "Building the new images (the running ones are kept as :rollback)…"
if ! "${compose[@]}" build; then rollback "building the new images" no; fi

mkdir -p backups
"${compose[@]}" up -d --wait postgres redis >/dev/null || rollback "starting PostgreSQL and Redis" no
say "Backing up before anything changes…"
backup_output="$("${compose[@]}" run --rm --no-deps -T backup node backend/dist/cli/backup.js create 2>&1)" || { echo "$backup_output" >&2; rollback "the pre-upgrade backup" no; }
echo "$backup_output"
backup_file="$(sed -n 's#^Backup written: /backups/\(switchboard-[^ ]*\.sbbk\).*#\1#p' <<<"$backup_output")"
[ -n "$backup_file" ] || rollback "the pre-upgrade backup (no file name in its output)" no

say "Stopping the services that write, then running the migrations…"
"${compose[@]}" stop backend worker n8n n8n-worker n8n-runners backup >/dev/null 2>&1 || true
if ! "${compose[@]}" run --rm --no-deps migrate; then rollback "the database migrations" yes "$backup_file"; fi

say "Starting the new release and waiting for every healthcheck…"
restore_on_failure=yes
[ "$(sed -n 's/^SB_ROLLBACK_WITHOUT_RESTORE=//p' deploy/release.env)" = "yes" ] && restore_on_failure=no
if ! SB_SKIP_BUILD=1 bash deploy/scripts/compose-up.sh; then rollback "starting the new release (healthchecks)" "$restore_on_failure" "$backup_file"; fi

# Images this project built that no tag points at any more (the release before the :rollback one, rebuilt layers)
# would pile up over the years: remove them, and only them (other projects' and the :rollback images stay).
project="$("${compose[@]}" config 2>/dev/null | sed -n 's/^name: //p' | head -1)"
if [ -n "$project" ]; then
  docker image prune -f --filter dangling=true --filter "label=com.docker.compose.project=$project" 2>/dev/null | sed -n 's/^Total reclaimed space: /Removed replaced images: /p' || true
fi

say "Upgraded to ${to_release:-this checkout}. The pre-upgrade backup is backups/$backup_file; the previous images stay tagged :rollback until the next upgrade."
