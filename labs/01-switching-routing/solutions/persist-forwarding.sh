# Uncomment Debian's line if it is there, else append it; then apply the file now.
if grep -q '^#\s*net.ipv4.ip_forward' /etc/sysctl.conf; then
  sed -i 's/^#\s*net.ipv4.ip_forward.*/net.ipv4.ip_forward = 1/' /etc/sysctl.conf
else
  echo 'net.ipv4.ip_forward = 1' >> /etc/sysctl.conf
fi
sysctl -p
