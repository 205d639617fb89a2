# The bridge config must still be the same network, and the bridge plugin itself (the grader's own
# copy, in throwaway namespaces) must masquerade a container added with it: the plugin reads its
# keys, not a JSON tool's idea of them (a config it refuses masquerades nothing).
conf_text=$(nodefile "$conf") || fail "$conf is missing on node01"
printf '%s' "$conf_text" | jq -e . >/dev/null 2>&1 || fail "$conf is not valid JSON any more"
get() { printf '%s' "$conf_text" | jq -c "$1"; }
[ "$(get .type)" = '"bridge"' ] || fail "$conf must still use the bridge plugin (\"type\": \"bridge\")"
[ "$(get .name)" = "\"$net_name\"" ] || fail "$conf must still define the network \"$net_name\""
[ "$(get .isGateway)" = true ] || fail "$conf lost \"isGateway\": true"
[ "$(get .ipam.subnet)" = "\"$subnet\"" ] || fail "$conf lost its IPAM subnet $subnet"
state trial plugin_trial
if ! has '^plugin: ok$' "$trial"; then
  fail "the bridge plugin refuses $conf ($(grep '^plugin: failed: ' <<<"$trial" | sed 's/^plugin: failed: //'))"
fi
chain=$(cni_chain trial)
has "^-A $chain ! -d 224\.0\.0\.0/4 .*-j MASQUERADE" "$trial" \
  || fail "$conf does not ask the bridge plugin to masquerade: the plugin reads \"ipMasq\", not \"isMasq\""
