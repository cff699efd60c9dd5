// A minimal raw-BTF reader (/sys/kernel/btf/vmlinux): header, type section, string section.
// Finds FUNCs by name with their FUNC_PROTO (parameter names and types, return kind) and enum constants.
// Pure over a Buffer; one linear pass indexes the type offsets (~6 MB in a few tens of ms).
import { readFile } from 'node:fs/promises';
import type { BtfFunc, BtfParam } from '../facts/kernel-facts.js';

const BTF_MAGIC = 0xeb9f;
const KIND = {
  INT: 1, PTR: 2, ARRAY: 3, STRUCT: 4, UNION: 5, ENUM: 6, FWD: 7, TYPEDEF: 8, VOLATILE: 9, CONST: 10,
  RESTRICT: 11, FUNC: 12, FUNC_PROTO: 13, VAR: 14, DATASEC: 15, FLOAT: 16, DECL_TAG: 17, TYPE_TAG: 18, ENUM64: 19,
} as const;
const BTF_INT_SIGNED = 1;
const BTF_INT_BOOL = 4;
const LINKAGE = ['static', 'global', 'extern'] as const;

export class BtfError extends Error {}

/** One member of a STRUCT or UNION as BTF stores it (name '' for an anonymous struct/union member). */
export interface BtfMember { name: string; type: number; bitOffset: number; bitfieldSize: number }

/** Raw access to the type section, for readers beside this one (btf-layout.ts). Type ids are 1..count. */
export interface BtfTypeTable {
  readonly count: number;
  kind(id: number): number;
  name(id: number): string;
  /** the third word: a size (INT, STRUCT, UNION, ENUM, FLOAT) or a referenced type id (PTR, TYPEDEF, CONST...) */
  sizeOrType(id: number): number;
  /** STRUCT/UNION members; [] for other kinds */
  members(id: number): BtfMember[];
  /** ARRAY: element type and element count */
  array(id: number): { type: number; nelems: number } | null;
  /** the C spelling of a type (as in BtfParam.type) */
  typeName(id: number): string;
  /** ids of the types of `kind` named `name`, in id order */
  idsNamed(kind: number, name: string): number[];
}

export const BTF_KIND = KIND;

export interface Btf {
  /** the FUNC named `name` (first one), or null when this BTF has none */
  findFunc(name: string): BtfFunc | null;
  /** the value of the enum constant `name` (ENUM or ENUM64), or null */
  findEnumValue(name: string): number | null;
  /** byte offset of `member` in `struct name` (first STRUCT of that name with a size), or null */
  findMemberOffset(struct: string, member: string): number | null;
  /** number of types (ids 1..count) */
  readonly typeCount: number;
  /** the type section itself */
  readonly types: BtfTypeTable;
}

export function parseBtf(buf: Buffer): Btf {
  if (buf.length < 24) throw new BtfError('BTF too short');
  let le = true;
  if (buf.readUInt16LE(0) !== BTF_MAGIC) {
    if (buf.readUInt16BE(0) === BTF_MAGIC) le = false;
    else throw new BtfError(`bad BTF magic 0x${buf.readUInt16LE(0).toString(16)}`);
  }
  const u32 = le ? (o: number) => buf.readUInt32LE(o) : (o: number) => buf.readUInt32BE(o);
  const i32 = le ? (o: number) => buf.readInt32LE(o) : (o: number) => buf.readInt32BE(o);
  const hdrLen = u32(4);
  const typeStart = hdrLen + u32(8);
  const typeEnd = typeStart + u32(12);
  const strStart = hdrLen + u32(16);
  const strEnd = strStart + u32(20);
  if (typeEnd > buf.length || strEnd > buf.length) throw new BtfError('BTF sections run past the end of the file');

  // Pass 1: the offset of every type (index = type id; 0 is void).
  let offsets = new Uint32Array(1 << 17);
  let count = 0;
  let off = typeStart;
  while (off < typeEnd) {
    count++;
    if (count >= offsets.length) { const n = new Uint32Array(offsets.length * 2); n.set(offsets); offsets = n; }
    offsets[count] = off;
    const info = u32(off + 4);
    const kind = (info >>> 24) & 0x1f;
    const vlen = info & 0xffff;
    off += 12;
    switch (kind) {
      case KIND.INT: off += 4; break;
      case KIND.ARRAY: off += 12; break;
      case KIND.STRUCT: case KIND.UNION: off += 12 * vlen; break;
      case KIND.ENUM: off += 8 * vlen; break;
      case KIND.FUNC_PROTO: off += 8 * vlen; break;
      case KIND.VAR: off += 4; break;
      case KIND.DATASEC: off += 12 * vlen; break;
      case KIND.DECL_TAG: off += 4; break;
      case KIND.ENUM64: off += 12 * vlen; break;
      case KIND.PTR: case KIND.FWD: case KIND.TYPEDEF: case KIND.VOLATILE: case KIND.CONST:
      case KIND.RESTRICT: case KIND.FUNC: case KIND.FLOAT: case KIND.TYPE_TAG: break;
      default: throw new BtfError(`unknown BTF kind ${kind} at type ${count}`);
    }
  }

  const str = (nameOff: number): string => {
    const s = strStart + nameOff;
    if (nameOff === 0 || s >= strEnd) return '';
    const e = buf.indexOf(0, s);
    return buf.toString('latin1', s, e < 0 || e > strEnd ? strEnd : e);
  };
  /** compares the string at nameOff with `want` without allocating */
  const strIs = (nameOff: number, want: Buffer): boolean => {
    const s = strStart + nameOff;
    if (s + want.length >= strEnd) return false;
    if (buf[s + want.length] !== 0) return false;
    return buf.compare(want, 0, want.length, s, s + want.length) === 0;
  };
  const kindOf = (id: number) => (u32(offsets[id]! + 4) >>> 24) & 0x1f;

  const typeName = (id: number, depth = 0): string => {
    if (id === 0) return 'void';
    if (id > count || depth > 12) return '?';
    const o = offsets[id]!;
    const name = str(u32(o));
    const kind = kindOf(id);
    const ref = u32(o + 8);
    switch (kind) {
      case KIND.PTR: {
        const inner = typeName(ref, depth + 1);
        return inner.endsWith('*') ? `${inner}*` : `${inner} *`;
      }
      case KIND.CONST: return `const ${typeName(ref, depth + 1)}`;
      case KIND.VOLATILE: return `volatile ${typeName(ref, depth + 1)}`;
      case KIND.RESTRICT: return `${typeName(ref, depth + 1)} restrict`;
      case KIND.TYPE_TAG: return typeName(ref, depth + 1);
      case KIND.STRUCT: return `struct ${name || '(anon)'}`;
      case KIND.UNION: return `union ${name || '(anon)'}`;
      case KIND.ENUM: case KIND.ENUM64: return `enum ${name || '(anon)'}`;
      case KIND.FWD: return `${(u32(o + 4) >>> 31) ? 'union' : 'struct'} ${name}`;
      case KIND.FUNC_PROTO: return 'fn';
      case KIND.ARRAY: return `${typeName(u32(o + 12), depth + 1)}[${u32(o + 20)}]`;
      default: return name || '?';
    }
  };

  const returnKind = (id: number): BtfFunc['returns'] => {
    for (let depth = 0; depth < 12; depth++) {
      if (id === 0) return 'void';
      if (id > count) return 'other';
      const o = offsets[id]!;
      const kind = kindOf(id);
      if (kind === KIND.INT) {
        const enc = (u32(o + 12) >>> 24) & 0x0f;
        const name = str(u32(o));
        if ((enc & BTF_INT_BOOL) || name === '_Bool' || name === 'bool') return 'bool';
        void BTF_INT_SIGNED;
        return 'int';
      }
      if (kind === KIND.TYPEDEF || kind === KIND.CONST || kind === KIND.VOLATILE || kind === KIND.RESTRICT || kind === KIND.TYPE_TAG) {
        if (kind === KIND.TYPEDEF && str(u32(o)) === 'bool') return 'bool';
        id = u32(o + 8);
        continue;
      }
      return 'other';
    }
    return 'other';
  };

  const nameIndex = new Map<number, Map<string, number[]>>();
  const types: BtfTypeTable = {
    count,
    kind: kindOf,
    name: (id) => (id === 0 || id > count ? '' : str(u32(offsets[id]!))),
    sizeOrType: (id) => u32(offsets[id]! + 8),
    members(id) {
      if (id === 0 || id > count) return [];
      const o = offsets[id]!;
      const info = u32(o + 4);
      const kind = (info >>> 24) & 0x1f;
      if (kind !== KIND.STRUCT && kind !== KIND.UNION) return [];
      const bitfieldLayout = (info >>> 31) !== 0;
      const out: BtfMember[] = [];
      for (let k = 0; k < (info & 0xffff); k++) {
        const m = o + 12 + 12 * k;
        const raw = u32(m + 8);
        out.push({ name: str(u32(m)), type: u32(m + 4), bitOffset: bitfieldLayout ? raw & 0xffffff : raw, bitfieldSize: bitfieldLayout ? raw >>> 24 : 0 });
      }
      return out;
    },
    array(id) {
      if (id === 0 || id > count || kindOf(id) !== KIND.ARRAY) return null;
      const o = offsets[id]!;
      return { type: u32(o + 12), nelems: u32(o + 20) };
    },
    typeName: (id) => typeName(id),
    idsNamed(kind, name) {
      let index = nameIndex.get(kind);
      if (!index) {
        // built once per kind: a layout reads tens of paths, each a lookup by name
        index = new Map();
        for (let id = 1; id <= count; id++) {
          if (kindOf(id) !== kind) continue;
          const n = str(u32(offsets[id]!));
          const ids = index.get(n);
          if (ids) ids.push(id); else index.set(n, [id]);
        }
        nameIndex.set(kind, index);
      }
      return index.get(name) ?? [];
    },
  };

  let funcIndex: Map<string, number> | null = null;
  return {
    typeCount: count,
    types,
    findFunc(name: string): BtfFunc | null {
      if (!funcIndex) {
        // built once: FUNC name -> first type id (~60k functions)
        funcIndex = new Map();
        for (let id = 1; id <= count; id++) {
          const o = offsets[id]!;
          if (((u32(o + 4) >>> 24) & 0x1f) !== KIND.FUNC) continue;
          const n = str(u32(o));
          if (!funcIndex.has(n)) funcIndex.set(n, id);
        }
      }
      const id = funcIndex.get(name);
      if (id === undefined) return null;
      {
        const o = offsets[id]!;
        const info = u32(o + 4);
        const protoId = u32(o + 8);
        const linkage = LINKAGE[info & 0xffff] ?? 'unknown';
        if (protoId === 0 || protoId > count || kindOf(protoId) !== KIND.FUNC_PROTO) {
          return { linkage, params: [], returns: 'other', returnType: '?' };
        }
        const po = offsets[protoId]!;
        const vlen = u32(po + 4) & 0xffff;
        const ret = u32(po + 8);
        const params: BtfParam[] = [];
        for (let k = 0; k < vlen; k++) {
          const p = po + 12 + 8 * k;
          const t = u32(p + 4);
          params.push({ name: str(u32(p)), type: t === 0 ? '...' : typeName(t) });
        }
        return { linkage, params, returns: returnKind(ret), returnType: typeName(ret) };
      }
    },
    findMemberOffset(struct: string, member: string): number | null {
      const sw = Buffer.from(struct, 'latin1');
      const mw = Buffer.from(member, 'latin1');
      for (let id = 1; id <= count; id++) {
        const o = offsets[id]!;
        const info = u32(o + 4);
        if (((info >>> 24) & 0x1f) !== KIND.STRUCT || !strIs(u32(o), sw)) continue;
        const vlen = info & 0xffff;
        const bitfieldLayout = (info >>> 31) !== 0;
        for (let k = 0; k < vlen; k++) {
          const m = o + 12 + 12 * k;
          if (!strIs(u32(m), mw)) continue;
          const raw = u32(m + 8);
          const bits = bitfieldLayout ? raw & 0xffffff : raw;
          return bits % 8 === 0 ? bits / 8 : null;
        }
        return null;
      }
      return null;
    },
    findEnumValue(name: string): number | null {
      const want = Buffer.from(name, 'latin1');
      for (let id = 1; id <= count; id++) {
        const o = offsets[id]!;
        const info = u32(o + 4);
        const kind = (info >>> 24) & 0x1f;
        if (kind !== KIND.ENUM && kind !== KIND.ENUM64) continue;
        const vlen = info & 0xffff;
        const step = kind === KIND.ENUM ? 8 : 12;
        for (let k = 0; k < vlen; k++) {
          const e = o + 12 + step * k;
          if (!strIs(u32(e), want)) continue;
          if (kind === KIND.ENUM) {
            const signed = (info >>> 31) !== 0;
            return signed ? i32(e + 4) : u32(e + 4);
          }
          return Number((BigInt(u32(e + 8)) << 32n) | BigInt(u32(e + 4)));
        }
      }
      return null;
    },
  };
}

/** Reads and parses BTF (default: the running kernel's). Throws if the file is missing. */
export async function readBtf(path = '/sys/kernel/btf/vmlinux'): Promise<{ btf: Btf; sizeBytes: number }> {
  const buf = await readFile(path);
  return { btf: parseBtf(buf), sizeBytes: buf.length };
}
