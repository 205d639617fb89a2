# The configuration containerd uses on controlplane: the first .conf/.conflist/.json file of
# /etc/cni/net.d in lexical order.
ls "$(nodepath /etc/cni/net.d)" | grep -E '\.(conf|conflist|json)$' | LC_ALL=C sort | head -n1
