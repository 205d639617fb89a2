# The DNS server must serve app.mycompany.com from its hosts file, on its LAN address.
ss -lun 2>/dev/null | grep -q ":53 " || fail "nothing listens on UDP port 53 on the DNS server"
lab=$(nodefile /etc/hosts.lab) || fail "the DNS server has no /etc/hosts.lab"
printf '%s\n' "$lab" | sed 's/#.*//' | awk -v ip="$app_ip" -v n="app.$domain" '$1 == ip { for (i = 2; i <= NF; i++) if (tolower($i) == n) f = 1 } END { exit !f }' \
  || fail "/etc/hosts.lab has no line mapping app.$domain to $app_ip"
got=$(dig @"$dns_ip" +short +time=2 +tries=1 app.$domain A 2>/dev/null | grep -E '^[0-9.]+$' | head -n1)
[ -n "$got" ] || fail "the DNS server does not answer for app.$domain yet (did dnsmasq reload its hosts file?)"
[ "$got" = "$app_ip" ] || fail "the DNS server answers $got for app.$domain, not $app_ip"
