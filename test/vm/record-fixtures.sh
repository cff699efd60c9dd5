#!/bin/bash
# record-fixtures.sh [bullseye|bookworm|newest ...]   (default: bullseye bookworm)
# Boots each kernel and records, inside the guest, its kernel facts and real bpftrace 0.17
# -f json output under the ps workload (jobs/record-fixtures.sh), then copies them into
#   test/fixtures/kernels/<uname -r>/   (format: test/fixtures/kernels/README.md; + SOURCE.txt)
#   test/fixtures/vm/<uname -r>/        (bpftrace-kprobes.ndjson, script.bt, proc-stat.ndjson, ...)
# Env: DURATION (10), NLOOPS (2), BALLAST (300), VM_TIMEOUT (600).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
LABELS=("$@"); [ ${#LABELS[@]} -gt 0 ] || LABELS=(bullseye bookworm)
ensure_cmds gdb:gdb bpftrace:bpftrace node:nodejs
"$VM_DIR/fetch-kernels.sh" "${LABELS[@]}" >/dev/null
for label in "${LABELS[@]}"; do
  K=$(cat "$RCUWALK_VM_CACHE/matrix/$label")
  KROOT=$RCUWALK_VM_CACHE/kernels/$K
  JOB=$RCUWALK_VM_CACHE/jobs/record-$K
  rm -rf "$JOB"; mkdir -p "$JOB/out"
  cp "$VM_DIR/jobs/record-fixtures.sh" "$JOB/job.sh"
  cp "$KROOT/boot/config-$K" "$JOB/kernel-config"
  src="$(sed -n 's/^package: //p' "$KROOT/SOURCE.txt") $(sed -n 's/^version: //p' "$KROOT/SOURCE.txt")"
  cat > "$JOB/params" <<EOP
REPO=$REPO_ROOT
KROOT=$KROOT
NOTE="qemu TCG guest (-smp 2), Debian $label $src"
DURATION=${DURATION:-10}
NLOOPS=${NLOOPS:-2}
BALLAST=${BALLAST:-300}
JOB_TIMEOUT=$(( ${VM_TIMEOUT:-600} - 30 ))
EOP
  vmlog "[$label] recording $K"
  t0=$(now_ms)
  "$VM_DIR/boot.sh" "$K" "$JOB" "${VM_TIMEOUT:-600}" || vmdie "[$label] guest job failed"
  vmlog "[$label] $K recorded in $(( ($(now_ms) - t0) / 1000 ))s"
  FK=$REPO_ROOT/test/fixtures/kernels/$K FV=$REPO_ROOT/test/fixtures/vm/$K
  rm -rf "$FK" "$FV"; mkdir -p "$FK" "$FV"
  cp -r "$JOB/out/facts/." "$FK/"
  cp "$KROOT/SOURCE.txt" "$FK/debian-package.txt"   # not SOURCE.txt: it would clash with source.txt on case-insensitive file systems
  cp "$JOB/out/bpftrace/"* "$FV/"
  cp "$KROOT/SOURCE.txt" "$FV/SOURCE.txt"
  grep 'rcuwalk-vm:' "$JOB/out/console.log" > "$FV/console-markers.txt" || true
done
