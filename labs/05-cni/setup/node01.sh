#!/bin/sh
# node01 plays a node whose runtime uses CNI. Debian installs the plugins in /usr/lib/cni; the
# course (and most runtimes) expect /opt/cni/bin, so link it. Three files in /etc/cni/net.d: a
# disabled flannel list that sorts first, the notes' bridge config (with the slide's "isMasq"
# spelling, which the plugin ignores), and a loopback config. Two containers, web and old, are
# already attached the way a runtime would do it.
set -eu
mkdir -p /opt/cni /etc/cni/net.d /var/lib/cni
ln -sfn /usr/lib/cni /opt/cni/bin

cat > /etc/cni/net.d/05-flannel.conflist.bak <<'JSON'
{
  "name": "cbr0",
  "cniVersion": "0.3.1",
  "plugins": [
    { "type": "flannel", "delegate": { "hairpinMode": true, "isDefaultGateway": true } },
    { "type": "portmap", "capabilities": { "portMappings": true } }
  ]
}
JSON

cat > /etc/cni/net.d/10-mynet.conf <<'JSON'
{
    "cniVersion": "0.3.1",
    "name": "mynet",
    "type": "bridge",
    "bridge": "cni0",
    "isGateway": true,
    "isMasq": true,
    "ipam": {
        "type": "host-local",
        "subnet": "10.22.0.0/16",
        "routes": [
            { "dst": "0.0.0.0/0" }
        ]
    }
}
JSON

cat > /etc/cni/net.d/99-loopback.conf <<'JSON'
{
    "cniVersion": "0.3.1",
    "name": "lo",
    "type": "loopback"
}
JSON

# What a runtime does for each new container: a namespace, then the plugin with ADD.
for c in web old; do
  ip netns add "$c"
  CNI_COMMAND=ADD CNI_CONTAINERID="$c" CNI_NETNS="/var/run/netns/$c" CNI_IFNAME=eth0 \
    CNI_PATH=/opt/cni/bin /opt/cni/bin/bridge < /etc/cni/net.d/10-mynet.conf > /dev/null
done
