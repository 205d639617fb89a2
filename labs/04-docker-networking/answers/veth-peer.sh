# The far end of eth0 in the web container, by the kernel's record of the peer (namespace and
# interface), read with the grader's own ip.
peer=$(veth_peer -n "$web_id" eth0) || { echo "eth0 in $web_id is not a veth" >&2; exit 1; }
case "$peer" in "@node "*) echo "${peer#@node }" ;; *) echo "eth0's peer is not on the host: $peer" >&2; exit 1 ;; esac
