# Shared shell helpers: timed, labelled progress lines for every slow step.
PRAXIS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export PRAXIS_ROOT
step() { printf '\033[1m==> %s\033[0m\n' "$*"; STEP_START=$(date +%s); }
done_step() { printf '    done in %ss\n' "$(( $(date +%s) - ${STEP_START:-$(date +%s)} ))"; }
info() { printf '    %s\n' "$*"; }
fail() { printf '\033[31merror:\033[0m %s\n' "$*" >&2; exit 1; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else fail "need root for: $*"; fi; }
