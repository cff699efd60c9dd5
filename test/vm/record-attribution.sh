#!/bin/bash
# record-attribution.sh [labels]   (default: bullseye bookworm newest rt arm64-bullseye arm64-bookworm)
# Issue 20 groundwork on the real kernels: one boot per kernel runs jobs/attribution.sh (layout, unlazy callers from
# the whole kernel text, the prototype bpftrace script over jobs/attribution-load.sh's workloads), then on the host:
# pahole over the guest's BTF, objdump of the arm64 callers, and the copy into
#   test/fixtures/kernels/<kver>/attribution/  layout.json, pahole.txt, offsetof-*.txt, callers.json, kallsyms.txt,
#                                              text/<caller>.hex, gdb-callers.txt (x86) / objdump-callers.txt (arm64)
#   test/fixtures/vm/<kver>/attribution/bt-<v>/  script.bt, bpftrace.ndjson, bpftrace.stderr, phases*.txt, bpftrace-version.txt
# Env: FIXTURES (default: this checkout's test/fixtures; set it when running from a copy), BPFTRACES_X86 ("system trixie"),
# PHASE_SECS (6), WORKERS (2), BALLAST (100), VM_TIMEOUT (1500). Needs `npm run build` first; every use under
# `flock /tmp/rcuwalk-vm.lock`.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
LABELS=("$@"); [ ${#LABELS[@]} -gt 0 ] || LABELS=(bullseye bookworm newest rt arm64-bullseye arm64-bookworm)
FIX=${FIXTURES:-$REPO_ROOT/test/fixtures}
[ -f "$REPO_ROOT/dist/scripts/attribution/find-unlazy-callers.js" ] || vmdie "no dist/: run npm run build first"
ensure_cmds pahole:dwarves
case " ${LABELS[*]} " in *" arm64-"*) "$VM_DIR/mkroot-arm64.sh"; ensure_cmds aarch64-linux-gnu-objdump:binutils-aarch64-linux-gnu ;; esac
"$VM_DIR/fetch-kernels.sh" "${LABELS[@]}" >/dev/null
PAHOLE_STRUCTS=dentry,qstr,lockref,path,super_block,file_system_type,dentry_operations,inode,inode_operations,nameidata,saved
for label in "${LABELS[@]}"; do
  K=$(cat "$RCUWALK_VM_CACHE/matrix/$label") KROOT=$RCUWALK_VM_CACHE/kernels/$K
  JOB=$RCUWALK_VM_CACHE/jobs/attr-$K
  rm -rf "$JOB"; mkdir -p "$JOB/out"
  cp "$VM_DIR/jobs/attribution.sh" "$JOB/job.sh"
  if [ "$(kernel_arch "$K")" = arm64 ]; then bts=system guest="qemu-system-aarch64 TCG guest (-M virt -cpu max)"
  else bts=${BPFTRACES_X86:-system trixie} guest="qemu-system-x86_64 TCG guest"; fi
  printf 'REPO=%q\nNOTE=%q\nBPFTRACES=%q\nPHASE_SECS=%s\nWORKERS=%s\nBALLAST=%s\nJOB_TIMEOUT=%s\n' "$REPO_ROOT" \
    "$guest, Debian $(sed -n 's/^version: //p' "$KROOT/SOURCE.txt") $(sed -n 's/^package: //p' "$KROOT/SOURCE.txt")" \
    "$bts" "${PHASE_SECS:-6}" "${WORKERS:-2}" "${BALLAST:-100}" $(( ${VM_TIMEOUT:-1500} - 30 )) > "$JOB/params"
  vmlog "[$label] attribution on $K (bpftrace: $bts)"
  "$VM_DIR/boot.sh" "$K" "$JOB" "${VM_TIMEOUT:-1500}" || vmlog "[$label] guest job failed: keeping what it wrote"
  R=$JOB/out/rec
  [ -f "$R/layout.json" ] || { vmlog "[$label] no layout.json: nothing to copy"; continue; }
  FK=$FIX/kernels/$K/attribution FV=$FIX/vm/$K/attribution
  rm -rf "$FK" "$FV"; mkdir -p "$FK" "$FV"
  cp -r "$R/." "$FK/"; rm -f "$FK/vmlinux.btf"
  if [ -f "$R/vmlinux.btf" ]; then
    { echo "# pahole -F btf -C $PAHOLE_STRUCTS <the guest's /sys/kernel/btf/vmlinux> (dwarves $(pahole --version), on the host), $(date -u +%FT%TZ)"
      pahole -F btf -C "$PAHOLE_STRUCTS" "$R/vmlinux.btf" 2>/dev/null; } > "$FK/pahole.txt"
  fi
  if [ "$(kernel_arch "$K")" = arm64 ] && [ -f "$R/callers.json" ]; then
    node -e 'const j=require(process.argv[1]); for (const c of j.callers) console.log(c.name, c.address)' "$R/callers.json" |
    while read -r name addr; do
      echo "== $name 0x$addr"
      grep -v '^#' "$R/text/$name.hex" | tr -d '\n' | xxd -r -p > "$JOB/x.bin"
      aarch64-linux-gnu-objdump -D -b binary -m aarch64 --adjust-vma=0x$addr "$JOB/x.bin" | grep -E '\s(bl|b|blr|br|ret)\s'
    done > "$FK/objdump-callers.txt"
  fi
  for W in "$JOB"/out/bt-*; do [ -d "$W" ] && cp -r "$W" "$FV/"; done
  grep 'rcuwalk-vm:' "$JOB/out/console.log" > "$FV/console-markers.txt" || true
  cp "$KROOT/SOURCE.txt" "$FV/debian-package.txt"
  vmlog "[$label] wrote $FK and $FV"
done
