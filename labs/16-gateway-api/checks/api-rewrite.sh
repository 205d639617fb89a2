# The HTTPRoute api-route in app-space, attached to web-gateway, sends /api to api-svc port 8080
# with a URLRewrite filter that replaces the prefix /api with "/": a request for /api to the
# gateway's NodePort reaches a Traefik pod, whose router for /api sends to exactly api's pods
# through a rewriting middleware, and an api pod answers the request for "/".
kube_get r httproute api-route -n app-space
jqr "$r" '[.spec.rules[]?.backendRefs[]? | select(.name == "api-svc" and .port == 8080)] | length' | grep -qv '^0$' || fail "the HTTPRoute api-route does not send to api-svc port 8080"
expect_endpoints app-space api-svc deployment api 8080
retry_for 10 router_enabled /api || true
expect_routed /api app-space api /
mws=$(jqr "$TRAEFIK_ROUTER" '(.middlewares // [])[]')
rewrite=""
for m in $mws; do
  case "$m" in *@*) ;; *) m="$m@$TRAEFIK_PROVIDER" ;; esac
  jqr "$TRAEFIK_RAW" '(.middlewares // {})[$m] | (.URLRewrite // .urlRewrite // .replacePath // .replacePathRegex // .stripPrefix) != null' --arg m "$m" | grep -q true && rewrite="$m"
done
[ -n "$rewrite" ] || fail "the gateway sends /api to the api app without rewriting the path (no URLRewrite filter on the route for /api: was the app changed to answer /api?)"
