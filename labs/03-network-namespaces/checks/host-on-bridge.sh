# The host holds 192.168.15.5/24 on the bridge v-net-0 and reaches red through it: the host's ping
# is captured arriving in red, on veth-red, and red's address is held by red only.
[ "$(link_kind v-net-0)" = bridge ] || fail "the host has no bridge named v-net-0 (this builds on the bridge task)"
state a ip -4 -o addr show dev v-net-0
has " $bridge_ip/24 " "$a" || fail "v-net-0 does not have the address $bridge_ip/24"
state r ip -4 route get "$red_ip"
has 'dev v-net-0' "$r" || fail "the host does not reach $red_ip through v-net-0"
innetns red true || exit 1
held_only_by red "$red_ip"
pcap_start tored -n red -i veth-red "$(probe_icmp_filter)"
probe_ping "$red_ip" || { pcap_stop tored >/dev/null; fail "ping $red_ip from the host gets no reply"; }
seen=$(pcap_stop tored)
[ -n "$seen" ] || fail "the host's pings to $red_ip are answered, but not by red"
