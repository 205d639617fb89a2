# Where /opt/cni/bin really points on node01, resolved inside the node's root by nodepath.
p=$(nodepath /opt/cni/bin) || exit 1
[ -d "$p" ] || { echo "/opt/cni/bin is not a directory on node01" >&2; exit 1; }
printf '%s\n' "${p#"$PRAXIS_NODE_ROOT"}"
