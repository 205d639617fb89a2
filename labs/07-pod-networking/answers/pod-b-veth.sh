# The node end of pod-b's veth: eth0@ifN inside pod-b names the peer's index N on node02.
peer=$(innetns pod-b ip -o link show dev eth0 | sed -n 's/^[0-9]*: eth0@if\([0-9]*\):.*/\1/p')
[ -n "$peer" ] || { echo "pod-b's eth0 is not a veth" >&2; exit 1; }
ip -o link show | awk -F': ' -v i="$peer" '$1 == i {print $2}' | cut -d@ -f1
