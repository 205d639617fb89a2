# Shared by the checks of this lab (run in the trusted grader, never in a node).

# routes_via PREFIX-NAME GATEWAY DEV ADDRESS...: the kernel sends every ADDRESS to GATEWAY out of
# DEV; fails with the first difference. Asked of the kernel's routing decision (`ip route get`),
# so a route only for the probed address, a route in a table no rule consults or a route out of
# the wrong interface does not count.
routes_via() {
  local net=$1 gw=$2 dev=$3 addr route
  shift 3
  for addr; do
    route=$(ip -4 route get "$addr" 2>/dev/null | head -n1)
    case "$route" in
      *" via $gw dev $dev "*) continue ;;
      *" via $gw "*) fail "$PRAXIS_NODE sends $net to $gw, but not out of its interface $dev in that network: $route" ;;
      "") fail "$PRAXIS_NODE has no route to $net (ip route shows: $(ip -4 route | tr '\n' ';'))" ;;
    esac
    [ "$addr" = "$1" ] && fail "$PRAXIS_NODE has no route to $net through $gw: $route"
    fail "$PRAXIS_NODE sends only part of $net through $gw ($addr goes elsewhere: $route)"
  done
}
