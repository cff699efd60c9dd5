// The prototype attribution script (issue 20 groundwork, run in the VM rig): bpftrace text from a kernel's layout
// (btf-layout.ts), its classified unlazy sites (unlazy-sites.ts), its lockref call sites and restart functions.
// Everything is read by raw offsets (bpftrace 0.17 cannot cast to struct dentry on 5.10), keyed by u64/int64,
// names read once per new address ("first sight"), every map printed and cleared every interval and at each phase
// marker (`kill -0 <PHASE_BASE + n>` from the workload: a kprobe on find_vpid prints `rcuwalk-phase n`).
// PURE (renderAttributionScript); the CLI below gathers its inputs in the guest.
import type { KernelLayout } from '../../cli/kernel/btf-layout.js';
import type { UnlazySite } from '../../cli/kernel/unlazy-sites.js';

export const PHASE_BASE = 9_990_000;

export interface ProtoInput {
  arch: 'x86_64' | 'arm64';
  /** legacy: bpftrace < 0.20 (`args->x`); modern: `args.x` */
  syntax: 'legacy' | 'modern';
  layout: KernelLayout;
  /** classified sites with the caller's address (hex) */
  sites: (UnlazySite & { callerAddress: string })[];
  /** kallsyms names of the two unlazy functions, and whether the plain one returns int (5.10: 0 = success) */
  plain: string; next: string; returnsInt: boolean;
  /** kallsyms names of path_lookupat/path_openat/path_parentat (clones as named) */
  restart: string[];
  /** call sites of lockref_get_not_dead (callsite strategy): kprobe at the call (arg in the first argument register) and after */
  lockrefSites: { caller: string; offset: number; nextOffset: number }[];
  /** lock:contention_begin/end exist (5.19+) */
  contention: boolean;
  intervalMs: number;
}

const signed = (hex: string, add: number) => BigInt.asIntN(64, BigInt(`0x${hex}`) + BigInt(add)).toString();

/** bpftrace's spelling of a u64 read at `base + off` (a member read by raw offset). */
const rd = (base: string, off: number, width: 64 | 32 = 64) => `*(uint${width} *)(${base} + ${off})`;

/** Member offset from a layout, or throw. */
function offsetIn(layout: KernelLayout, path: string): number {
  const m = layout.members[path];
  if (!m) throw new Error(`layout has no ${path}`);
  return m.offset;
}

/** A dentry's names, read once per new key (first sight): name, parent's name, filesystem type. `d`: the dentry's address. */
function dentryNames(layout: KernelLayout, key: string, d: string): string[] {
  const off = (path: string) => offsetIn(layout, path);
  return [
    `  if (@dn_seen[${key}] == 0) {`,
    `    @dn_seen[${key}] = 1;`,
    `    @dn[${key}] = str(${rd(d, off('dentry.d_name.name'))}, 32);`,
    `    @dp[${key}] = str(${rd(rd(d, off('dentry.d_parent')), off('dentry.d_name.name'))}, 32);`,
    `    @dfs[${key}] = str(${rd(rd(rd(d, off('dentry.d_sb')), off('super_block.s_type')), off('file_system_type.name'))}, 16);`,
    '  }',
  ];
}

/**
 * Spinning waits from lock:contention_begin/end (5.19+) keyed by (kstack(6), lock address), every lock named as if it
 * were a dentry's d_lockref at first sight: only the keys whose stack holds lockref_get_not_dead are dentries (the
 * reader keeps those), the other names are whatever the bytes there say and are never shown.
 */
function contentionPart(layout: KernelLayout, syntax: ProtoInput['syntax']): string[] {
  const args = (f: string) => (syntax === 'legacy' ? `args->${f}` : `args.${f}`);
  return [`tracepoint:lock:contention_begin /(${args('flags')} & 0x21) == 0x1/ { @cw_t[tid] = nsecs; @cw_l[tid] = (uint64)${args('lock_addr')}; }`,
    'tracepoint:lock:contention_end /@cw_t[tid]/', '{',
    '  $ns = nsecs - @cw_t[tid];', '  $l = @cw_l[tid];', '  delete(@cw_t[tid]);', '  delete(@cw_l[tid]);',
    '  $stack = kstack(6);', '  @cd_n[$stack, $l] = count();', '  @cd_ns[$stack, $l] = sum($ns);',
    ...dentryNames(layout, '$l', `$l - ${offsetIn(layout, 'dentry.d_lockref')}`), '}'];
}

/** The contention naming alone (kernels without kprobes, such as the development machine): printed and cleared every interval. */
export function renderContentionNamingScript(layout: KernelLayout, syntax: ProtoInput['syntax'], intervalMs: number): string {
  const flush = ['@cd_n', '@cd_ns', '@dn', '@dp', '@dfs'].map((m) => `print(${m}); clear(${m});`).join(' ');
  return [
    '// rcuwalk contention naming prototype (scripts/attribution/proto-script.ts)',
    'BEGIN { printf("rcuwalk-ready\\n"); }',
    ...contentionPart(layout, syntax),
    `interval:ms:${intervalMs} { ${flush} clear(@dn_seen); printf("rcuwalk-tick %llu\\n", nsecs); }`,
    `END { ${flush} clear(@dn_seen); clear(@cw_t); clear(@cw_l); }`,
  ].join('\n') + '\n';
}

export function renderAttributionScript(p: ProtoInput): string {
  const off = (path: string) => offsetIn(p.layout, path);
  const savedSize = p.layout.sizes['nameidata.stack->'];
  if (!savedSize) throw new Error('layout has no size of struct saved');
  const args = (f: string) => (p.syntax === 'legacy' ? `args->${f}` : `args.${f}`);
  const ra = p.arch === 'x86_64' ? '(int64)*(uint64 *)reg("sp")' : '(int64)reg("r30")';
  const arg0reg = p.arch === 'x86_64' ? 'reg("di")' : 'reg("r0")';
  const lit = (s: ProtoInput['sites'][number]) => signed(s.callerAddress, s.nextOffset);
  const anyOf = (sites: ProtoInput['sites']) => sites.map((s) => `$ra == ${lit(s)}`).join(' || ');
  const plainSites = p.sites.filter((s) => s.callee === p.plain || s.callee.startsWith(`${p.plain}.`));
  const nextSites = p.sites.filter((s) => s.callee === p.next || s.callee.startsWith(`${p.next}.`));
  const normal = plainSites.filter((s) => s.reason === 'normal');
  const perm = plainSites.filter((s) => s.reason === 'permission');
  const link = plainSites.filter((s) => s.reason === 'link-get_link' || s.reason === 'link-atime' || s.reason === 'link');
  const reval = nextSites.filter((s) => s.reason === 'revalidate');
  const mount = nextSites.filter((s) => s.reason === 'mount');
  const nameOf = (key: string, d: string) => dentryNames(p.layout, key, d);
  const named = p.lockrefSites.length > 0 || p.contention;
  const maps = ['@ul_site', '@uln_site', '@ul_ret', '@uln_ret', '@ul_fail', '@uln_fail', '@who',
    ...(perm.length ? ['@perm'] : []), ...(link.length ? ['@link'] : []), ...(reval.length ? ['@reval'] : []), ...(mount.length ? ['@mount'] : []),
    ...(p.restart.length ? ['@restart', '@restart_who'] : []), ...(p.lockrefSites.length ? ['@lr_n', '@lr_ns'] : []),
    ...(named ? ['@dn', '@dp', '@dfs'] : []), ...(p.contention ? ['@cd_n', '@cd_ns'] : [])];
  // names are read again in the next interval: the maps stay bounded by the addresses of one interval
  const flush = `${maps.map((m) => `print(${m}); clear(${m});`).join(' ')}${named ? ' clear(@dn_seen);' : ''}`;
  const fails = p.returnsInt ? '(int32)retval != 0' : '(retval & 0xff) == 0';
  const out: string[] = [
    `// rcuwalk attribution prototype (scripts/attribution/proto-script.ts): ${p.arch}, bpftrace ${p.syntax}`,
    `// sites: ${p.sites.map((s) => `${s.caller}+${s.nextOffset}=${s.reason}`).join(' ')}`,
    'BEGIN { printf("rcuwalk-ready\\n"); }',
    `kprobe:${p.plain}`,
    '{',
    `  $ra = ${ra};`,
    '  @ul_site[$ra, cpu] = count();',
    normal.length ? `  if (!(${anyOf(normal)})) { @who[pid, comm] = count(); }` : '  @who[pid, comm] = count();',
  ];
  if (perm.length) {
    out.push(`  if (${anyOf(perm)}) {`,
      `    @perm[$ra, ${rd(rd(rd('arg0', off('nameidata.inode')), off('inode.i_op')), off('inode_operations.permission'))}] = count();`, '  }');
  }
  if (link.length) {
    // pick_link has put the symlink at nd->stack[nd->depth - 1] before its atime and get_link checks
    out.push(`  if (${anyOf(link)}) {`,
      `    $depth = ${rd('arg0', off('nameidata.depth'), 32)};`,
      `    $s = ${rd('arg0', off('nameidata.stack'))} + ($depth - 1) * ${savedSize};`,
      `    $i = ${rd(rd('$s', off('nameidata.stack->link.dentry')), off('dentry.d_inode'))};`,
      `    @link[$ra, ${rd(rd('$i', off('inode.i_op')), off('inode_operations.get_link'))}] = count();`, '  }');
  }
  out.push('}',
    `kprobe:${p.next}`, '{', `  $ra = ${ra};`, '  @uln_site[$ra, cpu] = count();', '  @who[pid, comm] = count();');
  if (reval.length) out.push(`  if (${anyOf(reval)}) {`, `    @reval[$ra, ${rd(rd('arg1', off('dentry.d_op')), off('dentry_operations.d_revalidate'))}] = count();`, '  }');
  if (mount.length) {
    out.push(`  if (${anyOf(mount)}) {`,
      `    @mount[$ra, ${rd(rd('arg1', off('dentry.d_op')), off('dentry_operations.d_manage'))}, ${rd('arg1', off('dentry.d_flags'), 32)} & 0x70000] = count();`, '  }');
  }
  out.push('}',
    `kretprobe:${p.plain} { @ul_ret[cpu] = count(); if (${fails}) { @ul_fail[cpu] = count(); } }`,
    `kretprobe:${p.next} { @uln_ret[cpu] = count(); if (${fails}) { @uln_fail[cpu] = count(); } }`);
  for (const f of p.restart) out.push(`kretprobe:${f} /(int64)retval == -10/ { @restart["${f}", cpu] = count(); @restart_who[pid, comm] = count(); }`);
  p.lockrefSites.forEach((s, i) => {
    out.push(`kprobe:${s.caller}+${s.offset} { @lr_t[tid] = nsecs; @lr_l[tid] = ${arg0reg}; }`,
      `kprobe:${s.caller}+${s.nextOffset} /@lr_t[tid]/`, '{',
      '  $ns = nsecs - @lr_t[tid];', '  $l = @lr_l[tid];', '  delete(@lr_t[tid]);', '  delete(@lr_l[tid]);',
      `  @lr_n[$l, ${i}] = count();`, `  @lr_ns[$l, ${i}] = sum($ns);`,
      ...nameOf('$l', `$l - ${off('dentry.d_lockref')}`), '}');
  });
  if (p.contention) out.push(...contentionPart(p.layout, p.syntax));
  // the marker: kill(2) looks the pid up with find_vpid(nr). A kprobe, not syscalls:sys_enter_kill: bpftrace 0.17 on
  // 5.10 cannot build tracepoint argument structs there ("definitions.h: unknown type name 'u64'")
  out.push(`kprobe:find_vpid /(int32)arg0 >= ${PHASE_BASE} && (int32)arg0 < ${PHASE_BASE + 1000}/`,
    `{ printf("rcuwalk-phase %d %llu\\n", (int32)arg0 - ${PHASE_BASE}, nsecs); ${flush} }`,
    `interval:ms:${p.intervalMs} { ${flush} printf("rcuwalk-tick %llu\\n", nsecs); }`,
    `END { ${flush}${p.lockrefSites.length ? ' clear(@lr_t); clear(@lr_l);' : ''}${p.contention ? ' clear(@cw_t); clear(@cw_l);' : ''} }`);
  return `${out.join('\n')}\n`;
}
