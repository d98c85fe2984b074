#!/usr/bin/env bash
# Creates .env from .env.example, filling every empty secret whose comment says "Generate: <command>"
# with a fresh random value. Never overwrites an existing .env: running it again changes nothing.
#
# Usage: deploy/scripts/init-env.sh [DIR]
#   DIR holds .env.example and receives .env (default: the repository root).
set -euo pipefail

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dir="${1:-$(cd "$script_dir/../.." && pwd)}"
example="$dir/.env.example"
env_file="$dir/.env"

say() { printf '%s\n' "$*"; }
die() { printf 'init-env: %s\n' "$*" >&2; exit 1; }

[[ -f "$example" ]] || die "$example not found"

# Names of the variables a file sets (active lines only, not commented-out ones).
variables_in() { sed -n 's/^\([A-Z][A-Z0-9_]*\)=.*/\1/p' "$1"; }

random_bytes() { # N -> N random bytes on stdout
  if command -v openssl >/dev/null 2>&1; then openssl rand "$1"; else head -c "$1" /dev/urandom; fi
}
random_hex() { random_bytes "$1" | od -An -v -tx1 | tr -d ' \n'; }
random_base64() { random_bytes "$1" | base64 | tr -d '\n'; }

# Login passwords must satisfy n8n's rule (an upper-case letter and a digit) and stay URL-safe.
login_password() { # N bytes
  local value
  while :; do
    value="$(random_base64 "$1" | tr '+/' '-_' | tr -d '=')"
    [[ "$value" =~ [A-Z] && "$value" =~ [a-z] && "$value" =~ [0-9] ]] && break
  done
  printf '%s' "$value"
}

# Only the generators documented in .env.example are understood; nothing from the file is executed.
generate() { # NAME "openssl rand -hex|-base64 N"
  local name="$1" recipe="$2"
  if [[ "$recipe" =~ ^openssl\ rand\ -hex\ ([0-9]+)$ ]]; then
    random_hex "${BASH_REMATCH[1]}"
  elif [[ "$recipe" =~ ^openssl\ rand\ -base64\ ([0-9]+)$ ]]; then
    if [[ "$name" == *_PASSWORD ]]; then login_password "${BASH_REMATCH[1]}"; else random_base64 "${BASH_REMATCH[1]}"; fi
  else
    die "don't know how to generate $name (\"Generate: $recipe\" in .env.example)"
  fi
}

# Secrets a newer release added (.env.example names them with a "Generate:" recipe) are appended to an
# existing .env with fresh values: a new secret changes no existing data. Everything else is left as it is.
recipes_in() { # NAME<TAB>recipe for every empty variable of .env.example that has a "Generate:" comment
  awk '/^# Generate: /{r=substr($0,13); next} /^[A-Z][A-Z0-9_]*=$/{if(r!=""){n=$0; sub(/=$/,"",n); print n "\t" r}; r=""; next} /^$|^[A-Z]/{r=""}' "$1"
}

if [[ -e "$env_file" ]]; then
  missing=()
  added=()
  while read -r name; do
    grep -q "^${name}=" "$env_file" || missing+=("$name")
  done < <(variables_in "$example")
  while IFS=$'\t' read -r name recipe; do
    [[ " ${missing[*]} " == *" $name "* ]] || continue
    # Keys that encrypt stored data and database passwords must be the ones the data was made with: never invented.
    # Grafana's admin password is only read on Grafana's first start, so a new one is safe to invent.
    [[ "$name" == *ENCRYPTION_KEY || ( "$name" == *_PASSWORD && "$name" != GRAFANA_ADMIN_PASSWORD ) ]] && continue
    printf '\n# Added by deploy/scripts/init-env.sh (new in this release; generated: %s)\n%s=%s\n' "$recipe" "$name" "$(generate "$name" "$recipe")" >>"$env_file"
    added+=("$name")
  done < <(recipes_in "$example")
  if ((${#added[@]})); then say "$env_file: added new secrets with fresh values: ${added[*]}"; else say "$env_file already exists: nothing changed."; fi
  still=()
  for name in "${missing[@]}"; do [[ " ${added[*]} " == *" $name "* ]] || still+=("$name"); done
  if ((${#still[@]})); then
    say "Warning: .env.example has variables your .env lacks: ${still[*]}"
    say "Copy them from .env.example (see its comments) if you want other than their defaults."
  fi
  exit 0
fi

tmp="$(mktemp "$dir/.env.XXXXXX")"
trap 'rm -f "$tmp"' EXIT
chmod 600 "$tmp"

generated=()
recipe=""
while IFS= read -r line || [[ -n "$line" ]]; do
  if [[ "$line" =~ ^#\ Generate:\ (.+)$ ]]; then
    recipe="${BASH_REMATCH[1]}"
  elif [[ "$line" =~ ^([A-Z][A-Z0-9_]*)=$ && -n "$recipe" ]]; then
    name="${BASH_REMATCH[1]}"
    line="$name=$(generate "$name" "$recipe")"
    generated+=("$name")
    recipe=""
  elif [[ -z "$line" || "$line" =~ ^[A-Z] ]]; then
    recipe=""
  fi
  printf '%s\n' "$line" >>"$tmp"
done <"$example"

# A hard link cannot replace an existing file, so a .env created meanwhile is never overwritten.
ln "$tmp" "$env_file" 2>/dev/null || die "$env_file appeared while generating; left it untouched"

value_of() { sed -n "s/^$1=//p" "$env_file" | tail -n 1; }

say "Created $env_file (mode 600) from .env.example."
say "Generated fresh random values for: ${generated[*]}"
say ""
say "Works as is on this machine: https://$(value_of DOMAIN)/ (portal) and https://$(value_of N8N_DOMAIN)/ (n8n)."
say "First portal login: $(value_of SEED_ADMIN_EMAIL), password in .env (SEED_ADMIN_PASSWORD)."
say ""
say "Before going public, edit .env and set:"
say "  DOMAIN       now '$(value_of DOMAIN)': your portal's host name (DNS pointing at this server)"
say "  N8N_DOMAIN   now '$(value_of N8N_DOMAIN)': the n8n editor's host name"
say "  ACME_EMAIL   now '$(value_of ACME_EMAIL)': your address for Let's Encrypt"
say "  provider keys in the [[PROVIDERS]] section, when you use those features"
say "Keep a copy of ENCRYPTION_KEY and N8N_ENCRYPTION_KEY outside this server: backups are unreadable without them."
