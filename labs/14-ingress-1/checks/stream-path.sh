# The Ingress ingress-wear-watch sends /stream (no longer /watch) to video-service port 8080, whose
# endpoints are deployment video's pods; a request to the controller's NodePort for /stream reaches
# a Traefik pod (the kernel's DNAT), Traefik's router for /stream sends to exactly video's pods,
# and one of them answers, asked by Traefik; /wear still reaches wear.
expect_ingress_path b app-space ingress-wear-watch /stream
[ "$b" = "video-service 8080" ] || fail "the path /stream of ingress-wear-watch sends to ${b% *} port ${b#* }, not to video-service port 8080"
kube_get i ingress ingress-wear-watch -n app-space
[ -z "$(jqr "$i" '.spec.rules[]?.http.paths[]? | select(.path == "/watch" or .path == "/watch/") | .path')" ] || fail "ingress-wear-watch still has the path /watch: the video app moves to /stream"
expect_endpoints app-space video-service deployment video 8080
retry_for 10 router_enabled /stream || true
expect_routed /stream app-space video
expect_routed /wear app-space wear
