# Runs on A and on the DNS server at once. A's resolv.conf must name the DNS server first; A's own
# resolver (glibc with A's files) then looks up a name new for this run, and the DNS server node
# must capture that query arriving from A: a stand-in server on A, in a namespace of A, or behind
# a redirect never sees it.
case "$PRAXIS_NODE" in
  a)
    conf=$(nodefile /etc/resolv.conf) || fail "A has no /etc/resolv.conf"
    first=$(printf '%s\n' "$conf" | awk '$1 == "nameserver" { print $2; exit }')
    [ -n "$first" ] || fail "A's /etc/resolv.conf has no nameserver line"
    [ "$first" = "$dns_ip" ] || fail "the first nameserver in A's /etc/resolv.conf is $first, not the DNS server $dns_ip"
    dns_reached_from_a
    barrier capture
    got=$(node_resolve "db.$domain")
    node_getent -s dns hosts "p$PRAXIS_PROBE.$domain" >/dev/null
    barrier done
    [ "$got" = "$db_ip" ] || fail "A cannot get an answer from the DNS server $dns_ip (db.$domain resolves to ${got:-nothing})"
    ;;
  dns)
    capture_queries_from_a
    barrier capture
    barrier done
    seen=$(pcap_stop q)
    has "p$PRAXIS_PROBE\\.$domain" "$seen" || fail "the DNS server never received A's lookups: A's resolver asks something else"
    ;;
esac
