# A's /etc/hosts must map the name db to B, and A's resolver must use it without any DNS server:
# both asked of glibc with A's own files (nsswitch.conf, hosts...), the first entry winning as it
# does for `ping db`.
ip=$(node_resolve -s files db)
[ -n "$ip" ] || fail "A's /etc/hosts has no line for the name db"
[ "$ip" = "$db_ip" ] || fail "A's /etc/hosts maps db to $ip, not to B ($db_ip)"
got=$(node_resolve -x dns db)
[ "$got" = "$db_ip" ] || fail "A's /etc/hosts maps db to B, but A's resolver does not read /etc/hosts (see the hosts line of /etc/nsswitch.conf): without DNS, db resolves to ${got:-nothing}"
