// A recorded kernel's facts as a folder (format: test/fixtures/kernels/README.md): write from RawFacts,
// load back into RawFacts (then buildKernelFacts, build-facts.ts). Call sites are re-scanned from text/*.hex when present.
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { kallsymsExcerpt, parseKallsyms, findFunction } from './kallsyms.js';
import { configExcerpt, parseKernelConfig } from './kernel-config.js';
import { formatHexDump, parseHexDump } from './hex-dump.js';
import { machineCodeFor } from './arch/index.js';
import type { RawFacts } from './build-facts.js';
import { CONFIG_KEYS, FACT_FUNCTIONS, LOCKREF_CALLERS } from './fact-names.js';
import { readLookupRcuCode } from './lookup-rcu-code.js';
import type { CallerText } from './gather-facts.js';
import type { CallsiteFacts, ProbeFacts } from '../facts/kernel-facts.js';
import { LOCKREF_SYMBOL } from '../facts/target-functions.js';
import { UserError } from '../errors.js';
import { EXIT } from '../exit-codes.js';
import { validateWith } from '../schema/validate.js';

const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;

export interface WriteOptions { note?: string; recordedWith?: string; crossCheck?: string }

/** PURE: the files of a facts folder (relative path -> content). */
export function factsFolderFiles(raw: RawFacts, texts: readonly CallerText[], opts: WriteOptions = {}): Record<string, string> {
  const files: Record<string, string> = {};
  const s = raw.source;
  files['source.txt'] = [
    `release=${s.release}`, `version=${s.version}`, `proc_version=${s.procVersion ?? ''}`, `arch=${s.arch}`,
    `recorded_at=${new Date().toISOString()}`, `recorded_with=${opts.recordedWith ?? 'node dist/scripts/dump-facts.js'}`,
    `note=${opts.note ?? s.note ?? ''}`,
  ].join('\n') + '\n';
  const entries = parseKallsyms(raw.kallsymsText);
  files['kallsyms.txt'] = `# /proc/kallsyms excerpt on ${s.release} (${s.version}): the functions below and the symbol after each\n${kallsymsExcerpt(entries, FACT_FUNCTIONS).join('\n')}\n`;
  if (raw.config) {
    files['config.txt'] = `# from ${raw.config.source}\n${configExcerpt(parseKernelConfig(raw.config.text), CONFIG_KEYS).join('\n')}\n`;
  } else {
    files['config.txt'] = '# no kernel config found (/proc/config.gz, /boot/config-<release>)\n';
  }
  files['btf.json'] = json(raw.btf);
  files['tracefs.json'] = json(raw.tracefs);
  if (raw.bpftrace) files['bpftrace.txt'] = `# ${raw.bpftrace.path}\n${raw.bpftrace.versionText}\n${raw.bpftrace.infoText}`;
  files['probes.json'] = json(raw.probes);
  // only RT kernels have /sys/kernel/realtime; its absence is recorded too (older folders have neither line)
  if (raw.realtime !== undefined) files['realtime.txt'] = raw.realtime === null ? '# no /sys/kernel/realtime\n' : `# /sys/kernel/realtime\n${raw.realtime}\n`;
  if (raw.callsites) {
    const target = findFunction(entries, LOCKREF_SYMBOL).chosen;
    files['text/callsites.json'] = json({
      target: raw.callsites.target, targetAddress: target?.address.toString(16) ?? null, source: raw.callsites.source,
      callsites: raw.callsites.sites, errors: raw.callsites.errors, crossCheck: opts.crossCheck ?? null,
    });
  }
  for (const t of texts) {
    files[`text/${t.caller}${t.head ? '.head' : ''}.hex`] = formatHexDump(t.bytes, {
      symbol: t.caller, address: t.address.toString(16), size: String(t.size), 'read-from': t.source,
      kernel: `${s.release} ${s.version}`,
    });
  }
  return files;
}

export async function writeFactsFolder(dir: string, raw: RawFacts, texts: readonly CallerText[], opts: WriteOptions = {}): Promise<string[]> {
  const files = factsFolderFiles(raw, texts, opts);
  await mkdir(join(dir, 'text'), { recursive: true });
  for (const [rel, content] of Object.entries(files)) await writeFile(join(dir, rel), content);
  return Object.keys(files);
}

/** PURE: key=value lines. */
export function parseKeyValues(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const i = line.indexOf('=');
    if (i > 0) out[line.slice(0, i)] = line.slice(i + 1);
  }
  return out;
}

async function maybe(path: string): Promise<string | null> {
  try { return await readFile(path, 'utf8'); } catch { return null; }
}

/** The folder's JSON files (those present), each checked against its definition in schemas/facts-folder.schema.json. */
const FOLDER_JSON: [file: string, def: string][] = [['btf.json', 'BtfFile'], ['tracefs.json', 'TracefsFile'], ['probes.json', 'ProbesFile'], ['text/callsites.json', 'CallsitesFile']];

/** Throws UserError naming the file and the JSON path of its first problem. */
async function checkFolderJson(dir: string): Promise<void> {
  for (const [file, def] of FOLDER_JSON) {
    const text = await maybe(join(dir, file));
    if (text === null) continue;
    let data: unknown;
    try { data = JSON.parse(text); } catch (err) { throw new UserError(`${join(dir, file)} is not valid JSON: ${(err as Error).message}`, 'record the folder again (scripts/dump-facts.ts)', EXIT.usage); }
    validateWith(`facts-folder.schema.json#/$defs/${def}`, data, join(dir, file));
  }
}

/** Loads a facts folder into RawFacts. Call sites: scanned from text/*.hex if any, else text/callsites.json. */
export async function loadFactsFolder(dir: string): Promise<RawFacts> {
  await checkFolderJson(dir);
  const src = parseKeyValues(await readFile(join(dir, 'source.txt'), 'utf8'));
  const kallsymsText = await readFile(join(dir, 'kallsyms.txt'), 'utf8');
  const configText = await readFile(join(dir, 'config.txt'), 'utf8');
  const configSource = /^# from (\S+)/.exec(configText)?.[1] ?? null;
  const bpftraceText = await maybe(join(dir, 'bpftrace.txt'));
  let bpftrace: RawFacts['bpftrace'] = null;
  if (bpftraceText) {
    const lines = bpftraceText.split('\n');
    const path = lines[0]?.startsWith('# ') ? lines[0].slice(2) : 'bpftrace';
    const body = lines.filter((l) => !l.startsWith('# ')).join('\n');
    bpftrace = { path, versionText: body.split('\n').find((l) => /bpftrace v?\d/.test(l)) ?? '', infoText: body };
  }
  const probesText = await maybe(join(dir, 'probes.json'));
  const probes: ProbeFacts = probesText ? (JSON.parse(probesText) as ProbeFacts) : { kprobeLockref: null, fentry: null };
  let callsites: CallsiteFacts | null = null;
  const textDir = join(dir, 'text');
  const allHex = (await readdir(textDir).catch(() => [] as string[])).filter((f) => f.endsWith('.hex')).sort();
  const hexFiles = allHex.filter((f) => !f.endsWith('.head.hex'));
  const entries = parseKallsyms(kallsymsText);
  const target = findFunction(entries, LOCKREF_SYMBOL).chosen;
  const mc = machineCodeFor(src.arch ?? '');
  if (hexFiles.length > 0 && target && mc) {
    callsites = { target: LOCKREF_SYMBOL, source: `${dir}/text/*.hex`, sites: [], errors: [] };
    for (const f of hexFiles) {
      const { bytes, headers } = parseHexDump(await readFile(join(textDir, f), 'utf8'));
      const start = BigInt(`0x${headers.address ?? '0'}`);
      callsites.sites.push(...mc.scanCallSites(bytes, start, target.address).map((s) => ({ caller: headers.symbol ?? f.replace(/\.hex$/, ''), ...s })));
    }
    // the live scan's order: callers as in LOCKREF_CALLERS, then by offset
    const rank = (c: string) => (LOCKREF_CALLERS as readonly string[]).indexOf(c.split('.')[0]!);
    callsites.sites.sort((a, b) => rank(a.caller) - rank(b.caller) || a.offset - b.offset);
  } else {
    const cs = await maybe(join(textDir, 'callsites.json'));
    if (cs) {
      const j = JSON.parse(cs) as { target: string; source: string; callsites: CallsiteFacts['sites']; errors?: CallsiteFacts['errors'] };
      callsites = { target: j.target, source: j.source, sites: j.callsites, errors: j.errors ?? [] };
    }
  }
  const btf = JSON.parse(await readFile(join(dir, 'btf.json'), 'utf8')) as RawFacts['btf'];
  const realtimeText = await maybe(join(dir, 'realtime.txt'));
  const realtime = realtimeText === null ? undefined : (realtimeText.split('\n').find((l) => l && !l.startsWith('#')) ?? null);
  // LOOKUP_RCU from the recorded bytes: text/proc_misc_d_revalidate.head.hex first, then the unlazy
  // functions' text/<symbol>.hex or .head.hex (folders recorded before proc_misc_d_revalidate was read have
  // only the latter)
  let lookupRcuCode: RawFacts['lookupRcuCode'] = null;
  if (btf.enums.LOOKUP_RCU == null) {
    lookupRcuCode = await readLookupRcuCode(kallsymsText, btf, async (symbol) => {
      const f = allHex.find((h) => h === `${symbol}.hex`) ?? allHex.find((h) => h === `${symbol}.head.hex`);
      if (!f) return null;
      return { bytes: parseHexDump(await readFile(join(textDir, f), 'utf8')).bytes, source: `${dir}/text/${f}` };
    }, src.arch ?? '');
  }
  return {
    source: { release: src.release ?? '', version: src.version ?? '', arch: src.arch ?? '', procVersion: src.proc_version, note: src.note },
    kallsymsText,
    config: configSource ? { source: configSource, text: configText } : null,
    btf,
    tracefs: JSON.parse(await readFile(join(dir, 'tracefs.json'), 'utf8')) as RawFacts['tracefs'],
    bpftrace, probes, callsites, lookupRcuCode, realtime,
  };
}
