# Namespace app: eth0 with 172.17.0.3/16, up, default route via 172.17.0.1; the far end of app's
# eth0 (the kernel's record of the peer's namespace, not an interface number) is a port of docker0
# on the host; app's and web's addresses are theirs alone; app's ping is captured arriving in the
# web container.
innetns app true || exit 1
innetns app ip -o link show dev eth0 >/dev/null 2>&1 || fail "the namespace app has no interface eth0"
state a innetns app ip -4 -o addr show dev eth0
has " $app_ip/16 " "$a" || fail "eth0 in app does not have the address $app_ip/16"
state l innetns app ip -o link show dev eth0
has 'state UP' "$l" || fail "eth0 in app is not up (both ends of the pair must be up)"
peer=$(veth_peer -n app eth0) || fail "eth0 in app is not one end of a veth pair"
case "$peer" in
  "@node "*) ;;
  *) fail "the other end of app's eth0 is not on the host: it is ${peer#* } in the namespace ${peer%% *}" ;;
esac
port=${peer#@node }
[ "$(link_master "$port")" = docker0 ] || fail "the other end of app's eth0 ($port) is not attached to docker0"
state d innetns app ip -4 route show default
has "via $docker0_ip " "$d" || fail "app has no default route via $docker0_ip"
held_only_by app "$app_ip"
held_only_by "$web_id" "$web_ip"
pcap_start toweb -n "$web_id" -i eth0 "$(probe_icmp_filter)"
probe_ping -n app "$web_ip" || { pcap_stop toweb >/dev/null; fail "ping $web_ip from app gets no reply"; }
seen=$(pcap_stop toweb)
[ -n "$seen" ] || fail "app's pings to $web_ip are answered, but not by the web container"
