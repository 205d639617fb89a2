#!/bin/sh
# Runs before containerd (ExecStartPre). The image carries containerd's preloaded images already
# unpacked: committed snapshot directories under /var/lib/praxis-k8s/snapshots and, in the
# snapshotter's root, its metadata and a symlink per snapshot. The overlayfs snapshotter may use
# committed snapshots on overlayfs (they are only lower layers), but a container's upper and
# work directories must not be on overlayfs. So when the node's root filesystem is overlayfs
# (Docker's overlay2), the snapshotter's root moves onto a tmpfs, seeded with the metadata and
# the symlinks; on any other filesystem (e.g. a btrfs data root) it is used where it is.
set -eu
root=/var/lib/containerd/io.containerd.snapshotter.v1.overlayfs
fs=$(stat -f -c %T "$root")
if [ "$fs" = tmpfs ]; then exit 0; fi                 # already prepared (containerd restarted)
if [ "$fs" != overlayfs ]; then echo "snapshotter root on $fs: used in place"; exit 0; fi
seed=$(mktemp -d /run/praxis-snapshotter.XXXXXX)
cp -a "$root/." "$seed/"
mount -t tmpfs -o mode=0700 tmpfs "$root"
cp -a "$seed/." "$root/"
rm -rf "$seed"
echo "snapshotter root on overlayfs: moved onto a tmpfs"
