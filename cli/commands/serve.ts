// rcuwalk serve: a Prometheus exporter. The same probes, scripts and reducer as `capture`, run until stopped,
// their running totals on /metrics (names from the catalogue, cli/metrics/). No journal, no capture file.
import { UserError } from '../errors.js';
import { EXIT } from '../exit-codes.js';
import { buildRegistry, type Exposition } from '../serve/exposition.js';
import { parseListen, startHttp } from '../serve/http-server.js';
import { startServeLoop } from '../serve/serve-loop.js';
import { fixedWeb, watchWebConfig } from '../serve/live-web-config.js';
import { PLAIN_WEB } from '../serve/web-config.js';
import { parseCaptureArgs } from './capture-options.js';
import { installStopSignals } from './stop-signals.js';

export const DEFAULT_LISTEN = '127.0.0.1:9890';

const HELP = `usage: rcuwalk serve [--listen ${DEFAULT_LISTEN}] [-i 1s] [--no-per-cpu] [--web-config FILE] [workload flags]

A Prometheus exporter: attaches the same probes as 'rcuwalk capture' (per target, what this kernel allows)
and serves their running totals until stopped (SIGTERM or SIGINT: exit 0). No workload by default: it
watches the host's own load. When bpftrace exits or stalls it is restarted (backoff 1 s .. 60 s, its stderr
logged on stderr); counters stay monotonic across restarts.

  --listen HOST:PORT         where to listen (default ${DEFAULT_LISTEN}: loopback only; 0.0.0.0:PORT for all)
  -i, --interval 1s          interval length (default 1s, at least 10ms): how often the counters move
  --no-per-cpu               no 'cpu' label: one series per counter for the host
  --web-config FILE          exporter-toolkit web config (YAML): tls_server_config (cert_file, key_file,
                             client_auth_type, client_ca_file, min/max_version), basic_auth_users (bcrypt),
                             http_server_config.headers (schemas/web-config.schema.json); read again when
                             it or a file it names changes: certificates and passwords rotate without a restart
  --interval-log             print each closed interval on stdout as NDJSON (schemas/serve-interval.schema.json)
  --workload ps|none|cmd     none (default); ps or cmd: run that workload as 'capture' does
  --cmd 'COMMAND', -j N, --ballast N, --lockref-strategy S: as for 'rcuwalk capture'

Paths: / (links), /metrics (Prometheus text, or OpenMetrics when the Accept header asks), /-/healthy,
/-/ready (200 once probes are attached, else 503). GET and HEAD only.
Series: at most 13 per CPU (the counters; fewer when a target is unavailable) plus 48 (the lockref histogram,
without a cpu label, 32; build and target info; the exporter's own): 13 x CPUs + 48; --no-per-cpu: 61.
Exit codes: 0 stopped, 2 bad flags or web config or listen address, 3 not privileged, 4 bpftrace/tracefs
missing, 5 nothing measurable.`;

const NOT_FOR_SERVE = new Set(['-o', '--out', '-d', '--duration', '-f', '--force', '--json', '-c', '--config']);

export async function main(argv: string[]): Promise<number> {
  const bad = argv.find((a) => NOT_FOR_SERVE.has(a.split('=')[0]!));
  if (bad) throw new UserError(`${bad.split('=')[0]} is a capture flag: serve writes no file and runs until stopped`, "run 'rcuwalk serve --help'");
  // serve's default workload is none; the duration is the engine's (serve runs until stopped)
  const withDefaults = argv.some((a) => /^--(workload|cmd)(=|$)/.test(a)) ? argv : [...argv, '--workload', 'none'];
  const parsed = parseCaptureArgs([...withDefaults, '--duration', '24h'], {
    listen: { type: 'string' }, 'no-per-cpu': { type: 'boolean' }, 'web-config': { type: 'string' }, 'interval-log': { type: 'boolean' },
  });
  if (parsed.help) { process.stdout.write(HELP + '\n'); return EXIT.ok; }
  const listen = parseListen(typeof parsed.extra.listen === 'string' ? parsed.extra.listen : DEFAULT_LISTEN);
  const log = (line: string) => process.stderr.write(`rcuwalk: ${line}\n`);
  // read again at every request and connection when it changes: certificates and passwords rotate without a restart
  const web = typeof parsed.extra['web-config'] === 'string' ? watchWebConfig(parsed.extra['web-config'], log) : fixedWeb(PLAIN_WEB);
  const perCpu = parsed.extra['no-per-cpu'] !== true;
  const { durationMs: _unused, ...settings } = parsed.options.settings;

  const loop = startServeLoop({
    settings, lockrefStrategy: parsed.options.lockrefStrategy, log,
    onInterval: parsed.extra['interval-log'] === true ? (interval, atUnixMs) => { process.stdout.write(JSON.stringify({ atUnixMs, interval }) + '\n'); } : undefined,
  });
  loop.done.catch(() => {}); // handled where it is awaited below; a rejection while the listener starts is not unhandled
  // one snapshot per render: every family reads the same moment (and the totals are summed once)
  let snapshot: Exposition = { totals: loop.totals(), status: loop.status(), perCpu };
  const source = (): Exposition => snapshot;
  const registries = { prometheus: buildRegistry('prometheus', source, true), openmetrics: buildRegistry('openmetrics', source, true) };
  let http;
  try {
    http = await startHttp(listen, web, {
      version: loop.version,
      ready: loop.ready,
      render: async (om) => {
        const reg = om ? registries.openmetrics : registries.prometheus;
        snapshot = { totals: loop.totals(), status: loop.status(), perCpu };
        return { body: await reg.metrics(), contentType: reg.contentType };
      },
    });
  } catch (err) {
    loop.stop();
    await loop.done.catch(() => {});
    throw err;
  }
  log(`serving ${http.scheme}://${listen.host.includes(':') ? `[${listen.host}]` : listen.host}:${http.address.port}/metrics`);

  // the one signal handler (stop-signals.ts): the first stops serving (exit 0), a second exits at once
  const restore = installStopSignals((signal) => { log(`${signal}: stopping (again to quit at once)`); loop.stop(); }, { announce: false });
  try {
    await loop.done;
  } finally {
    await http.close();
    restore();
  }
  return EXIT.ok;
}
