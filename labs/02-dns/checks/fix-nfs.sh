# Works out what the name nfs resolves to on A, the way glibc does: the sources of the hosts line
# of A's /etc/nsswitch.conf in order, A's /etc/hosts for "files", A's first nameserver for "dns"
# (asked with the grader's dig from A's network namespace). It must be the DNS server's address.
nss=$(nodefile /etc/nsswitch.conf) || fail "A has no /etc/nsswitch.conf"
order=$(printf '%s\n' "$nss" | sed 's/#.*//' | awk '$1 == "hosts:" { $1 = ""; print }' | tail -n1 | sed 's/\[[^]]*\]//g')
[ -n "$order" ] || fail "A's /etc/nsswitch.conf has no hosts line"
result="" via=""
for src in $order; do
  case "$src" in
    files)
      ip=$(nodefile /etc/hosts 2>/dev/null | sed 's/#.*//' | awk '{ for (i = 2; i <= NF; i++) if (tolower($i) == "nfs") { print $1; exit } }')
      if [ -n "$ip" ]; then result=$ip via="/etc/hosts"; break; fi ;;
    dns)
      ns=$(nodefile /etc/resolv.conf 2>/dev/null | awk '$1 == "nameserver" { print $2; exit }')
      [ -n "$ns" ] || continue
      ip=$(dig @"$ns" +short +time=2 +tries=1 nfs A 2>/dev/null | grep -E '^[0-9.]+$' | head -n1)
      if [ -n "$ip" ]; then result=$ip via="the DNS server $ns"; break; fi ;;
  esac
done
[ -n "$result" ] || fail "the name nfs does not resolve on A (hosts sources: $order)"
[ "$result" = "$nfs_new" ] || fail "nfs still resolves to $result on A, from $via"
[ "$via" != "/etc/hosts" ] || fail "nfs resolves from A's /etc/hosts; it must come from the DNS server"
