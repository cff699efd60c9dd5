#!/usr/bin/env bash
# How much more CPU `TZ=/etc/localtime ps -fe` needs per extra process on this machine: 400 runs with the
# processes there are, then with 20 idle `sleep`s added, three rounds. (rcuwalk adds its node process and a
# watchdog shell next to bpftrace: this is what that costs the ps workload, apart from any tracing.)
#   bash bench/ps-process-cost.sh
set -u
runs=400
measure() {
  local s e
  s=$(awk '{print $16+$17}' /proc/$$/stat)
  for _ in $(seq "$runs"); do TZ=/etc/localtime ps -fe >/dev/null; done
  e=$(awk '{print $16+$17}' /proc/$$/stat)
  R=$(( (e - s) * 1000 / $(getconf CLK_TCK) ))
}
for round in 1 2 3; do
  measure; base=$R
  for _ in $(seq 20); do sleep 1000 & done
  n=$(ps -e --no-headers | wc -l)
  measure; more=$R
  kill $(jobs -p) 2>/dev/null; wait 2>/dev/null
  echo "round $round: $runs ps runs: ${base} ms CPU with $((n - 20)) processes, ${more} ms with $n ($(( (more - base) * 1000 / base / 20 ))/1000 more per extra process)"
done
