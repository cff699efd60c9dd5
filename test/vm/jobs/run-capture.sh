#!/bin/bash
# Guest job of run-matrix.sh (runs as /tmp/job/job.sh): one rcuwalk capture with the ps
# workload on this kernel, written to /tmp/job/out/<uname -r>.json.
# Params (/tmp/job/params): REPO, CAPTURE_ARGS.
set -u
. /tmp/job/params
K=$(uname -r) O=/tmp/job/out
up() { local u; read -r u _ < /proc/uptime; echo "$u"; }
cd "$O" || exit 1
echo "rcuwalk-vm: [$(up)] capture on $K: rcuwalk capture $CAPTURE_ARGS"
t0=$(up)
# shellcheck disable=SC2086
node "$REPO/dist/cli/bin.js" capture $CAPTURE_ARGS --out "$O/$K.json" > "$O/capture.stdout" 2> "$O/capture.stderr"
rc=$?
echo "capture_exit=$rc capture_seconds=$(awk "BEGIN{print $(up)-$t0}")" > "$O/capture.txt"
echo "rcuwalk-vm: [$(up)] capture exit=$rc after $(awk "BEGIN{print $(up)-$t0}")s"
# the symbols the assertions check the resolution against
grep -E ' (pid_revalidate|try_to_unlazy_next|unlazy_child|try_to_unlazy|unlazy_walk|lockref_get_not_dead|__legitimize_path|legitimize_path|d_alloc_parallel)([.][^ ]*)?$' /proc/kallsyms > "$O/$K.kallsyms.txt"
tail -n 25 "$O/capture.stdout"; tail -n 25 "$O/capture.stderr"
exit $rc
