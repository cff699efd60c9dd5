#!/bin/bash
# bench/vm-overhead.sh [bullseye|bookworm|newest ...]   (npm run bench:vm; default: bullseye)
# The overhead bench with the kprobe strategies, which this host cannot attach: boots each kernel under qemu TCG
# (test/vm/boot.sh) and runs bench/workload.ts inside it: no tracing | rcuwalk's rendered script run by bpftrace
# alone | rcuwalk capture, interleaved, with --lockref-strategy $STRATEGY (default auto: callsite or direct).
# Prints each kernel's table and keeps it in $RCUWALK_VM_CACHE/bench-out/<kver>.md.
# Env: STRATEGY (auto), ROUNDS (3), SECONDS_PER (8), VM_TIMEOUT per boot (1200 s).
# TCG emulates every instruction: runs/s are ~100x lower than on the host and noisier; the ratios are the result.
set -uo pipefail
. "$(dirname "$0")/../test/vm/lib.sh"
LABELS=("$@"); [ ${#LABELS[@]} -gt 0 ] || LABELS=(bullseye)
OUT=$RCUWALK_VM_CACHE/bench-out
ensure_cmds qemu-system-x86_64:qemu-system-x86 busybox:busybox-static cpio:cpio depmod:kmod \
  bpftrace:bpftrace node:nodejs ps:procps xz:xz-utils zstd:zstd
[ -f "$REPO_ROOT/dist/bench/run-all.js" ] || vmdie "no dist/bench/run-all.js: run npm run build first (npm run bench:vm does)"
"$VM_DIR/fetch-kernels.sh" "${LABELS[@]}" >/dev/null || vmdie "fetch-kernels failed"
mkdir -p "$OUT"
failed=0
for label in "${LABELS[@]}"; do
  K=$(cat "$RCUWALK_VM_CACHE/matrix/$label")
  JOB=$RCUWALK_VM_CACHE/jobs/bench-$K
  rm -rf "$JOB"; mkdir -p "$JOB/out"
  cp "$REPO_ROOT/bench/vm-overhead-job.sh" "$JOB/job.sh"
  printf 'REPO=%q\nSTRATEGY=%q\nROUNDS=%q\nSECONDS_PER=%q\nJOB_TIMEOUT=%s\n' "$REPO_ROOT" "${STRATEGY:-auto}" "${ROUNDS:-3}" \
    "${SECONDS_PER:-8}" $(( ${VM_TIMEOUT:-1200} - 30 )) > "$JOB/params"
  vmlog "[$label] $K: boot + overhead bench"
  t0=$(now_ms)
  "$VM_DIR/boot.sh" "$K" "$JOB" "${VM_TIMEOUT:-1200}"; rc=$?
  case $rc in 130|143) vmlog "[$label] interrupted"; exit "$rc" ;; esac
  vmlog "[$label] $K: $(( ($(now_ms) - t0) / 1000 ))s (exit $rc)"
  if [ "$rc" = 0 ] && [ -s "$JOB/out/bench.md" ]; then
    cp "$JOB/out/bench.md" "$OUT/$K.md"
    echo "### $K (qemu TCG, 2 vCPUs)"; echo; sed -n '/^| area/,$p' "$OUT/$K.md"; echo
  else
    failed=1; vmlog "[$label] $K: the guest bench failed (exit $rc); console: $JOB/out/console.log"
    tail -n 20 "$JOB/out/bench.stderr" 2>/dev/null >&2
  fi
done
exit $failed
