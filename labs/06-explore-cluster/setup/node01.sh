#!/bin/sh
# node01 is a worker: a kubelet and kube-proxy stand-in (copies of socat), the runtime's cni0
# with one pod's veth plugged in (so cni0 is UP here), flannel's vxlan device.
set -eu
start() { name=$1; shift; setsid "$@" >>"/var/log/$name.log" 2>&1 </dev/null & }
for c in kubelet kube-proxy; do cp /usr/bin/socat "/usr/local/bin/$c"; done
start kubelet kubelet TCP-LISTEN:10250,fork,reuseaddr OPEN:/dev/null,rdonly
start kubelet kubelet TCP-LISTEN:10248,bind=127.0.0.1,fork,reuseaddr OPEN:/dev/null,rdonly
start kube-proxy kube-proxy TCP-LISTEN:10256,fork,reuseaddr OPEN:/dev/null,rdonly
start kube-proxy kube-proxy TCP-LISTEN:10249,bind=127.0.0.1,fork,reuseaddr OPEN:/dev/null,rdonly

ip link add cni0 type bridge
ip addr add 10.244.1.1/24 dev cni0
ip link set cni0 up
ip netns add cni-5b9c1d2e-7f3a-4e21-9c0d-2a6f1b8e4c10
ip link add veth3a1f6c2e type veth peer name eth0 netns cni-5b9c1d2e-7f3a-4e21-9c0d-2a6f1b8e4c10
ip link set veth3a1f6c2e master cni0 up
ip -n cni-5b9c1d2e-7f3a-4e21-9c0d-2a6f1b8e4c10 addr add 10.244.1.2/24 dev eth0
ip -n cni-5b9c1d2e-7f3a-4e21-9c0d-2a6f1b8e4c10 link set eth0 up
ip -n cni-5b9c1d2e-7f3a-4e21-9c0d-2a6f1b8e4c10 route add default via 10.244.1.1
ip link add flannel.1 type vxlan id 1 local "$node01_ip" dev eth0 dstport 8472 nolearning
ip addr add 10.244.1.0/32 dev flannel.1
ip link set flannel.1 up

printf '%s controlplane\n%s node01\n' "$controlplane_ip" "$node01_ip" >> /etc/hosts
