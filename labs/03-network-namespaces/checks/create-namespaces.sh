# Both namespaces must exist (as `ip netns add` makes them, under /run/netns of the host) and be
# network namespaces of their own, not the host's. innetns prints its own FAIL line if one is missing.
host_ns=$(readlink /proc/self/ns/net)
for ns in red blue; do
  innetns "$ns" true || exit 1
  [ "$(innetns "$ns" readlink /proc/self/ns/net)" != "$host_ns" ] || fail "\"$ns\" is the host's own network namespace, not a new one"
done
[ "$(innetns red readlink /proc/self/ns/net)" != "$(innetns blue readlink /proc/self/ns/net)" ] || fail "red and blue are the same network namespace"
