#!/bin/sh
# Runs once on node01 while setup/controlplane.sh takes the plugin's agent off this node: once the
# agent is gone, its route to controlplane's pods goes too (the agent would put it back).
set -u
for i in $(seq 100); do
  pgrep -f /etc/praxis-net/praxis-net.sh >/dev/null || break
  sleep 0.5
done
if pgrep -f /etc/praxis-net/praxis-net.sh >/dev/null; then echo "the praxis-net agent still runs on node01" >&2; exit 1; fi
ip route del 10.32.0.0/24 2>/dev/null || true
