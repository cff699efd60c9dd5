// The capture starts in one direction: cli/kernel gathers the facts, cli/probes resolves and renders from them, and
// neither reaches into the other or into cli/capture. cli/facts (the facts' types) and cli/script-protocol (what the
// scripts print and the reducer reads) sit below them. Read from the sources' imports with the TypeScript parser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import ts from 'typescript';
import { PACKAGE_ROOT } from '../../cli/paths.js';

interface Rule { from: string; never: readonly string[] }

const RULES: readonly Rule[] = [
  { from: 'cli/probes/', never: ['cli/kernel/', 'cli/capture/'] },
  { from: 'cli/kernel/', never: ['cli/probes/', 'cli/capture/'] },
  { from: 'cli/facts/', never: ['cli/kernel/', 'cli/probes/', 'cli/capture/'] },
  { from: 'cli/script-protocol/', never: ['cli/probes/', 'cli/state/', 'cli/bpftrace/', 'cli/kernel/', 'cli/capture/'] },
];

/** Every module a file names: import and export ... from, import x = require(), import(), import('...').T. */
function specifiers(file: string, text: string): { line: number; spec: string }[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const out: { line: number; spec: string }[] = [];
  const add = (n: ts.Node | undefined) => {
    if (n && ts.isStringLiteralLike(n)) out.push({ line: sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1, spec: n.text });
  };
  const visit = (n: ts.Node): void => {
    if (ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) add(n.moduleSpecifier);
    else if (ts.isImportEqualsDeclaration(n) && ts.isExternalModuleReference(n.moduleReference)) add(n.moduleReference.expression);
    else if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword) add(n.arguments[0]);
    else if (ts.isImportTypeNode(n) && ts.isLiteralTypeNode(n.argument)) add(n.argument.literal);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

/** "file:line imports target (from -> never)" for each import that goes against a rule; files by repository path. */
function wrongWay(files: ReadonlyMap<string, string>): string[] {
  const out: string[] = [];
  for (const [file, text] of files) {
    const rule = RULES.find((r) => file.startsWith(r.from));
    if (!rule) continue;
    for (const { line, spec } of specifiers(file, text)) {
      if (!spec.startsWith('.')) continue; // packages and node: builtins
      const target = posix.normalize(posix.join(posix.dirname(file), spec));
      const hit = rule.never.find((n) => target.startsWith(n));
      if (hit) out.push(`${file}:${line} imports ${target} (${rule.from} -> ${hit})`);
    }
  }
  return out;
}

function sources(dir: string, rel: string, out = new Map<string, string>()): Map<string, string> {
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) sources(p, `${rel}${e}/`, out);
    else if (/\.tsx?$/.test(e)) out.set(`${rel}${e}`, readFileSync(p, 'utf8'));
  }
  return out;
}

test('cli/ imports in one direction: probes and kernel not into each other nor capture; facts and script-protocol into none of them', () => {
  const files = sources(join(PACKAGE_ROOT, 'cli'), 'cli/');
  for (const r of RULES) assert.ok([...files.keys()].some((f) => f.startsWith(r.from)), `${r.from} holds sources (the rule checks something)`);
  assert.deepEqual(wrongWay(files), []);
});

test('the check fails on an import the wrong way, in every form an import takes', () => {
  const files = new Map([
    ['cli/probes/resolve.ts', "import type { GatherOptions } from '../kernel/gather-facts.js';\nimport { configFlag } from '../facts/kernel-facts.js';\n"],
    ['cli/probes/render.ts', "import { readFile } from 'node:fs/promises';\nexport { startCapture } from '../capture/engine.js';\n"],
    ['cli/kernel/gather-facts.ts', "export async function f() {\n  return import('../probes/resolve.js');\n}\n"],
    ['cli/kernel/arch/index.ts', "import '../../capture/engine-api.js';\n"],
    ['cli/facts/kernel-facts.ts', "export type B = import('../kernel/btf.js').Btf;\n"],
    ['cli/script-protocol/maps.ts', "import { reduce } from '../state/reducer.js';\n"],
    // the right way: capture over kernel and probes, probes over facts and bpftrace
    ['cli/capture/prepare.ts', "import { gatherKernelFacts } from '../kernel/gather-facts.js';\nimport { resolve } from '../probes/resolve.js';\n"],
    ['cli/probes/ok.ts', "import { bpftraceFeatures } from '../bpftrace/version.js';\nimport type { KernelFacts } from '../facts/kernel-facts.js';\n"],
  ]);
  assert.deepEqual(wrongWay(files), [
    'cli/probes/resolve.ts:1 imports cli/kernel/gather-facts.js (cli/probes/ -> cli/kernel/)',
    'cli/probes/render.ts:2 imports cli/capture/engine.js (cli/probes/ -> cli/capture/)',
    'cli/kernel/gather-facts.ts:2 imports cli/probes/resolve.js (cli/kernel/ -> cli/probes/)',
    'cli/kernel/arch/index.ts:1 imports cli/capture/engine-api.js (cli/kernel/ -> cli/capture/)',
    'cli/facts/kernel-facts.ts:1 imports cli/kernel/btf.js (cli/facts/ -> cli/kernel/)',
    'cli/script-protocol/maps.ts:1 imports cli/state/reducer.js (cli/script-protocol/ -> cli/state/)',
  ]);
});
