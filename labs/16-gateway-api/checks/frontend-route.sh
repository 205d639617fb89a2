# The HTTPRoute frontend-route in app-space is attached to the Gateway web-gateway of gateway-space
# (its listener now admits routes from app-space, and Traefik accepted the route) and sends "/" to
# frontend-svc port 80, whose endpoints are deployment frontend's pods; a request to the gateway's
# NodePort reaches a Traefik pod (the kernel's DNAT), whose router for "/" sends to exactly
# frontend's pods, and one of them answers, asked by Traefik.
kube_get r httproute frontend-route -n app-space
jqr "$r" '[.spec.parentRefs[]? | select(.name == "web-gateway" and (.namespace // "app-space") == "gateway-space")] | length' | grep -qv '^0$' \
  || fail "the HTTPRoute frontend-route is not attached to the Gateway web-gateway in gateway-space (its parentRefs: $(jqr "$r" '[.spec.parentRefs[]? | (.namespace // "app-space") + "/" + .name] | join(", ")'))"
jqr "$r" '[.spec.rules[]?.backendRefs[]? | select(.name == "frontend-svc" and .port == 80)] | length' | grep -qv '^0$' || fail "the HTTPRoute frontend-route does not send to frontend-svc port 80"
accepted() {
  kube_get r httproute frontend-route -n app-space
  [ "$(jqr "$r" '[.status.parents[]? | select(.parentRef.name == "web-gateway" and .controllerName == "traefik.io/gateway-controller") | .conditions[]? | select(.type == "Accepted") | .status][0] // ""')" = True ]
}
if ! retry_for 10 accepted; then
  why=$(jqr "$r" '[.status.parents[]? | select(.parentRef.name == "web-gateway") | .conditions[]? | select(.type == "Accepted") | .reason + ": " + .message][0] // "no status from the controller"')
  fail "the Gateway web-gateway did not accept the HTTPRoute frontend-route ($why)"
fi
expect_endpoints app-space frontend-svc deployment frontend 8080
retry_for 10 router_enabled / || true
expect_routed / app-space frontend
