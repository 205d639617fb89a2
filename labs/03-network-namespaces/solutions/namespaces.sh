[ -e /run/netns/red ] || ip netns add red
[ -e /run/netns/blue ] || ip netns add blue
ip netns
