grep -q "app.$domain" /etc/hosts.lab || echo "$app_ip    app.$domain app" >> /etc/hosts.lab
kill -HUP $(pidof dnsmasq)
sleep 0.5
dig @127.0.0.1 +short app.$domain
