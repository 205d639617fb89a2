# The DNS server must serve app.mycompany.com from its hosts file, on its LAN address. "From the
# file": every name of /etc/hosts.lab must come back from the server with the file's address (a
# stand-in server or a redirect that answers only for app does not).
ss -lun 2>/dev/null | grep -q ":53 " || fail "nothing listens on UDP port 53 on the DNS server"
lab=$(nodefile /etc/hosts.lab) || fail "the DNS server has no /etc/hosts.lab"
printf '%s\n' "$lab" | sed 's/#.*//' | awk -v ip="$app_ip" -v n="app.$domain" '$1 == ip { for (i = 2; i <= NF; i++) if (tolower($i) == n) f = 1 } END { exit !f }' \
  || fail "/etc/hosts.lab has no line mapping app.$domain to $app_ip"
got=$(dig @"$dns_ip" +short +time=2 +tries=1 "app.$domain" A 2>/dev/null | grep -E '^[0-9.]+$' | head -n1)
[ -n "$got" ] || fail "the DNS server does not answer for app.$domain yet (did dnsmasq reload its hosts file?)"
[ "$got" = "$app_ip" ] || fail "the DNS server answers $got for app.$domain, not $app_ip"
while read -r ip name _; do
  [ -n "$name" ] || continue
  served=$(dig @"$dns_ip" +short +time=2 +tries=1 "$name" A 2>/dev/null | grep -E '^[0-9.]+$' | head -n1)
  [ "$served" = "$ip" ] || fail "the DNS server does not serve /etc/hosts.lab: $name is in the file as $ip, but the server answers ${served:-nothing}"
done < <(printf '%s\n' "$lab" | sed 's/#.*//' | awk 'NF >= 2 && $1 ~ /^[0-9.]+$/')
