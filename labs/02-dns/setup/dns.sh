#!/bin/sh
# The DNS server: dnsmasq answers for the names in /etc/hosts.lab (not its own /etc/hosts, and
# no upstream server: --no-resolv), plus two aliases of web.mycompany.com as CNAME records.
# --local=/#/ makes it the final word for every name: unknown names get NXDOMAIN (and names without
# an IPv6 address an empty AAAA answer) instead of REFUSED, so nslookup prints clean results.
set -eu
cat > /etc/hosts.lab <<HOSTS
# Names served by dnsmasq on this DNS server (--addn-hosts=/etc/hosts.lab).
# Send dnsmasq a SIGHUP after editing this file.
$host_a    host-a.$domain host-a
$db_ip    db.$domain db
$web_ip    web.$domain
192.168.1.21    web.prod.$domain
$nfs_new    nfs.$domain nfs
$dns_ip   dns-server.$domain dns-server
HOSTS
dnsmasq --no-daemon --no-resolv --no-hosts --addn-hosts=/etc/hosts.lab --local=/#/ \
  --cname=eat.$domain,hungry.$domain,web.$domain \
  --listen-address=$dns_ip,127.0.0.1 --bind-interfaces \
  </dev/null >/dev/null 2>&1 &
# Wait until it answers, so the learner never sees a half-started server.
for i in $(seq 1 50); do
  if dig @127.0.0.1 +short +time=1 +tries=1 db.$domain | grep -q .; then exit 0; fi
  sleep 0.1
done
echo "dnsmasq does not answer on 127.0.0.1" >&2
exit 1
