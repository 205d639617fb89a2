# A's resolv.conf must list the domain on its search line, and A's resolver (glibc with A's own
# files) must really append it: a short name new for this run is looked up, and the query for
# "<name>.mycompany.com" must leave (captured on any interface of A, whichever server it goes to).
conf=$(nodefile /etc/resolv.conf) || fail "A has no /etc/resolv.conf"
line=$(printf '%s\n' "$conf" | awk '$1 == "search" || $1 == "domain"' | tail -n1)
[ -n "$line" ] || fail "A's /etc/resolv.conf has no search line"
printf '%s\n' "$line" | awk -v d="$domain" '{ for (i = 2; i <= NF; i++) { x = $i; sub(/\.$/, "", x); if (tolower(x) == d) found = 1 } } END { exit !found }' \
  || fail "the search line of A's /etc/resolv.conf does not list $domain ($line)"
pcap_start q -i any "udp dst port 53"
node_getent -s dns hosts "p$PRAXIS_PROBE" >/dev/null
seen=$(pcap_stop q)
has "p$PRAXIS_PROBE\\.$domain" "$seen" || fail "A's resolver does not try $domain for short names (the search line must start at the beginning of a line: \"search $domain\")"
