# Shared by the checks of this lab (run in the trusted grader, never in a node).

# plugin_trial: what the real bridge plugin (the grader's own) does with node01's configuration:
# an ADD for a throwaway container in throwaway namespaces (host side and container side), its
# IPAM state on a scratch /var/lib. Prints the nat table the plugin leaves, then a line
# "plugin: ok" or "plugin: failed: <its error>". Nothing on node01 is touched.
plugin_trial() {
  # The file exactly as the plugin would read it (never re-serialised: a JSON tool would quietly
  # repair what the plugin refuses). host-local keeps its state under a scratch /var/lib.
  nodefile "$conf" >/tmp/trial.conf || return 1
  unshare --net --mount --propagation private bash -c '
    mount -o remount,rw /proc/sys && mount -t tmpfs trial-state /var/lib || exit 125
    ip link set lo up && ip netns add trial || exit 125
    out=$(CNI_COMMAND=ADD CNI_CONTAINERID=trial CNI_NETNS=/run/netns/trial CNI_IFNAME=eth0 CNI_PATH=/usr/lib/cni /usr/lib/cni/bridge </tmp/trial.conf 2>&1)
    rc=$?
    iptables-nft-save -t nat 2>/dev/null
    if [ $rc = 0 ]; then echo "plugin: ok"; else echo "plugin: failed: $(printf %s "$out" | jq -r .msg 2>/dev/null || printf %s "$out")"; fi'
}

# cni_chain ID: the nat chain the bridge plugin makes for container ID of this network.
cni_chain() {
  printf 'CNI-%s' "$(printf '%s%s' "$net_name" "$1" | sha512sum | cut -c1-24)"
}
