# On node01: the route the agent would add, typed by hand; the DaemonSet still selects control-plane
# nodes only, so no agent keeps node01's routes (nor a next node's) up to date.
ip route replace 10.32.0.0/24 via "$controlplane_ip" dev eth0
