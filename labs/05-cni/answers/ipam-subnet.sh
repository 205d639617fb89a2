# The IPAM subnet of the configuration a runtime picks (first by name among .conf/.conflist/.json).
dir=$(nodepath /etc/cni/net.d) || exit 1
first=$(ls -1 "$dir" | grep -E '\.(conf|conflist|json)$' | LC_ALL=C sort | head -n1)
[ -n "$first" ] || { echo "no network configuration in /etc/cni/net.d" >&2; exit 1; }
jq -r '.ipam.subnet // .plugins[0].ipam.subnet // empty' "$dir/$first"
