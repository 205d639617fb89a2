# ipMasq is spelled right, and jq reads the file, but a "nan" value makes it invalid JSON for the
# plugin (Go), so every ADD with it fails.
sed -i 's/"isMasq": true,/"ipMasq": true,\n    "mtu": nan,/' /etc/cni/net.d/10-mynet.conf
