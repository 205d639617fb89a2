# A's resolver must ask the DNS server first, and the server must answer from A's network
# namespace (the grader's own dig, run in A's namespace).
conf=$(nodefile /etc/resolv.conf) || fail "A has no /etc/resolv.conf"
first=$(printf '%s\n' "$conf" | awk '$1 == "nameserver" { print $2; exit }')
[ -n "$first" ] || fail "A's /etc/resolv.conf has no nameserver line"
[ "$first" = "$dns_ip" ] || fail "the first nameserver in A's /etc/resolv.conf is $first, not the DNS server $dns_ip"
got=$(dig @"$dns_ip" +short +time=2 +tries=1 db.$domain A 2>/dev/null | head -n1)
[ "$got" = "$db_ip" ] || fail "A cannot get an answer from the DNS server $dns_ip"
