# What B's sysctl files set at boot, applied by the grader's own sysctl in a scratch namespace:
# /etc/sysctl.conf itself must turn forwarding on, and nothing applied at boot may undo it. The
# line parsing below only words the reason for the learner; the verdict is sysctl's.
conf=$(nodefile /etc/sysctl.conf) || fail "B has no /etc/sysctl.conf"
last=$(printf '%s\n' "$conf" | sed -n 's/^[[:space:]]*net\.ipv4\.ip_forward[[:space:]]*=[[:space:]]*\([^[:space:]#]*\).*/\1/p' | tail -n1)
from_conf=$(sysctl_from_files net.ipv4.ip_forward /etc/sysctl.conf)
if [ "$from_conf" != 1 ]; then
  case "$last" in
    "") fail "/etc/sysctl.conf on B has no uncommented net.ipv4.ip_forward line" ;;
    1) fail "/etc/sysctl.conf on B sets net.ipv4.ip_forward = 1 but then sets it back to $from_conf (sysctl applies every line in order)" ;;
    *) fail "/etc/sysctl.conf on B sets net.ipv4.ip_forward = $last" ;;
  esac
fi
at_boot=$(sysctl_at_boot net.ipv4.ip_forward)
[ "$at_boot" = 1 ] || fail "after a reboot forwarding would be off on B: B's sysctl files end with net.ipv4.ip_forward = $at_boot"
