#!/bin/bash
# Guest job of bench/vm-overhead.sh (runs as /tmp/job/job.sh): the overhead bench (bench/workload.ts) on this
# kernel with a kprobe lockref strategy, its table written to /tmp/job/out/bench.md.
# Params (/tmp/job/params): REPO, STRATEGY, ROUNDS, SECONDS_PER.
set -u
. /tmp/job/params
O=/tmp/job/out
echo "rcuwalk-vm: overhead bench on $(uname -r): lockref $STRATEGY, $ROUNDS rounds x ${SECONDS_PER} s"
cd /tmp || exit 1
BENCH_ONLY=overhead BENCH_LOCKREF_STRATEGY=$STRATEGY BENCH_ROUNDS=$ROUNDS BENCH_SECONDS=$SECONDS_PER BENCH_PARALLEL=2 \
  node "$REPO/dist/bench/run-all.js" > "$O/bench.md" 2> "$O/bench.stderr"
rc=$?
tail -n 30 "$O/bench.stderr"
cat "$O/bench.md"
exit $rc
