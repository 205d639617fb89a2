# Play the runtime: a namespace, then the bridge plugin with ADD (skipped if pod1 is attached).
ip netns add pod1 2>/dev/null || true
if ! ip -n pod1 -4 addr show dev eth0 2>/dev/null | grep -q inet; then
  CNI_COMMAND=ADD CNI_CONTAINERID=pod1 CNI_NETNS=/var/run/netns/pod1 CNI_IFNAME=eth0 \
  CNI_PATH=/opt/cni/bin /opt/cni/bin/bridge < /etc/cni/net.d/10-mynet.conf
fi
ip -n pod1 addr show eth0
ls /var/lib/cni/networks/mynet
