// deploy/: the Prometheus rules pass promtool (check + their unit tests), every PromQL expression in the rules and
// the Grafana dashboard parses and names only series rcuwalk serve exports (or the rules record), the systemd unit
// passes systemd-analyze verify with only the capabilities rcuwalk checks for, and the DaemonSet's and the unit's
// arguments are flags `rcuwalk serve` accepts, its readiness probe the path serve answers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { PACKAGE_ROOT } from '../../../cli/paths.js';
import { COUNTERS } from '../../../cli/metrics/counters.js';
import { EXPORTER, LOCKREF_HISTOGRAM } from '../../../cli/metrics/exporter-metrics.js';
import { BIN, runCli } from '../../helpers/cli.js';

const D = join(PACKAGE_ROOT, 'deploy');
const dir = mkdtempSync(join(tmpdir(), 'rcuwalk-deploy-'));
const which = (c: string) => spawnSync('sh', ['-c', `command -v ${c}`], { encoding: 'utf8' }).stdout.trim();
const promtool = which('promtool');
const noPromtool = promtool ? false : "promtool missing (Debian package 'prometheus': scripts/install-test-deps.sh installs it)";

interface RuleFile { groups: { name: string; rules: { record?: string; alert?: string; expr: string }[] }[] }
const rules = parseYaml(readFileSync(join(D, 'prometheus', 'rcuwalk-rules.yml'), 'utf8')) as RuleFile;
const recorded = new Set(rules.groups.flatMap((g) => g.rules.flatMap((r) => (r.record ? [r.record] : []))));
const exported = new Set<string>([
  ...COUNTERS.flatMap((c) => (c.prom ? [c.prom.name] : [])),
  ...['_bucket', '_sum', '_count'].map((s) => LOCKREF_HISTOGRAM.name + s),
  ...Object.values(EXPORTER).map((f) => f.name),
]);
interface Dashboard { panels: { title: string; targets: { expr: string }[] }[]; templating: { list: { query?: unknown }[] } }
const dashboard = JSON.parse(readFileSync(join(D, 'grafana', 'rcuwalk-dashboard.json'), 'utf8')) as Dashboard;
const dashExprs = dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr));
/** Grafana variables -> values promtool can parse */
const concrete = (e: string) => e.replace(/\$__rate_interval/g, '5m').replace(/\$\{?\w+\}?/g, '.*');

function namesIn(expr: string): string[] {
  return [...expr.matchAll(/\b((?:[a-z_]+:)?rcuwalk_[a-z0-9_]+(?::[a-z0-9_]+)?)/g)].map((m) => m[1]!);
}

test('every series a rule or a dashboard panel names is exported by rcuwalk serve or recorded by the rules', () => {
  const exprs = [...rules.groups.flatMap((g) => g.rules.map((r) => r.expr)), ...dashExprs];
  let n = 0;
  for (const e of exprs) {
    for (const name of namesIn(e)) {
      assert.ok(exported.has(name) || recorded.has(name), `${name} (in: ${e.slice(0, 80)}) is neither exported nor recorded`);
      n += 1;
    }
  }
  assert.ok(n > 20, `checked ${n} names`);
  assert.ok(dashboard.panels.some((p) => (p as { type?: string }).type === 'heatmap'), 'a heatmap of the lockref histogram');
});

test('promtool check rules and promtool test rules pass', { skip: noPromtool }, () => {
  const check = spawnSync(promtool, ['check', 'rules', join(D, 'prometheus', 'rcuwalk-rules.yml')], { encoding: 'utf8' });
  assert.equal(check.status, 0, check.stdout + check.stderr);
  const unit = spawnSync(promtool, ['test', 'rules', 'rcuwalk-rules.test.yml'], { encoding: 'utf8', cwd: join(D, 'prometheus') });
  assert.equal(unit.status, 0, unit.stdout + unit.stderr);
});

/** The README's PromQL examples (```promql blocks, one expression per line or continued by indentation). */
function readmePromql(): string[] {
  const readme = readFileSync(join(PACKAGE_ROOT, 'README.md'), 'utf8');
  const out: string[] = [];
  for (const block of readme.matchAll(/```promql\n([\s\S]*?)```/g)) {
    for (const line of block[1]!.split('\n')) {
      if (line.trim() === '' || line.startsWith('#')) continue;
      if (/^\s/.test(line) && out.length) out[out.length - 1] += ` ${line.trim()}`;
      else out.push(line.trim());
    }
  }
  return out;
}

test("every dashboard query and README PromQL example is valid PromQL (promtool parses them as rules)", { skip: noPromtool }, () => {
  const readme = readmePromql();
  assert.ok(readme.length >= 3, `README PromQL examples: ${readme.length}`);
  for (const e of readme) for (const name of namesIn(e)) assert.ok(exported.has(name) || recorded.has(name), `README: ${name}`);
  dashExprs.push(...readme);
  const f = join(dir, 'dashboard-exprs.yml');
  const lines = ['groups:', '  - name: dashboard', '    rules:'];
  dashExprs.forEach((e, i) => { lines.push(`      - record: dashboard:expr${i}`, `        expr: ${JSON.stringify(concrete(e))}`); });
  writeFileSync(f, lines.join('\n') + '\n');
  const r = spawnSync(promtool, ['check', 'rules', f], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
});

function unitLines(): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const l of readFileSync(join(D, 'systemd', 'rcuwalk-serve.service'), 'utf8').split('\n')) {
    const kv = /^(\w+)=(.*)$/.exec(l);
    if (kv) m.set(kv[1]!, [...(m.get(kv[1]!) ?? []), kv[2]!]);
  }
  return m;
}

test('systemd unit: hardened, only the capabilities rcuwalk checks for (+ SYS_RAWIO for /proc/kcore), serve flags valid', () => {
  const u = unitLines();
  assert.deepEqual(u.get('CapabilityBoundingSet')![0]!.split(/\s+/).sort(), ['CAP_BPF', 'CAP_PERFMON', 'CAP_SYSLOG', 'CAP_SYS_RAWIO']);
  // home directories read-only, not hidden: scripts/install.sh's rcuwalk is a link into the clone, often in ~
  for (const [k, v] of [['ProtectSystem', 'strict'], ['PrivateTmp', 'yes'], ['ProtectHome', 'read-only'], ['NoNewPrivileges', 'yes']]) assert.equal(u.get(k!)?.[0], v, k);
  const exec = u.get('ExecStart')![0]!.split(/\s+/);
  assert.equal(exec[1], 'serve');
  assert.equal(exec[0], 'rcuwalk', "without a directory: systemd's search path, where npm link puts it");
  const help = runCli([...exec.slice(1), '--help']);
  assert.equal(help.code, 0, `the unit's flags: ${help.stderr}`);
});

const sa = which('systemd-analyze');
test('systemd unit: systemd-analyze verify passes, security exposure <= 5', { skip: sa ? false : 'systemd-analyze missing (package systemd)' }, () => {
  // the unit as shipped, with ExecStart pointing at this build (verify checks that the binary exists)
  const f = join(dir, 'rcuwalk-serve.service');
  writeFileSync(f, readFileSync(join(D, 'systemd', 'rcuwalk-serve.service'), 'utf8').replace('ExecStart=rcuwalk ', `ExecStart=${BIN} `));
  const v = spawnSync(sa, ['verify', f], { encoding: 'utf8' });
  assert.equal(v.status, 0, v.stdout + v.stderr);
  const sec = spawnSync(sa, ['security', '--offline=true', f], { encoding: 'utf8' });
  const level = /Overall exposure level for \S+: ([\d.]+)/.exec(sec.stdout);
  assert.ok(level && Number(level[1]) <= 5, `systemd-analyze security: ${level?.[1] ?? sec.stdout.slice(-200)}`);
});

// what scripts/install.sh installs: `npm link` -> $(npm prefix -g)/bin/rcuwalk
const npmBin = join(spawnSync('npm', ['prefix', '-g'], { encoding: 'utf8' }).stdout.trim(), 'bin');
const linked = existsSync(join(npmBin, 'rcuwalk'));
test("systemd unit as shipped: its ExecStart finds the rcuwalk scripts/install.sh links, and verify passes", {
  skip: !sa ? 'systemd-analyze missing (package systemd)' : !linked ? `rcuwalk is not in ${npmBin} (run scripts/install.sh)` : false,
}, () => {
  // systemd's search path for a command without a directory (systemd >= 239)
  assert.ok(['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin'].includes(npmBin), `npm link puts rcuwalk in ${npmBin}, outside systemd's search path: use the full path in ExecStart`);
  const v = spawnSync(sa, ['verify', join(D, 'systemd', 'rcuwalk-serve.service')], { encoding: 'utf8' });
  assert.equal(v.status, 0, v.stdout + v.stderr);
});

test('DaemonSet: hostPID, tracefs/debugfs mounted, capabilities not privileged, readiness on /-/ready, serve flags valid', () => {
  const ds = parseYaml(readFileSync(join(D, 'kubernetes', 'rcuwalk-daemonset.yaml'), 'utf8')) as {
    kind: string; spec: { template: { spec: { hostPID: boolean; containers: { args: string[]; ports: { containerPort: number; name: string }[]; readinessProbe: { httpGet: { path: string; port: string } }; securityContext: { privileged: boolean; capabilities: { add: string[] } }; volumeMounts: { mountPath: string }[] }[] } } };
  };
  assert.equal(ds.kind, 'DaemonSet');
  const pod = ds.spec.template.spec;
  assert.equal(pod.hostPID, true);
  const c = pod.containers[0]!;
  assert.equal(c.readinessProbe.httpGet.path, '/-/ready');
  const port = c.ports.find((p) => p.name === c.readinessProbe.httpGet.port)!;
  const listen = c.args[c.args.indexOf('--listen') + 1]!;
  assert.equal(Number(listen.split(':').at(-1)), port.containerPort);
  assert.equal(c.securityContext.privileged, false);
  assert.deepEqual([...c.securityContext.capabilities.add].sort(), ['BPF', 'PERFMON', 'SYSLOG']); // /proc/kcore is masked in a pod: no SYS_RAWIO
  const mounts = c.volumeMounts.map((m) => m.mountPath);
  for (const m of ['/sys/kernel/tracing', '/sys/kernel/debug']) assert.ok(mounts.includes(m), m);
  const help = runCli([...c.args, '--help']);
  assert.equal(help.code, 0, `the DaemonSet's args: ${help.stderr}`);
});
