# Runs on A and on the DNS server at once. The name nfs must resolve on A (glibc with A's own
# nsswitch.conf, hosts and resolv.conf: what `ping nfs` does) to the new address; not from A's
# /etc/hosts (resolving without DNS must not give it); and the DNS server node must capture A's
# query, so no stand-in server on A answers it.
case "$PRAXIS_NODE" in
  a)
    dns_reached_from_a
    barrier capture
    got=$(node_resolve nfs)
    barrier done
    local_only=$(node_resolve -x dns nfs)
    [ -n "$got" ] || fail "the name nfs does not resolve on A"
    [ "$got" = "$nfs_new" ] || fail "nfs still resolves to $got on A${local_only:+, from /etc/hosts}"
    [ "$local_only" != "$nfs_new" ] || fail "nfs resolves from A's /etc/hosts; it must come from the DNS server"
    ;;
  dns)
    capture_queries_from_a
    barrier capture
    barrier done
    seen=$(pcap_stop q)
    has 'A\? nfs[.]' "$seen" || fail "the DNS server never received A's lookup of nfs: A resolves it somewhere else"
    ;;
esac
