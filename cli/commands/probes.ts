// rcuwalk probes: how each target resolves here; --print shows the exact bpftrace script rcuwalk would load.
import { parseDuration } from '../capture/load-config.js';
import { prepareCapture } from '../capture/prepare.js';
import { assertPrivileged } from '../capture/privilege.js';
import { EXIT } from '../exit-codes.js';
import { lockrefChoice, parseFlags } from './parse-flags.js';

const HELP = `usage: rcuwalk probes [--print] [--interval 1s] [--lockref-strategy auto|direct|callsite|contention]

Without --print: one line per target (strategy, symbol, probe type, reason) and how many probes attach.
With --print: the complete bpftrace script, ready to run by hand: bpftrace -f json -e "$(rcuwalk probes --print)"`;

export async function main(argv: string[]): Promise<number> {
  const { values } = parseFlags('probes', { args: argv, options: { print: { type: 'boolean' }, interval: { type: 'string' }, 'lockref-strategy': { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) { process.stdout.write(HELP + '\n'); return EXIT.ok; }
  const choice = lockrefChoice(values['lockref-strategy']);
  const intervalMs = parseDuration(values.interval ?? '1s', 'interval');
  assertPrivileged();
  const prep = await prepareCapture({
    settings: { workload: 'none', command: null, parallel: 0, ballast: 0, durationMs: intervalMs, intervalMs },
    lockrefStrategy: choice,
  });
  if (values.print) {
    process.stdout.write(prep.script.endsWith('\n') ? prep.script : prep.script + '\n');
    return EXIT.ok;
  }
  for (const r of prep.meta.resolution) {
    const where = r.callsites?.length ? ` at ${r.callsites.map((c) => `${c.caller}+${c.offset}`).join(', ')}` : '';
    process.stdout.write(`${r.target.padEnd(15)} ${r.strategy.padEnd(11)} ${r.symbol ?? '-'}${r.probe ? ` (${r.probe})` : ''}${where}${r.reason ? `\n    ${r.reason}` : ''}\n`);
  }
  process.stdout.write(`${prep.expectedProbes} probes (BEGIN/END/interval included); bpftrace ${prep.meta.bpftrace.version}, ${prep.meta.bpftrace.syntax} syntax; 'rcuwalk probes --print' shows the script\n`);
  return EXIT.ok;
}
