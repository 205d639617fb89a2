#!/usr/bin/env bash
# Installs and starts everything Praxis needs on a fresh Debian/Ubuntu machine with Node:
# npm packages, Debian's Docker engine, debootstrap and btrfs-progs (and Chromium with --browser;
# HAProxy and OpenSSL with --balancer, for the scale-out test and the load benchmark), a running
# dockerd with the host limits around it (ensure-engine.sh), the base image and the lab images.
# Every step is skipped when already done.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$PRAXIS_ROOT"

want_browser=0
want_balancer=0
for arg in "$@"; do
  [ "$arg" = "--browser" ] && want_browser=1
  [ "$arg" = "--balancer" ] && want_balancer=1
done

# 1. npm packages, when missing or when the lock file changed since the last install.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ] \
   || [ ! -e node_modules/.bin/praxis ]; then
  step "Installing npm packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
  done_step
fi

# 2. Debian packages.
missing=()
command -v dockerd >/dev/null || missing+=(docker.io)
command -v debootstrap >/dev/null || missing+=(debootstrap)
# The Kubernetes node image compiles Kubernetes' pause.c statically (infra/images/k8s).
command -v gcc >/dev/null || missing+=(gcc libc6-dev)
[ -f /usr/lib/x86_64-linux-gnu/libc.a ] || [ -f /usr/lib/aarch64-linux-gnu/libc.a ] || missing+=(libc6-dev)
# ...and downloads its Python package (systemctl for the nodes) with the host's pip.
python3 -m pip --version >/dev/null 2>&1 || missing+=(python3-pip)
command -v mkfs.btrfs >/dev/null || missing+=(btrfs-progs)
if [ "$want_browser" = 1 ] && [ ! -x /usr/bin/chromium ]; then missing+=(chromium); fi
# The web app speaks Korean: without a Korean font the browser tests' screenshots show boxes.
if [ "$want_browser" = 1 ] && ! dpkg -s fonts-nanum >/dev/null 2>&1; then missing+=(fonts-nanum); fi
if [ "$want_balancer" = 1 ]; then
  [ -x /usr/sbin/haproxy ] || missing+=(haproxy)
  command -v openssl >/dev/null || missing+=(openssl)
fi
if [ ${#missing[@]} -gt 0 ]; then
  step "Installing Debian packages: ${missing[*]} (a minute or two)"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  done_step
fi

# 3. A running Docker engine (no systemd here: started by the script), on btrfs with per-node
#    disk limits and root remapping, and the host limits around it.
bash infra/scripts/ensure-engine.sh

# 4. Images: the Debian base (debootstrap where no registry answers), then the lab images.
if ! docker image inspect "${PRAXIS_BASE_IMAGE:-praxis-base:bookworm}" >/dev/null 2>&1; then
  step "Building the base image"
  as_root bash infra/scripts/ensure-base-image.sh
  done_step
fi
# Go builds the Kubernetes components from their modules (infra/images/k8s/components): say so
# before a long build fails halfway.
if ! command -v go >/dev/null; then
  fail "Go is not installed: the Kubernetes node image builds Kubernetes, etcd, CoreDNS and the rest from their Go modules (Go 1.26 or newer, https://go.dev/dl)"
fi
step "Lab images (the first build of the Kubernetes node image compiles its components: 20-30 minutes on 2 cores)"
npx tsx infra/scripts/ensure-images.ts
done_step
