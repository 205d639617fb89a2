# The first configuration in lexical order wins: take the stray one out of the directory.
rm -f /etc/cni/net.d/00-calico.conflist
