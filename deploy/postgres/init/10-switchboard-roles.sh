#!/usr/bin/env bash
# First start only (the postgres image runs /docker-entrypoint-initdb.d on an empty data volume):
# creates the roles and databases of docs/contract.md. Mirrors backend/src/db/provision.ts (native stack).
#   switchboard_owner  owns database `switchboard`; migrations run as it
#   switchboard_app    the API's login: no ownership, so row-level security applies to it
#   n8n                owns database `n8n`
# Passwords come from the environment; changing them later needs ALTER ROLE (see .env.example).
set -euo pipefail

: "${APP_DB_OWNER_PASSWORD:?APP_DB_OWNER_PASSWORD is required (run deploy/scripts/init-env.sh)}"
: "${APP_DB_PASSWORD:?APP_DB_PASSWORD is required (run deploy/scripts/init-env.sh)}"
: "${N8N_DB_PASSWORD:?N8N_DB_PASSWORD is required (run deploy/scripts/init-env.sh)}"

# psql variables (:'name') quote the passwords as SQL literals; nothing is spliced into SQL by the shell.
psql=(psql -v ON_ERROR_STOP=1 --no-psqlrc --username "${POSTGRES_USER:-postgres}"
  -v owner_password="$APP_DB_OWNER_PASSWORD" -v app_password="$APP_DB_PASSWORD" -v n8n_password="$N8N_DB_PASSWORD")

"${psql[@]}" --dbname postgres <<'SQL'
CREATE ROLE switchboard_owner WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD :'owner_password';
CREATE ROLE switchboard_app WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD :'app_password';
CREATE ROLE n8n WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'n8n_password';

CREATE DATABASE switchboard OWNER switchboard_owner;
CREATE DATABASE n8n OWNER n8n;

-- Each role reaches only its own database.
REVOKE ALL ON DATABASE switchboard FROM PUBLIC;
REVOKE ALL ON DATABASE n8n FROM PUBLIC;
GRANT CONNECT ON DATABASE switchboard TO switchboard_app;
SQL

"${psql[@]}" --dbname switchboard <<'SQL'
REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT ALL ON SCHEMA public TO switchboard_owner;
GRANT USAGE ON SCHEMA public TO switchboard_app;
-- Tables and sequences the owner creates in migrations are usable (not alterable) by the API role.
ALTER DEFAULT PRIVILEGES FOR ROLE switchboard_owner IN SCHEMA public
  GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO switchboard_app;
ALTER DEFAULT PRIVILEGES FOR ROLE switchboard_owner IN SCHEMA public
  GRANT USAGE, SELECT ON SEQUENCES TO switchboard_app;
SQL

echo "switchboard init: roles switchboard_owner, switchboard_app, n8n and databases switchboard, n8n created"
