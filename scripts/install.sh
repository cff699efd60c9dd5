#!/usr/bin/env bash
# Installs everything rcuwalk needs on a fresh Debian/Ubuntu machine: system packages (bpftrace),
# npm packages, the build, and the `rcuwalk` command on PATH. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

need_root() { [ "$(id -u)" = 0 ] || { echo "install: run as root (or with sudo) to install system packages: $*" >&2; exit 3; }; }

node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 20 ]; then
  echo "install: rcuwalk needs Node.js >= 20 (found: $(node --version 2>/dev/null || echo none)); install it from your distribution or nodejs.org" >&2
  exit 4
fi

missing=()
command -v bpftrace >/dev/null 2>&1 || missing+=(bpftrace)
command -v bash >/dev/null 2>&1 || missing+=(bash)
command -v ps >/dev/null 2>&1 || missing+=(procps)
if [ ${#missing[@]} -gt 0 ]; then
  need_root "${missing[*]}"
  echo "install: apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq "${missing[@]}"; }
fi

if [ -f package-lock.json ]; then npm ci --no-audit --no-fund --loglevel=error; else npm install --no-audit --no-fund --loglevel=error; fi
npm run --silent build
npm link --no-audit --no-fund --loglevel=error >/dev/null
echo "install: rcuwalk $(node dist/cli/bin.js --version) is on PATH as $(command -v rcuwalk || echo "$(npm prefix -g)/bin/rcuwalk")"
