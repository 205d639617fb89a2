# Shared by the checks of this lab.

# node_ip_of NODE: the node's address on the cluster network.
node_ip_of() {
  case "$1" in controlplane) printf '%s\n' "$controlplane_ip" ;; node01) printf '%s\n' "$node01_ip" ;; esac
}
