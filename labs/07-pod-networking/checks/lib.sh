# Shared by the checks and computed answers of this lab (run in the trusted grader, never in a node).

# routes_via NET GATEWAY ADDRESS...: the kernel sends every ADDRESS to GATEWAY out of eth0 (asked
# of the routing decision: a route for one address only, one out of the wrong interface or in a
# table no rule consults does not count).
routes_via() {
  local net=$1 gw=$2 addr r
  shift 2
  for addr; do
    r=$(ip -4 route get "$addr" 2>/dev/null | head -n1)
    has " via $gw dev eth0 " "$r" && continue
    [ "$addr" = "$1" ] && fail "$PRAXIS_NODE does not route $net via $gw (ip route shows: $(ip -4 route | tr '\n' ';'))"
    fail "$PRAXIS_NODE routes only part of $net via $gw ($addr: ${r:-no route})"
  done
}
