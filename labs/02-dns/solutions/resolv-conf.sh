# resolv.conf is a mounted file: write it in place (cat >), never replace it (sed -i, mv).
cat > /etc/resolv.conf <<CONF
nameserver $dns_ip
search $domain
CONF
nslookup db
