#!/usr/bin/env bash
# The Docker engine Praxis runs labs on, and the host limits around it (docs/sandbox-security.md):
#
# 1. Host kernel limits, raised (never lowered): the neighbour (ARP/NDP) tables are one per host,
#    1,024 entries by default, so one learner filling them cut every other instance off; inotify
#    instances are one count for every remapped node, 128 by default (four Kubernetes clusters).
# 2. A running engine is used as it is; without one, dockerd is started with --userns-remap and a
#    data root on btrfs, whose storage driver enforces each node's disk limit
#    (`--storage-opt size=`; this kernel has no ext4/XFS quota). Where /var/lib/docker is not
#    btrfs already, the data root is a btrfs file system in a loop file made here once
#    (/var/lib/praxis/docker.btrfs mounted on /var/lib/praxis/docker, sparse;
#    PRAXIS_DOCKER_DISK_GB, default half the free space, at most 64; PRAXIS_DOCKER_LOOP_FILE and
#    PRAXIS_DOCKER_DATA_ROOT move them). That also keeps the whole engine off the disk the
#    database uses. After a reboot the loop file is mounted again before dockerd starts.
#
# An engine that already runs with another storage driver is not restarted (it may carry other
# work): the script says so and that nodes have no disk limit. To move it: stop dockerd and run
# `npm start` again; the new engine starts on btrfs and images are built again once (the old
# /var/lib/docker is left as it was). PRAXIS_DOCKER_STORAGE=default starts dockerd without btrfs;
# PRAXIS_USERNS_REMAP=0 without remapping (neither is safe for learners).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# --- 1. Host kernel limits -------------------------------------------------------------------
raise_sysctl() { # name minimum
  local file="/proc/sys/${1//.//}" now
  now=$(cat "$file" 2>/dev/null) || return 0
  if [ "$now" -lt "$2" ]; then
    as_root sh -c "echo $2 > $file" 2>/dev/null || { info "warning: could not raise $1 to $2 (it stays $now)"; return 0; }
    # procps/proc writes can "succeed" without effect: read it back.
    [ "$(cat "$file")" = "$2" ] && info "$1: $now -> $2" || info "warning: $1 stays $(cat "$file")"
  fi
}
# About 350 bytes an entry: 128k entries are at most ~45 MiB of kernel memory per table. The
# watchdog stops a node above 2,048 long before one instance could fill this.
for fam in ipv4 ipv6; do
  raise_sysctl "net.$fam.neigh.default.gc_thresh1" 8192
  raise_sysctl "net.$fam.neigh.default.gc_thresh2" 65536
  raise_sysctl "net.$fam.neigh.default.gc_thresh3" 131072
done
# inotify: with --userns-remap every node's user namespace belongs to root, so the inotify
# instances of every node on the host are charged to one count (128 by default). A two-node
# Kubernetes cluster holds about 31 (kubelet, API server, controller manager, containerd...):
# with the default the fifth cluster's kubelet could not start. The memory an instance costs is
# charged to its node's own memory limit (docs/kubernetes.md, docs/threat-model.md).
raise_sysctl fs.inotify.max_user_instances 8192
raise_sysctl fs.inotify.max_user_watches 524288

# --- 2. The engine ------------------------------------------------------------------------------
DATA_ROOT=${PRAXIS_DOCKER_DATA_ROOT:-/var/lib/praxis/docker}
LOOP_FILE=${PRAXIS_DOCKER_LOOP_FILE:-/var/lib/praxis/docker.btrfs}

QUOTA_MODE=none

ensure_btrfs_data_root() {
  # Also callable alone, for a second engine: ensure-engine.sh --data-root-only
  if [ -z "${PRAXIS_DOCKER_DATA_ROOT:-}" ] && [ "$(stat -f -c %T /var/lib/docker 2>/dev/null || stat -f -c %T /var/lib)" = btrfs ]; then
    DATA_ROOT=/var/lib/docker
  else
    command -v mkfs.btrfs >/dev/null || fail "btrfs-progs is missing (ensure-deps.sh installs it)"
    as_root mkdir -p "$DATA_ROOT" "$(dirname "$LOOP_FILE")"
    if ! mountpoint -q "$DATA_ROOT"; then
      if [ ! -f "$LOOP_FILE" ]; then
        local free_gb size_gb
        free_gb=$(df -BG --output=avail "$(dirname "$LOOP_FILE")" | tail -n1 | tr -dc 0-9)
        size_gb=${PRAXIS_DOCKER_DISK_GB:-$(( free_gb / 2 < 64 ? free_gb / 2 : 64 ))}
        [ "$size_gb" -ge 8 ] || fail "only ${free_gb} GiB free under $(dirname "$LOOP_FILE"): Praxis's Docker data needs at least 8 GiB (PRAXIS_DOCKER_DISK_GB)"
        step "Creating a ${size_gb} GiB btrfs file system for Docker's data ($LOOP_FILE, sparse)"
        as_root truncate -s "${size_gb}G" "$LOOP_FILE"
        as_root mkfs.btrfs -q -L praxis-docker "$LOOP_FILE" >/dev/null
        done_step
      fi
      as_root mount -o loop "$LOOP_FILE" "$DATA_ROOT" || fail "could not mount $LOOP_FILE on $DATA_ROOT (loop devices missing?)"
    fi
  fi
  ensure_quotas "$DATA_ROOT"
}

# Quotas are what limits each node's disk (Docker's `--storage-opt size=` sets a qgroup limit).
# Simple quotas (kernel 6.7+) count what each container writes and nothing it shares with its
# image, cost nothing when a container is removed and never go stale. Full qgroups are the
# fallback: they walk every shared extent when a container is removed (tried here: docker run
# took 7-15 s after a few hundred containers) and enforce no limit at all while marked
# inconsistent. Debian 12's btrfs-progs cannot turn simple quotas on, so the ioctl is made here
# (BTRFS_IOC_QUOTA_CTL, command 4) on a file system that has no quotas yet.
ensure_quotas() { # data root
  local uuid qg
  uuid=$(findmnt -no UUID -T "$1" 2>/dev/null || true)
  [ -n "$uuid" ] || return 0
  qg="/sys/fs/btrfs/$uuid/qgroups"
  if [ ! -d "$qg" ]; then
    as_root perl -e 'open(my $fh, "<", $ARGV[0]) or die "$ARGV[0]: $!\n"; ioctl($fh, 0xC0109428, my $a = pack("QQ", 4, 0)) or die "$!\n"' "$1" 2>/dev/null \
      || as_root btrfs quota enable "$1"
  fi
  QUOTA_MODE=$(cat "$qg/mode" 2>/dev/null || echo qgroup)
  if [ "$QUOTA_MODE" = qgroup ]; then
    # Account every removal rather than give up and mark the accounting inconsistent.
    [ -w "$qg/drop_subtree_threshold" ] && as_root sh -c "echo 8 > $qg/drop_subtree_threshold"
    if [ "$(cat "$qg/inconsistent" 2>/dev/null || echo 0)" = 1 ]; then
      step "Rescanning btrfs quotas of $1 (they were inconsistent, so disk limits were off)"
      as_root btrfs quota rescan -w "$1" >/dev/null
      done_step
    fi
  fi
  # Docker cannot delete a removed container's qgroup while btrfs still drops the subvolume: the
  # leftovers (`<stale>`) are cleared here.
  as_root btrfs qgroup clear-stale "$1" >/dev/null 2>&1 || true
}

if [ "${1:-}" = --data-root-only ]; then
  ensure_btrfs_data_root
  echo "$DATA_ROOT"
  exit 0
fi

if docker info >/dev/null 2>&1; then
  driver=$(docker info --format '{{.Driver}}' 2>/dev/null || echo unknown)
  if [ "$driver" = btrfs ] && [ -z "${DOCKER_HOST:-}" ]; then
    ensure_quotas "$(docker info --format '{{.DockerRootDir}}')"
  elif [ "$driver" != btrfs ] && [ "$driver" != zfs ]; then
    info "warning: the running Docker engine stores containers with $driver: lab nodes have no disk limit,"
    info "         so one learner can fill this host's disk. Stop dockerd and run npm start again to move"
    info "         it to btrfs (images are rebuilt once; /var/lib/docker is left as it is)."
  fi
else
  if [ -n "${DOCKER_HOST:-}" ]; then fail "DOCKER_HOST=$DOCKER_HOST does not answer"; fi
  # User-namespace remapping: root in a lab node is not root on the host, so SYS_ADMIN (needed
  # by `ip netns`) cannot reach kernel-wide knobs. The engine creates the dockremap user and its
  # subordinate ids itself.
  opts=()
  [ "${PRAXIS_USERNS_REMAP:-1}" = "0" ] || opts+=(--userns-remap=default)
  if [ "${PRAXIS_DOCKER_STORAGE:-btrfs}" = btrfs ]; then
    ensure_btrfs_data_root
    # The label tells the sandbox how btrfs counts a node's disk (engine-features.ts).
    opts+=(--data-root "$DATA_ROOT" --storage-driver btrfs --label "praxis.btrfs-quota=$QUOTA_MODE")
  fi
  step "Starting dockerd ${opts[*]}"
  as_root sh -c "nohup setsid dockerd ${opts[*]} >/var/log/praxis-dockerd.log 2>&1 </dev/null &"
  for _ in $(seq 1 120); do docker info >/dev/null 2>&1 && break; sleep 0.5; done
  docker info >/dev/null 2>&1 || fail "dockerd did not start; see /var/log/praxis-dockerd.log"
  done_step
fi

if ! docker info --format '{{json .SecurityOptions}}' 2>/dev/null | grep -q 'name=userns'; then
  info "warning: the Docker engine runs without --userns-remap: a learner who is root in a lab node"
  info "         can become root on this host (docs/sandbox-security.md). Restart dockerd with"
  info "         --userns-remap=default before letting learners in."
fi
