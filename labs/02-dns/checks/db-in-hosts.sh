# A's /etc/hosts (read through the node's root, never A's own cat) must map the name db to B.
# The first line naming db wins, as it does for the resolver.
hosts=$(nodefile /etc/hosts) || fail "A has no /etc/hosts"
ip=$(printf '%s\n' "$hosts" | sed 's/#.*//' | awk '{ for (i = 2; i <= NF; i++) if (tolower($i) == "db") { print $1; exit } }')
[ -n "$ip" ] || fail "A's /etc/hosts has no line for the name db"
[ "$ip" = "$db_ip" ] || fail "A's /etc/hosts maps db to $ip, not to B ($db_ip)"
