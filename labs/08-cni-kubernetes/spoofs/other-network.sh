# A working configuration of another network takes the calico file's place (still sorting first).
rm -f /etc/cni/net.d/00-calico.conflist
cat > /etc/cni/net.d/05-legacy.conflist <<'JSON'
{
  "cniVersion": "1.0.0",
  "name": "legacy-net",
  "plugins": [
    { "type": "bridge", "bridge": "legacy0", "isGateway": true, "ipMasq": true,
      "ipam": { "type": "host-local", "ranges": [[{ "subnet": "10.99.0.0/24" }]], "routes": [{ "dst": "0.0.0.0/0" }] } }
  ]
}
JSON
