# The node end of pod-b's veth, by the kernel's record of the peer (namespace and interface).
peer=$(veth_peer -n pod-b eth0) || { echo "pod-b's eth0 is not a veth" >&2; exit 1; }
case "$peer" in "@node "*) echo "${peer#@node }" ;; *) echo "pod-b's peer is not on node02: $peer" >&2; exit 1 ;; esac
