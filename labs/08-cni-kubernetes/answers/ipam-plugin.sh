# The IPAM type of the first plugin that has one.
f=$(ls "$(nodepath /etc/cni/net.d)" | grep -E '\.(conf|conflist|json)$' | LC_ALL=C sort | head -n1)
nodefile "/etc/cni/net.d/$f" | jq -r '[(.plugins // [.])[] | .ipam.type // empty][0]'
