# Namespace app: eth0 with 172.17.0.3/16, up, default via 172.17.0.1; eth0's veth peer is a port
# of docker0 on the host (found by the peer index); app reaches the web container.
innetns app true || exit 1
innetns app ip -o link show dev eth0 >/dev/null 2>&1 || fail "the namespace app has no interface eth0"
innetns app ip -4 -o addr show dev eth0 | grep -q " $app_ip/16 " || fail "eth0 in app does not have the address $app_ip/16"
innetns app ip -o link show dev eth0 | grep -q 'state UP' || fail "eth0 in app is not up (both ends of the pair must be up)"
peer=$(innetns app ip -o link show dev eth0 | sed -n 's/^[0-9]*: eth0@if\([0-9]*\):.*/\1/p')
[ -n "$peer" ] || fail "eth0 in app is not one end of a veth pair"
line=$(ip -o link show | awk -F': ' -v i="$peer" '$1 == i')
[ -n "$line" ] || fail "the other end of app's eth0 is not in the host's namespace"
printf '%s\n' "$line" | grep -q ' master docker0 ' || fail "the other end of app's eth0 ($(printf '%s' "$line" | awk -F': ' '{print $2}' | sed 's/@.*//')) is not attached to docker0"
innetns app ip -4 route show default | grep -q "via $docker0_ip " || fail "app has no default route via $docker0_ip"
innetns app ping -c 3 -i 0.3 -W 2 -q "$web_ip" >/dev/null 2>&1 || fail "ping $web_ip from app gets no reply"
