// test/image/pod-args.ts: the DaemonSet as podman flags. The shipped manifest translates whole (so the image test runs
// its real securityContext, mounts and environment), and a field the translation does not know is an error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { PACKAGE_ROOT } from '../../../cli/paths.js';
import { podmanRun, quantityBytes, type Pod } from '../../image/pod-args.js';

const manifest = () => (parseYaml(readFileSync(join(PACKAGE_ROOT, 'deploy', 'kubernetes', 'rcuwalk-daemonset.yaml'), 'utf8')) as {
  spec: { template: { spec: Pod } };
}).spec.template.spec;

test('the shipped DaemonSet: hostPID, read-only root, only its capabilities, its env, mounts and memory limit', () => {
  const pod = manifest();
  const run = podmanRun(pod, '/scratch');
  const c = pod.containers[0]!;
  assert.equal(run.image, c.image);
  assert.deepEqual(run.args, c.args);
  const f = run.flags;
  assert.ok(f.includes('--pid=host'));
  assert.ok(f.includes('--read-only') && f.includes('--read-only-tmpfs=false'), 'no tmpfs podman would add on its own');
  assert.ok(f.includes('--cap-drop=all'));
  const added = f.filter((x) => x.startsWith('--cap-add=')).map((x) => x.slice('--cap-add=CAP_'.length)).sort();
  assert.deepEqual(added, [...(c.securityContext!.capabilities as { add: string[] }).add].sort());
  assert.ok(!f.includes('--privileged'));
  for (const e of c.env!) assert.ok(f.includes(`--env=${e.name}=${e.value}`), e.name);
  assert.ok(f.includes('--volume=/sys/kernel/tracing:/sys/kernel/tracing'));
  assert.ok(f.includes('--volume=/scratch/cache:/var/cache/rcuwalk'), 'a disk emptyDir is a fresh directory');
  assert.deepEqual(run.scratchDirs, ['/scratch/cache']);
  assert.ok(f.includes('--tmpfs=/tmp:rw,mode=1777,notmpcopyup,size=16777216'), 'a Memory emptyDir of 16Mi');
  assert.ok(f.includes('--memory=268435456'));
  assert.deepEqual(run.readiness, { port: 9890, path: '/-/ready' });
  assert.deepEqual(run.liveness, { port: 9890, path: '/-/healthy' });
  assert.equal(f.filter((x) => x.startsWith('--volume=') || x.startsWith('--tmpfs=')).length, c.volumeMounts!.length);
});

test('a field the translation does not know is an error, not ignored', () => {
  const withPod = (extra: Record<string, unknown>) => ({ ...manifest(), ...extra });
  assert.throws(() => podmanRun(withPod({ hostIPC: true }), '/s'), /pod spec hostIPC is not translated/);
  const pod = manifest();
  const c = pod.containers[0]!;
  const variants: [Partial<typeof c>, RegExp][] = [
    [{ securityContext: { ...c.securityContext, runAsNonRoot: true } }, /securityContext.runAsNonRoot/],
    [{ env: [{ name: 'X', valueFrom: { fieldRef: {} } }] }, /env X: only plain values/],
    [{ volumeMounts: [{ name: 'cache', mountPath: '/x', subPath: 'y' }] }, /subPath is not translated/],
    [{ volumeMounts: [{ name: 'nope', mountPath: '/x' }] }, /volumeMount nope has no volume/],
    [{ lifecycle: {} }, /container lifecycle is not translated/],
  ];
  for (const [change, message] of variants) {
    assert.throws(() => podmanRun({ ...pod, containers: [{ ...c, ...change }] }, '/s'), message);
  }
  const volumes = pod.volumes!.map((v) => (v.name === 'cache' ? { name: 'cache' } : v));
  assert.throws(() => podmanRun({ ...pod, volumes }, '/s'), /volume cache: only hostPath and emptyDir/);
});

test('Kubernetes quantities in bytes', () => {
  assert.equal(quantityBytes('16Mi'), 16 * 1024 * 1024);
  assert.equal(quantityBytes('1G'), 1e9);
  assert.equal(quantityBytes('4096'), 4096);
  assert.throws(() => quantityBytes('1.5Gi'), /not understood/);
});
