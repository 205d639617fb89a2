# A bridge configuration for this node's pod CIDR, written by hand (no plugin agent).
case "$(hostname)" in controlplane) cidr=10.50.0.0/24 ;; *) cidr=10.50.1.0/24 ;; esac
cat > /etc/cni/net.d/10-praxis-net.conflist <<JSON
{ "cniVersion": "1.0.0", "name": "praxis-net", "plugins": [
  { "type": "bridge", "bridge": "cni0", "isGateway": true, "ipMasq": false,
    "ipam": { "type": "host-local", "ranges": [[{ "subnet": "$cidr" }]], "routes": [{ "dst": "0.0.0.0/0" }] } } ] }
JSON
