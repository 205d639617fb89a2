# Passes when A sends 192.168.2.0/24 to B's eth0 address. Read with the grader's ip, in A's netns.
route=$(ip -4 route get $host_c 2>/dev/null | head -n1)
case "$route" in
  *" via $router_left "*) exit 0 ;;
esac
if ip -4 route show 192.168.2.0/24 | grep -q .; then
  fail "A has a route to 192.168.2.0/24, but not through B ($router_left): $(ip -4 route show 192.168.2.0/24)"
fi
fail "A has no route to 192.168.2.0/24 (ip route shows: $(ip -4 route | tr '\n' ';'))"
