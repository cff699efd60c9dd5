#!/usr/bin/env bash
# test/image/base-image.sh SUITE: makes debian:SUITE-slim in podman's local storage from a debootstrap (minbase) of
# Debian SUITE, for building deploy/kubernetes/Dockerfile where no registry is reachable. The tree is cached as
# ${RCUWALK_IMAGE_CACHE:-/var/cache/rcuwalk-image}/SUITE-minbase.tar (built in a temp file beside it, renamed when
# complete) and made again once it is older than RCUWALK_IMAGE_BASE_DAYS (default 14): the Dockerfile's
# apt-get upgrades nothing, so a month-old base would ship a month-old libc. Needs root, debootstrap (installed
# when missing) and podman; CONTAINERS_CONF as test/image/run.sh sets it.
set -euo pipefail
me=base-image
suite=${1:?usage: base-image.sh SUITE (e.g. trixie)}
[[ $suite =~ ^[a-z][a-z0-9-]*$ ]] || { echo "$me: not a Debian suite name: $suite" >&2; exit 2; }
cache=${RCUWALK_IMAGE_CACHE:-/var/cache/rcuwalk-image}
max_days=${RCUWALK_IMAGE_BASE_DAYS:-14}
mirror=http://deb.debian.org/debian
tar="$cache/$suite-minbase.tar"
image=docker.io/library/debian:$suite-slim

tmp=''
# unmount what debootstrap left mounted under $1 (proc, sys)
unmount_under() { awk -v p="$1" '$5 == p || index($5, p "/") == 1 { print $5 }' /proc/self/mountinfo | sort -r | while read -r m; do umount -l "$m" || true; done; }
# the temp tree and tarball, removed without crossing file systems
cleanup() {
  [ -n "$tmp" ] || return 0
  unmount_under "$tmp"
  rm -rf --one-file-system "$tmp" "$tmp.tar"
  tmp=''
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ -f "$tar" ] && [ -z "$(find "$tar" -mtime +"$max_days")" ]; then
  echo "$me: cached $tar ($(( ($(date +%s) - $(stat -c %Y "$tar")) / 86400 )) days old)" >&2
else
  command -v debootstrap >/dev/null 2>&1 || {
    echo "$me: apt-get install debootstrap" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
  }
  mkdir -p "$cache"
  tmp=$(mktemp -d "$cache/.$suite.XXXXXX")
  log="$cache/debootstrap-$suite.log"
  echo "$me: debootstrap --variant=minbase $suite (log: $log)" >&2
  start=$SECONDS
  if ! debootstrap --variant=minbase "$suite" "$tmp" "$mirror" >"$log" 2>&1; then
    echo "$me: debootstrap $suite failed (log: $log): $(grep -m1 -E '^E:' "$log" || tail -1 "$log")" >&2
    exit 1
  fi
  unmount_under "$tmp"
  # as Debian's slim images: no downloaded packages, no package lists (the Dockerfile runs apt-get update)
  rm -rf "$tmp"/var/cache/apt/archives/*.deb "$tmp"/var/lib/apt/lists/*
  tar -C "$tmp" --numeric-owner --one-file-system -cf "$tmp.tar" .
  mv -f "$tmp.tar" "$tar"
  cleanup
  echo "$me: $tar in $((SECONDS - start)) s" >&2
fi

# the image, made again from the tarball whenever the tarball changed (its mtime is the image's label)
stamp=$(stat -c %Y "$tar")
if [ "$(podman image inspect --format '{{index .Labels "rcuwalk.base-tar-mtime"}}' "$image" 2>/dev/null)" != "$stamp" ]; then
  podman import -q --change 'CMD ["bash"]' --change "LABEL rcuwalk.base-tar-mtime=$stamp" "$tar" "$image" >/dev/null
  echo "$me: imported $tar as $image" >&2
fi
