# The type of the first plugin of that configuration.
f=$(ls "$(nodepath /etc/cni/net.d)" | grep -E '\.(conf|conflist|json)$' | LC_ALL=C sort | head -n1)
nodefile "/etc/cni/net.d/$f" | jq -r '(.plugins // [.])[0].type'
