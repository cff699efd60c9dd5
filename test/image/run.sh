#!/usr/bin/env bash
# The container image, built and run for real (.ci/run runs this after the tests): podman builds
# deploy/kubernetes/Dockerfile (from a local debootstrap base: no registry is needed, test/image/base-image.sh),
# then runs the image with the DaemonSet's securityContext, hostPID, mounts, environment and memory limit, as
# test/image/pod-args.ts reads them from deploy/kubernetes/rcuwalk-daemonset.yaml: `rcuwalk doctor` passes,
# `serve` gets ready, its liveness path answers, a scrape shows rcuwalk_up 1 and the lockref strategy this kernel
# allows (contention without kprobes), and SIGTERM stops it with exit 0. The pod network is --network=none:
# probes and the scrape run inside the container (node's fetch), as the kubelet's would reach the pod.
# Needs root (podman and runc are installed when missing); prints one line per check and "image: N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/../.."
me=image
manifest=deploy/kubernetes/rcuwalk-daemonset.yaml
dockerfile=deploy/kubernetes/Dockerfile
export CONTAINERS_CONF=$PWD/test/image/containers.conf

if [ "$(id -u)" != 0 ]; then echo "$me: skipped: not root (podman builds and runs the image as root)"; exit 0; fi
if ! command -v podman >/dev/null 2>&1 || ! command -v runc >/dev/null 2>&1; then
  echo "$me: apt-get install podman runc" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq --no-install-recommends podman runc >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq --no-install-recommends podman runc >/dev/null; }
fi
[ -f dist/test/image/pod-args-cli.js ] || npm run --silent build

passed=0 failed=0
check() { # check NAME DETAIL COMMAND...: one line, ok or FAIL with DETAIL
  local name=$1 detail=$2; shift 2
  if "$@"; then passed=$((passed + 1)); echo "ok   $name"; else failed=$((failed + 1)); echo "FAIL $name${detail:+: $detail}"; fi
}

name=rcuwalk-image-test-$$
scratch=$(mktemp -d /tmp/rcuwalk-image.XXXXXX)
cleanup() { podman rm -f -i -t 5 "$name" "$name-doctor" >/dev/null 2>&1 || true; rm -rf "$scratch"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

# the base the Dockerfile names (FROM debian:SUITE-slim), made locally
suite=$(sed -n 's/^FROM debian:\([a-z]*\)-slim.*/\1/p' "$dockerfile" | head -1)
[ -n "$suite" ] || { echo "$me: $dockerfile does not start FROM debian:SUITE-slim" >&2; exit 2; }
start=$SECONDS
bash test/image/base-image.sh "$suite"
echo "$me: base debian:$suite-slim ready in $((SECONDS - start)) s"

# each run gets fresh emptyDirs, as a new pod would
pod() { source <(node dist/test/image/pod-args-cli.js "$manifest" "$scratch/$1"); }
pod build

# the host's CA bundle for npm ci in the build stage, as NODE_EXTRA_CA_CERTS gives it to the host's npm
ca=${NODE_EXTRA_CA_CERTS:-/etc/ssl/certs/ca-certificates.crt}
secret=(); [ -r "$ca" ] && secret=(--secret "id=ca,src=$ca")
old=$(podman image inspect --format '{{.Id}}' "$pod_image" 2>/dev/null || true)
start=$SECONDS
log=$scratch/build.log
if podman build --pull=never --network=host "${secret[@]}" -f "$dockerfile" -t "$pod_image" . >"$log" 2>&1; then rc=0; else rc=$?; fi
check "podman build -t $pod_image" "exit $rc" test "$rc" = 0
echo "$me: build took $((SECONDS - start)) s"
[ "$failed" = 0 ] || { tail -20 "$log"; echo "$me: $passed passed, $failed failed"; exit 1; }
new=$(podman image inspect --format '{{.Id}}' "$pod_image")
# the image this tag named before is replaced: drop it (its layers stay cached for the next build)
[ -n "$old" ] && [ "$old" != "$new" ] && podman rmi "$old" >/dev/null 2>&1 || true

node_version=$(podman run --rm --network=none --entrypoint node "$pod_image" -p 'process.versions.node' 2>&1) || true
check "node in the image is >= 20 ($node_version)" '' test "${node_version%%.*}" -ge 20 2>/dev/null

pod doctor
out=$(podman run --rm --name "$name-doctor" "${pod_flags[@]}" "$pod_image" doctor 2>&1) && rc=0 || rc=$?
printf '%s\n' "$out" | sed 's/^/  doctor| /'
check "rcuwalk doctor with the DaemonSet's securityContext, mounts and environment exits 0" "exit $rc" test "$rc" = 0

# GET in the container: prints "STATUS" then the body, or why not (never fails: set -e)
get() { podman exec "$name" node -e "fetch('http://127.0.0.1:$1$2').then(async (r) => console.log(r.status + '\n' + await r.text())).catch((e) => console.log('error ' + (e.cause?.code ?? e.message)))" 2>&1 || true; }
pod serve
podman run -d --name "$name" "${pod_flags[@]}" "$pod_image" "${pod_args[@]}" >/dev/null || echo "$me: podman run failed" >&2
status=none
for _ in $(seq 1 60); do # 120 s: probes attach in 5-15 s here
  status=$(get "$ready_port" "$ready_path" | sed -n 1p)
  [ "$status" = 200 ] && break
  [ "$(podman inspect --format '{{.State.Running}}' "$name" 2>/dev/null)" = true ] || break
  sleep 2
done
check "serve is ready: GET $ready_path answers 200" "last answer: $status; log: $(podman logs "$name" 2>&1 | tail -5)" test "$status" = 200
check "GET $live_path answers 200" '' test "$(get "$live_port" "$live_path" | sed -n 1p)" = 200

sleep 3 # a few intervals
metrics=$(get "$ready_port" /metrics)
grep -E '^rcuwalk_(up|build_info|target_info|intervals_total|bpftrace_)' <<<"$metrics" | sed 's/^/  scrape| /' || true
has() { grep -qE "$1" <<<"$metrics"; }
check "a scrape shows rcuwalk_up 1" '' has '^rcuwalk_up 1$'
# without kprobes (no kprobe_events) the lockref target can only be measured from the contention tracepoints
if [ -e /sys/kernel/tracing/kprobe_events ]; then want='strategy="(direct|callsite|contention)"'; else want='strategy="contention"'; fi
check "lockref measured by $want" '' has "^rcuwalk_target_info\\{target=\"lockref\",$want\\} 1$"
errors=$(sed -n 's/^rcuwalk_bpftrace_errors_total //p' <<<"$metrics")
check "no bpftrace errors (rcuwalk_bpftrace_errors_total ${errors:-absent})" '' test "${errors:-0}" = 0

podman stop -t 30 "$name" >/dev/null 2>&1 || true
code=$(podman inspect --format '{{.State.ExitCode}}' "$name" 2>/dev/null) || code=none
check "SIGTERM: serve exits 0" "exit $code; log: $(podman logs "$name" 2>&1 | tail -3)" test "$code" = 0

echo "$me: base, build and checks took $SECONDS s"
echo "$me: $passed passed, $failed failed"
[ "$failed" = 0 ]
