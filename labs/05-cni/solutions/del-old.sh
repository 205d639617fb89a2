# DEL first (removes eth0 in the namespace and releases the address), then the namespace.
CNI_COMMAND=DEL CNI_CONTAINERID=old CNI_NETNS=/var/run/netns/old CNI_IFNAME=eth0 \
CNI_PATH=/opt/cni/bin /opt/cni/bin/bridge < /etc/cni/net.d/10-mynet.conf
ip netns del old 2>/dev/null || true
ls /var/lib/cni/networks/mynet
