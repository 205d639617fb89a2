# Shared by the checks of this lab (run in the trusted grader, never in a node).

# not_faked_here ADDRESS WHAT: no namespace of this node holds ADDRESS, and this node sends to it
# straight out of its LAN interface (no host route into a stand-in).
not_faked_here() {
  local holders dev r
  holders=$(addr_holders "$1")
  [ -z "$holders" ] || fail "$PRAXIS_NODE holds $2's address $1 itself ($(echo $holders)): its packets never leave $PRAXIS_NODE"
  dev=$(addr_dev "$3")
  state r ip -4 route get "$1"
  has "^$1 dev $dev " "$r" || fail "$PRAXIS_NODE does not send to $2 ($1) straight out of its LAN interface $dev: $r"
}
