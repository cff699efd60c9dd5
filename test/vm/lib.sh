# Shared helpers for the real-kernel rig (sourced, not executed).
# Host-side only: package checks, the cache location, logging.

RCUWALK_VM_CACHE=${RCUWALK_VM_CACHE:-/var/cache/rcuwalk-vm}
VM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$VM_DIR/../.." && pwd)

# the arm64 guest's userland (mkroot-arm64.sh), shared read-only as the guest's /
ARM64_ROOT=$RCUWALK_VM_CACHE/arm64/root

# kernel_arch <kver>: the guest architecture of a Debian kernel release (x86_64 unless it ends in -arm64)
kernel_arch() { case $1 in *-arm64) echo arm64 ;; *) echo x86_64 ;; esac; }

vmlog() { printf 'rcuwalk-vm: %s\n' "$*" >&2; }
vmdie() { printf 'rcuwalk-vm: error: %s\n' "$*" >&2; exit 1; }

# ensure_cmds "cmd:package" ...: installs the Debian package of every missing command
# (apt-get update once, only if the first install attempt can't find a package).
ensure_cmds() {
  local want=() pair cmd pkg
  for pair in "$@"; do
    cmd=${pair%%:*} pkg=${pair#*:}
    command -v "$cmd" >/dev/null 2>&1 || [ -x "$cmd" ] || want+=("$pkg")
  done
  [ ${#want[@]} -eq 0 ] && return 0
  [ "$(id -u)" = 0 ] || vmdie "missing ${want[*]} and not root: apt-get install -y ${want[*]}"
  vmlog "installing ${want[*]}"
  export DEBIAN_FRONTEND=noninteractive
  if ! timeout 600 apt-get install -y --no-install-recommends "${want[@]}" >/dev/null 2>&1; then
    timeout 300 apt-get update -qq || vmdie "apt-get update failed (no Debian mirror reachable?)"
    timeout 600 apt-get install -y --no-install-recommends "${want[@]}" ||
      vmdie "could not install ${want[*]}"
  fi
}

# mono_ms: monotonic-ish wall clock in ms
now_ms() { local t=${EPOCHREALTIME/./}; echo $((t / 1000)); }
