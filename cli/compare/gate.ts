// --fail-if gates for `rcuwalk compare`.
//
// Grammar (whitespace between tokens optional):
//   gate       := metric comparator value [ "and" "significant" ]
//   metric     := a metric name (rcuwalk compare --help lists them: runs_per_s, echild_per_run, ...)
//   comparator := ">" | ">=" | "<" | "<="
//   value      := signed percent, e.g. +10% or -5%   the change of the candidate median vs the base median
//               | number, e.g. 0 or 2.5 or 1e3      the candidate median itself, in the metric's unit
// A percent must carry its sign (+10%, not 10%), so `sys_pct > 90` (absolute) and `sys_pct > +5%` (change)
// can't be confused. With "and significant" the gate trips only when the change is also significant (p < alpha).
// A gate on a metric that could not be compared (unavailable, strategy differs, undefined change) trips:
// fail closed, with the reason in the detail.
import type { Comparison, GateResult } from '../schema/types.generated.js';
import { UserError } from '../errors.js';
import { METRIC_IDS } from '../metrics/catalogue.js';

export interface Gate {
  expr: string;
  metric: string;
  op: '>' | '>=' | '<' | '<=';
  kind: 'change' | 'absolute';
  value: number;
  significant: boolean;
}

const TOKEN = /\s*(?:([A-Za-z_][A-Za-z0-9_]*)|(>=|<=|>|<|==|=|!=)|([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?%?)|(\S+))/y;

function bad(expr: string, msg: string): never {
  throw new UserError(`bad --fail-if '${expr}': ${msg}`, `write e.g. --fail-if 'echild_per_run > +10%' or --fail-if 'runs_per_s < -5% and significant'`);
}

export function parseGate(expr: string): Gate {
  const toks: { text: string; type: 'word' | 'op' | 'num' | 'other' }[] = [];
  TOKEN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while (TOKEN.lastIndex < expr.length && (m = TOKEN.exec(expr)) !== null) {
    if (m[0].trim() === '') break;
    const type = m[1] ? 'word' : m[2] ? 'op' : m[3] ? 'num' : 'other';
    toks.push({ text: (m[1] ?? m[2] ?? m[3] ?? m[4])!, type });
  }
  const [t0, t1, t2, ...rest] = toks;
  if (!t0) bad(expr, 'empty condition');
  if (t0.type !== 'word') bad(expr, `expected a metric name, got '${t0.text}'`);
  if (!METRIC_IDS.includes(t0.text)) bad(expr, `unknown metric '${t0.text}' (one of: ${METRIC_IDS.join(', ')})`);
  if (!t1) bad(expr, `missing comparator after '${t0.text}' (one of > >= < <=)`);
  if (t1.type !== 'op' || !['>', '>=', '<', '<='].includes(t1.text)) bad(expr, `bad comparator '${t1.text}' (one of > >= < <=)`);
  if (!t2) bad(expr, `missing value after '${t1.text}' (a signed percent like +10% or a number)`);
  if (t2.type !== 'num') bad(expr, `bad value '${t2.text}' (a signed percent like +10% or a number)`);
  let kind: Gate['kind'] = 'absolute';
  let text = t2.text;
  if (text.endsWith('%')) {
    if (!/^[+-]/.test(text)) bad(expr, `percent '${text}' needs a sign: +${text} or -${text} for a change (or ${text.slice(0, -1)} for an absolute value)`);
    kind = 'change';
    text = text.slice(0, -1);
  }
  const value = Number(text);
  if (!Number.isFinite(value)) bad(expr, `bad number '${t2.text}'`);
  let significant = false;
  if (rest.length > 0) {
    const [a, s, ...more] = rest;
    if (a!.text.toLowerCase() !== 'and') bad(expr, `unexpected '${a!.text}' (only 'and significant' may follow the value)`);
    if (!s) bad(expr, `missing 'significant' after 'and'`);
    if (s.text.toLowerCase() !== 'significant') bad(expr, `unexpected '${s.text}' (only 'and significant' may follow the value)`);
    if (more.length > 0) bad(expr, `unexpected '${more[0]!.text}' after 'significant'`);
    significant = true;
  }
  return { expr, metric: t0.text, op: t1.text as Gate['op'], kind, value, significant };
}

function holds(x: number, op: Gate['op'], v: number): boolean {
  switch (op) { case '>': return x > v; case '>=': return x >= v; case '<': return x < v; case '<=': return x <= v; }
}

const fmt = (x: number) => (Number.isFinite(x) ? String(Number(x.toPrecision(4))) : x > 0 ? '+inf' : '-inf');

export function evaluateGate(g: Gate, cmp: Comparison): GateResult {
  const mc = cmp.metrics.find((m) => m.metric === g.metric);
  if (!mc) return { expr: g.expr, tripped: true, detail: `cannot evaluate: ${g.metric} missing from the comparison` };
  if (mc.status !== 'compared' || !mc.base || !mc.candidate) {
    return { expr: g.expr, tripped: true, detail: `cannot evaluate (fails closed): ${g.metric} ${mc.status}${mc.note ? `: ${mc.note}` : ''}` };
  }
  let x: number;
  if (g.kind === 'change') {
    // base median 0 and candidate not: an unbounded increase
    x = mc.changePct ?? (mc.candidate.median > 0 ? Infinity : -Infinity);
  } else x = mc.candidate.median;
  const cond = holds(x, g.op, g.value);
  const tripped = cond && (!g.significant || mc.significant);
  const what = g.kind === 'change' ? `change ${x >= 0 ? '+' : ''}${fmt(x)}%` : `candidate median ${fmt(x)} ${mc.unit}`;
  const sig = mc.pValue === null ? 'no test' : `p=${mc.pValue.toPrecision(3)}${mc.significant ? ' significant' : ' not significant'}`;
  return { expr: g.expr, tripped, detail: `${what} (${sig})${tripped ? ': TRIPPED' : ': ok'}` };
}

export function applyGates(gates: readonly Gate[], cmp: Comparison): Comparison {
  return { ...cmp, gates: gates.map((g) => evaluateGate(g, cmp)) };
}
