// Struct layout from BTF: byte offsets of member paths and struct sizes, for probes that read kernel objects by
// raw offset (bpftrace 0.17 cannot cast to `struct dentry` on 5.10; `offsetof` needs 0.18+). PURE over a BtfTypeTable.
//
// A layout path names a struct, then members separated by '.', recursing into anonymous structs and unions
// (`dentry.d_name.name`: d_name sits in an anonymous union from 6.14 on). `->` follows a pointer member into
// the struct it points at, resolved by type id, not by name (`nameidata.stack->link.dentry`: the nested
// `struct saved`); the offset is then counted from that struct's start. `sizeof` paths end at a struct
// (`dentry`) or at `->` (`nameidata.stack->`: the size of what stack points at).
import { BTF_KIND as K, type Btf, type BtfTypeTable } from './btf.js';

/** Pointer size of the 64-bit architectures rcuwalk reads (BTF has no pointer size of its own). */
const POINTER_BYTES = 8;
const MAX_DEPTH = 16;

export interface MemberLayout {
  /** byte offset from the start of the innermost struct of the path (after the last `->`) */
  offset: number;
  /** bytes of the member's type; null when BTF gives none (a FWD, a function) */
  size: number | null;
  /** the member's C type as BTF spells it */
  type: string;
  /** set only for a bitfield: its bit offset within the struct and its width */
  bits?: { offset: number; size: number };
}

export class LayoutPathError extends Error {}

const STRIP = new Set<number>([K.TYPEDEF, K.CONST, K.VOLATILE, K.RESTRICT, K.TYPE_TAG]);

/** The type under typedefs and qualifiers. */
function strip(t: BtfTypeTable, id: number): number {
  for (let d = 0; d < MAX_DEPTH && id !== 0 && STRIP.has(t.kind(id)); d++) id = t.sizeOrType(id);
  return id;
}

/** Bytes of a type, or null (void, FWD, FUNC_PROTO). */
function typeSize(t: BtfTypeTable, id: number, depth = 0): number | null {
  id = strip(t, id);
  if (id === 0 || depth > MAX_DEPTH) return null;
  switch (t.kind(id)) {
    case K.INT: case K.STRUCT: case K.UNION: case K.ENUM: case K.ENUM64: case K.FLOAT: return t.sizeOrType(id);
    case K.PTR: return POINTER_BYTES;
    case K.ARRAY: {
      const a = t.array(id)!;
      const e = typeSize(t, a.type, depth + 1);
      return e === null ? null : e * a.nelems;
    }
    default: return null;
  }
}

/** The STRUCT (else UNION) named `name` that has members: the first in id order. */
function structId(t: BtfTypeTable, name: string): number | null {
  for (const kind of [K.STRUCT, K.UNION]) {
    for (const id of t.idsNamed(kind, name)) if (t.members(id).length > 0) return id;
  }
  return null;
}

/** A member named `name` of struct/union `id`, found through anonymous members; bit offset from `id`'s start. */
function findMember(t: BtfTypeTable, id: number, name: string, depth = 0): { type: number; bitOffset: number; bitfieldSize: number } | null {
  if (depth > MAX_DEPTH) return null;
  for (const m of t.members(id)) {
    if (m.name === name) return m;
    if (m.name !== '') continue;
    const inner = strip(t, m.type);
    const k = t.kind(inner);
    if (k !== K.STRUCT && k !== K.UNION) continue;
    const r = findMember(t, inner, name, depth + 1);
    if (r) return { ...r, bitOffset: m.bitOffset + r.bitOffset };
  }
  return null;
}

const isAggregate = (t: BtfTypeTable, id: number) => { const k = t.kind(id); return k === K.STRUCT || k === K.UNION; };

/** Splits `a.b->c.d` into the struct name and steps. */
function parsePath(path: string): { root: string; steps: { name: string; deref: boolean }[]; endsWithDeref: boolean } {
  const m = /^([A-Za-z_]\w*)((?:(?:\.|->)[A-Za-z_]\w*)*)(->)?$/.exec(path);
  if (!m) throw new LayoutPathError(`bad layout path "${path}" (want struct.member[.member|->member]...)`);
  const steps: { name: string; deref: boolean }[] = [];
  const re = /(\.|->)([A-Za-z_]\w*)/g;
  for (let s = re.exec(m[2]!); s; s = re.exec(m[2]!)) steps.push({ name: s[2]!, deref: s[1] === '->' });
  return { root: m[1]!, steps, endsWithDeref: m[3] !== undefined };
}

/** Follows a pointer type to the struct/union it points at (null when it points at something else). */
function pointee(t: BtfTypeTable, typeId: number): number | null {
  const p = strip(t, typeId);
  if (t.kind(p) !== K.PTR) return null;
  const target = strip(t, t.sizeOrType(p));
  return target !== 0 && isAggregate(t, target) ? target : null;
}

/** Walks a path: the innermost aggregate holding the last member, the member, and its bit offset there. */
function walk(t: BtfTypeTable, path: string): { holder: number; member: { type: number; bitOffset: number; bitfieldSize: number } | null } | null {
  const { root, steps, endsWithDeref } = parsePath(path);
  let holder = structId(t, root);
  if (holder === null) return null;
  let member: { type: number; bitOffset: number; bitfieldSize: number } | null = null;
  for (const step of steps) {
    if (member) {
      if (step.deref) {
        const next = pointee(t, member.type);
        if (next === null) return null;
        holder = next;
        member = findMember(t, holder, step.name);
      } else {
        const inner = strip(t, member.type);
        if (!isAggregate(t, inner)) return null;
        const r = findMember(t, inner, step.name);
        member = r ? { ...r, bitOffset: member.bitOffset + r.bitOffset } : null;
      }
    } else {
      if (step.deref) return null; // `struct->member` at the root: the root is a struct, not a pointer
      member = findMember(t, holder, step.name);
    }
    if (!member) return null;
  }
  if (endsWithDeref) {
    if (!member) return null;
    const next = pointee(t, member.type);
    if (next === null) return null;
    return { holder: next, member: null };
  }
  return { holder, member };
}

/** Byte offset (from the innermost struct) of a member path, with its size and type; null when BTF lacks it. */
export function memberLayout(t: BtfTypeTable, path: string): MemberLayout | null {
  if (path.endsWith('->')) throw new LayoutPathError(`"${path}" names a struct, not a member: use structSize`);
  if (!path.includes('.') && !path.includes('->')) throw new LayoutPathError(`"${path}" names a struct, not a member: use structSize`);
  const w = walk(t, path);
  if (!w || !w.member) return null;
  const { bitOffset, bitfieldSize, type } = w.member;
  const out: MemberLayout = { offset: Math.floor(bitOffset / 8), size: typeSize(t, type), type: t.typeName(type) };
  if (bitfieldSize > 0 || bitOffset % 8 !== 0) out.bits = { offset: bitOffset, size: bitfieldSize };
  return out;
}

/** Size of a struct (`dentry`), of the aggregate a member path ends in (`nameidata.path`) or points at (`nameidata.stack->`). */
export function structSize(t: BtfTypeTable, path: string): number | null {
  if (!path.includes('.') && !path.includes('->')) {
    const id = structId(t, path);
    return id === null ? null : t.sizeOrType(id);
  }
  const w = walk(t, path);
  if (!w) return null;
  if (!w.member) return t.sizeOrType(w.holder);
  return typeSize(t, w.member.type);
}

/** What the attribution probes read by raw offset (issue 20): dentry naming, methods, the walk's state. */
export const ATTRIBUTION_MEMBERS: readonly string[] = [
  'dentry.d_flags', 'dentry.d_seq', 'dentry.d_parent', 'dentry.d_name', 'dentry.d_name.name', 'dentry.d_name.hash_len',
  'dentry.d_inode', 'dentry.d_lockref', 'dentry.d_op', 'dentry.d_sb',
  'lockref.lock', 'lockref.count', 'qstr.name', 'path.mnt', 'path.dentry',
  'super_block.s_type', 'super_block.s_id', 'file_system_type.name',
  'dentry_operations.d_revalidate', 'dentry_operations.d_manage', 'dentry_operations.d_automount',
  'inode.i_mode', 'inode.i_op', 'inode.i_sb', 'inode_operations.permission', 'inode_operations.get_link', 'inode_operations.lookup',
  'nameidata.path', 'nameidata.path.dentry', 'nameidata.path.mnt', 'nameidata.last', 'nameidata.last.name',
  'nameidata.root', 'nameidata.root.dentry', 'nameidata.inode', 'nameidata.flags', 'nameidata.seq', 'nameidata.next_seq',
  'nameidata.depth', 'nameidata.total_link_count', 'nameidata.stack', 'nameidata.stack->link', 'nameidata.stack->link.dentry',
  'nameidata.stack->seq', 'nameidata.stack->name',
];

export const ATTRIBUTION_SIZES: readonly string[] = ['dentry', 'qstr', 'path', 'lockref', 'nameidata', 'nameidata.stack->', 'inode_operations', 'dentry_operations'];

/** A kernel's layout as recorded (test/fixtures/kernels/<release>/attribution/layout.json). */
export interface KernelLayout {
  members: Record<string, MemberLayout | null>;
  sizes: Record<string, number | null>;
}

export function readKernelLayout(btf: Btf, members = ATTRIBUTION_MEMBERS, sizes = ATTRIBUTION_SIZES): KernelLayout {
  return {
    members: Object.fromEntries(members.map((p) => [p, memberLayout(btf.types, p)])),
    sizes: Object.fromEntries(sizes.map((p) => [p, structSize(btf.types, p)])),
  };
}
