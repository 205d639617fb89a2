#!/usr/bin/env bash
# Makes sure the local base image (praxis-base:bookworm) exists. Where a registry answers, it is
# debian:bookworm-slim re-tagged; where none does (this project's machines), it is built with
# debootstrap from the Debian mirror that apt is configured with, and imported into Docker.
set -euo pipefail
BASE_TAG="${PRAXIS_BASE_IMAGE:-praxis-base:bookworm}"
log() { printf '[base-image] %s\n' "$*"; }

if docker image inspect "$BASE_TAG" >/dev/null 2>&1; then
  log "$BASE_TAG present"
  exit 0
fi

if [ "${PRAXIS_TRY_PULL:-0}" = "1" ] && timeout 60 docker pull debian:bookworm-slim >/dev/null 2>&1; then
  docker tag debian:bookworm-slim "$BASE_TAG"
  log "$BASE_TAG tagged from debian:bookworm-slim"
  exit 0
fi

# The mirror is read from apt's own configuration, never hard-coded (environment.md).
mirror=""
if [ -f /etc/apt/sources.list.d/debian.sources ]; then
  mirror=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources)
fi
if [ -z "$mirror" ] && [ -f /etc/apt/sources.list ]; then
  mirror=$(awk '$1=="deb" && $2 !~ /security/ {print $2; exit}' /etc/apt/sources.list)
fi
[ -n "$mirror" ] || { echo "[base-image] cannot find a Debian mirror in /etc/apt" >&2; exit 1; }
command -v debootstrap >/dev/null || { echo "[base-image] debootstrap is not installed" >&2; exit 1; }

dir=$(mktemp -d /tmp/praxis-base.XXXXXX)
trap 'rm -rf "$dir"' EXIT
log "debootstrap bookworm from $mirror (about a minute)..."
start=$(date +%s)
debootstrap --variant=minbase --include=ca-certificates bookworm "$dir" "$mirror" 2>&1 \
  | awk '/^I: (Retrieving|Validating|Extracting|Installing|Configuring) / { n++; if (n % 25 == 0) printf "[base-image]   %s\n", $0; fflush() } /^E:/ { print; fflush() }'
[ -x "$dir/bin/sh" ] || { echo "[base-image] debootstrap failed" >&2; exit 1; }
# Keep apt lean inside images, as the official slim image does.
rm -rf "$dir"/var/cache/apt/archives/*.deb "$dir"/var/lib/apt/lists/*
log "importing into Docker..."
tar -C "$dir" -c . | docker import - "$BASE_TAG" >/dev/null
log "$BASE_TAG built in $(( $(date +%s) - start )) s"
