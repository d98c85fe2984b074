#!/bin/sh
# Entrypoint of the switchboard/n8n image.
#   start   (n8n main) runs deploy/n8n/bootstrap.sh first: owner password hash, the Switchboard API
#           credential, workflows imported and published. The bootstrap then execs `n8n start` itself,
#           so the owner hash it derives reaches n8n.
#   runners starts n8n's task runners in external mode (deploy/n8n/task-runners.mjs), one per n8n process.
#   other   (`worker`) goes straight to n8n.
set -e
if [ "${1:-start}" = "start" ]; then
  exec sh /opt/switchboard/bootstrap.sh n8n "$@"
fi
if [ "$1" = "runners" ]; then
  exec node /opt/switchboard/task-runners.mjs
fi
exec n8n "$@"
