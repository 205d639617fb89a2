# Shared by the checks of this lab (run in the trusted grader, never in a node).

# only_in NS ADDRESS: ADDRESS is held by the namespace NS of this node and by no other one (its own,
# a named one, or one only a process holds): a stand-in copy anywhere else fails.
only_in() {
  local holders
  holders=$(addr_holders "$2")
  [ -n "$holders" ] || fail "no namespace of $PRAXIS_NODE holds $2"
  [ "$holders" = "$1" ] || fail "$2 must be held by $1 only, but $(echo $holders | sed 's/ /, /g' | sed 's/@node/docker-host itself/') hold it"
}

# lan_dev ADDRESS: the interface holding ADDRESS (this node's link to the LAN).
lan_dev() {
  local out
  state out ip -4 -o addr show to "$1/32"
  awk 'NR == 1 { print $2 }' <<<"$out"
}

# not_faked_here ADDRESS WHAT: no namespace of this node holds ADDRESS, and this node sends to it
# straight out of its LAN interface (no host route into a stand-in).
not_faked_here() {
  local holders dev r
  holders=$(addr_holders "$1")
  [ -z "$holders" ] || fail "$PRAXIS_NODE holds $2's address $1 itself ($(echo $holders)): its packets never leave $PRAXIS_NODE"
  dev=$(lan_dev "$3")
  state r ip -4 route get "$1"
  has "^$1 dev $dev " "$r" || fail "$PRAXIS_NODE does not send to $2 ($1) straight out of its LAN interface $dev: $r"
}
