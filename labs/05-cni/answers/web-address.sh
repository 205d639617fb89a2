# The address inside the namespace "web", read with the grader's own ip.
innetns web ip -4 -o addr show dev eth0 | awk '{print $4}' | head -n1
