// LOOKUP_RCU from the kernel's own code, for kernels whose BTF lacks it: read from the bytes of proc_misc_d_revalidate
// first, then of an unlazy function, by the architecture's decoders (cli/kernel/arch/). The live gatherer reads the
// bytes from the kernel, the folder loader from recorded hex dumps: they differ only in the reader they pass.
import { findFunction, parseKallsyms } from './kallsyms.js';
import { machineCodeFor, unsupportedArch, type MachineCode } from './arch/index.js';
import { LOOKUP_RCU_DECODER_VERSION } from './arch/machine-code.js';
import { LOOKUP_RCU_REVALIDATE } from './fact-names.js';
import { UNLAZY_NAMES, UNLAZY_NEXT_NAMES } from '../facts/target-functions.js';
import type { BtfFacts, LookupRcuCode } from '../facts/kernel-facts.js';
import type { CallsiteCache } from '../schema/types.generated.js';

/** fallback: functions that opened with BUG_ON(!(nd->flags & LOOKUP_RCU)) (up to 6.18 at least), in order of preference */
const LOOKUP_RCU_FUNCS = [...UNLAZY_NEXT_NAMES, ...UNLAZY_NAMES] as const;
/** every function LOOKUP_RCU may be read from, in order: proc_misc_d_revalidate, then the unlazy fallbacks */
const LOOKUP_RCU_CODE_FUNCS: readonly string[] = [LOOKUP_RCU_REVALIDATE, ...LOOKUP_RCU_FUNCS];
/** bytes read from proc_misc_d_revalidate (its flags test is in the first 32) */
const REVALIDATE_HEAD_BYTES = 64;

/** PURE: proc_misc_d_revalidate's flags argument position from its BTF proto (a param named flags, unsigned int). */
function revalidateFlagsArg(btf: BtfFacts): number | null {
  const proto = btf.funcs[LOOKUP_RCU_REVALIDATE];
  if (!proto) return null;
  const i = proto.params.findIndex((p) => p.name === 'flags' && /^(const )?unsigned int$/.test(p.type));
  return i < 0 ? null : i;
}

/** PURE: LOOKUP_RCU from the bytes of proc_misc_d_revalidate (flags argument position from BTF). */
function lookupRcuRevalidateFact(symbol: string, bytes: Uint8Array, btf: BtfFacts, source: string, mc: MachineCode): LookupRcuCode {
  const flagsArg = revalidateFlagsArg(btf);
  const g = mc.lookupRcuFromRevalidate(bytes, flagsArg);
  return { kind: 'revalidate', symbol, value: g?.value ?? null, form: g ? `${symbol}+${g.at}: ${g.form}` : null, flagsOffset: null, flagsArg, source, passedOver: [], decoder: LOOKUP_RCU_DECODER_VERSION };
}

/** PURE: LOOKUP_RCU from the bytes of one of LOOKUP_RCU_FUNCS (and nameidata.flags from BTF). */
function lookupRcuCodeFact(symbol: string, bytes: Uint8Array, btf: BtfFacts, source: string, mc: MachineCode): LookupRcuCode {
  const flagsOffset = btf.members?.['nameidata.flags'] ?? null;
  const g = mc.lookupRcuFromUnlazy?.(bytes, flagsOffset) ?? null;
  return { kind: 'unlazy', symbol, value: g?.value ?? null, form: g ? `${symbol}+${g.at}: ${g.form}` : null, flagsOffset, flagsArg: null, source, passedOver: [], decoder: LOOKUP_RCU_DECODER_VERSION };
}

/**
 * Bytes of one function for the LOOKUP_RCU decoders: `{ bytes, source }`; null when none are available
 * (a recorded folder without them); throws when reading failed. `len` is what to read from the start.
 */
export type LookupRcuTextReader = (symbol: string, address: bigint, len: number, kind: LookupRcuCode['kind']) => Promise<{ bytes: Uint8Array; source: string } | null>;

const firstLine = (e: unknown) => ((e as Error).message ?? String(e)).split('\n')[0] ?? '';

/**
 * LOOKUP_RCU from the kernel's code: proc_misc_d_revalidate first, then each unlazy function present, the
 * first that decodes wins; why each earlier one did not is kept in passedOver. null when none of them is in
 * kallsyms. The live gatherer and the folder loader differ only in `read`. `arch` picks the decoders
 * (cli/kernel/arch/); an architecture without them gives value null and says so.
 */
export async function readLookupRcuCode(kallsymsText: string, btf: BtfFacts, read: LookupRcuTextReader, arch: string, maxBytes = 16384): Promise<LookupRcuCode | null> {
  const entries = parseKallsyms(kallsymsText);
  const passedOver: string[] = [];
  let last: LookupRcuCode | null = null;
  const mc = machineCodeFor(arch);
  if (!mc) {
    return { kind: 'revalidate', symbol: LOOKUP_RCU_REVALIDATE, value: null, form: null, flagsOffset: null, flagsArg: revalidateFlagsArg(btf), source: 'none',
      passedOver: [unsupportedArch(arch)], decoder: LOOKUP_RCU_DECODER_VERSION };
  }
  for (const name of LOOKUP_RCU_CODE_FUNCS) {
    const c = findFunction(entries, name).chosen;
    const kind: LookupRcuCode['kind'] = name === LOOKUP_RCU_REVALIDATE ? 'revalidate' : 'unlazy';
    if (!c) {
      if (kind === 'revalidate') passedOver.push(`${name}: not in kallsyms`);
      continue;
    }
    if (kind === 'unlazy' && !mc.lookupRcuFromUnlazy) {
      passedOver.push(`${c.name}: no reader of its BUG_ON for ${mc.arch} code`);
      break;
    }
    if (kind === 'unlazy' && (btf.members?.['nameidata.flags'] ?? null) === null) {
      passedOver.push(`${c.name}: the nameidata.flags offset is not in BTF${btf.members ? '' : ' facts'}, so its BUG_ON cannot be told apart`);
      break;
    }
    if (kind === 'revalidate' && revalidateFlagsArg(btf) === null) {
      passedOver.push(`${c.name}: no FUNC proto with an unsigned int flags parameter in BTF, so its flags register is unknown`);
      continue;
    }
    // unlazy: the whole function (the BUG_ON's ud2 is usually at its end)
    const len = kind === 'revalidate' ? Math.min(REVALIDATE_HEAD_BYTES, c.size ?? REVALIDATE_HEAD_BYTES)
      : c.size && c.size <= maxBytes ? c.size : 48;
    let got: { bytes: Uint8Array; source: string } | null;
    try {
      got = await read(c.name, c.address, len, kind);
    } catch (err) {
      passedOver.push(`${c.name}: unreadable: ${firstLine(err)}`);
      continue;
    }
    if (!got) { passedOver.push(`${c.name}: no bytes recorded`); continue; }
    const fact = kind === 'revalidate' ? lookupRcuRevalidateFact(c.name, got.bytes, btf, got.source, mc) : lookupRcuCodeFact(c.name, got.bytes, btf, got.source, mc);
    if (fact.value) return { ...fact, passedOver };
    const how = kind === 'revalidate' ? `flags argument ${fact.flagsArg} from BTF` : `no BUG_ON test of nameidata.flags at ${fact.flagsOffset}`;
    passedOver.push(`${c.name}: no LOOKUP_RCU test recognised (${how}; ${got.source})`);
    last = fact;
  }
  if (!last && passedOver.every((p) => p.endsWith('not in kallsyms'))) return null;
  const base = last ?? { kind: 'revalidate' as const, symbol: LOOKUP_RCU_REVALIDATE, value: null, form: null, flagsOffset: null, flagsArg: revalidateFlagsArg(btf), source: 'none', passedOver: [], decoder: LOOKUP_RCU_DECODER_VERSION };
  return { ...base, passedOver };
}

/**
 * PURE: the cache's LOOKUP_RCU entry when it can be trusted: written by the current decoders
 * (LOOKUP_RCU_DECODER_VERSION) from the same BTF inputs. The old-format `lookupRcu` entry (read from an
 * unlazy function's first test: 0x200 on 7.x) is never used.
 */
export function cachedLookupRcuCode(cache: CallsiteCache, btf: BtfFacts): LookupRcuCode | null {
  const c = cache.lookupRcuCode;
  if (!c || c.decoder !== LOOKUP_RCU_DECODER_VERSION) return null;
  if (c.kind === 'revalidate' && c.flagsArg !== revalidateFlagsArg(btf)) return null;
  if (c.kind === 'unlazy' && c.flagsOffset !== (btf.members?.['nameidata.flags'] ?? null)) return null;
  return { ...c, passedOver: [...c.passedOver] };
}
