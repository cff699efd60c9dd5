#!/bin/bash
# Guest job of test/vm/record-attribution.sh (issue 20 groundwork): on this kernel,
#   rec/    the struct layout (dump-layout.js) and its bpftrace offsetof/sizeof check, the unlazy callers found by
#           scanning the whole kernel text (find-unlazy-callers.js --whole-text) with gdb's disassembly of them (x86),
#           the BTF copied out (the host runs pahole on it; not committed)
#   bt-<v>/ per bpftrace: the prototype script (gen-proto.js), its -f json output over the workload phases
#           (attribution-load.sh), stderr, phases.txt (phase, start/end uptime, runs, /proc/stat cpu lines)
# Params (/tmp/job/params): REPO, BPFTRACES (labels: system, trixie), PHASE_SECS, WORKERS, BALLAST.
set -u
J=/tmp/job O=/tmp/job/out
. $J/params
D=$REPO/dist/scripts
R=$O/rec
rm -rf "$R" "$O"/bt-*; mkdir -p "$R"
up() { local u; read -r u _ < /proc/uptime; echo "$u"; }
say() { echo "rcuwalk-vm: [$(up)] $*"; }
ARCH=$(uname -m)

# bpftrace trees of the host's cache (x86 guests: the host's / is the 9p rootfs tag; /var/cache is a fresh tmpfs)
if [ "$ARCH" = x86_64 ] && [ ! -x /var/cache/rcuwalk/bpftrace-trixie/bpftrace ]; then
  # a plain bind of /var is the host's /var without the guest's tmpfs over /var/cache
  mkdir -p /run/hostvar /var/cache/rcuwalk
  mount --bind /var /run/hostvar && [ -d /run/hostvar/cache/rcuwalk ] &&
    mount --bind /run/hostvar/cache/rcuwalk /var/cache/rcuwalk || say "no host bpftrace cache"
fi
bt_path() { case $1 in system) command -v bpftrace ;; *) echo /var/cache/rcuwalk/bpftrace-$1/bpftrace ;; esac; }

say "layout"
node $D/dump-layout.js $R/layout.json --note "$NOTE" 2>&1 | tail -1
cp /sys/kernel/btf/vmlinux $R/vmlinux.btf 2>/dev/null
for b in $BPFTRACES; do
  B=$(bt_path $b); [ -x "$B" ] || continue
  v=$($B --version 2>/dev/null | grep -o '0\.[0-9]*' | head -1)
  timeout 300 node $D/layout-offsetof.js $R/layout.json "$B" $R/offsetof-$v.txt | tail -1
done

say "unlazy callers (whole text)"
timeout 600 node $D/attribution/find-unlazy-callers.js $R --whole-text 2>&1 | tail -2
if [ "$ARCH" = x86_64 ] && command -v gdb >/dev/null; then
  GDBARGS=()
  while read -r name addr size; do
    GDBARGS+=(-ex "echo FUNC $name 0x$addr\n" -ex "disassemble 0x$addr,+$size")
  done < <(node -e 'const j=require(process.argv[1]); for (const c of j.callers) console.log(c.name, c.address, c.size)' $R/callers.json)
  timeout 300 gdb -nx -q -batch -iex 'set auto-load off' -c /proc/kcore "${GDBARGS[@]}" > $R/gdb-callers.txt 2>/dev/null
  say "gdb: $(grep -c 'call\|jmp' $R/gdb-callers.txt) call/jmp lines"
fi
grep -E ' (_stext|_text)$' /proc/kallsyms > $R/stext.txt

for b in $BPFTRACES; do
  B=$(bt_path $b); [ -x "$B" ] || { say "no bpftrace $b"; continue; }
  v=$($B --version 2>/dev/null | grep -o '0\.[0-9.]*' | head -1)
  W=$O/bt-$v; mkdir -p $W
  say "bpftrace $v: script"
  timeout 300 node $D/attribution/gen-proto.js $R/layout.json $R/callers.json "$B" $W/script.bt 1000 2>&1 | tail -1
  $B --version > $W/bpftrace-version.txt 2>&1
  # the workload without probes first (cost baseline), then with
  WORKERS=$WORKERS PHASE_SECS=$PHASE_SECS BALLAST=$BALLAST bash $REPO/test/vm/jobs/attribution-load.sh ps > $W/phases-noprobe.txt 2>&1
  say "bpftrace $v: attach"
  t0=$(up)
  $B -f json $W/script.bt > $W/bpftrace.ndjson 2> $W/bpftrace.stderr &
  BP=$!
  for i in $(seq 1 600); do grep -q rcuwalk-ready $W/bpftrace.ndjson 2>/dev/null && break; kill -0 $BP 2>/dev/null || break; sleep 1; done
  say "bpftrace $v: ready after $(awk -v a="$t0" -v b="$(up)" 'BEGIN{print b-a}')s"
  if kill -0 $BP 2>/dev/null; then
    WORKERS=$WORKERS PHASE_SECS=$PHASE_SECS BALLAST=$BALLAST bash $REPO/test/vm/jobs/attribution-load.sh all > $W/phases.txt 2>&1
    kill -INT $BP; wait $BP; echo "bpftrace exit $?" >> $W/phases.txt
  else
    wait $BP; echo "bpftrace failed to start: exit $?" >> $W/phases.txt
  fi
  node $D/attribution/resolve-values.js $W/bpftrace.ndjson > $W/symbols.txt 2>&1
  say "bpftrace $v: $(wc -l < $W/bpftrace.ndjson) lines, stderr $(wc -l < $W/bpftrace.stderr) lines, $(wc -l < $W/symbols.txt) addresses named"
done
say "done"
