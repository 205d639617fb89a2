# The Ingress ingress-pay in critical-space sends /pay to pay-service port 8282 (deployment pay's
# pods) through a middleware that takes /pay off the path: a request to the controller's NodePort
# for /pay reaches a Traefik pod, whose router for /pay sends to exactly pay's pods after a
# stripPrefix (or replacePath) middleware, and a pay pod answers the request for "/".
expect_ingress_path b critical-space ingress-pay /pay
[ "$b" = "pay-service 8282" ] || fail "the path /pay of ingress-pay sends to ${b% *} port ${b#* }, not to pay-service port 8282"
expect_endpoints critical-space pay-service deployment pay 8080
# Traefik takes a moment to enable a router whose middleware was created a moment ago.
retry_for 10 router_enabled /pay || true
expect_routed /pay critical-space pay /
mws=$(jqr "$TRAEFIK_ROUTER" '(.middlewares // [])[]')
[ -n "$mws" ] || fail "the controller sends /pay to the pay app unchanged: no middleware rewrites the path (the pay app itself was changed to answer /pay?)"
rewrites=""
for m in $mws; do
  case "$m" in *@*) ;; *) m="$m@kubernetescrd" ;; esac
  kind=$(jqr "$TRAEFIK_RAW" '(.middlewares // {})[$m] | if .stripPrefix then "stripPrefix " + ((.stripPrefix.prefixes // []) | join(",")) elif .replacePath then "replacePath " + .replacePath.path elif .replacePathRegex then "replacePathRegex " + .replacePathRegex.replacement elif .stripPrefixRegex then "stripPrefixRegex" else "" end' --arg m "$m")
  case "$kind" in stripPrefix*/pay* | replacePath\ /* | replacePathRegex* | stripPrefixRegex) rewrites="$m" ;; esac
done
[ -n "$rewrites" ] || fail "the middlewares of the route for /pay ($(printf '%s ' $mws)) do not take /pay off the path"
