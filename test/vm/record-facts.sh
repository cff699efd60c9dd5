#!/bin/bash
# record-facts.sh [rt|arm64-bullseye|arm64-bookworm ...]   (default: all three)
# Records test/fixtures/kernels/<uname -r>/ with rcuwalk's own fact dumper inside the guest (jobs/record-facts.sh:
# dump-facts, doctor.txt), plus, for arm64 kernels, the objdump cross-check of the recorded bytes against the
# package's Image (facts/arm64-crosscheck.mjs; binutils-aarch64-linux-gnu). Needs `npm run build` first.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
LABELS=("$@"); [ ${#LABELS[@]} -gt 0 ] || LABELS=(rt arm64-bullseye arm64-bookworm)
[ -f "$REPO_ROOT/dist/scripts/dump-facts.js" ] || vmdie "no dist/: run npm run build first"
case " ${LABELS[*]} " in *" arm64-"*) "$VM_DIR/mkroot-arm64.sh"; ensure_cmds aarch64-linux-gnu-objdump:binutils-aarch64-linux-gnu ;; esac
"$VM_DIR/fetch-kernels.sh" "${LABELS[@]}" >/dev/null
for label in "${LABELS[@]}"; do
  K=$(cat "$RCUWALK_VM_CACHE/matrix/$label") KROOT=$RCUWALK_VM_CACHE/kernels/$K
  JOB=$RCUWALK_VM_CACHE/jobs/facts-$K
  rm -rf "$JOB"; mkdir -p "$JOB/out"
  cp "$VM_DIR/jobs/record-facts.sh" "$JOB/job.sh"
  if [ "$(kernel_arch "$K")" = arm64 ]; then
    mkdir -p "$ARM64_ROOT/boot"; cp "$KROOT/boot/config-$K" "$ARM64_ROOT/boot/"
    guest="qemu-system-aarch64 TCG guest (-M virt -cpu max)"
  else
    guest="qemu-system-x86_64 TCG guest"
  fi
  printf 'REPO=%q\nNOTE=%q\nJOB_TIMEOUT=%s\n' "$REPO_ROOT" "$guest, Debian $(sed -n 's/^version: //p' "$KROOT/SOURCE.txt") $(sed -n 's/^package: //p' "$KROOT/SOURCE.txt")" 570 > "$JOB/params"
  vmlog "[$label] recording the facts of $K"
  "$VM_DIR/boot.sh" "$K" "$JOB" 600 || vmdie "[$label] guest job failed"
  [ -f "$JOB/out/facts/source.txt" ] || vmdie "[$label] no facts folder written"
  if [ "$(kernel_arch "$K")" = arm64 ]; then
    node "$VM_DIR/facts/arm64-crosscheck.mjs" "$JOB/out/facts" "$KROOT/boot/vmlinuz-$K" "$JOB/out/stext.txt" >/dev/null
    cp "$JOB/out/stext.txt" "$JOB/out/facts/text/stext.txt"
  fi
  FK=$REPO_ROOT/test/fixtures/kernels/$K
  rm -rf "$FK"; mkdir -p "$FK"
  cp -r "$JOB/out/facts/." "$FK/"
  cp "$JOB/out/doctor.txt" "$FK/doctor.txt"
  cp "$KROOT/SOURCE.txt" "$FK/debian-package.txt"
  vmlog "[$label] wrote $FK"
done
