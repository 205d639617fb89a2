# The host holds 192.168.15.5/24 on v-net-0 and reaches red through it.
ip -4 -o addr show dev v-net-0 2>/dev/null | grep -q " $bridge_ip/24 " || fail "v-net-0 does not have the address $bridge_ip/24"
ip -4 route get "$red_ip" 2>/dev/null | grep -q 'dev v-net-0' || fail "the host does not reach $red_ip through v-net-0"
ping -c 3 -i 0.3 -W 2 -q "$red_ip" >/dev/null 2>&1 || fail "ping $red_ip from the host gets no reply"
