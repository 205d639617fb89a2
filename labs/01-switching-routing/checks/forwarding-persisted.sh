# Reads B's /etc/sysctl.conf through the node's root (nodefile), never through B's own cat.
conf=$(nodefile /etc/sysctl.conf) || fail "B has no /etc/sysctl.conf"
# The last uncommented assignment wins, as with sysctl -p.
last=$(printf '%s\n' "$conf" | sed -n 's/^[[:space:]]*net\.ipv4\.ip_forward[[:space:]]*=[[:space:]]*\([^[:space:]#]*\).*/\1/p' | tail -n1)
case "$last" in
  1) exit 0 ;;
  "") fail "/etc/sysctl.conf on B has no uncommented net.ipv4.ip_forward line" ;;
  *) fail "/etc/sysctl.conf on B sets net.ipv4.ip_forward = $last" ;;
esac
