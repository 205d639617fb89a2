# DEL first (removes eth0 in the namespace and releases the address), then the namespace. With
# ipMasq now in the config, the first DEL also tries to remove a NAT chain that old's ADD (made
# with isMasq, ignored) never created, and reports that error after releasing the address and
# removing the interface; DEL is idempotent, so a second call finishes cleanly.
del_old() {
  CNI_COMMAND=DEL CNI_CONTAINERID=old CNI_NETNS=/var/run/netns/old CNI_IFNAME=eth0 \
  CNI_PATH=/opt/cni/bin /opt/cni/bin/bridge < /etc/cni/net.d/10-mynet.conf
}
del_old || del_old
ip netns del old 2>/dev/null || true
ls /var/lib/cni/networks/mynet
