# The first nameserver of B's resolv.conf, read through B's root.
nodefile /etc/resolv.conf | awk '$1 == "nameserver" { print $2; exit }'
