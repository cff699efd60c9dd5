// node dist/test/image/pod-args-cli.js MANIFEST SCRATCH: the DaemonSet in MANIFEST as bash assignments for
// test/image/run.sh to source (pod_flags, pod_image, pod_args, ready_port/ready_path, live_port/live_path);
// creates the directories its disk emptyDirs need under SCRATCH. One line and exit 2 when it cannot translate.
import { mkdirSync, readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { podmanRun, type Pod } from './pod-args.js';

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const [manifest, scratch] = process.argv.slice(2);
if (!manifest || !scratch) {
  process.stderr.write('usage: pod-args-cli MANIFEST SCRATCH\n');
  process.exit(2);
}
try {
  const ds = parseYaml(readFileSync(manifest, 'utf8')) as { kind: string; spec: { template: { spec: Pod } } };
  if (ds.kind !== 'DaemonSet') throw new Error(`pod-args: ${manifest} is a ${ds.kind}, not a DaemonSet`);
  const run = podmanRun(ds.spec.template.spec, scratch);
  for (const d of run.scratchDirs) mkdirSync(d, { recursive: true });
  const lines = [
    `pod_flags=(${run.flags.map(q).join(' ')})`,
    `pod_image=${q(run.image)}`,
    `pod_args=(${run.args.map(q).join(' ')})`,
    `ready_port=${run.readiness?.port ?? ''} ready_path=${q(run.readiness?.path ?? '')}`,
    `live_port=${run.liveness?.port ?? ''} live_path=${q(run.liveness?.path ?? '')}`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(2);
}
