# The runtime's rule (libcni ConfFiles): only .conf, .conflist and .json files, sorted by name;
# the first one wins.
dir=$(nodepath /etc/cni/net.d) || exit 1
ls -1 "$dir" | grep -E '\.(conf|conflist|json)$' | LC_ALL=C sort | head -n1
