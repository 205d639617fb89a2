# Shared by the checks of this lab (run in the trusted grader, never in a node).

# only_in NS ADDRESS: ADDRESS is held by the namespace NS of this node and by no other one (its own,
# a named one, or one only a process holds): a stand-in copy anywhere else fails.
only_in() {
  local holders
  holders=$(addr_holders "$2")
  [ -n "$holders" ] || fail "no namespace of $PRAXIS_NODE holds $2"
  [ "$holders" = "$1" ] || fail "$2 must be held by $1 only, but $(echo $holders | sed 's/ /, /g' | sed 's/@node/the host itself/') hold it"
}

# lan_dev ADDRESS: the interface holding ADDRESS (this node's link to the LAN).
lan_dev() {
  local out
  state out ip -4 -o addr show to "$1/32"
  awk 'NR == 1 { print $2 }' <<<"$out"
}

# up [-n NS] IFACE: the interface is administratively up.
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
