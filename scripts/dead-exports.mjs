// Dead-export check: exported names of cli/**/*.ts(x) that no other file under cli/, test/, bench/ or scripts/ names
// (a textual check: a name that appears elsewhere counts as used). Prints "file: name", "(used in its file)" when only
// its own file uses it (then it need not be exported); exits 1 when a name is used nowhere at all.
// Usage: node scripts/dead-exports.mjs [--own]   (--own also lists the names used only in their own file)
import ts from 'typescript';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const own = process.argv.includes('--own');
const walk = (d, out = []) => { for (const e of readdirSync(d)) { const p = join(d, e); if (statSync(p).isDirectory()) walk(p, out); else if (/\.(tsx?|mjs)$/.test(p)) out.push(p); } return out; };
const all = ['cli', 'test', 'bench', 'scripts'].flatMap((d) => walk(d)).filter((f) => !f.includes('/fixtures/'));
const text = new Map(all.map((f) => [f, readFileSync(f, 'utf8')]));
let dead = 0;
for (const f of all.filter((f) => f.startsWith('cli/') && /\.tsx?$/.test(f) && !f.endsWith('types.generated.ts'))) {
  const sf = ts.createSourceFile(f, text.get(f), ts.ScriptTarget.ES2022, true);
  const names = [];
  for (const st of sf.statements) {
    const mods = ts.canHaveModifiers(st) ? ts.getModifiers(st) ?? [] : [];
    if (!mods.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) continue;
    if (ts.isVariableStatement(st)) for (const d of st.declarationList.declarations) names.push(d.name.getText(sf));
    else if (st.name) names.push(st.name.getText(sf));
  }
  for (const n of names) {
    const word = new RegExp(`\\b${n}\\b`, 'g');
    if (all.some((g) => g !== f && new RegExp(`\\b${n}\\b`).test(text.get(g)))) continue;
    const inFile = (text.get(f).match(word) ?? []).length > 1;
    if (!inFile) { dead++; console.log(`${f}: ${n}`); } else if (own) console.log(`${f}: ${n} (used in its file)`);
  }
}
if (dead) { console.error(`dead-exports: ${dead} exported name(s) used nowhere`); process.exit(1); }
