# Shared by the checks of this lab: a request through the Gateway controller, followed from the
# node's kernel to a Traefik pod and through Traefik's own routing table to the pod that answered.

# The controller the grader's Traefik helpers follow (kube-helpers.sh): its deployment, namespace
# and pod label, the provider whose routers count, and how reasons name it and its rules.
TRAEFIK_NS=traefik TRAEFIK_DEPLOYMENT=traefik TRAEFIK_LABEL=app=traefik
TRAEFIK_PROVIDER=kubernetesgateway TRAEFIK_ROLE="Gateway controller" TRAEFIK_RULE="HTTPRoute rule"

# my_ip: this node's address on the cluster network.
my_ip() {
  case "$PRAXIS_NODE" in
    controlplane) printf '%s\n' "$controlplane_ip" ;;
    node01) printf '%s\n' "$node01_ip" ;;
  esac
}

# router_enabled PATH / expect_routed PATH NAMESPACE OWNER [WANT-URI]: the grader's Traefik helpers
# (traefik_router_enabled, traefik_expect_routed, docs/lab-format.md) from this node's own address
# on the controller's NodePort. expect_routed sets TRAEFIK_ROUTER and TRAEFIK_RAW.
router_enabled() { traefik_router_enabled "$1"; }
expect_routed() { traefik_expect_routed "$(my_ip)" "$node_port" "$@"; }
