#!/bin/bash
# run-matrix.sh [bullseye|bookworm|newest|rt|arm64-bullseye|arm64-bookworm ...]   (npm run test:vm; default: all six)
# For each kernel: fetch it (cached), boot it under qemu TCG, run inside the guest
#   node dist/cli/bin.js capture --workload ps --parallel 2 --ballast 300 --duration 10s --interval 1s
# and collect the capture to $RCUWALK_VM_OUT (default $RCUWALK_VM_CACHE/matrix-out)/<uname -r>.json,
# then assert on all captures with node:test (test/vm/vm-captures.test.mjs) and, if the
# compare command exists, compare the 5.10 capture against the 6.1 one.
# rt (PREEMPT_RT 6.1) runs the capture with jobs/rt-load.sh as the workload (ps, then opens of one file), 4 workers,
# --lockref-strategy contention (RT_CAPTURE_ARGS): lockref waits from rt-lock contention (LCB_F_RT) with
# lockref_get_not_dead in the stack. arm64-* boot under
# qemu-system-aarch64 with the arm64 root (mkroot-arm64.sh, cached); then 5.10 vs 6.1 is compared on both.
# Env: RCUWALK_VM_KERNELS (labels, default all six), VM_TIMEOUT per boot (900 s),
# CAPTURE_ARGS to override the capture flags, RCUWALK_VM_CACHE, RCUWALK_VM_OUT.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
LABELS=("$@"); [ ${#LABELS[@]} -gt 0 ] || read -r -a LABELS <<< "${RCUWALK_VM_KERNELS:-bullseye bookworm newest rt arm64-bullseye arm64-bookworm}"
OUT=${RCUWALK_VM_OUT:-$RCUWALK_VM_CACHE/matrix-out}
CAPTURE_ARGS=${CAPTURE_ARGS:---workload ps --parallel 2 --ballast 300 --duration 10s --interval 1s}
# arm64 under TCG on an x86 host is the slowest guest: with 300 ballast, 5.10's ps (every /proc/<pid> walk falls out of
# RCU-walk) completed no run in 10 s on a loaded host; 100 ballast and 15 s leave room
ARM64_CAPTURE_ARGS=${ARM64_CAPTURE_ARGS:---workload ps --parallel 2 --ballast 100 --duration 15s --interval 1s}
RT_CAPTURE_ARGS=${RT_CAPTURE_ARGS:---cmd /tmp/job/rt-load.sh --parallel 4 --ballast 300 --duration 10s --interval 1s --lockref-strategy contention}
# after the capture, in the same boot: rcuwalk serve scraped once from inside the guest (SERVE_ARGS= to skip;
# the x86 kernels before and after the fix only: rt and arm64 skip it)
SERVE_ARGS=${SERVE_ARGS-"--workload ps --parallel 2 --ballast 300 --interval 1s"}
ensure_cmds qemu-system-x86_64:qemu-system-x86 qemu-system-aarch64:qemu-system-arm busybox:busybox-static cpio:cpio depmod:kmod \
  bpftrace:bpftrace node:nodejs ps:procps xz:xz-utils zstd:zstd
case " ${LABELS[*]} " in *" arm64-"*) "$VM_DIR/mkroot-arm64.sh" || vmdie "mkroot-arm64 failed" ;; esac
[ -f "$REPO_ROOT/dist/cli/bin.js" ] || vmdie "no dist/cli/bin.js: run npm run build first (npm run test:vm does)"
"$VM_DIR/fetch-kernels.sh" "${LABELS[@]}" >/dev/null || vmdie "fetch-kernels failed"
mkdir -p "$OUT"
trap 'vmlog "interrupted"; exit 130' INT
trap 'vmlog "terminated"; exit 143' TERM
T_ALL=$(now_ms)
declare -A SECS RC KV CAP
failed=0
for label in "${LABELS[@]}"; do
  K=$(cat "$RCUWALK_VM_CACHE/matrix/$label") KV[$label]=$K
  JOB=$RCUWALK_VM_CACHE/jobs/matrix-$K
  rm -rf "$JOB"; mkdir -p "$JOB/out"
  cp "$VM_DIR/jobs/run-capture.sh" "$JOB/job.sh"
  args=$CAPTURE_ARGS; [ "$label" = rt ] && { args=$RT_CAPTURE_ARGS; cp "$VM_DIR/jobs/rt-load.sh" "$JOB/rt-load.sh"; }
  [ "$(kernel_arch "$K")" = arm64 ] && args=$ARM64_CAPTURE_ARGS
  # the arm64 root has no /boot of its own: the kernel's config goes there (rcuwalk reads /boot/config-<release>)
  if [ "$(kernel_arch "$K")" = arm64 ] && [ ! -s "$ARM64_ROOT/boot/config-$K" ]; then
    mkdir -p "$ARM64_ROOT/boot" && cp "$RCUWALK_VM_CACHE/kernels/$K/boot/config-$K" "$ARM64_ROOT/boot/"
  fi
  serve=$SERVE_ARGS; { [ "$label" = rt ] || [ "$(kernel_arch "$K")" = arm64 ]; } && serve=
  printf 'REPO=%q\nCAPTURE_ARGS=%q\nSERVE_ARGS=%q\nJOB_TIMEOUT=%s\n' "$REPO_ROOT" "$args" "$serve" $(( ${VM_TIMEOUT:-900} - 30 )) > "$JOB/params"
  vmlog "[$label] $K: boot + capture"
  t0=$(now_ms)
  "$VM_DIR/boot.sh" "$K" "$JOB" "${VM_TIMEOUT:-900}"; rc=$?
  # a guest kernel that panics while booting, before the job started, measured nothing of rcuwalk (seen once under
  # TCG: an int3 Oops in sched_clock_cpu 1.4 s into 7.3's boot): boot once more, and say so
  if [ "$rc" = 125 ] && ! grep -q 'rcuwalk-vm: job start' "$JOB/out/console.log" 2>/dev/null \
     && grep -q 'Kernel panic' "$JOB/out/console.log" 2>/dev/null; then
    vmlog "[$label] $K: the guest kernel panicked while booting, before the job started: booting once more"
    rm -rf "$JOB/out"; mkdir -p "$JOB/out"
    t0=$(now_ms)
    "$VM_DIR/boot.sh" "$K" "$JOB" "${VM_TIMEOUT:-900}"; rc=$?
  fi
  SECS[$label]=$(( ($(now_ms) - t0) / 1000 )) RC[$label]=$rc
  case $rc in 130|143) vmlog "[$label] interrupted"; exit "$rc" ;; esac
  rm -f "$OUT/$K.json" "$OUT/$K.console.log"
  cp "$JOB/out/console.log" "$OUT/$K.console.log"
  rm -f "$OUT/$K.kallsyms.txt"
  rm -f "$OUT/$K.metrics.txt" "$OUT/$K.serve.txt"
  for f in "$K.json" "$K.kallsyms.txt" "$K.metrics.txt"; do [ -s "$JOB/out/$f" ] && cp "$JOB/out/$f" "$OUT/$f"; done
  [ -s "$JOB/out/serve.txt" ] && cp "$JOB/out/serve.txt" "$OUT/$K.serve.txt"
  [ "$rc" = 0 ] || { failed=1; vmlog "[$label] $K: guest job failed (exit $rc)"; }
  CAP[$label]=$(sed -n 's/.*capture_seconds=\([0-9.]*\).*/\1/p' "$JOB/out/capture.txt" 2>/dev/null); CAP[$label]=${CAP[$label]:-null}
  vmlog "[$label] $K: ${SECS[$label]}s boot+capture, capture ${CAP[$label]}s in the guest (exit $rc)"
done
# the index the assertions read
{
  echo '{'; sep=
  for label in "${LABELS[@]}"; do
    printf '%s  "%s": {"release": "%s", "file": "%s", "seconds": %s, "captureSeconds": %s, "exit": %s}' "$sep" "$label" "${KV[$label]}" "${KV[$label]}.json" "${SECS[$label]}" "${CAP[$label]}" "${RC[$label]}"
    sep=$',\n'
  done
  printf '\n}\n'
} > "$OUT/matrix.json"
vmlog "matrix: $(( ($(now_ms) - T_ALL) / 1000 ))s total"
for label in "${LABELS[@]}"; do printf '  %-14s %-22s %4ss (capture %ss in the guest)  exit %s\n' "$label" "${KV[$label]}" "${SECS[$label]}" "${CAP[$label]}" "${RC[$label]}"; done
# under the assertion guard, as scripts/test.mjs runs every other test (test/guard/)
RCUWALK_VM_OUT=$OUT node --import "$REPO_ROOT/dist/test/guard/register.js" --test --test-reporter=spec "$VM_DIR/vm-captures.test.mjs" || failed=1
# 5.10 (before the pid_revalidate fix) vs 6.1 (after), on each architecture
for pair in "bullseye bookworm" "arm64-bullseye arm64-bookworm"; do
  set -- $pair
  if [ -n "${KV[$1]:-}" ] && [ -n "${KV[$2]:-}" ] && [ -s "$OUT/${KV[$1]}.json" ] && [ -s "$OUT/${KV[$2]}.json" ]; then
    vmlog "compare ${KV[$1]} (baseline) vs ${KV[$2]}"
    node "$REPO_ROOT/dist/cli/bin.js" compare "$OUT/${KV[$1]}.json" "$OUT/${KV[$2]}.json" | tee "$OUT/compare-$1-$2.txt" || true
  fi
done
exit $failed
