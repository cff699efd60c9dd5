#!/usr/bin/env bash
# System packages the tests use besides rcuwalk's own: tmux (real-pty TUI tests), chromium (HTML report test),
# prometheus + promtool and openssl (rcuwalk serve), systemd-analyze (the systemd unit's verify),
# and newer bpftrace from Debian trixie and sid (scripts/install-bpftrace-debian.sh: compile and capture tests
# with each bpftrace version). Installs what is missing when run as root; otherwise says what is missing (those
# tests then skip, saying why).
set -euo pipefail
here=$(dirname "$0")
bash "$here/install-bpftrace-debian.sh" trixie sid >&2 || echo "install-test-deps: newer bpftrace not installed (see above): the tests that need it will skip" >&2
missing=()
command -v tmux >/dev/null 2>&1 || missing+=(tmux)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v setpriv >/dev/null 2>&1 || missing+=(util-linux)
# rcuwalk serve's tests: a real Prometheus (its own process on a free loopback port; the package's service plays no
# part) with promtool, and openssl for a self-signed certificate
command -v prometheus >/dev/null 2>&1 || missing+=(prometheus)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
command -v systemd-analyze >/dev/null 2>&1 || missing+=(systemd)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "install-test-deps: not root; missing ${missing[*]}: the tests that need them will skip" >&2
  exit 0
fi
echo "install-test-deps: apt-get install ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }
