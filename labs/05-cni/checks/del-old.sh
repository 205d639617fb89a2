# DEL must have released old's address in host-local's state, the namespace must be gone, and
# nothing of old may survive anywhere on node01: no namespace (named, bind-mounted elsewhere, or
# held by a process) still holds old's address on a cable into cni0.
dir=$(nodepath "/var/lib/cni/networks/$net_name")
held=""
for f in "$dir"/*; do
  case "${f##*/}" in lock|last_reserved_ip.*) continue ;; esac
  [ -f "$f" ] && [ "$(head -n1 "$f" | tr -d '\r')" = old ] && held="$held ${f##*/}"
done
[ -z "$held" ] || fail "the address$held is still reserved for the container old in /var/lib/cni/networks/$net_name: call the plugin with CNI_COMMAND=DEL"
[ ! -e "$(nodepath /run/netns/old)" ] || fail "the network namespace old still exists (ip netns del old)"
holders=$(addr_holders "$old_ip")
[ -z "$holders" ] || fail "old's interface still exists, with its address $old_ip, in a namespace of node01 ($(echo $holders)): deleting a name is not DEL"
