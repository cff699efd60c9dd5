#!/usr/bin/env node
// btf-funcs.mjs <btf-file> [name...] : prints the btf.json of test/fixtures/kernels/README.md
// for the given function names (default: the rcuwalk targets and lockref callers).
// A minimal raw-BTF reader (kinds 1-19), enough to render FUNC -> FUNC_PROTO signatures.
import { readFileSync, statSync } from 'node:fs';

export const DEFAULT_NAMES = ['pid_revalidate', 'try_to_unlazy_next', 'unlazy_child', 'try_to_unlazy', 'unlazy_walk',
  'lockref_get_not_dead', '__legitimize_path', 'legitimize_path', 'd_alloc_parallel'];
const EXTRA = { 1: 4, 2: 0, 3: 12, 4: -12, 5: -12, 6: -8, 7: 0, 8: 0, 9: 0, 10: 0, 11: 0, 12: 0, 13: -8, 14: 4, 15: -12, 16: 0, 17: 4, 18: 0, 19: -12 };

export function parseBtf(buf) {
  if (buf.readUInt16LE(0) !== 0xeb9f) throw new Error('not little-endian raw BTF (magic 0xeb9f)');
  const hdrLen = buf.readUInt32LE(4), typeOff = buf.readUInt32LE(8), typeLen = buf.readUInt32LE(12);
  const strOff = buf.readUInt32LE(16), strLen = buf.readUInt32LE(20);
  const tstart = hdrLen + typeOff, sstart = hdrLen + strOff;
  const str = (off) => { if (off >= strLen) return ''; const e = buf.indexOf(0, sstart + off); return buf.toString('latin1', sstart + off, e); };
  const types = [null];
  let p = tstart;
  while (p < tstart + typeLen) {
    const nameOff = buf.readUInt32LE(p), info = buf.readUInt32LE(p + 4), sizeOrType = buf.readUInt32LE(p + 8);
    const kind = (info >>> 24) & 0x1f, vlen = info & 0xffff, kflag = info >>> 31;
    const x = EXTRA[kind];
    if (x === undefined) throw new Error(`unknown BTF kind ${kind} at ${p}`);
    const t = { kind, vlen, kflag, name: str(nameOff), type: sizeOrType, extra: p + 12 };
    types.push(t);
    p += 12 + (x >= 0 ? x : -x * vlen);
  }
  return { types, str, buf };
}

const KW = { 4: 'struct', 5: 'union', 6: 'enum', 19: 'enum' };
export function render(btf, id, depth = 0) {
  if (id === 0) return 'void';
  const t = btf.types[id];
  if (!t || depth > 20) return '?';
  switch (t.kind) {
    case 1: case 8: case 16: return t.name;
    case 2: { const inner = render(btf, t.type, depth + 1); return inner.endsWith('*') ? `${inner}*` : `${inner} *`; }
    case 3: return `${render(btf, btf.buf.readUInt32LE(t.extra), depth + 1)}[]`;
    case 4: case 5: case 6: case 19: return `${KW[t.kind]} ${t.name || '(anon)'}`;
    case 7: return `${t.kflag ? 'union' : 'struct'} ${t.name}`;
    case 9: return `volatile ${render(btf, t.type, depth + 1)}`;
    case 10: return `const ${render(btf, t.type, depth + 1)}`;
    case 11: return `${render(btf, t.type, depth + 1)} restrict`;
    case 13: return 'function';
    case 18: return render(btf, t.type, depth + 1);
    default: return t.name || '?';
  }
}

export function funcInfo(btf, name) {
  const t = btf.types.find((x) => x && x.kind === 12 && x.name === name);
  if (!t) return null;
  const proto = btf.types[t.type];
  const params = [];
  for (let i = 0; i < proto.vlen; i++) {
    const o = proto.extra + i * 8;
    params.push({ name: btf.str(btf.buf.readUInt32LE(o)), type: render(btf, btf.buf.readUInt32LE(o + 4)) });
  }
  const returnType = render(btf, proto.type);
  const returns = returnType === 'bool' || returnType === '_Bool' ? 'bool' : returnType === 'int' ? 'int' : returnType === 'void' ? 'void' : 'other';
  return { linkage: ['static', 'global', 'extern'][t.vlen] ?? String(t.vlen), params, returns, returnType };
}

export function enumValue(btf, name) {
  for (const t of btf.types) {
    if (!t || (t.kind !== 6 && t.kind !== 19)) continue;
    const step = t.kind === 6 ? 8 : 12;
    for (let i = 0; i < t.vlen; i++) {
      const o = t.extra + i * step;
      if (btf.str(btf.buf.readUInt32LE(o)) === name) return t.kind === 6 ? btf.buf.readInt32LE(o + 4) : btf.buf.readUInt32LE(o + 4);
    }
  }
  return null;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [file, ...names] = process.argv.slice(2);
  const src = process.env.BTF_SOURCE ?? file;
  let out;
  try {
    const buf = readFileSync(file);
    const btf = parseBtf(buf);
    const funcs = {};
    for (const n of names.length ? names : DEFAULT_NAMES) funcs[n] = funcInfo(btf, n);
    out = { source: src, available: true, sizeBytes: statSync(file).size, funcs, enums: { LOOKUP_RCU: enumValue(btf, 'LOOKUP_RCU') } };
  } catch (e) {
    out = { source: src, available: false, error: String(e.message ?? e) };
  }
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
}
