# red holds 192.168.15.1 on veth-red, blue holds 192.168.15.2 on veth-blue, and red reaches blue
# (a direct veth pair or, after the bridge task, through v-net-0: both pass).
for ns in red blue; do innetns "$ns" true || exit 1; done
innetns red ip -o link show veth-red >/dev/null 2>&1 || fail "red has no interface veth-red"
innetns blue ip -o link show veth-blue >/dev/null 2>&1 || fail "blue has no interface veth-blue"
innetns red ip -4 -o addr show dev veth-red | grep -q " $red_ip/" || fail "veth-red in red does not have the address $red_ip"
innetns blue ip -4 -o addr show dev veth-blue | grep -q " $blue_ip/" || fail "veth-blue in blue does not have the address $blue_ip"
innetns red ip -o link show veth-red | grep -q 'state UP' || fail "veth-red in red is not up (both ends of the cable must be up)"
innetns blue ip -o link show veth-blue | grep -q 'state UP' || fail "veth-blue in blue is not up (both ends of the cable must be up)"
# No faking: red must not own blue's address.
if innetns red ip -4 -o addr show | grep -q " $blue_ip/"; then fail "red holds $blue_ip itself"; fi
innetns red ip -4 route get "$blue_ip" 2>/dev/null | grep -q 'dev veth-red' \
  || fail "red has no route to $blue_ip through veth-red (did you give the addresses a /24 prefix?)"
innetns red ping -c 3 -i 0.3 -W 2 -q "$blue_ip" >/dev/null 2>&1 || fail "ping $blue_ip from red gets no reply"
