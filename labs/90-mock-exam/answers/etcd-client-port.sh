# Of the ports etcd listens on (not loopback-only), the one with more established connections: the
# client port, which every control-plane component uses; the peer port has none with one member.
state listening nodeprocs ss -Hltnp
state established ss -Htn state established
best="" most=-1
for port in $(awk '/"etcd"/ { sub(/.*:/, "", $4); print $4 }' <<<"$listening" | sort -un); do
  n=$(awk -v p=":$port" '{ l = $3; if (substr(l, length(l) - length(p) + 1) == p) c++ } END { print c + 0 }' <<<"$established")
  if [ "$n" -gt "$most" ]; then best=$port; most=$n; fi
done
[ -n "$best" ] || { echo "no etcd process listens on $PRAXIS_NODE" >&2; exit 1; }
echo "$best"
