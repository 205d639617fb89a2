# A cheater's background loop: SIGKILL every process that looks like part of a check (grep, ip,
# awk, ping...) as soon as it appears, so that a check whose "no such thing" test dies would pass.
# Detached, so the step returns while the loop keeps running.
setsid sh -c '
  while :; do
    pkill -9 -x "grep|ip|awk|sed|cat|jq|ping|curl|nsenter|tcpdump|conntrack|socat|getent|dig|ss|stat|readlink|iptables-nft-sa|iptables-legacy|xtables-nft-mul|xtables-legacy-|sysctl" 2>/dev/null
  done' </dev/null >/dev/null 2>&1 &
