# Shared by the checks of this lab (run in the trusted grader, never in a node).

# is_up [-n NS] IFACE: the interface is administratively up.
is_up() {
  local ns="" out
  if [ "$1" = -n ]; then ns=$2; shift 2; fi
  out=$(praxis_in_ns "$ns" ip -o link show dev "$1" 2>/dev/null) || return 1
  has '<([^>]*,)?UP[,>]' "$out"
}

# red_reaches_blue: a ping from red with this run's pattern is captured arriving in blue, on blue's
# veth-blue, and red gets the replies.
red_reaches_blue() {
  # No source filter: with br_netfilter a MASQUERADE rule without "-o" rewrites bridged traffic too.
  pcap_start toblue -n blue -i veth-blue "$(probe_icmp_filter)"
  probe_ping -n red "$blue_ip" || { pcap_stop toblue >/dev/null; fail "ping $blue_ip from red gets no reply"; }
  seen=$(pcap_stop toblue)
  [ -n "$seen" ] || fail "red's pings to $blue_ip are answered, but not by blue: they never arrive on blue's veth-blue"
}
