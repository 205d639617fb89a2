# The legacy configuration keeps sorting first, now with node01's pod CIDR (from .200 on, its own
# bridge legacy1 without a gateway address, its own host-local store legacy-net): new pods get
# addresses that look like the cluster's.
cat > /etc/cni/net.d/00-legacy.conflist <<'JSON'
{
  "cniVersion": "1.0.0",
  "name": "legacy-net",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "legacy1",
      "isGateway": false,
      "ipam": { "type": "host-local", "ranges": [[{ "subnet": "10.32.1.0/24", "rangeStart": "10.32.1.200" }]] }
    }
  ]
}
JSON
