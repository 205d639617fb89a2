kubectl -n app-space create ingress ingress-wear-watch --rule='/wear*=wear-service:8080' --rule='/watch*=video-service:8080'
