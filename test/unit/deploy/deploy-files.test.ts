// deploy/: the Prometheus rules pass promtool (check + their unit tests), every PromQL expression in the rules, the
// Grafana dashboard and the README parses and reads only series a live `rcuwalk serve` scrape exports (or the rules
// record), the systemd unit passes systemd-analyze verify with only the capabilities rcuwalk checks for, and the
// DaemonSet's and the unit's arguments are flags `rcuwalk serve` accepts, its readiness probe the path serve answers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { PACKAGE_ROOT } from '../../../cli/paths.js';
import { BIN, captureUnsupportedReason, rcuwalkProcesses, runCli, spawnCli, waitFor } from '../../helpers/cli.js';
import { parseExposition } from '../../helpers/exposition.js';
import { promqlMetricNames } from '../../helpers/promql-names.js';

const D = join(PACKAGE_ROOT, 'deploy');
const dir = mkdtempSync(join(tmpdir(), 'rcuwalk-deploy-'));
const which = (c: string) => spawnSync('sh', ['-c', `command -v ${c}`], { encoding: 'utf8' }).stdout.trim();
const promtool = which('promtool');
const noPromtool = promtool ? false : "promtool missing (Debian package 'prometheus': scripts/install-test-deps.sh installs it)";

interface RuleFile { groups: { name: string; rules: { record?: string; alert?: string; expr: string }[] }[] }
const rules = parseYaml(readFileSync(join(D, 'prometheus', 'rcuwalk-rules.yml'), 'utf8')) as RuleFile;
const recorded = new Set(rules.groups.flatMap((g) => g.rules.flatMap((r) => (r.record ? [r.record] : []))));
interface Dashboard { panels: { title: string; targets: { expr: string }[] }[]; templating: { list: { name: string; query?: unknown }[] } }
const dashboard = JSON.parse(readFileSync(join(D, 'grafana', 'rcuwalk-dashboard.json'), 'utf8')) as Dashboard;
const dashExprs = dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr));
/** The dashboard's variables read Prometheus too: label_values(metric, label). */
const templateQueries = dashboard.templating.list.flatMap((v) => {
  const q = v.query as { query?: unknown } | string | undefined;
  const text = typeof q === 'object' ? q.query : v.name === 'datasource' ? undefined : q;
  return typeof text === 'string' ? [text] : [];
});
/** Grafana variables -> values promtool can parse */
const concrete = (e: string) => e.replace(/\$__rate_interval/g, '5m').replace(/\$\{?\w+\}?/g, '.*');
/** Series Prometheus itself writes for every scrape target and alert (prometheus.io/docs: "Jobs and instances", alerting rules). */
const PROMETHEUS_OWN = new Set(['up', 'scrape_duration_seconds', 'scrape_samples_scraped', 'scrape_samples_post_metric_relabeling', 'scrape_series_added', 'ALERTS', 'ALERTS_FOR_STATE']);

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

/** Every series name a scrape of a running `rcuwalk serve` can show: its families (a histogram's three series each) and its samples. */
async function servedNames(): Promise<Set<string>> {
  const serve = spawnCli(['serve', '--listen', '127.0.0.1:0', '-i', '500ms']);
  try {
    const listening = /serving http:\/\/127\.0\.0\.1:(\d+)\//;
    assert.ok(await waitFor(() => listening.test(serve.stderrText()), 60_000), serve.stderrText());
    const base = `http://127.0.0.1:${listening.exec(serve.stderrText())![1]}`;
    assert.ok(await readyWithin(base, 60_000), `serve never ready: ${serve.stderrText()}`);
    const scrape = parseExposition(await (await fetch(`${base}/metrics`)).text());
    const names = new Set(scrape.samples.map((s) => s.name));
    for (const [family, type] of scrape.types) {
      const series = type === 'histogram' ? ['_bucket', '_sum', '_count'] : type === 'summary' ? ['', '_sum', '_count'] : [''];
      for (const suffix of series) names.add(family + suffix);
    }
    serve.kill('SIGINT');
    assert.ok(await waitFor(() => serve.exitCode !== null, 30_000), 'serve did not stop on SIGINT');
    assert.equal(serve.exitCode, 0, serve.stderrText());
    assert.ok(await waitFor(() => rcuwalkProcesses().length === 0, 5000), rcuwalkProcesses().join('; '));
    return names;
  } finally {
    if (serve.exitCode === null && serve.signalCode === null) serve.kill('SIGKILL');
  }
}

async function readyWithin(base: string, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if ((await fetch(`${base}/-/ready`)).status === 200) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

test('the PromQL reader finds the metric names of an expression, not its functions, labels, keywords or variables', () => {
  assert.deepEqual(promqlMetricNames('sum by (kernel_release) (instance:rcuwalk_x:rate5m * on (job, instance) group_left (kernel_release) rcuwalk_build_info) / (sum(rate(a_total{i=~"$instance"}[$__rate_interval])) > 0)'),
    ['instance:rcuwalk_x:rate5m', 'rcuwalk_build_info', 'a_total']);
  assert.deepEqual(promqlMetricNames('rcuwalk_up == 0 or up{job="rcuwalk"} == 0 and increase(b_total[1h] offset 5m) > 1e3'), ['rcuwalk_up', 'up', 'b_total']);
  assert.deepEqual(promqlMetricNames('label_values(rcuwalk_build_info{kernel_release=~"$kernel_release"}, instance)'), ['rcuwalk_build_info']);
  assert.deepEqual(promqlMetricNames('histogram_quantile(0.99, sum without (cpu) (rate(h_bucket[1h])))'), ['h_bucket']);
});

test("every series the rules, the dashboard and the README's PromQL read is in a live `rcuwalk serve` scrape, recorded by the rules, or Prometheus's own", { skip: captureUnsupportedReason() ?? false, timeout: 180_000 }, async () => {
  const served = await servedNames();
  assert.ok(served.size >= 10, `the scrape: ${[...served].join(' ')}`);
  const readme = readmePromql();
  assert.ok(readme.length >= 3, `README PromQL examples: ${readme.length}`);
  const sources: [string, string[]][] = [
    ['rules', rules.groups.flatMap((g) => g.rules.map((r) => r.expr))],
    ['dashboard', [...dashExprs, ...templateQueries]],
    ['README', readme],
  ];
  let n = 0;
  for (const [where, exprs] of sources) {
    for (const e of exprs) {
      for (const name of promqlMetricNames(e)) {
        assert.ok(served.has(name) || recorded.has(name) || PROMETHEUS_OWN.has(name), `${where}: ${name} (in: ${e.replace(/\s+/g, ' ').slice(0, 100)}) is neither in the scrape nor recorded by the rules`);
        n += 1;
      }
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

test("every dashboard query and README PromQL example is valid PromQL (promtool parses them as rules)", { skip: noPromtool }, () => {
  const readme = readmePromql();
  assert.ok(readme.length >= 3, `README PromQL examples: ${readme.length}`);
  const f = join(dir, 'dashboard-exprs.yml');
  const lines = ['groups:', '  - name: dashboard', '    rules:'];
  [...dashExprs, ...readme].forEach((e, i) => { lines.push(`      - record: dashboard:expr${i}`, `        expr: ${JSON.stringify(concrete(e))}`); });
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
