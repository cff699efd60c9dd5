// rcuwalk compare BASE.json CAND.json | --base A1 --base A2 --cand B1 --cand B2
//   [--format table|json|csv] [--per-cpu] [--alpha 0.05] [--fail-if EXPR ...] [-o FILE]
import { UserError } from '../errors.js';
import { EXIT } from '../exit-codes.js';
import { parseFlags } from './parse-flags.js';
import { compareCaptures } from '../compare/compare.js';
import { formatCsv, formatJson, formatTable } from '../compare/format.js';
import { applyGates, parseGate } from '../compare/gate.js';
import { readCapture } from '../compare/load.js';
import { METRICS } from '../metrics/catalogue.js';
import { writeOutput } from '../export/output.js';

export const HELP = `usage: rcuwalk compare BASE.json CAND.json [options]
       rcuwalk compare --base A1.json --base A2.json --cand B1.json --cand B2.json [options]

Compares a candidate capture against a baseline, metric by metric: medians, the change in percent with a
confidence interval (percentile bootstrap of the ratio of medians), and a two-sided Mann-Whitney U p-value
(exact for small samples, normal approximation with tie correction for large). '~' marks a change that is
not significant at --alpha. One capture per side: samples are its intervals; several per side: one
whole-run value per capture (trials; better for decisions, intervals of one run are not independent).

options:
  --format table|json|csv   output format (default table); json follows schemas/comparison.schema.json
  --per-cpu                 also compare per CPU (per-second and percent metrics)
  --alpha A                 significance level (default 0.05; the CI level is 1 - A)
  --fail-if EXPR            exit ${EXIT.gate} when EXPR holds (repeatable). EXPR: METRIC OP VALUE [and significant]
                            OP: > >= < <=; VALUE: a signed percent change (+10%, -5%) or an absolute
                            candidate median (0, 2.5). e.g. 'echild_per_run > +10%', 'runs_per_s < -5% and significant'.
                            A gate on a metric that could not be compared trips (fails closed).
  -o, --out FILE            write the output to FILE (atomically) instead of stdout
  --force                   overwrite FILE

metrics: ${METRICS.map((m) => m.id).join(', ')}
`;

export async function main(argv: string[]): Promise<number> {
  const parsed = parseFlags('compare', {
      args: argv, allowPositionals: true, strict: true,
      options: {
        base: { type: 'string', multiple: true }, cand: { type: 'string', multiple: true }, candidate: { type: 'string', multiple: true },
        format: { type: 'string', default: 'table' }, 'per-cpu': { type: 'boolean', default: false }, alpha: { type: 'string', default: '0.05' },
        'fail-if': { type: 'string', multiple: true }, out: { type: 'string', short: 'o' }, force: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h' },
      },
    });
  const { values: v, positionals } = parsed;
  if (v.help) { process.stdout.write(HELP); return EXIT.ok; }
  const format = v.format!;
  if (!['table', 'json', 'csv'].includes(format)) throw new UserError(`bad --format '${format}'`, 'use --format table, json or csv');
  const alpha = Number(v.alpha);
  if (!(alpha > 0 && alpha < 1)) throw new UserError(`bad --alpha '${v.alpha}': must be between 0 and 1`, 'e.g. --alpha 0.05');
  const gates = (v['fail-if'] ?? []).map(parseGate);
  let baseFiles = v.base ?? [];
  let candFiles = [...(v.cand ?? []), ...(v.candidate ?? [])];
  const pos = [...positionals];
  if (baseFiles.length === 0 && pos.length > 0) baseFiles = [pos.shift()!];
  if (candFiles.length === 0 && pos.length > 0) candFiles = [pos.shift()!];
  if (pos.length > 0) throw new UserError(`unexpected argument '${pos[0]}'`, 'give BASE.json CAND.json, or --base/--cand once per capture');
  if (baseFiles.length === 0 || candFiles.length === 0) throw new UserError('need a base and a candidate capture', 'rcuwalk compare BASE.json CAND.json');
  const base = await Promise.all(baseFiles.map(readCapture));
  const cand = await Promise.all(candFiles.map(readCapture));
  const cmp = applyGates(gates, compareCaptures(base, cand, { alpha, perCpu: v['per-cpu'] }));
  const text = format === 'json' ? formatJson(cmp) : format === 'csv' ? formatCsv(cmp) : formatTable(cmp);
  await writeOutput(text, v.out ?? null, v.force ?? false);
  const tripped = cmp.gates.filter((g) => g.tripped);
  if (tripped.length > 0) {
    process.stderr.write(tripped.map((g) => `rcuwalk: --fail-if '${g.expr}' tripped: ${g.detail}\n`).join(''));
    return EXIT.gate;
  }
  return EXIT.ok;
}
