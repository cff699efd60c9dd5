#!/bin/bash
# fetch-kernels.sh [bullseye|bookworm|newest|rt|arm64-bullseye|arm64-bookworm ...]   (default: all)
#
# Downloads and unpacks the Debian kernel packages of the real-kernel matrix into
#   $RCUWALK_VM_CACHE/kernels/<uname -r>/{boot,lib/modules,SOURCE.txt}
# and records which release each label resolved to in $RCUWALK_VM_CACHE/matrix/<label>.
# A label whose kernel is already unpacked is skipped (REFRESH=1 re-resolves it).
#
#   bookworm  linux-image-amd64's kernel from the SYSTEM's apt sources (Debian 12 host)
#   bullseye  linux-image-amd64's kernel from bullseye + bullseye-security
#   newest    the highest linux-image-amd64 among trixie-backports and sid
#   rt        linux-image-rt-amd64's kernel (PREEMPT_RT) from the SYSTEM's apt sources
#   arm64-bullseye  linux-image-arm64's kernel from bullseye main (the mirror has no arm64 in
#             bullseye-security's pool: 404)
#   arm64-bookworm  linux-image-arm64's kernel from bookworm + bookworm-updates + bookworm-security
# bullseye, newest and the arm64 labels go through throw-away apt configurations (own sources.list,
# Dir::State::Lists, Dir::Cache under $RCUWALK_VM_CACHE/apt-<label>); the system's
# apt sources and lists are never touched.
# Overrides: BULLSEYE_PKG / BOOKWORM_PKG / NEWEST_PKG / RT_PKG / ARM64_BULLSEYE_PKG / ARM64_BOOKWORM_PKG=linux-image-...,
# MIRROR=http://deb.debian.org
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ensure_cmds apt-get:apt dpkg-deb:dpkg depmod:kmod timeout:coreutils

MIRROR=${MIRROR:-http://deb.debian.org}
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
CACHE=$RCUWALK_VM_CACHE
mkdir -p "$CACHE/kernels" "$CACHE/debs" "$CACHE/matrix"
APT_NET=(-o Acquire::http::Timeout=30 -o Acquire::https::Timeout=30 -o Acquire::Retries=2
         -o APT::Get::AllowUnauthenticated=false)
LABELS=("$@"); [ ${#LABELS[@]} -gt 0 ] || LABELS=(bullseye bookworm newest rt arm64-bullseye arm64-bookworm)
META=linux-image-amd64   # the meta package whose Depends names the kernel (dep_of)

# kernel_ready <kver>: unpacked with modules.dep and a kernel image
kernel_ready() { [ -s "$CACHE/kernels/$1/boot/vmlinuz-$1" ] && [ -s "$CACHE/kernels/$1/lib/modules/$1/modules.dep" ]; }

# scratch_apt <label> <sources lines...>: sets APTX to the -o options of a throw-away apt configuration
# (ARCH: the package architecture, amd64 unless set)
scratch_apt() {
  local label=$1 arch=${ARCH:-amd64}; shift
  local T=$CACHE/apt-$label
  mkdir -p "$T/lists/partial" "$T/cache/archives/partial" "$T/etc/preferences.d"
  printf '%s\n' "$@" > "$T/sources.list"
  APTX=(-o Dir::Etc::sourcelist="$T/sources.list" -o Dir::Etc::sourceparts=-
        -o Dir::Etc::preferences="$T/etc/preferences" -o Dir::Etc::preferencesparts="$T/etc/preferences.d"
        -o Dir::State::Lists="$T/lists" -o Dir::Cache="$T/cache"
        -o APT::Architecture="$arch" -o APT::Architectures::="$arch" "${APT_NET[@]}")
  vmlog "[$label] apt-get update with a throw-away config ($T/sources.list)"
  local rc=0
  timeout 600 apt-get "${APTX[@]}" -qq update > "$T/update.log" 2>&1 || rc=$?
  sed 's/^/  apt: /' "$T/update.log" >&2
  if [ "$rc" != 0 ] || grep -q '^[WE]: Failed to fetch' "$T/update.log"; then
    vmdie "[$label] apt-get update failed (exit $rc) for: $* -- mirror $MIRROR unreachable or timed out (600 s); set MIRROR=http://... to use another Debian mirror"
  fi
}

# dep_of <version|''>: the linux-image-<kver> package $META (=version) depends on
dep_of() {
  local spec=$META${1:+=$1}
  apt-cache "${APTX[@]}" depends "$spec" 2>/dev/null |
    awk '/Depends: linux-image-[0-9]/{print $2; exit}'
}

# unpack <label> <kver> <debs...>: the image package first, then its per-release parts
# (newer Debian kernels split linux-image-X into linux-binary-X, linux-modules-X, linux-base-X)
unpack() {
  local label=$1 kver=$2 deb pkg ver dir; shift 2
  pkg=$(dpkg-deb -f "$1" Package) ver=$(dpkg-deb -f "$1" Version)
  dir=$CACHE/kernels/$kver
  rm -rf "$dir.tmp"; mkdir -p "$dir.tmp"
  for deb in "$@"; do dpkg -x "$deb" "$dir.tmp"; done
  # merged-/usr layout of the split packages: usr/lib/modules/<kver>/{vmlinuz,config,System.map}
  if [ -d "$dir.tmp/usr/lib/modules/$kver" ] && [ ! -d "$dir.tmp/lib/modules/$kver" ]; then
    mkdir -p "$dir.tmp/lib/modules" "$dir.tmp/boot"
    mv "$dir.tmp/usr/lib/modules/$kver" "$dir.tmp/lib/modules/$kver"
    for f in vmlinuz config System.map; do
      [ -e "$dir.tmp/lib/modules/$kver/$f" ] && ln -sf "../lib/modules/$kver/$f" "$dir.tmp/boot/$f-$kver"
    done
  fi
  [ -s "$dir.tmp/boot/vmlinuz-$kver" ] || vmdie "[$label] no boot/vmlinuz-$kver in $*"
  [ -d "$dir.tmp/lib/modules/$kver" ] || vmdie "[$label] no lib/modules/$kver in $*"
  depmod -b "$dir.tmp" "$kver"       # the .deb ships no modules.dep (its postinst makes it)
  {
    echo "package: $pkg"
    echo "version: $ver"
    echo "source: $(dpkg-deb -f "$1" Source)"
    echo "suite: $SUITE_DESC"
    for deb in "$@"; do echo "file: $(basename "$deb") sha256 $(sha256sum "$deb" | cut -d' ' -f1)"; done
    echo "fetched: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  } > "$dir.tmp/SOURCE.txt"
  rm -rf "$dir"; mv "$dir.tmp" "$dir"
  echo "$kver" > "$CACHE/matrix/$label"
  vmlog "[$label] $pkg $ver -> $dir"
}

# fetch_deb <label> <pkg>: apt-get download into $CACHE/debs (reusing a complete .deb); prints the path
fetch_deb() {
  local label=$1 pkg=$2 deb
  deb=$(ls "$CACHE/debs/${pkg}"_*.deb 2>/dev/null | head -1 || true)
  if [ -z "$deb" ] || ! dpkg-deb -f "$deb" Package >/dev/null 2>&1; then
    vmlog "[$label] downloading $pkg"
    ( cd "$CACHE/debs" && timeout 900 apt-get "${APTX[@]}" -o APT::Sandbox::User=root -qq download "$pkg" ) >&2 ||
      vmdie "[$label] apt-get download $pkg failed (not in $SUITE_DESC, or the mirror timed out)"
    deb=$(ls "$CACHE/debs/${pkg}"_*.deb | head -1)
  fi
  echo "$deb"
}

# download <label> <linux-image-kver>
download() {
  local label=$1 pkg=$2 kver part debs=()
  kver=${pkg#linux-image-}; kver=${kver%-unsigned}
  debs+=("$(fetch_deb "$label" "$pkg")")
  for part in $(dpkg-deb -f "${debs[0]}" Depends | tr ',|' '\n\n' | awk '{print $1}' |
                grep -E "^linux-(binary|modules|base|image)-${kver//+/\\+}\$" || true); do
    debs+=("$(fetch_deb "$label" "$part")")
  done
  unpack "$label" "$kver" "${debs[@]}"
}

for label in "${LABELS[@]}"; do
  if [ "${REFRESH:-0}" != 1 ] && [ -s "$CACHE/matrix/$label" ] && kernel_ready "$(cat "$CACHE/matrix/$label")"; then
    vmlog "[$label] cached: $(cat "$CACHE/matrix/$label")"; continue
  fi
  case $label in
    bookworm)
      APTX=("${APT_NET[@]}"); SUITE_DESC="bookworm (system apt sources)"
      pkg=${BOOKWORM_PKG:-$(dep_of '')}
      if [ -z "$pkg" ]; then
        vmlog "[bookworm] linux-image-amd64 unknown to apt; apt-get update (system sources)"
        timeout 600 apt-get "${APT_NET[@]}" -qq update || vmdie "[bookworm] apt-get update failed"
        pkg=$(dep_of '')
      fi
      [ -n "$pkg" ] || vmdie "[bookworm] the system's apt sources have no linux-image-amd64 (is this Debian 12?)"
      download bookworm "$pkg" ;;
    bullseye)
      SUITE_DESC="bullseye + bullseye-security ($MIRROR)"
      scratch_apt bullseye \
        "deb [signed-by=$KEYRING] $MIRROR/debian bullseye main" \
        "deb [signed-by=$KEYRING] $MIRROR/debian-security bullseye-security main"
      pkg=${BULLSEYE_PKG:-$(dep_of '')}
      [ -n "$pkg" ] || vmdie "[bullseye] no linux-image-amd64 in bullseye"
      download bullseye "$pkg" ;;
    newest)
      SUITE_DESC="trixie-backports + sid, highest linux-image-amd64 ($MIRROR)"
      scratch_apt newest \
        "deb [signed-by=$KEYRING] $MIRROR/debian trixie-backports main" \
        "deb [signed-by=$KEYRING] $MIRROR/debian sid main"
      pkg=${NEWEST_PKG:-}
      if [ -z "$pkg" ]; then
        best=
        for v in $(apt-cache "${APTX[@]}" madison linux-image-amd64 | awk -F'|' '{gsub(/ /,"",$2); print $2}'); do
          if [ -z "$best" ] || dpkg --compare-versions "$v" gt "$best"; then best=$v; fi
        done
        [ -n "$best" ] || vmdie "[newest] no linux-image-amd64 in trixie-backports or sid"
        pkg=$(dep_of "$best")
        SUITE_DESC="$SUITE_DESC; linux-image-amd64 $best"
      fi
      [ -n "$pkg" ] || vmdie "[newest] could not resolve linux-image-amd64's kernel package"
      download newest "$pkg" ;;
    rt)
      APTX=("${APT_NET[@]}"); SUITE_DESC="bookworm (system apt sources), PREEMPT_RT"; META=linux-image-rt-amd64
      pkg=${RT_PKG:-$(dep_of '')}
      if [ -z "$pkg" ]; then
        timeout 600 apt-get "${APT_NET[@]}" -qq update || vmdie "[rt] apt-get update failed"
        pkg=$(dep_of '')
      fi
      [ -n "$pkg" ] || vmdie "[rt] the system's apt sources have no linux-image-rt-amd64"
      download rt "$pkg"; META=linux-image-amd64 ;;
    arm64-bullseye)
      SUITE_DESC="bullseye main, arm64 ($MIRROR)"; META=linux-image-arm64
      ARCH=arm64 scratch_apt arm64-bullseye "deb [arch=arm64 signed-by=$KEYRING] $MIRROR/debian bullseye main"
      pkg=${ARM64_BULLSEYE_PKG:-$(dep_of '')}
      [ -n "$pkg" ] || vmdie "[arm64-bullseye] no linux-image-arm64 in bullseye"
      download arm64-bullseye "$pkg"; META=linux-image-amd64 ;;
    arm64-bookworm)
      SUITE_DESC="bookworm + bookworm-updates + bookworm-security, arm64 ($MIRROR)"; META=linux-image-arm64
      ARCH=arm64 scratch_apt arm64-bookworm \
        "deb [arch=arm64 signed-by=$KEYRING] $MIRROR/debian bookworm main" \
        "deb [arch=arm64 signed-by=$KEYRING] $MIRROR/debian bookworm-updates main" \
        "deb [arch=arm64 signed-by=$KEYRING] $MIRROR/debian-security bookworm-security main"
      pkg=${ARM64_BOOKWORM_PKG:-}
      if [ -z "$pkg" ]; then
        best=
        for v in $(apt-cache "${APTX[@]}" madison linux-image-arm64 | awk -F'|' '{gsub(/ /,"",$2); print $2}'); do
          if [ -z "$best" ] || dpkg --compare-versions "$v" gt "$best"; then best=$v; fi
        done
        pkg=$(dep_of "$best")
      fi
      [ -n "$pkg" ] || vmdie "[arm64-bookworm] no linux-image-arm64 in bookworm"
      download arm64-bookworm "$pkg"; META=linux-image-amd64 ;;
    *) vmdie "unknown label '$label' (bullseye, bookworm, newest, rt, arm64-bullseye or arm64-bookworm)" ;;
  esac
done

for label in "${LABELS[@]}"; do
  k=$(cat "$CACHE/matrix/$label"); echo "$label $k $CACHE/kernels/$k"
done
