#!/bin/bash
# Guest job of record-facts.sh: this kernel's facts folder by rcuwalk's own dumper (bytes from /proc/kcore),
# `rcuwalk doctor`, and the boot's _stext (KASLR moves it; arm64-crosscheck.mjs needs it). Params: REPO, NOTE.
set -u
. /tmp/job/params
O=/tmp/job/out
rm -rf "$O/facts"
grep -E ' (_stext|_text)$' /proc/kallsyms > "$O/stext.txt"
node "$REPO/dist/scripts/dump-facts.js" "$O/facts" --note "$NOTE" 2>&1 | tail -4
node "$REPO/dist/cli/bin.js" doctor > "$O/doctor.txt" 2>&1
cat "$O/doctor.txt"
