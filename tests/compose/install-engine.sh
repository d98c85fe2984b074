#!/usr/bin/env bash
# Makes a Docker engine with compose v2 usable on this machine (CI and developers, as root), idempotently:
#  - Debian's docker.io (engine 20.10) from the machine's apt sources;
#  - compose v2 and buildx as CLI plugins, from Debian trixie's static Go builds (bookworm only has compose v1,
#    which lacks `up --wait`), fetched with a private apt state so the system's sources stay untouched, and kept
#    in the cache folder (outside the repository);
#  - dockerd started with overlay2 and the host interface's MTU.
# Prints nothing but progress; exits non-zero with a reason when an engine cannot be had.
set -euo pipefail
say() { printf '\033[1;34m[engine]\033[0m %s\n' "$*"; }
cache="${SWITCHBOARD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/switchboard}/docker"
plugins="${DOCKER_CONFIG:-$HOME/.docker}/cli-plugins"
mkdir -p "$cache" "$plugins"

if ! command -v dockerd >/dev/null; then
  say "installing docker.io from Debian"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends docker.io debootstrap >/dev/null
fi
command -v debootstrap >/dev/null || { export DEBIAN_FRONTEND=noninteractive; apt-get install -y -qq --no-install-recommends debootstrap >/dev/null; }

if [ ! -x "$cache/docker-compose" ] || [ ! -x "$cache/docker-buildx" ]; then
  say "fetching compose v2 and buildx (Debian trixie packages, private apt state)"
  mirror=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  mirror="${mirror:-http://deb.debian.org/debian}"
  tmp=$(mktemp -d)
  mkdir -p "$tmp/lists/partial" "$tmp/cache/archives/partial" "$tmp/etc/preferences.d"
  echo "deb [trusted=yes] $mirror trixie main" > "$tmp/sources.list"
  apt_opts=(-o Dir::Etc::SourceList="$tmp/sources.list" -o Dir::Etc::SourceParts=/dev/null -o Dir::State::Lists="$tmp/lists"
            -o Dir::Cache="$tmp/cache" -o Dir::Etc::Preferences="$tmp/etc/preferences" -o Dir::Etc::PreferencesParts="$tmp/etc/preferences.d"
            -o APT::Get::List-Cleanup=0 -o APT::Sandbox::User=root)
  apt-get "${apt_opts[@]}" update -qq >/dev/null
  (cd "$tmp" && apt-get "${apt_opts[@]}" download docker-compose docker-buildx >/dev/null)
  for deb in "$tmp"/*.deb; do dpkg -x "$deb" "$tmp/x"; done
  cp "$tmp/x/usr/libexec/docker/cli-plugins/docker-compose" "$cache/docker-compose"
  cp "$tmp/x/usr/libexec/docker/cli-plugins/docker-buildx" "$cache/docker-buildx"
  chmod +x "$cache/docker-compose" "$cache/docker-buildx"
  rm -rf "$tmp"
fi
ln -sf "$cache/docker-compose" "$plugins/docker-compose"
ln -sf "$cache/docker-buildx" "$plugins/docker-buildx"

if ! docker info >/dev/null 2>&1; then
  mtu=$(ip -o link show "$(ip route show default | awk '{print $5; exit}')" 2>/dev/null | sed -n 's/.* mtu \([0-9]*\).*/\1/p')
  say "starting dockerd (overlay2, mtu ${mtu:-1500})"
  nohup dockerd --storage-driver=overlay2 --mtu="${mtu:-1500}" >/var/log/switchboard-dockerd.log 2>&1 &
  for _ in $(seq 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
fi
docker info >/dev/null 2>&1 || { echo "dockerd did not start; see /var/log/switchboard-dockerd.log" >&2; exit 1; }
docker compose version >/dev/null || { echo "docker compose v2 is not usable" >&2; exit 1; }
say "engine $(docker version -f '{{.Server.Version}}'), $(docker compose version --short | sed 's/^/compose /')"
