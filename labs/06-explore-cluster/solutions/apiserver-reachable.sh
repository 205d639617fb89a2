# Remove the rule that drops the API server's port (no error if it is already gone).
iptables -L INPUT -n --line-numbers
while iptables -D INPUT -p tcp --dport 6443 -j DROP 2>/dev/null; do :; done
iptables -L INPUT -n --line-numbers
