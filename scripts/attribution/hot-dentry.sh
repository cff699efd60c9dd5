#!/bin/bash
# hot-dentry.sh BPFTRACE OUTDIR [SECS] [WORKERS]: makes WORKERS shell loops contend on one known dentry and records
# the contention-naming prototype (lock:contention_begin/end, no kprobes: runs on the development machine) with it.
# The dentry: the "fd" directory of a holder process, /proc/<holder>/fd. Each loop opens /proc/<holder>/fd/99, which
# does not exist and which procfs never caches: every open misses the dcache (nodentry), leaves RCU-walk and takes a
# reference on "fd" (nd->path) in __legitimize_path <- try_to_unlazy, then locks it again in d_alloc_parallel for
# the lookup: the lock all loops fight over. (/proc/<holder>/fd/9, which exists, contends far less: its
# tid_fd_revalidate refusal takes references on "fd" and "9" without holding either lock long.)
# Writes OUTDIR/{layout.json, script.bt, bpftrace.ndjson, bpftrace.stderr, run.txt}. Root.
set -u
B=$1 O=$2 SECS=${3:-8} N=${4:-8}
D=$(cd "$(dirname "$0")/../.." && pwd)/dist
mkdir -p "$O"
node "$D/scripts/dump-layout.js" "$O/layout.json" --note 'hot-dentry.sh' 2>/dev/null
node "$D/scripts/attribution/gen-contention.js" "$O/layout.json" "$B" "$O/script.bt" 1000
( exec 9</dev/null; exec sleep 100000 ) & H=$!
sleep 0.2
[ -e /proc/$H/fd/9 ] || { echo "hot-dentry: no /proc/$H/fd/9" >&2; kill $H; exit 1; }
"$B" -f json "$O/script.bt" > "$O/bpftrace.ndjson" 2> "$O/bpftrace.stderr" & BP=$!
for i in $(seq 1 120); do grep -q rcuwalk-ready "$O/bpftrace.ndjson" 2>/dev/null && break; kill -0 $BP 2>/dev/null || break; sleep 0.5; done
pids=() files=()
for i in $(seq 1 "$N"); do
  f=$O/.count.$i; files+=("$f")
  ( end=$((SECONDS + SECS)); n=0; while [ $SECONDS -lt $end ]; do : < /proc/$H/fd/99; n=$((n + 1)); done; echo $n > "$f" ) 2>/dev/null &
  pids+=($!)
done
wait "${pids[@]}"
kill -INT $BP; wait $BP; rc=$?
kill $H
{
  echo "kernel $(uname -r)"
  echo "bpftrace $("$B" --version 2>&1 | head -1) ($B)"
  echo "date $(date -u +%FT%TZ)"
  echo "command scripts/attribution/hot-dentry.sh $B OUT $SECS $N"
  echo "holder $H (the hot dentry: /proc/$H/fd, named fd, parent $H, filesystem proc)"
  echo "workers $N seconds $SECS opens $(cat "${files[@]}" | awk '{s+=$1} END {print s+0}')"
  echo "bpftrace exit $rc"
} > "$O/run.txt"
rm -f "${files[@]}"
cat "$O/run.txt"
