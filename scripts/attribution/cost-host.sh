#!/bin/bash
# cost-host.sh BPFTRACE [SECS] [ROUNDS]: what the contention-naming prototype costs on this machine, side by side:
# ROUNDS times, SECS seconds of 2 `TZ=/etc/localtime ps -fe` loops (100 sleeping ballast processes) without tracing,
# then the same with the prototype (scripts/attribution/gen-contention.js) loaded. Prints per window: ps runs, busy
# CPU seconds of the whole machine (/proc/stat), CPU seconds per ps run, and bpftrace's own CPU seconds
# (/proc/<pid>/stat utime+stime, within the window) and its BPF programs' run time in the kernel (kernel.bpf_stats_enabled,
# bpftool prog show: run_time_ns and run_cnt of the programs its pid holds, within the window). Root.
set -u
B=$1 SECS=${2:-10} ROUNDS=${3:-3}
D=$(cd "$(dirname "$0")/../.." && pwd)/dist
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
node "$D/scripts/dump-layout.js" "$T/layout.json" 2>/dev/null
node "$D/scripts/attribution/gen-contention.js" "$T/layout.json" "$B" "$T/script.bt" 1000
HZ=$(getconf CLK_TCK)
# run_time_ns and run_cnt summed over the BPF programs whose ids are not in the file $1 (the ones loaded before this
# bpftrace started; Debian 12's bpftool shows no owning pids: a program another user loads meanwhile would count too)
bpfrun() { bpftool prog show -j 2>/dev/null | node -e 'const old=new Set(require("fs").readFileSync(process.argv[1],"utf8").split(/\s+/)); let t=0,c=0; for (const p of JSON.parse(require("fs").readFileSync(0,"utf8"))) if (!old.has(String(p.id))) { t+=p.run_time_ns??0; c+=p.run_cnt??0 } console.log(t, c)' "$1"; }
progids() { bpftool prog show -j 2>/dev/null | node -e 'for (const p of JSON.parse(require("fs").readFileSync(0,"utf8"))) console.log(p.id)'; }
busy() { awk '/^cpu /{print $2+$3+$4+$7+$8}' /proc/stat; }
window() { # label
  local b0 b1 pids=() i files=()
  b0=$(busy)
  for i in 1 2; do ( end=$((SECONDS + SECS)); n=0; while [ $SECONDS -lt $end ]; do TZ=/etc/localtime ps -fe > /dev/null; n=$((n+1)); done; echo $n > "$T/n.$i" ) & pids+=($!); done
  wait "${pids[@]}"
  b1=$(busy)
  runs=$(cat "$T"/n.* | awk '{s+=$1} END {print s}')
  awk -v l="$1" -v r="$runs" -v b="$(( b1 - b0 ))" -v hz="$HZ" 'BEGIN { printf "%s ps_runs %d busy_cpu_s %.2f cpu_ms_per_run %.1f", l, r, b/hz, 1000*b/hz/r }'
}
stats=$(sysctl -n kernel.bpf_stats_enabled); sysctl -qw kernel.bpf_stats_enabled=1
trap 'sysctl -qw kernel.bpf_stats_enabled=$stats; rm -rf "$T"' EXIT
ballast=(); for i in $(seq 1 100); do sleep 100000 & ballast+=($!); done
echo "# cost-host.sh $B ($("$B" --version 2>&1 | head -1)) on $(uname -r), $(nproc) CPUs, $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq 1 "$ROUNDS"); do
  echo "$(window off)"
  progids > "$T/before"
  "$B" -f json "$T/script.bt" > "$T/out.ndjson" 2> "$T/err" & BP=$!
  for i in $(seq 1 120); do grep -q rcuwalk-ready "$T/out.ndjson" 2>/dev/null && break; sleep 0.5; done
  c0=$(awk '{print $14+$15}' /proc/$BP/stat); read -r k0 n0 < <(bpfrun "$T/before")
  line=$(window on)
  c1=$(awk '{print $14+$15}' /proc/$BP/stat); read -r k1 n1 < <(bpfrun "$T/before")
  kill -INT $BP; wait $BP
  echo "$line bpftrace_cpu_s_in_window $(awk -v c=$((c1 - c0)) -v hz="$HZ" 'BEGIN{printf "%.2f", c/hz}') bpf_prog_ms $(( (k1 - k0) / 1000000 )) bpf_prog_runs $(( n1 - n0 )) output_bytes $(wc -c < "$T/out.ndjson")"
done
kill "${ballast[@]}" 2>/dev/null; wait 2>/dev/null
