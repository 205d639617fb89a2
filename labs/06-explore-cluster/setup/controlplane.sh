#!/bin/sh
# controlplane carries what a kubeadm control-plane node shows on the network, without Kubernetes:
# a real etcd (Debian's etcd-server) with real client connections on 2379, stand-in listeners
# (copies of socat, so `ss -p`/`netstat -p` name them) on the components' ports, the runtime's
# cni0 bridge whose only pod is stopped, flannel's vxlan device, a firewall rule that blocks 6443, and a
# kubectl that only answers `get nodes`. Every daemon is detached from the setup's output.
set -eu

start() { # start NAME ARGS...: run in the background, detached, output to /var/log/NAME.log
  name=$1; shift
  setsid "$@" >>"/var/log/$name.log" 2>&1 </dev/null &
}

for c in kube-apiserver kube-scheduler kube-controller-manager kubelet kube-proxy; do
  cp /usr/bin/socat "/usr/local/bin/$c"
done

# etcd: clients on 127.0.0.1 and the node address, peers on the node address (one member).
mkdir -p /var/lib/etcd && chmod 700 /var/lib/etcd
start etcd etcd --name controlplane --data-dir /var/lib/etcd \
  --listen-client-urls "http://127.0.0.1:2379,http://$controlplane_ip:2379" \
  --advertise-client-urls "http://$controlplane_ip:2379" \
  --listen-peer-urls "http://$controlplane_ip:2380" \
  --initial-advertise-peer-urls "http://$controlplane_ip:2380" \
  --initial-cluster "controlplane=http://$controlplane_ip:2380" \
  --initial-cluster-state new

# The control-plane ports (kubeadm binds the scheduler and controller-manager to localhost).
start kube-apiserver kube-apiserver TCP-LISTEN:6443,fork,reuseaddr OPEN:/dev/null,rdonly
start kube-scheduler kube-scheduler TCP-LISTEN:10259,bind=127.0.0.1,fork,reuseaddr OPEN:/dev/null,rdonly
start kube-controller-manager kube-controller-manager TCP-LISTEN:10257,bind=127.0.0.1,fork,reuseaddr OPEN:/dev/null,rdonly
start kubelet kubelet TCP-LISTEN:10250,fork,reuseaddr OPEN:/dev/null,rdonly
start kubelet kubelet TCP-LISTEN:10248,bind=127.0.0.1,fork,reuseaddr OPEN:/dev/null,rdonly
start kube-proxy kube-proxy TCP-LISTEN:10256,fork,reuseaddr OPEN:/dev/null,rdonly
start kube-proxy kube-proxy TCP-LISTEN:10249,bind=127.0.0.1,fork,reuseaddr OPEN:/dev/null,rdonly

# Pod networking state: cni0's only port is the veth of a pod sandbox whose eth0 is down (its
# container is not running), so the bridge has no carrier; flannel.1 is flannel's vxlan device.
ip link add cni0 type bridge
ip addr add 10.244.0.1/24 dev cni0
ip link set cni0 up
ip netns add cni-0e4d7a91-c3b2-4f5e-8a17-d9c6b3e2f084
ip link add veth8c0e2b71 type veth peer name eth0 netns cni-0e4d7a91-c3b2-4f5e-8a17-d9c6b3e2f084
ip link set veth8c0e2b71 master cni0 up
ip -n cni-0e4d7a91-c3b2-4f5e-8a17-d9c6b3e2f084 addr add 10.244.0.2/24 dev eth0
ip link add flannel.1 type vxlan id 1 local "$controlplane_ip" dev eth0 dstport 8472 nolearning
ip addr add 10.244.0.0/32 dev flannel.1
ip link set flannel.1 up

# Someone "hardened" the node: every rule is harmless except the DROP of the API server port.
iptables -A INPUT -i lo -j ACCEPT
iptables -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
iptables -A INPUT -p tcp -m multiport --dports 2379,2380 -s "$cluster_net" -j ACCEPT
iptables -A INPUT -p tcp --dport 10250 -j ACCEPT
iptables -A INPUT -p tcp --dport 6443 -j DROP

printf '%s controlplane\n%s node01\n' "$controlplane_ip" "$node01_ip" >> /etc/hosts

cat > /usr/local/bin/kubectl <<KUBECTL
#!/bin/sh
# A stand-in: this lab has no Kubernetes API; only "kubectl get nodes [-o wide]" is simulated.
case "\$*" in
  "get nodes"|"get node"|"get no")
    printf '%-14s%-9s%-16s%-6s%s\n' NAME STATUS ROLES AGE VERSION \
      controlplane Ready control-plane 42m v1.31.0 node01 Ready '<none>' 41m v1.31.0 ;;
  "get nodes -o wide"|"get node -o wide"|"get no -o wide"|"get nodes -owide"|"get no -owide")
    printf '%-14s%-9s%-16s%-6s%-10s%-17s%-13s%-32s%s\n' NAME STATUS ROLES AGE VERSION INTERNAL-IP EXTERNAL-IP OS-IMAGE CONTAINER-RUNTIME \
      controlplane Ready control-plane 42m v1.31.0 $controlplane_ip '<none>' 'Debian GNU/Linux 12 (bookworm)' containerd://1.7.22 \
      node01 Ready '<none>' 41m v1.31.0 $node01_ip '<none>' 'Debian GNU/Linux 12 (bookworm)' containerd://1.7.22 ;;
  *) echo "this lab has no Kubernetes API: only 'kubectl get nodes [-o wide]' is simulated" >&2; exit 1 ;;
esac
KUBECTL
chmod 0755 /usr/local/bin/kubectl

# Real etcd clients: long-lived watches on 2379, as the API server keeps them. curl is copied
# under the API server's name, so netstat -p shows the connections where a cluster has them.
i=0
until curl -fsS "http://127.0.0.1:2379/health" >/dev/null 2>&1; do
  i=$((i + 1)); [ "$i" -le 300 ] || { echo "etcd did not start:"; tail -n 5 /var/log/etcd.log; exit 1; }
  sleep 0.1
done
mkdir -p /usr/local/lib/kubernetes && cp /usr/bin/curl /usr/local/lib/kubernetes/kube-apiserver
for key in L3JlZ2lzdHJ5L3BvZHM= L3JlZ2lzdHJ5L25vZGVz L3JlZ2lzdHJ5L3NlcnZpY2Vz; do
  start kube-apiserver /usr/local/lib/kubernetes/kube-apiserver -sN -X POST \
    "http://127.0.0.1:2379/v3/watch" -d "{\"create_request\":{\"key\":\"$key\",\"range_end\":\"AA==\"}}"
done
