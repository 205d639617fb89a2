# The named namespace of the node whose only interface is lo (the grader mirrors the node's named
# namespaces, so `ip -n NAME` works here).
for ns in $(netns_names); do
  links=$(ip -n "$ns" -o link show) || continue
  others=$(grep -vc ': lo:' <<<"$links")
  if [ "$others" = 0 ]; then echo "$ns"; exit 0; fi
done
echo "no namespace has only lo" >&2
exit 1
