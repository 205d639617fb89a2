# The peer of eth0 in the web container: eth0@ifN names the peer's index on the host.
idx=$(innetns "$web_id" ip -o link show dev eth0 | sed -n 's/^[0-9]*: eth0@if\([0-9]*\):.*/\1/p')
[ -n "$idx" ] || { echo "eth0 in $web_id has no peer index" >&2; exit 1; }
ip -o link show | awk -F': ' -v i="$idx" '$1 == i { sub(/@.*/, "", $2); print $2 }'
