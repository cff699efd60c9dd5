#!/usr/bin/env bash
# Newer bpftrace for the tests: `install-bpftrace-debian.sh SUITE...` (e.g. trixie sid) debootstraps Debian SUITE
# with bpftrace into ${RCUWALK_BPFTRACE_CACHE:-/var/cache/rcuwalk}/bpftrace-SUITE (minbase, built in a temp dir
# next to it and renamed into place only when complete) and writes DIR/bpftrace, a wrapper that runs the tree's
# bpftrace through the tree's own loader and libraries, no chroot (exec: the PID rcuwalk sees is bpftrace's).
# Use it as RCUWALK_BPFTRACE=DIR/bpftrace. A tree already there only gets its wrapper. Not root or no network:
# one line saying what is missing, exit 0 (the tests that need it skip, saying why); a failed build exits 1.
set -euo pipefail
cache=${RCUWALK_BPFTRACE_CACHE:-/var/cache/rcuwalk}
mirror=http://deb.debian.org/debian
me=install-bpftrace-debian
[ $# -gt 0 ] || { echo "usage: $me SUITE... (e.g. trixie sid)" >&2; exit 2; }

case "$(uname -m)" in
  x86_64) loader=lib64/ld-linux-x86-64.so.2; libdir=usr/lib/x86_64-linux-gnu ;;
  aarch64) loader=lib/ld-linux-aarch64.so.1; libdir=usr/lib/aarch64-linux-gnu ;;
  *) echo "$me: no loader known for $(uname -m); newer bpftrace not installed: the tests that need it will skip" >&2; exit 0 ;;
esac

tmp=''
# unmount what debootstrap left mounted in a temp tree (proc, sys), then remove it without crossing file systems
cleanup() {
  [ -n "$tmp" ] || return 0
  awk -v p="$tmp" '$5 == p || index($5, p "/") == 1 { print $5 }' /proc/self/mountinfo | sort -r | while read -r m; do umount -l "$m" || true; done
  rm -rf --one-file-system "$tmp"
  tmp=''
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# DIR/bpftrace, written atomically; prints "SUITE: WRAPPER (bpftrace vX)"
write_wrapper() {
  local suite=$1 dir=$2 w="$2/bpftrace" version text
  text=$(printf '#!/bin/sh\n# bpftrace from Debian %s (scripts/install-bpftrace-debian.sh): the tree'"'"'s loader and libraries, no chroot\nexec %q --library-path %q %q "$@"' \
    "$suite" "$dir/$loader" "$dir/$libdir" "$dir/usr/bin/bpftrace")
  if [ "$(cat "$w" 2>/dev/null)" != "$text" ]; then
    if [ ! -w "$dir" ]; then echo "$me: $suite: cannot write $w (not root?): the tests that need it will skip" >&2; return 0; fi
    printf '%s\n' "$text" > "$w.tmp.$$"
    chmod 755 "$w.tmp.$$"
    mv -f "$w.tmp.$$" "$w"
  fi
  if ! version=$("$w" --version 2>&1 | grep -m1 -o 'bpftrace v[0-9][^ ]*'); then
    echo "$me: $suite: $w does not run: $("$w" --version 2>&1 | head -1)" >&2
    return 1
  fi
  echo "$suite: $w ($version)"
}

install_suite() {
  local suite=$1 dir="$cache/bpftrace-$1"
  if [ -x "$dir/usr/bin/bpftrace" ]; then write_wrapper "$suite" "$dir"; return; fi
  if [ -e "$dir" ]; then
    echo "$me: $suite: $dir exists without usr/bin/bpftrace (a debootstrap still running, or a broken tree: remove it to rebuild)" >&2
    return 0
  fi
  if [ "$(id -u)" != 0 ]; then echo "$me: not root; bpftrace from Debian $suite is missing ($dir): the tests that need it will skip" >&2; return 0; fi
  if ! timeout 10 bash -c 'exec 3<>/dev/tcp/deb.debian.org/80' 2>/dev/null; then
    echo "$me: no network (deb.debian.org:80 unreachable); bpftrace from Debian $suite is missing ($dir): the tests that need it will skip" >&2
    return 0
  fi
  if ! command -v debootstrap >/dev/null 2>&1; then
    echo "$me: apt-get install debootstrap" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq --no-install-recommends debootstrap >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq --no-install-recommends debootstrap >/dev/null; }
  fi
  mkdir -p "$cache"
  local log="$cache/debootstrap-$suite.log"
  tmp=$(mktemp -d "$cache/.bpftrace-$suite.XXXXXX")
  echo "$me: debootstrap --variant=minbase --include=bpftrace $suite (a few minutes; log: $log)" >&2
  if ! debootstrap --variant=minbase --include=bpftrace "$suite" "$tmp" "$mirror" >"$log" 2>&1 || [ ! -x "$tmp/usr/bin/bpftrace" ]; then
    echo "$me: debootstrap $suite failed (log: $log): $(grep -m1 -E '^E:' "$log" || tail -1 "$log")" >&2
    cleanup
    return 1
  fi
  # debootstrap unmounts what it mounted; anything left is unmounted before the rename
  awk -v p="$tmp" '$5 == p || index($5, p "/") == 1 { print $5 }' /proc/self/mountinfo | sort -r | while read -r m; do umount -l "$m" || true; done
  if ! mv -T "$tmp" "$dir" 2>/dev/null; then
    cleanup # another run got there first
    [ -x "$dir/usr/bin/bpftrace" ] || { echo "$me: $suite: cannot move the tree into $dir" >&2; return 1; }
  fi
  tmp=''
  write_wrapper "$suite" "$dir"
}

rc=0
for suite in "$@"; do
  [[ $suite =~ ^[a-z][a-z0-9-]*$ ]] || { echo "$me: not a Debian suite name: $suite" >&2; rc=1; continue; }
  install_suite "$suite" || rc=1
done
exit $rc
