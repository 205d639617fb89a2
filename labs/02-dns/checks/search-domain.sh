# The last search (or domain) line of A's resolv.conf is the one the resolver uses.
conf=$(nodefile /etc/resolv.conf) || fail "A has no /etc/resolv.conf"
line=$(printf '%s\n' "$conf" | awk '$1 == "search" || $1 == "domain"' | tail -n1)
[ -n "$line" ] || fail "A's /etc/resolv.conf has no search line"
printf '%s\n' "$line" | awk -v d="$domain" '{ for (i = 2; i <= NF; i++) { x = $i; sub(/\.$/, "", x); if (tolower(x) == d) found = 1 } } END { exit !found }' \
  || fail "the search line of A's /etc/resolv.conf does not list $domain ($line)"
