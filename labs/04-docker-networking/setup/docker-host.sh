#!/bin/sh
# Builds by hand what Docker builds (Docker itself cannot run in a lab node):
# - docker0, a bridge with 172.17.0.1/16 (`docker network ls` would call it "bridge");
# - container "web" in bridge mode: a namespace named by its container id, eth0 172.17.0.2/16
#   whose veth peer vethbb1c343 is a port of docker0, default route via docker0, HTTP on port 80;
# - container "batch" in none mode: a namespace with only lo;
# - container "monitor" in host mode: a server in the host's own namespace on port 8080.
set -eu
ip link add docker0 type bridge
ip addr add $docker0_ip/16 dev docker0
ip link set docker0 up

ip netns add $web_id
ip link add $web_veth type veth peer name eth0 netns $web_id
ip link set $web_veth master docker0 up
ip -n $web_id link set lo up
ip -n $web_id addr add $web_ip/16 dev eth0
ip -n $web_id link set eth0 up
ip -n $web_id route add default via $docker0_ip
mkdir -p /srv/web /srv/monitor
echo "Hello from container web ($web_ip)" > /srv/web/index.html
echo "monitor: ok" > /srv/monitor/index.html
ip netns exec $web_id busybox httpd -p 80 -h /srv/web </dev/null >/dev/null 2>&1

ip netns add $batch_id
ip -n $batch_id link set lo up

busybox httpd -p $monitor_port -h /srv/monitor </dev/null >/dev/null 2>&1

cat > /root/docker-ps.txt <<PS
CONTAINER ID   IMAGE     COMMAND                  PORTS     NAMES
$web_id   web       "httpd -f -p 80"                   web
$batch_id   batch     "batch-job"                        batch
4c8e1d2f6a73   monitor   "httpd -f -p $monitor_port"                 monitor
PS
