#!/bin/bash
# Guest job of run-matrix.sh (runs as /tmp/job/job.sh): one rcuwalk capture with the ps
# workload on this kernel, written to /tmp/job/out/<uname -r>.json; then `rcuwalk serve` with the same
# workload, scraped once from inside the guest once ready and a few intervals in (/tmp/job/out/<uname -r>.metrics.txt),
# stopped with SIGTERM (serve.txt: its exit code).
# Params (/tmp/job/params): REPO, CAPTURE_ARGS, SERVE_ARGS (empty: no serve).
set -u
. /tmp/job/params
K=$(uname -r) O=/tmp/job/out
up() { local u; read -r u _ < /proc/uptime; echo "$u"; }
cd "$O" || exit 1
echo "rcuwalk-vm: [$(up)] capture on $K: rcuwalk capture $CAPTURE_ARGS"
t0=$(up)
# shellcheck disable=SC2086
node "$REPO/dist/cli/bin.js" capture $CAPTURE_ARGS --out "$O/$K.json" > "$O/capture.stdout" 2> "$O/capture.stderr"
rc=$?
echo "capture_exit=$rc capture_seconds=$(awk "BEGIN{print $(up)-$t0}")" > "$O/capture.txt"
echo "rcuwalk-vm: [$(up)] capture exit=$rc after $(awk "BEGIN{print $(up)-$t0}")s"
# the symbols the assertions check the resolution against
grep -E ' (pid_revalidate|try_to_unlazy_next|unlazy_child|try_to_unlazy|unlazy_walk|lockref_get_not_dead|__legitimize_path|legitimize_path|d_alloc_parallel)([.][^ ]*)?$' /proc/kallsyms > "$O/$K.kallsyms.txt"
tail -n 25 "$O/capture.stdout"; tail -n 25 "$O/capture.stderr"
if [ -n "${SERVE_ARGS:-}" ]; then
  echo "rcuwalk-vm: [$(up)] serve on $K: rcuwalk serve $SERVE_ARGS"
  # loopback for the listener and the scrape (the guest's init brings up no network)
  ip link set lo up 2>/dev/null || busybox ip link set lo up 2>/dev/null || true
  # shellcheck disable=SC2086
  node "$REPO/dist/cli/bin.js" serve --listen 127.0.0.1:9890 $SERVE_ARGS > "$O/serve.stdout" 2> "$O/serve.stderr" &
  spid=$!
  # ready (probes attached: 30-60 s under TCG), then 5 intervals, then one scrape
  node -e '
    const until = Date.now() + 400e3;
    const get = (p) => fetch("http://127.0.0.1:9890" + p).then(async (r) => ({ status: r.status, text: await r.text() }));
    (async () => {
      for (;;) {
        const r = await get("/-/ready").catch(() => ({ status: 0 }));
        if (r.status === 200) break;
        if (Date.now() > until) { console.error("serve never ready"); process.exit(1); }
        await new Promise((x) => setTimeout(x, 1000));
      }
      await new Promise((x) => setTimeout(x, 5500));
      const m = await get("/metrics");
      require("fs").writeFileSync(process.argv[1], m.text);
    })().catch((e) => { console.error(String(e)); process.exit(1); });
  ' "$O/$K.metrics.txt" > "$O/scrape.stderr" 2>&1
  src=$?
  kill -TERM "$spid"; wait "$spid"; serc=$?
  echo "scrape_exit=$src serve_exit=$serc" > "$O/serve.txt"
  echo "rcuwalk-vm: [$(up)] serve: scrape exit=$src, serve exit=$serc after SIGTERM"
  tail -n 10 "$O/serve.stderr" "$O/scrape.stderr"
fi
exit $rc
