// Reads `pahole -F btf -C a,b,c FILE` output (dwarves) as an independent check of cli/kernel/btf-layout.ts:
// member offsets and struct sizes per struct, members of anonymous structs/unions flattened (pahole prints
// their offsets from the outer struct's start).

export interface PaholeMember { name: string; type: string; offset: number; size: number }
export interface PaholeStruct { name: string; size: number | null; members: PaholeMember[] }

const MEMBER = /^\s*(.*?)\s*;\s*\/\*\s*(\d+)(?::\s*\d+)?\s+(\d+)\s*\*\/\s*$/;

function splitDeclaration(decl: string): { name: string; type: string } | null {
  const fn = /\(\*(\w+)\)/.exec(decl);
  if (fn) return { name: fn[1]!, type: 'fn *' };
  const m = /^(.*?)(\w+)((?:\[\d+\])*)(?::\d+)?$/.exec(decl);
  if (!m || !m[1]!.trim()) return null; // `}` of an anonymous union/struct: no name
  return { name: m[2]!, type: `${m[1]!.trim().replace(/\s+\*/g, ' *').replace(/\s+/g, ' ')}${m[3]}` };
}

export function parsePahole(text: string): Map<string, PaholeStruct> {
  const out = new Map<string, PaholeStruct>();
  let cur: PaholeStruct | null = null;
  let depth = 0;
  for (const line of text.split('\n')) {
    if (!cur) {
      const open = /^(?:struct|union) (\w+) \{$/.exec(line);
      if (open) { cur = { name: open[1]!, size: null, members: [] }; depth = 1; }
      continue;
    }
    const size = /\/\* size: (\d+),/.exec(line);
    if (size && depth === 1) cur.size = Number(size[1]);
    if (/\{\s*$/.test(line)) { depth++; continue; }
    if (/^\s*\}/.test(line)) {
      depth--;
      if (depth === 0) { out.set(cur.name, cur); cur = null; continue; }
    }
    const m = MEMBER.exec(line);
    if (!m) continue;
    const decl = splitDeclaration(m[1]!.replace(/^\}\s*/, ''));
    if (decl) cur.members.push({ ...decl, offset: Number(m[2]), size: Number(m[3]) });
  }
  return out;
}

/** The offset of a layout path (btf-layout.ts syntax) computed from pahole's structs, or null. */
export function paholeOffset(structs: Map<string, PaholeStruct>, path: string): number | null {
  const parts = path.split(/(\.|->)/);
  let holder = structs.get(parts[0]!);
  let offset = 0;
  let type = '';
  for (let i = 1; i < parts.length; i += 2) {
    const sep = parts[i]!;
    const name = parts[i + 1]!;
    if (i > 1) {
      const inner = /^(?:const )?struct (\w+)( \*)?$/.exec(type);
      if (!inner) return null;
      holder = structs.get(inner[1]!);
      if (sep === '->') { if (!inner[2]) return null; offset = 0; } else if (inner[2]) return null;
    }
    const m = holder?.members.find((x) => x.name === name);
    if (!m) return null;
    offset += m.offset;
    type = m.type;
  }
  return offset;
}

/** The size of a struct, or of the struct a `->`-ended path points at. */
export function paholeSize(structs: Map<string, PaholeStruct>, path: string): number | null {
  if (!path.endsWith('->')) return structs.get(path)?.size ?? null;
  const parts = path.slice(0, -2).split('.');
  const m = structs.get(parts[0]!)?.members.find((x) => x.name === parts[1]);
  const inner = m && parts.length === 2 ? /^(?:const )?struct (\w+) \*$/.exec(m.type) : null;
  return inner ? structs.get(inner[1]!)?.size ?? null : null;
}
