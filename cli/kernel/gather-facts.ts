// Gathers the facts about the running kernel (I/O): kallsyms, config, BTF protos, tracefs, bpftrace version
// and kfunc support, optional real probe tests, and lockref call sites (cached per build).
// buildKernelFacts (build-facts.ts) turns them into the plain KernelFacts the pure resolver reads.
import { readFile } from 'node:fs/promises';
import { release, version } from 'node:os';
import { runCommand } from '../system/run-command.js';
import { findFunction, kallsymsExcerptFromText, parseKallsyms, readKallsyms } from './kallsyms.js';
import { readKernelConfig } from './kernel-config.js';
import { readBtf } from './btf.js';
import { readTracefsFacts, testKprobeEvent } from './tracefs.js';
import { readRealtimeFile } from './preempt-rt.js';
import { bpftraceInfo, parseBpftraceVersion, parseKfuncSupport } from '../bpftrace/version.js';
import { readKernelText } from './kernel-text.js';
import { machineCodeFor, runningArch, unsupportedArch } from './arch/index.js';
import { cacheDir, cacheFile, loadCallsiteCache, procVersionHash, saveCallsiteCache, type CallsiteCache } from './callsite-cache.js';
import { buildKernelFacts, type RawFacts } from './build-facts.js';
import { ENUM_NAMES, FACT_FUNCTIONS, LOCKREF_CALLERS, STRUCT_MEMBERS } from './fact-names.js';
import { cachedLookupRcuCode, readLookupRcuCode } from './lookup-rcu-code.js';
import type { BtfFacts, CallsiteFacts, KernelFacts, LookupRcuCode, ProbeFacts } from '../facts/kernel-facts.js';
import { LOCKREF_SYMBOL } from '../facts/target-functions.js';

export interface GatherOptions {
  bpftrace?: string;
  /** what `bpftrace --version` printed, when the caller ran it already (a capture: once) */
  bpftraceVersionText?: string;
  /** register+remove a kprobe event on lockref_get_not_dead (default true) */
  kprobeTest?: boolean;
  /** load a tiny fentry program when bpftrace reports kfunc support (default true) */
  fentryTest?: boolean;
  /** scan lockref callers for call sites (default true); uses and fills the cache */
  callsites?: boolean;
  useCache?: boolean;
  /** read LOOKUP_RCU from an unlazy function's code when BTF lacks it (default true) */
  lookupRcuCode?: boolean;
  signal?: AbortSignal;
  log?: (line: string) => void;
}

/**
 * Raw function bytes read while gathering (dump-facts writes them as fixtures). head: read only for
 * LOOKUP_RCU (proc_misc_d_revalidate's first bytes, or an unlazy function that is not a lockref caller):
 * written as <symbol>.head.hex and not scanned for call sites.
 */
export interface CallerText { caller: string; address: bigint; size: number; bytes: Buffer; source: string; head?: boolean }

/**
 * LOOKUP_RCU from the kernel's code (readLookupRcuCode: proc_misc_d_revalidate first, the unlazy functions
 * as fallback). Bytes already read by the call-site scan are reused; others are read (kcore, else bpftrace)
 * and appended to `texts`.
 */
export async function gatherLookupRcuCode(kallsymsText: string, btf: BtfFacts, texts: CallerText[], opts: GatherOptions & { arch: string }): Promise<LookupRcuCode | null> {
  return readLookupRcuCode(kallsymsText, btf, async (symbol, address, len) => {
    const have = texts.find((t) => t.caller === symbol && t.bytes.length >= len);
    if (have) return { bytes: have.bytes, source: have.source };
    const r = await readKernelText(address, len, { bpftrace: opts.bpftrace, signal: opts.signal });
    texts.push({ caller: symbol, address, size: len, bytes: r.bytes, source: r.source, head: true });
    return { bytes: r.bytes, source: r.source };
  }, opts.arch);
}

export async function readBtfFacts(path = '/sys/kernel/btf/vmlinux'): Promise<BtfFacts> {
  const funcs: BtfFacts['funcs'] = Object.fromEntries(FACT_FUNCTIONS.map((n) => [n, null]));
  const enums: BtfFacts['enums'] = Object.fromEntries(ENUM_NAMES.map((n) => [n, null]));
  try {
    const { btf, sizeBytes } = await readBtf(path);
    for (const n of FACT_FUNCTIONS) funcs[n] = btf.findFunc(n);
    for (const n of ENUM_NAMES) enums[n] = btf.findEnumValue(n);
    const members: Record<string, number | null> = {};
    for (const [st, m] of STRUCT_MEMBERS) members[`${st}.${m}`] = btf.findMemberOffset(st, m);
    return { source: path, available: true, sizeBytes, funcs, enums, members };
  } catch (err) {
    return { source: path, available: false, sizeBytes: null, funcs, enums, error: (err as Error).message };
  }
}

/** uname -r / -v without spawning uname: node reads the same uname(2) fields. */
function uname(flag: '-r' | '-v'): string {
  return flag === '-r' ? release() : version();
}

/** Scans the lockref callers present in kallsyms for `call lockref_get_not_dead`; cache first. */
export interface CallsiteGather { facts: CallsiteFacts | null; texts: CallerText[]; cache: CallsiteCache | null; cacheFile: string | null }

export async function gatherCallsites(kallsymsText: string, release: string, procVersion: string, opts: GatherOptions & { arch: string }): Promise<CallsiteGather> {
  const entries = parseKallsyms(kallsymsText);
  const target = findFunction(entries, LOCKREF_SYMBOL).chosen;
  if (!target) return { facts: null, texts: [], cache: null, cacheFile: null };
  const mc = machineCodeFor(opts.arch);
  if (!mc) return { facts: { target: LOCKREF_SYMBOL, source: 'none', sites: [], errors: [{ caller: '*', error: unsupportedArch(opts.arch) }] }, texts: [], cache: null, cacheFile: null };
  const hash = procVersionHash(procVersion);
  const file = cacheFile(cacheDir(), release, hash, LOCKREF_SYMBOL);
  if (opts.useCache !== false) {
    const cached = await loadCallsiteCache(file, release, hash, LOCKREF_SYMBOL);
    if (cached) {
      return {
        facts: { target: LOCKREF_SYMBOL, source: `cache ${file} (${cached.source})`, errors: [],
          sites: cached.callers.flatMap((c) => c.callsites.map((s) => ({ caller: c.caller, ...s }))) },
        texts: [], cache: cached, cacheFile: file,
      };
    }
  }
  const facts: CallsiteFacts = { target: LOCKREF_SYMBOL, source: '', sites: [], errors: [] };
  const texts: CallerText[] = [];
  const sources = new Set<string>();
  const cache: CallsiteCache = { schemaVersion: 1, kernelRelease: release, procVersionHash: hash, createdAt: new Date().toISOString(), target: LOCKREF_SYMBOL, source: '', callers: [] };
  for (const name of LOCKREF_CALLERS) {
    const c = findFunction(entries, name).chosen;
    if (!c) continue;
    if (!c.size || c.size > 16384) { facts.errors.push({ caller: c.name, error: `unknown or implausible size ${c.size}` }); continue; }
    try {
      const r = await readKernelText(c.address, c.size, { bpftrace: opts.bpftrace, signal: opts.signal });
      sources.add(r.source);
      texts.push({ caller: c.name, address: c.address, size: c.size, bytes: r.bytes, source: r.source });
      const sites = mc.scanCallSites(r.bytes, c.address, target.address);
      facts.sites.push(...sites.map((s) => ({ caller: c.name, ...s })));
      cache.callers.push({ caller: c.name, size: c.size, callsites: sites });
    } catch (err) {
      facts.errors.push({ caller: c.name, error: (err as Error).message.split('\n')[0] ?? '' });
    }
  }
  facts.source = [...sources].join(', ') || 'none';
  cache.source = facts.source;
  const ok = facts.errors.length === 0 && cache.callers.length > 0;
  // a folder that cannot be written (read-only, full) is said once: cacheFile null keeps the LOOKUP_RCU update from trying again
  const written = ok && await saveCallsiteCache(file, cache).then(() => true, (e: Error) => { opts.log?.(`call-site cache not written (the capture goes on): ${e.message}`); return false; });
  return { facts, texts, cache: ok ? cache : null, cacheFile: written ? file : null };
}

/** Loads a tiny fentry (kfunc) program on pid_revalidate for an instant: does fentry attach here? */
export async function testFentry(bpftrace: string, syntax: 'legacy' | 'modern', signal?: AbortSignal): Promise<{ ok: boolean; error: string | null }> {
  const probe = syntax === 'modern' ? 'fentry:pid_revalidate' : 'kfunc:pid_revalidate';
  const r = await runCommand(bpftrace, ['-e', `${probe} { @n = count(); } interval:ms:200 { clear(@n); exit(); }`], { signal, timeoutMs: 60_000, allowFailure: true });
  if (r.exitCode === 0) return { ok: true, error: null };
  return { ok: false, error: (r.stderr.trim().split('\n').filter((l) => /ERROR|rror/.test(l)).pop() ?? r.stderr.trim().split('\n').pop() ?? `exit ${r.exitCode}`).slice(0, 300) };
}

export async function gatherRawFacts(opts: GatherOptions = {}): Promise<{ raw: RawFacts; texts: CallerText[]; procVersion: string }> {
  const [release, version] = [await uname('-r'), await uname('-v')];
  const arch = runningArch();
  const procVersion = await readFile('/proc/version', 'utf8').catch(() => '');
  // only the lines the facts use (each function and the symbol after it, as the fixtures hold), picked from
  // the text without parsing its 100k+ symbols (which was most of rcuwalk's peak memory)
  const kallsymsText = `${kallsymsExcerptFromText(await readKallsyms(), FACT_FUNCTIONS).join('\n')}\n`;
  const cfg = await readKernelConfig(release);
  const config = cfg ? { source: cfg.path, text: cfg.text } : null;
  const btf = await readBtfFacts();
  const tracefs = await readTracefsFacts(FACT_FUNCTIONS);
  const bt = opts.bpftrace ?? 'bpftrace';
  let bpftrace: RawFacts['bpftrace'] = null;
  try {
    let versionText = opts.bpftraceVersionText;
    if (versionText === undefined) {
      const v = await runCommand(bt, ['--version'], { timeoutMs: 15_000, allowFailure: true, signal: opts.signal });
      versionText = (v.stdout + v.stderr).trim();
    }
    bpftrace = { path: bt, versionText, infoText: await bpftraceInfo(bt, opts.signal) };
  } catch { /* absent: facts say null */ }
  const probes: ProbeFacts = { kprobeLockref: null, fentry: null };
  if (opts.kprobeTest !== false && tracefs.tracefs && tracefs.kprobeEvents && kallsymsText.includes(` ${LOCKREF_SYMBOL}\n`)) {
    probes.kprobeLockref = await testKprobeEvent(tracefs.tracefs, LOCKREF_SYMBOL);
  }
  const parsed = bpftrace ? parseBpftraceVersion(bpftrace.versionText) : null;
  // test-load when bpftrace reports support, or does not say (0.27's --info lists no fentry line)
  if (opts.fentryTest !== false && bpftrace && parsed && parseKfuncSupport(bpftrace.infoText) !== false) {
    probes.fentry = await testFentry(bt, parsed.syntax, opts.signal);
  }
  let callsites: CallsiteFacts | null = null;
  let texts: CallerText[] = [];
  let cs: CallsiteGather | null = null;
  if (opts.callsites !== false) {
    cs = await gatherCallsites(kallsymsText, release, procVersion, { ...opts, bpftrace: bt, arch });
    ({ facts: callsites, texts } = cs);
  }
  let lookupRcuCode: LookupRcuCode | null = null;
  if (btf.enums.LOOKUP_RCU == null && opts.lookupRcuCode !== false) {
    // only an entry written by these decoders, from the same BTF inputs (an older `lookupRcu` entry, read
    // from try_to_unlazy_next's opening test, gave 0x200 on 7.x: it is ignored and dropped on the next write)
    const hit = cs?.cache ? cachedLookupRcuCode(cs.cache, btf) : null;
    if (hit) {
      lookupRcuCode = { ...hit, source: `cache ${cs!.cacheFile} (${hit.source})` };
    } else {
      lookupRcuCode = await gatherLookupRcuCode(kallsymsText, btf, texts, { ...opts, bpftrace: bt, arch });
      if (lookupRcuCode && cs?.cache && cs.cacheFile && !lookupRcuCode.passedOver.some((p) => p.includes(': unreadable: '))) {
        const { lookupRcu: _old, ...rest } = cs.cache;
        await saveCallsiteCache(cs.cacheFile, { ...rest, lookupRcuCode }).catch((e: Error) => opts.log?.(`call-site cache not written: ${e.message}`));
      }
    }
  }
  const raw: RawFacts = {
    source: { release, version, arch, procVersion: procVersion.trim() },
    kallsymsText, config, btf, tracefs, bpftrace, probes, callsites, lookupRcuCode, realtime: await readRealtimeFile(),
  };
  return { raw, texts, procVersion };
}

/** The running kernel's facts (root: kallsyms addresses, tracefs, BTF). */
export async function gatherKernelFacts(opts: GatherOptions = {}): Promise<KernelFacts> {
  return buildKernelFacts((await gatherRawFacts(opts)).raw);
}
