# The check agent: one per grader and API process, started once with `docker exec` and kept, so a
# Check costs a fork in the grader instead of a runc exec through the engine (see check-exec.ts).
# It runs with the grader's environment; nothing here is exported to the checks.
#
# Requests, on stdin (a header line, then for R the script's bytes):
#   R <id> <seconds> <bytes>   run a check: bash on the script in a private mount namespace,
#                              under `timeout`, its stdin the run's barrier channel
#   L <id> <name>              release barrier <name> of run <id> (a line on that channel)
# Replies, on stdout, a line each, every line written whole in one write of at most 3 KB (under
# PIPE_BUF) so the lines of runs going on at once never mix:
#   O <id> <line>              a line of the check's stdout (a blank line ends the output)
#   E <id> <line>              a line of its stderr (likewise)
#   X <id> <status>            its exit status, after all its lines
set -u
dir=/run/praxis/agent.$$
mkdir -p "$dir" || exit 1

# Prefixes each line, cut at 3000 bytes, one flushed write per line.
relay() {
  LC_ALL=C sed -u -e 's/^\(.\{3000\}\).*/\1/' -e "s/^/$1 $2 /"
}

run() {
  local id=$1 secs=$2 f=$dir/$1 rc
  # Open read-write: never blocks, and the channel stays open (no EOF) while the check runs.
  exec 4<>"$f.in"
  # `timeout` leads a process group of its own; what the check left running there when it ended
  # (a capture never stopped) is killed, or it would hold the output open (docker exec let go at
  # the exit of its first process).
  {
    timeout -k 1 "$secs" unshare --mount --propagation private bash --noprofile --norc "$f.sh" <&4 4<&- 2>"$f.err" &
    wait $!
    rc=$?
    kill -KILL -- "-$!" 2>/dev/null
    echo
    exit $rc
  } | relay O "$id"
  rc=${PIPESTATUS[0]}
  { cat "$f.err"; echo; } | relay E "$id"
  # The channel's name goes before its last open end, so a release never blocks on a lone fifo.
  rm -f "$f.in" "$f.sh" "$f.err"
  exec 4<&-
  echo "X $id $rc"
}

while IFS=' ' read -r op id a b; do
  case $op in
    R)
      head -c "$b" >"$dir/$id.sh" && mkfifo "$dir/$id.in" || { echo "X $id 126"; continue; }
      run "$id" "$a" </dev/null &
      ;;
    L)
      if [ -p "$dir/$id.in" ]; then printf '%s\n' "$a${b:+ $b}" >"$dir/$id.in"; fi
      # The run ended between the test and the write: drop the plain file that write made.
      [ -p "$dir/$id.in" ] || rm -f "$dir/$id.in"
      ;;
  esac
done
# The API process went away (its end of the exec closed): let the runs finish, then tidy up.
wait
rm -rf "$dir"
