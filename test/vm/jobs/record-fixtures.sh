#!/bin/bash
# Guest job (run by guest-init.sh as /tmp/job/job.sh): records the kernel facts and real
# bpftrace 0.17 `-f json` output of this kernel with the ps workload. Writes:
#   out/facts/     the test/fixtures/kernels/<uname -r>/ folder (README.md there)
#   out/bpftrace/  script.bt, bpftrace-kprobes.ndjson, bpftrace.stderr, proc-stat.ndjson, workload.txt
#   out/raw/       big raw inputs kept in the host cache only (BTF, sorted kallsyms, code bytes)
# Params (/tmp/job/params): REPO, KROOT, NOTE, DURATION, NLOOPS, BALLAST.
set -u
J=/tmp/job O=/tmp/job/out
. $J/params
F=$O/facts R=$O/raw B=$O/bpftrace V=$REPO/test/vm/facts
rm -rf "$F" "$R" "$B"; mkdir -p "$F/text" "$R/text" "$B"
K=$(uname -r)
up() { local u; read -r u _ < /proc/uptime; echo "$u"; }
say() { echo "rcuwalk-vm: [$(up)] $*"; }

say "facts: gather"
node $V/gather.mjs "$F" "$J/kernel-config" "$NOTE"
cp /sys/kernel/btf/vmlinux $R/btf-vmlinux 2>/dev/null
BTF_SOURCE=/sys/kernel/btf/vmlinux node $V/btf-funcs.mjs $R/btf-vmlinux > $F/btf.json
sort /proc/kallsyms > $R/kallsyms.sorted

say "facts: caller bytes from /proc/kcore"
GDBARGS=()
for f in try_to_unlazy_next unlazy_child __legitimize_path legitimize_path d_alloc_parallel; do
  A=$(awk -v f=$f '$3==f && ($2=="t"||$2=="T"){print $1; exit}' $R/kallsyms.sorted)
  [ -n "$A" ] || continue
  E=$(awk -v a=$A 'found && $1!=a {print $1; exit} $1==a{found=1}' $R/kallsyms.sorted)
  GDBARGS+=(-ex "dump binary memory $R/text/$f.bin 0x$A 0x$E" -ex "echo FUNC $f 0x$A\n" -ex "disassemble 0x$A,0x$E")
done
timeout 120 gdb -nx -q -batch -iex 'set auto-load off' -c /proc/kcore "${GDBARGS[@]}" > $R/disassembly.txt 2>$R/gdb.stderr
CROSSCHECK="gdb -c /proc/kcore disassemble: $(grep -ci 'call.*lockref_get_not_dead\|call *0x'$(awk '$3=="lockref_get_not_dead"{print $1; exit}' $R/kallsyms.sorted) $R/disassembly.txt) call instructions to lockref_get_not_dead (text/disassembly.txt)" \
  node $V/callsites.mjs $R/kallsyms.sorted $R/text $F > $R/callsites.txt
cp $R/disassembly.txt $F/text/disassembly.txt
say "callsites: $(tr '\n' ';' < $R/callsites.txt)"

say "facts: fentry (kfunc) attach test"
fe=$(timeout 120 bpftrace -e 'kfunc:pid_revalidate { @n = count(); } interval:ms:200 { exit(); }' 2>&1); fe_rc=$?
FE_OUT="$fe" FE_RC=$fe_rc node -e '
  const fs=require("fs"); const p=process.argv[1]; const j=JSON.parse(fs.readFileSync(p));
  const rc=Number(process.env.FE_RC), out=process.env.FE_OUT.trim();
  j.fentry = rc===0 ? { ok: true, error: null, tool: "bpftrace 0.17 kfunc:pid_revalidate" }
                    : { ok: false, error: out.split("\n").filter(Boolean).slice(-3).join(" / "), tool: "bpftrace 0.17 kfunc:pid_revalidate" };
  fs.writeFileSync(p, JSON.stringify(j,null,2)+"\n");' $F/probes.json

# if the project has its own fact dumper by now, record with it too (side by side)
if [ -f $REPO/dist/scripts/dump-facts.js ]; then
  say "facts: dist/scripts/dump-facts.js"
  timeout 120 node $REPO/dist/scripts/dump-facts.js $O/facts-dump-facts --note "$NOTE" > $O/dump-facts.log 2>&1 ||
    say "dump-facts failed: $(tail -3 $O/dump-facts.log)"
fi

# ---------- bpftrace script, following cli/script-protocol/ ----------
FLAGS_ARG=$(node -e 'const j=require(process.argv[1]); const p=j.funcs?.pid_revalidate?.params; const i=p?p.findIndex(x=>x.name==="flags"):-1; console.log(i<0?1:i)' $F/btf.json)
# LOOKUP_RCU is a #define (not in BTF) and was renumbered (0x40 on 5.10/6.1, 0x100 on 7.x): read it
# from proc_misc_d_revalidate, whose first flags test is `if (flags & LOOKUP_RCU) return -ECHILD;`
A=$(awk '$3=="proc_misc_d_revalidate"{print $1; exit}' $R/kallsyms.sorted)
LOOKUP_RCU=
if [ -n "$A" ]; then
  timeout 60 gdb -nx -q -batch -iex 'set auto-load off' -c /proc/kcore -ex "x/12i 0x$A" > $R/proc_misc_d_revalidate.dis 2>/dev/null
  case $FLAGS_ARG in 1) REGS='sil|si|esi|rsi' HI= ;; 2) REGS='dl|dx|edx|rdx' HI=dh ;; 3) REGS='cl|cx|ecx|rcx' HI=ch ;; *) REGS=none HI= ;; esac
  hit=$(awk -v regs="^%($REGS)\$" -v hi="%$HI" '
    $0 ~ /(test|and)[bwlq]? +\$0x[0-9a-f]+,%/ {
      ins=$0; sub(/.*(test|and)[bwlq]? +\$/, "", ins); split(ins, a, ","); r=a[2]; sub(/[ \t].*/, "", r)
      if (r == hi) { print "hi", a[1]; exit } if (r ~ regs) { print "lo", a[1]; exit } }' $R/proc_misc_d_revalidate.dis)
  case $hit in
    hi\ 0x*) LOOKUP_RCU=$(printf '0x%x' $(( ${hit#hi } * 256 ))) ;;
    lo\ 0x*) LOOKUP_RCU=$(printf '0x%x' $(( ${hit#lo } ))) ;;
  esac
fi
LOOKUP_RCU_FROM="proc_misc_d_revalidate disassembly (/proc/kcore)"
[ -n "$LOOKUP_RCU" ] || { LOOKUP_RCU=0x40 LOOKUP_RCU_FROM="default (proc_misc_d_revalidate not decoded)"; }
echo "lookup_rcu=$LOOKUP_RCU from $LOOKUP_RCU_FROM" > $B/lookup-rcu.txt
cat $R/proc_misc_d_revalidate.dis >> $B/lookup-rcu.txt 2>/dev/null
say "LOOKUP_RCU=$LOOKUP_RCU ($LOOKUP_RCU_FROM)"
grep -wE 'try_to_unlazy_next|unlazy_child|try_to_unlazy|unlazy_walk' $R/kallsyms.sorted | awk '{print $3}' > $R/unlazy-syms
has() { grep -qx "$1" $R/unlazy-syms; }
S=$B/script.bt
{
  echo "// rcuwalk real-kernel fixture script for $K (generated by test/vm/jobs/record-fixtures.sh)"
  echo "// map names: cli/script-protocol/maps.ts; pid_revalidate flags = arg$FLAGS_ARG (BTF), LOOKUP_RCU = $LOOKUP_RCU ($LOOKUP_RCU_FROM)"
  echo 'BEGIN { printf("rcuwalk-ready\n"); }'
  echo "kprobe:pid_revalidate { @pr_calls[cpu] = count(); if (arg$FLAGS_ARG & $LOOKUP_RCU) { @pr_rcu[cpu] = count(); } }"
  echo 'kretprobe:pid_revalidate /(int32)retval == -10/ { @pr_echild[cpu] = count(); }'
  MAPS="@pr_calls @pr_rcu @pr_echild"
  if has try_to_unlazy_next; then
    echo 'kprobe:try_to_unlazy_next { @ul_next_calls[cpu] = count(); }'
    echo 'kretprobe:try_to_unlazy_next /(retval & 0xff) == 0/ { @ul_next_fails[cpu] = count(); }'
    MAPS="$MAPS @ul_next_calls @ul_next_fails"
  elif has unlazy_child; then
    echo 'kprobe:unlazy_child { @ul_next_calls[cpu] = count(); }'
    echo 'kretprobe:unlazy_child /(int32)retval != 0/ { @ul_next_fails[cpu] = count(); }'
    MAPS="$MAPS @ul_next_calls @ul_next_fails"
  fi
  if has try_to_unlazy; then
    echo 'kprobe:try_to_unlazy { @ul_calls[cpu] = count(); }'
    echo 'kretprobe:try_to_unlazy /(retval & 0xff) == 0/ { @ul_fails[cpu] = count(); }'
    MAPS="$MAPS @ul_calls @ul_fails"
  elif has unlazy_walk; then
    echo 'kprobe:unlazy_walk { @ul_calls[cpu] = count(); }'
    echo 'kretprobe:unlazy_walk /(int32)retval != 0/ { @ul_fails[cpu] = count(); }'
    MAPS="$MAPS @ul_calls @ul_fails"
  fi
  LR_END='$d = nsecs - @lr_ts[tid]; @lr_calls[cpu] = count(); @lr_ns[cpu] = sum($d); @lr_max[cpu] = max($d); @lr_hist[cpu] = hist($d); delete(@lr_ts[tid]);'
  if node -e 'process.exit(require(process.argv[1]).kprobeLockref?.ok ? 0 : 1)' $F/probes.json; then
    LOCKREF=direct
    echo 'kprobe:lockref_get_not_dead { @lr_ts[tid] = nsecs; }'
    echo "kretprobe:lockref_get_not_dead /@lr_ts[tid]/ { $LR_END }"
    MAPS="$MAPS @lr_calls @lr_ns @lr_max @lr_hist"
  else
    LOCKREF=callsite
    while read -r c off nxt; do
      echo "kprobe:$c+$off { @lr_ts[tid] = nsecs; @lr_site[\"$c+$off\"] = count(); }"
      echo "kprobe:$c+$nxt /@lr_ts[tid]/ { $LR_END }"
    done < $R/callsites.txt
    MAPS="$MAPS @lr_calls @lr_ns @lr_max @lr_hist @lr_site"
  fi
  printf 'interval:ms:1000 {'; for m in $MAPS; do printf ' print(%s); clear(%s);' $m $m; done
  echo ' printf("rcuwalk-tick %llu\n", nsecs); }'
  printf 'END {'; for m in $MAPS; do printf ' print(%s); clear(%s);' $m $m; done
  echo ' printf("rcuwalk-tick %llu\n", nsecs); clear(@lr_ts); }'
} > $S
echo "lockref_strategy=$LOCKREF" > $B/workload.txt
say "script ($LOCKREF):"; cat $S

# ---------- workload: ballast + ps loops while bpftrace runs ----------
BALLAST_PIDS=()
for ((i=0;i<BALLAST;i++)); do sleep 100000 & BALLAST_PIDS+=($!); done
say "ballast: ${#BALLAST_PIDS[@]} sleep processes"
ND=$B/bpftrace-kprobes.ndjson
t0=$(up)
bpftrace -f json $S > $ND 2> $B/bpftrace.stderr &
BT=$!
for ((i=0;i<1200;i++)); do grep -q rcuwalk-ready $ND 2>/dev/null && break; kill -0 $BT 2>/dev/null || break; sleep 0.1; done
if ! grep -q rcuwalk-ready $ND; then say "bpftrace never became ready:"; cat $B/bpftrace.stderr $ND | tail -20; kill "${BALLAST_PIDS[@]}"; exit 3; fi
say "bpftrace ready after $(awk "BEGIN{print $(up)-$t0}")s"
echo "attach_seconds=$(awk "BEGIN{print $(up)-$t0}")" >> $B/workload.txt
# /proc/stat snapshot at every tick line (the follower sees a tick as soon as bpftrace flushed it)
( tail -n +1 -f --pid=$BT $ND | while IFS= read -r l; do
    case $l in *rcuwalk-tick*)
      ns=${l##*rcuwalk-tick }; ns=${ns%%\\n*}; ns=${ns%%\"*}
      printf '{"tick":%s,"uptime":%s,"stat":[%s]}\n' "$ns" "$(up)" \
        "$(grep '^cpu' /proc/stat | sed 's/.*/"&"/' | paste -sd, -)" ;;
    esac
  done >> $B/proc-stat.ndjson ) &
FOLLOW=$!
{ printf '{"tick":null,"uptime":%s,"stat":[%s]}\n' "$(up)" "$(grep '^cpu' /proc/stat | sed 's/.*/"&"/' | paste -sd, -)"; } >> $B/proc-stat.ndjson
LOOPS=()
for ((i=0;i<NLOOPS;i++)); do
  ( n=0; end=$((SECONDS+DURATION))
    while ((SECONDS<end)); do TZ=/etc/localtime ps -fe >/dev/null; n=$((n+1)); done
    echo $n > /tmp/loop.$i ) &
  LOOPS+=($!)
done
wait "${LOOPS[@]}"
tot=0; for ((i=0;i<NLOOPS;i++)); do n=$(cat /tmp/loop.$i); tot=$((tot+n)); echo "loop${i}_runs=$n" >> $B/workload.txt; done
echo "ps_runs=$tot duration_s=$DURATION loops=$NLOOPS ballast=$BALLAST" >> $B/workload.txt
say "workload: $tot ps runs in ${DURATION}s x $NLOOPS loops"
kill -INT $BT; wait $BT; echo "bpftrace_exit=$?" >> $B/workload.txt
sleep 0.5; kill $FOLLOW 2>/dev/null
kill "${BALLAST_PIDS[@]}" 2>/dev/null; wait "${BALLAST_PIDS[@]}" 2>/dev/null
say "bpftrace: $(wc -l < $ND) lines, $(grep -c rcuwalk-tick $ND) ticks"
tail -c 3000 $ND
exit 0
