# The Ingress ingress-wear-watch in app-space sends /wear to wear-service and /watch to
# video-service (port 8080 each); a request for each path to the controller's NodePort reaches a
# controller pod (the kernel's DNAT), whose router for the path sends to exactly the app's pods,
# and one of them answers, asked by the controller.
for pair in /wear:wear-service /watch:video-service; do
  expect_ingress_path b app-space ingress-wear-watch "${pair%%:*}"
  [ "$b" = "${pair#*:} 8080" ] || fail "the path ${pair%%:*} of ingress-wear-watch sends to ${b% *} port ${b#* }, not to ${pair#*:} port 8080"
done
expect_endpoints app-space wear-service deployment wear 8080
expect_endpoints app-space video-service deployment video 8080
retry_for 10 router_enabled /watch || true
expect_routed /wear app-space wear
expect_routed /watch app-space video
