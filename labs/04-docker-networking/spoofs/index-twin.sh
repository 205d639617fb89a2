# app's eth0 is the far end of an interface in a namespace "evil" that takes the interface number
# of web's real docker0 port, so "eth0@ifN" points at a docker0 port by number; evil holds the web
# container's address and docker0's, and answers.
ip netns add app
ip netns add evil
n=$(cat /sys/class/net/vethbb1c343/ifindex)
ip -n evil link add p index "$n" type veth peer name eth0 netns app
ip -n evil addr add 172.17.0.2/16 dev p && ip -n evil addr add 172.17.0.1/16 dev p
ip -n evil link set p up
ip -n app link set lo up && ip -n app link set eth0 up
ip -n app addr add 172.17.0.3/16 dev eth0
ip -n app route add default via 172.17.0.1
ip netns exec app ping -c 1 -W 2 172.17.0.2
