innetns blue true || exit 1
route=$(innetns blue ip -4 route show default)
[ -n "$route" ] || fail "blue has no default route"
printf '%s\n' "$route" | grep -q "via $bridge_ip " || fail "blue's default route is not via $bridge_ip: $route"
