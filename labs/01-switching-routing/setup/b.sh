#!/bin/sh
# Host B starts as a plain host: forwarding off (the topology sets the sysctl) and a Debian-style
# /etc/sysctl.conf where the forwarding line is present but commented out.
set -eu
cat > /etc/sysctl.conf <<'CONF'
# /etc/sysctl.conf - Configuration file for setting system variables
# See /etc/sysctl.d/ for additional system variables.
# See sysctl.conf (5) for information.

# Uncomment the next line to enable packet forwarding for IPv4
#net.ipv4.ip_forward=1
CONF
