// Why a path walk left RCU-walk, from where it called the unlazy functions (issue 20): each call of
// try_to_unlazy / try_to_unlazy_next (5.10: unlazy_walk / unlazy_child) in the kernel's code is one reason, told by
// the function that holds the call, the function called, and the direct calls just before it. A site is keyed by its
// return address (caller + offset of the instruction after the call): what a kprobe on the unlazy function's entry
// reads (x86-64 `*(uint64 *)reg("sp")`, arm64 `reg("r30")`). PURE.

/** The unlazy functions by base name (clones such as .constprop.0 are the same function). */
export const UNLAZY_FUNCTIONS = ['try_to_unlazy', 'try_to_unlazy_next', 'unlazy_walk', 'unlazy_child'] as const;
/** The two-argument ones: they also legitimize the next dentry (lookup_fast's revalidate, handle_mounts). */
const WITH_DENTRY = new Set(['try_to_unlazy_next', 'unlazy_child']);

/** Functions that hold (or, inlined elsewhere, used to hold) unlazy calls: the runtime scans these (clones too). */
export const CANDIDATE_CALLERS = [
  'complete_walk', 'lookup_fast', 'lookup_fast_for_open', 'link_path_walk', 'may_lookup', 'walk_component',
  'step_into', 'step_into_slowpath', 'handle_mounts', '__follow_mount_rcu', 'pick_link', 'reserve_stack',
  'path_openat', 'open_last_lookups', 'do_last', 'path_lookupat', 'path_parentat', 'handle_dots', 'follow_dotdot_rcu',
  'nd_jump_root', 'lookup_last', 'terminate_walk',
] as const;

export type UnlazyReason =
  | 'normal'        // complete_walk: the walk reached its end (the denominator, not a premature exit)
  | 'nodentry'      // lookup_fast: the name is not in the dcache (lookup_slow follows)
  | 'revalidate'    // lookup_fast: ->d_revalidate refused in RCU mode (or said invalid)
  | 'permission'    // may_lookup (inlined in link_path_walk): ->permission / inode_permission refused
  | 'mount'         // handle_mounts (in step_into): a mount point, automount or ->d_manage
  | 'link'          // pick_link, branch not told apart
  | 'link-atime'    // pick_link: the symlink's atime needs an update
  | 'link-get_link' // pick_link: ->get_link refused in RCU mode
  | 'link-stack'    // pick_link / reserve_stack: no room for another nested symlink without sleeping
  | 'enotdir'       // link_path_walk: a path component that is not a directory
  | 'open'          // open_last_lookups (in path_openat): the last component of an O_CREAT (or other) open
  | 'other';        // a caller not known here: shown as symbol+offset

/** A direct branch inside a caller, to a function entry (named from kallsyms). */
export interface BranchRecord { offset: number; nextOffset: number; kind: 'call' | 'jump'; target: string }

/** A function's code as recorded (find-unlazy-callers.ts): its direct branches to function entries. */
export interface CallerCode { name: string; address: string; size: number; branches: BranchRecord[] }

/** callers.json: test/fixtures/kernels/<release>/attribution/callers.json. */
export interface CallersFile {
  release: string; arch: string; recordedAt: string; recordedWith: string; scanned: string;
  /** the unlazy functions (by kallsyms name) and their addresses (hex) */
  targets: Record<string, string>;
  callers: CallerCode[];
}

export interface UnlazySite {
  caller: string;
  /** the unlazy function called */
  callee: string;
  /** offset of the call, and of the instruction after it (the return address is caller + nextOffset) */
  offset: number;
  nextOffset: number;
  /** a tail call: the return address then names the caller's caller, not this site */
  kind: 'call' | 'jump';
  reason: UnlazyReason;
  /** why this reason, in words (the rule and the calls it saw) */
  evidence: string;
}

const baseOf = (n: string) => (n.includes('.') ? n.slice(0, n.indexOf('.')) : n);

const isUnlazy = (b: BranchRecord) => (UNLAZY_FUNCTIONS as readonly string[]).includes(baseOf(b.target));

/**
 * The nearest direct call before the site and the first one after it, by address, neither past another unlazy site:
 * the code that reaches an unlazy call and the code that runs once it succeeded (the ref-walk retry) sit next to it,
 * whatever order the compiler laid the blocks out in. Base names (clone suffixes dropped).
 */
function neighbours(c: CallerCode, site: BranchRecord): { before: string | null; after: string | null } {
  const calls = c.branches.filter((b) => b.kind === 'call').sort((a, b) => a.offset - b.offset);
  const i = calls.findIndex((b) => b.offset === site.offset);
  const prev = calls[i - 1];
  const next = calls[i + 1];
  return {
    before: prev && !isUnlazy(prev) ? baseOf(prev.target) : null,
    after: next && !isUnlazy(next) ? baseOf(next.target) : null,
  };
}

const LEGITIMIZE = new Set(['legitimize_path', '__legitimize_path']);

/**
 * Where the conditional branch right after `call atime_needs_update` sends an update that is due (x86-64:
 * `test %al,%al` then `jne` to the block, or `je` over it): the atime site is the first unlazy call from there.
 * null when the bytes do not have that shape.
 */
function atimeBlockX86(code: Uint8Array, callOffset: number): number | null {
  let i = callOffset + 5;
  if (code[i] !== 0x84 || code[i + 1] !== 0xc0) return null; // test %al,%al
  i += 2;
  const op = code[i];
  if (op === 0x75) return i + 2 + ((code[i + 1]! << 24) >> 24); // jne rel8
  if (op === 0x74) return i + 2; // je rel8: the update path falls through
  if (op === 0x0f && code[i + 1] === 0x85) return i + 6 + ((code[i + 2]! | (code[i + 3]! << 8) | (code[i + 4]! << 16) | (code[i + 5]! << 24)) | 0);
  if (op === 0x0f && code[i + 1] === 0x84) return i + 6;
  return null;
}

/**
 * The offset of a caller's atime site (pick_link has one), or -1: with the caller's bytes (x86-64), the unlazy call in
 * the block atime_needs_update's result branches to (7.3's pick_link has no direct call next to that site);
 * otherwise the site with atime_needs_update before it or touch_atime after it (5.10-6.18, arm64 6.1).
 */
function atimeSiteOf(c: CallerCode, code: Uint8Array | null): number {
  const sites = c.branches.filter(isUnlazy).filter((b) => !WITH_DENTRY.has(baseOf(b.target))).sort((a, b) => a.offset - b.offset);
  const check = c.branches.find((b) => b.kind === 'call' && baseOf(b.target) === 'atime_needs_update');
  if (code && check) {
    const block = atimeBlockX86(code, check.offset);
    const site = block === null ? undefined : sites.find((b) => b.offset >= block && b.offset - block <= 32);
    if (site) return site.offset;
  }
  const strong = sites.find((b) => { const n = neighbours(c, b); return n.before === 'atime_needs_update' || n.after === 'touch_atime'; });
  return strong?.offset ?? -1;
}

/** The reason of one site. */
function reasonOf(c: CallerCode, site: BranchRecord, atime: number): { reason: UnlazyReason; evidence: string } {
  const caller = baseOf(c.name);
  const next = WITH_DENTRY.has(baseOf(site.target));
  const { before, after } = neighbours(c, site);
  const around = `calls around it: ${before ?? '-'} | ${after ?? '-'}`;
  switch (caller) {
    case 'complete_walk':
      return { reason: 'normal', evidence: 'in complete_walk' };
    case 'lookup_fast':
    case 'lookup_fast_for_open':
      return next
        ? { reason: 'revalidate', evidence: `${caller} -> ${site.target}: d_revalidate said no` }
        : { reason: 'nodentry', evidence: `${caller} -> ${site.target}: not in the dcache` };
    case 'step_into':
    case 'step_into_slowpath':
    case 'handle_mounts':
    case '__follow_mount_rcu':
      if (next) return { reason: 'mount', evidence: `${caller} -> ${site.target}: handle_mounts` };
      return linkReason(caller, before, after, around, site.offset === atime);
    case 'pick_link':
    case 'reserve_stack':
      return linkReason(caller, before, after, around, site.offset === atime);
    case 'link_path_walk':
    case 'may_lookup':
      // may_lookup: after the unlazy, inode_permission again in ref-walk; the ENOTDIR site returns at once
      if (caller === 'may_lookup' || after === 'inode_permission' || before === 'inode_permission') {
        return { reason: 'permission', evidence: `${caller}: inode_permission next to it (${around})` };
      }
      return { reason: 'enotdir', evidence: `${caller}: no inode_permission next to it (${around})` };
    case 'path_openat':
    case 'open_last_lookups':
    case 'do_last':
      return { reason: 'open', evidence: `${caller} -> ${site.target}` };
    default:
      return { reason: 'other', evidence: `${caller} is not a known unlazy caller` };
  }
}

/**
 * pick_link's three sites (inlined into step_into in 6.1-6.18, its own function again in 7.3): atime (atime_needs_update
 * before it or touch_atime next to it: the update it unlazied for), stack (reserve_stack: legitimize_path of the link before it, nd_alloc_stack after),
 * else get_link (between the two ->get_link calls, indirect: no direct call to tell it by).
 */
function linkReason(caller: string, before: string | null, after: string | null, around: string, atimeSite: boolean): { reason: UnlazyReason; evidence: string } {
  if (atimeSite) return { reason: 'link-atime', evidence: `${caller}: ${around}` };
  if (caller === 'reserve_stack' || (before !== null && LEGITIMIZE.has(before)) || after === 'nd_alloc_stack') {
    return { reason: 'link-stack', evidence: `${caller}: ${around}` };
  }
  return { reason: 'link-get_link', evidence: `${caller}: neither atime nor stack (${around})` };
}

/** Every unlazy site in one caller, with its reason; `code`: the caller's bytes when at hand (x86-64: read to find pick_link's atime site). */
export function classifyCaller(c: CallerCode, code: Uint8Array | null = null, arch = 'x86_64'): UnlazySite[] {
  const atime = atimeSiteOf(c, arch === 'x86_64' ? code : null);
  return c.branches
    .filter(isUnlazy)
    .map((b) => ({ caller: c.name, callee: b.target, offset: b.offset, nextOffset: b.nextOffset, kind: b.kind, ...reasonOf(c, b, atime) }));
}

/** Every unlazy site of a kernel (a callers.json), in caller order; `codeOf`: a caller's bytes, if at hand. */
export function classifySites(f: Pick<CallersFile, 'callers' | 'arch'>, codeOf: (caller: string) => Uint8Array | null = () => null): UnlazySite[] {
  return f.callers.flatMap((c) => classifyCaller(c, codeOf(c.name), f.arch));
}
