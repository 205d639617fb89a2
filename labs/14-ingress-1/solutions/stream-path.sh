kubectl -n app-space get ingress ingress-wear-watch -o yaml | sed 's#path: /watch$#path: /stream#' | kubectl apply -f -
