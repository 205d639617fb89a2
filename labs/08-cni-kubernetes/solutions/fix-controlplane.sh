# `kubectl describe pod monitor`: ... failed (add): fork/exec /opt/cni/bin/host-local: permission denied
chmod 0755 /opt/cni/bin/host-local
