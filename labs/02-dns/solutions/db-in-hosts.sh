# Append the entry once (address first, then the name).
grep -qE "^[[:space:]]*$db_ip[[:space:]]+db([[:space:]]|\$)" /etc/hosts || echo "$db_ip db" >> /etc/hosts
cat /etc/hosts
