#!/bin/sh
# Host A starts with no name server and a stale /etc/hosts line for the NFS server, which has
# since moved to 192.168.1.31 (the DNS server knows the new address).
set -eu
printf '%s\n' "$nfs_old nfs" >> /etc/hosts
