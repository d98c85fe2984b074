#!/bin/sh
# Prepares n8n's database before `n8n start`, then (optionally) runs the given command:
#
#   deploy/n8n/bootstrap.sh [--force] [n8n start]
#
# 1. Owner: n8n 2.40 creates/updates the owner itself at `n8n start` from
#    N8N_INSTANCE_OWNER_MANAGED_BY_ENV=true + N8N_INSTANCE_OWNER_EMAIL + N8N_INSTANCE_OWNER_PASSWORD_HASH.
#    If the hash is not given but N8N_OWNER_PASSWORD is, this script derives the bcrypt hash
#    (with n8n's own bcryptjs) and exports it for the command it then runs.
# 2. Credential "Switchboard API" (fixed id sbSwitchboardApi, type switchboardApi) is imported from
#    SWITCHBOARD_API_URL / SWITCHBOARD_SERVICE_TOKEN (or the file SWITCHBOARD_SERVICE_TOKEN_FILE) /
#    SWITCHBOARD_SIGNING_SECRET on every run: the environment is its source of truth.
# 3. Workflows: every $N8N_WORKFLOWS_DIR/*.json whose fixed "id" is not in the database yet is
#    imported and, if its JSON says "active": true, published. Workflows already present are left
#    alone, so an operator's edits (and deactivations) survive restarts. --force (or
#    N8N_BOOTSTRAP_FORCE=true) re-imports and re-publishes all of them, overwriting edits.
#
# Runs natively and in the n8nio/n8n image (POSIX sh; needs only `n8n` and `node` on PATH).
# The n8n CLI talks to the database directly (DB_* variables, N8N_ENCRYPTION_KEY, N8N_USER_FOLDER):
# run it with the same environment as `n8n start`, and never while that n8n is already running.
set -eu

log() { printf '[n8n-bootstrap] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

force="${N8N_BOOTSTRAP_FORCE:-false}"
if [ "${1:-}" = "--force" ]; then force=true; shift; fi

workflows_dir="${N8N_WORKFLOWS_DIR:?N8N_WORKFLOWS_DIR must point at the folder holding n8n-workflows/*.json}"
[ -d "$workflows_dir" ] || die "N8N_WORKFLOWS_DIR=$workflows_dir is not a directory"
command -v n8n >/dev/null 2>&1 || die "n8n is not on PATH"
command -v node >/dev/null 2>&1 || die "node is not on PATH"
[ -n "${N8N_ENCRYPTION_KEY:-}" ] || die "N8N_ENCRYPTION_KEY is required (the credential is stored encrypted with it)"

credential_id="sbSwitchboardApi"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT INT TERM

# --- 1. Owner password hash -------------------------------------------------------------------
if [ "${N8N_INSTANCE_OWNER_MANAGED_BY_ENV:-false}" = "true" ] && [ -z "${N8N_INSTANCE_OWNER_PASSWORD_HASH:-}" ]; then
  [ -n "${N8N_OWNER_PASSWORD:-}" ] \
    || die "set N8N_INSTANCE_OWNER_PASSWORD_HASH (bcrypt) or N8N_OWNER_PASSWORD when N8N_INSTANCE_OWNER_MANAGED_BY_ENV=true"
  [ -n "${N8N_INSTANCE_OWNER_EMAIL:-}" ] || die "N8N_INSTANCE_OWNER_EMAIL is required"
  # The salt is derived from the e-mail so the hash is the same at every start: n8n signs login
  # cookies with the stored hash, and a new salt per restart would log everybody out.
  # shellcheck disable=SC2016 # JavaScript in single quotes, on purpose
  N8N_INSTANCE_OWNER_PASSWORD_HASH="$(node -e '
    const path = require("node:path"), fs = require("node:fs"), crypto = require("node:crypto");
    const n8nDir = path.dirname(path.dirname(fs.realpathSync(process.argv[1])));
    const bcrypt = require(require.resolve("bcryptjs", { paths: [n8nDir] }));
    const seed = crypto.createHash("sha256").update("switchboard-n8n-owner:" + process.env.N8N_INSTANCE_OWNER_EMAIL.toLowerCase()).digest();
    const salt = "$2a$10$" + bcrypt.encodeBase64(Array.from(seed.subarray(0, 16)), 16);
    process.stdout.write(bcrypt.hashSync(process.env.N8N_OWNER_PASSWORD, salt));
  ' "$(command -v n8n)")" || die "could not hash N8N_OWNER_PASSWORD with n8n's bcryptjs"
  export N8N_INSTANCE_OWNER_PASSWORD_HASH
  log "owner password hash derived from N8N_OWNER_PASSWORD"
fi

# --- 2. Switchboard API credential --------------------------------------------------------------
# Compose hands the token over as a file (written by the n8n-token job), never as a logged value.
if [ -z "${SWITCHBOARD_SERVICE_TOKEN:-}" ] && [ -n "${SWITCHBOARD_SERVICE_TOKEN_FILE:-}" ]; then
  [ -r "$SWITCHBOARD_SERVICE_TOKEN_FILE" ] || die "SWITCHBOARD_SERVICE_TOKEN_FILE=$SWITCHBOARD_SERVICE_TOKEN_FILE is not readable"
  SWITCHBOARD_SERVICE_TOKEN="$(tr -d '[:space:]' <"$SWITCHBOARD_SERVICE_TOKEN_FILE")"
  export SWITCHBOARD_SERVICE_TOKEN
fi
[ -n "${SWITCHBOARD_SERVICE_TOKEN:-}" ] || log "warning: SWITCHBOARD_SERVICE_TOKEN is empty; Switchboard nodes will be refused by the backend"
[ -n "${SWITCHBOARD_SIGNING_SECRET:-}" ] || log "warning: SWITCHBOARD_SIGNING_SECRET is empty; event deliveries cannot be verified"
CREDENTIAL_ID="$credential_id" node -e '
  const e = process.env;
  const credential = {
    id: e.CREDENTIAL_ID,
    name: "Switchboard API",
    type: "switchboardApi",
    data: {
      baseUrl: e.SWITCHBOARD_API_URL || "http://127.0.0.1:4000",
      serviceToken: e.SWITCHBOARD_SERVICE_TOKEN || "",
      signingSecret: e.SWITCHBOARD_SIGNING_SECRET || "",
    },
  };
  process.stdout.write(JSON.stringify([credential]));
' >"$tmp/credentials.json"
n8n import:credentials --input="$tmp/credentials.json" >"$tmp/import-credentials.log" 2>&1 \
  || { cat "$tmp/import-credentials.log" >&2; die "importing the Switchboard API credential failed"; }
rm -f "$tmp/credentials.json"
log "credential $credential_id (Switchboard API) imported from the environment"

# --- 3. Workflows -------------------------------------------------------------------------------
n8n list:workflow --onlyId >"$tmp/existing-ids" 2>"$tmp/list.log" \
  || { cat "$tmp/list.log" >&2; die "listing workflows failed"; }

mkdir "$tmp/import"
: >"$tmp/seen-ids"
: >"$tmp/to-import"
: >"$tmp/to-publish"
found=0
for file in "$workflows_dir"/*.json; do
  [ -e "$file" ] || continue
  found=$((found + 1))
  # Prints "<id> <active>" or fails when the file has no usable fixed id.
  meta="$(node -e '
    const wf = JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8"));
    if (typeof wf.id !== "string" || !/^[A-Za-z0-9]{1,36}$/.test(wf.id)) process.exit(3);
    process.stdout.write(wf.id + " " + (wf.active === true));
  ' "$file")" || die "$file has no fixed alphanumeric \"id\"; every shipped workflow needs one"
  id="${meta% *}"
  active="${meta#* }"
  if grep -qx "$id" "$tmp/seen-ids"; then die "workflow id $id is used by more than one file in $workflows_dir"; fi
  echo "$id" >>"$tmp/seen-ids"
  if [ "$force" != "true" ] && grep -qx "$id" "$tmp/existing-ids"; then
    log "workflow $id already present, kept as is ($(basename "$file"))"
    continue
  fi
  cp "$file" "$tmp/import/$id.json"
  echo "$id" >>"$tmp/to-import"
  [ "$active" = "true" ] && echo "$id" >>"$tmp/to-publish"
done
[ "$found" -gt 0 ] || log "warning: no workflows found in $workflows_dir"

if [ -s "$tmp/to-import" ]; then
  n8n import:workflow --separate --input="$tmp/import" >"$tmp/import-workflows.log" 2>&1 \
    || { cat "$tmp/import-workflows.log" >&2; die "importing workflows failed"; }
  if grep -q "Skipped workflow" "$tmp/import-workflows.log"; then
    cat "$tmp/import-workflows.log" >&2
    die "n8n skipped some workflows (see above)"
  fi
  log "imported: $(tr '\n' ' ' <"$tmp/to-import")"
  while read -r id; do
    n8n publish:workflow --id="$id" >"$tmp/publish.log" 2>&1 \
      || { cat "$tmp/publish.log" >&2; die "publishing workflow $id failed"; }
    log "published workflow $id"
  done <"$tmp/to-publish"
fi

# --- 4. Hand over -------------------------------------------------------------------------------
if [ "$#" -gt 0 ]; then
  log "starting: $*"
  rm -rf "$tmp"
  trap - EXIT INT TERM
  exec "$@"
fi
