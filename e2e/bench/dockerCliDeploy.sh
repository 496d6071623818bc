#!/usr/bin/env bash
# The rollout benchmark's baseline: a sequential docker-CLI deploy, as an operator would script it.
# Per container, one after another: pull, stop, rename to NAME-old, create NAME on the new image
# with the same settings (hostname, static IP and MAC on br0, service label, restart policy,
# health check override), start, rm the old. No health wait, no journal, no audit, no rollback.
#   dockerCliDeploy.sh IMAGE SERVICE HEALTH SOCKET NAME IP MAC [SOCKET NAME IP MAC ...]
# HEALTH: image (keep the image's HEALTHCHECK) or none (--no-healthcheck).
# DOCKER_BIN: the docker CLI (its API must match the daemon's: Docker 28's refuses --mac-address
# against API 1.41, so the bench passes the daemon's own 20.10 CLI).
set -euo pipefail
image=$1 service=$2 health=$3
shift 3
docker=${DOCKER_BIN:-docker}
health_args=()
[ "$health" = none ] && health_args=(--no-healthcheck)
while [ $# -gt 0 ]; do
  sock=$1 name=$2 ip=$3 mac=$4
  shift 4
  d=("$docker" -H "unix://$sock")
  "${d[@]}" pull -q "$image" >/dev/null
  "${d[@]}" stop "$name" >/dev/null
  "${d[@]}" rename "$name" "$name-old"
  "${d[@]}" create --name "$name" --hostname "$name" --network br0 --ip "$ip" --mac-address "$mac" \
    --label "com.example.service=$service" --restart unless-stopped "${health_args[@]}" "$image" >/dev/null
  "${d[@]}" start "$name" >/dev/null
  "${d[@]}" rm "$name-old" >/dev/null
done
