# containerRuntimeEndpoint of the kubelet's configuration file on controlplane.
c=$(nodefile /var/lib/kubelet/config.yaml) || exit 1
printf '%s\n' "$c" | sed -n 's/^containerRuntimeEndpoint:[[:space:]]*//p' | head -n1
