# The bridge config must still be valid JSON for the bridge plugin, with ipMasq true.
conf_text=$(nodefile "$conf") || fail "$conf is missing on node01"
printf '%s' "$conf_text" | jq -e . >/dev/null 2>&1 || fail "$conf is not valid JSON any more"
get() { printf '%s' "$conf_text" | jq -c "$1"; }
[ "$(get .type)" = '"bridge"' ] || fail "$conf must still use the bridge plugin (\"type\": \"bridge\")"
[ "$(get .name)" = "\"$net_name\"" ] || fail "$conf must still define the network \"$net_name\""
[ "$(get .isGateway)" = true ] || fail "$conf lost \"isGateway\": true"
[ "$(get .ipam.subnet)" = "\"$subnet\"" ] || fail "$conf lost its IPAM subnet $subnet"
[ "$(get .ipMasq)" = true ] || fail "$conf does not ask the bridge plugin to masquerade: the plugin reads \"ipMasq\", not \"isMasq\""
