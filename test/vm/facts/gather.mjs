#!/usr/bin/env node
// gather.mjs <out-dir> <config-file> <note>
// Runs as root inside a guest (or on any host): writes the kernel-facts files of
// test/fixtures/kernels/README.md that need no disassembly: source.txt, kallsyms.txt,
// config.txt, tracefs.json, probes.json (kprobe test on lockref_get_not_dead; the fentry
// result is merged in later by the job), bpftrace.txt. btf.json: btf-funcs.mjs; text/: callsites.mjs.
import { readFileSync, writeFileSync, appendFileSync, existsSync, mkdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { gunzipSync } from 'node:zlib';

const [out, configFile, note] = process.argv.slice(2);
mkdirSync(out, { recursive: true });
const sh = (cmd, args) => { const r = spawnSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] }); return `${r.stdout ?? ''}${r.stderr ?? ''}`; };
const read = (f) => { try { return readFileSync(f, 'utf8'); } catch { return null; } };
const NAMES = ['pid_revalidate', 'try_to_unlazy_next', 'unlazy_child', 'try_to_unlazy', 'unlazy_walk',
  'lockref_get_not_dead', '__legitimize_path', 'legitimize_path', 'd_alloc_parallel'];
const base = (s) => s.split('.')[0];

// source.txt
const uname = (f) => sh('uname', [f]).trim();
writeFileSync(`${out}/source.txt`, [
  `release=${uname('-r')}`, `version=${uname('-v')}`, `proc_version=${read('/proc/version').trim()}`, `arch=${uname('-m')}`,
  `recorded_at=${new Date().toISOString()}`, `recorded_with=test/vm/facts/gather.mjs (rcuwalk real-kernel rig, shell/node fallback of dump-facts)`,
  `note=${note}`, ''].join('\n'));
const t0 = Date.now(); const lap = (what) => console.log(`gather: ${what} +${Date.now() - t0}ms`);

// kallsyms.txt: matching symbols plus the next symbol of each, sorted by address
const ks = read('/proc/kallsyms').split('\n').filter(Boolean).map((l) => l.split(/\s+/));
ks.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
const keep = new Set();
ks.forEach((l, i) => { if (NAMES.includes(base(l[2])) && !l[3]) { keep.add(i); if (i + 1 < ks.length) keep.add(i + 1); } });
writeFileSync(`${out}/kallsyms.txt`, [...keep].sort((a, b) => a - b).map((i) => ks[i].join(' ')).join('\n') + '\n');

lap('kallsyms');
// config.txt
const KEYS = `KPROBES KPROBE_EVENTS KPROBE_EVENTS_ON_NOTRACE KRETPROBES BPF_EVENTS BPF_SYSCALL BPF_JIT DEBUG_INFO_BTF FTRACE FUNCTION_TRACER
DYNAMIC_FTRACE DYNAMIC_FTRACE_WITH_DIRECT_CALLS FPROBE TRACEPOINTS PROC_KCORE LOCKDEP LOCK_STAT SECURITY_LOCKDOWN_LSM X86_KERNEL_IBT
CALL_PADDING FUNCTION_ALIGNMENT QUEUED_SPINLOCKS ARCH_USE_CMPXCHG_LOCKREF PREEMPT_RCU`.split(/\s+/);
let cfgText, cfgFrom;
if (existsSync('/proc/config.gz')) { cfgText = gunzipSync(readFileSync('/proc/config.gz')).toString(); cfgFrom = '/proc/config.gz'; }
else { cfgText = read(configFile) ?? ''; cfgFrom = configFile; }
const cfg = cfgText.split('\n').filter((l) => KEYS.some((k) => l.startsWith(`CONFIG_${k}=`) || l === `# CONFIG_${k} is not set`));
writeFileSync(`${out}/config.txt`, [`# from ${cfgFrom}`, ...cfg, ''].join('\n'));

lap('config');
// tracefs.json
const tracefs = existsSync('/sys/kernel/tracing/kprobe_events') ? '/sys/kernel/tracing'
  : existsSync('/sys/kernel/debug/tracing/kprobe_events') ? '/sys/kernel/debug/tracing' : null;
const debugfs = existsSync('/sys/kernel/debug/kprobes') ? '/sys/kernel/debug' : null;
const ld = read('/sys/kernel/security/lockdown');
let aff = 'missing', traceable = null;
if (tracefs && existsSync(`${tracefs}/available_filter_functions`)) {
  try {
    const fns = new Set(readFileSync(`${tracefs}/available_filter_functions`, 'utf8').split('\n').map((l) => base(l.split(/\s+/)[0])));
    traceable = Object.fromEntries(NAMES.map((n) => [n, fns.has(n)])); aff = 'ok';
  } catch (e) { aff = `error: ${e.code ?? e.message}`; }
}
let blacklist = null;
const bl = debugfs ? read(`${debugfs}/kprobes/blacklist`) : null;
if (bl !== null) { const s = new Set(bl.split('\n').map((l) => base(l.split(/\s+/)[1] ?? ''))); blacklist = Object.fromEntries(NAMES.map((n) => [n, s.has(n)])); }
const tp = (e) => (tracefs ? existsSync(`${tracefs}/events/${e.replace(':', '/')}`) : false);
writeFileSync(`${out}/tracefs.json`, `${JSON.stringify({
  tracefs, debugfs, lockdown: ld === null ? null : (ld.match(/\[(\w+)\]/)?.[1] ?? ld.trim()),
  kprobeEvents: tracefs !== null, availableFilterFunctions: aff, traceable, kprobeBlacklist: blacklist,
  tracepoints: { 'lock:contention_begin': tp('lock:contention_begin'), 'lock:contention_end': tp('lock:contention_end') },
}, null, 2)}\n`);

lap('tracefs');
// probes.json: one throw-away kprobe event on lockref_get_not_dead
const probes = { kprobeLockref: null, fentry: null };
if (tracefs) {
  const before = sh('dmesg', []).split('\n').length;
  try {
    appendFileSync(`${tracefs}/kprobe_events`, 'p:rcuwalk_factprobe lockref_get_not_dead\n');
    appendFileSync(`${tracefs}/kprobe_events`, '-:rcuwalk_factprobe\n');
    probes.kprobeLockref = { ok: true, error: null, dmesg: null };
  } catch (e) {
    const dm = sh('dmesg', []).split('\n').slice(before - 1).filter((l) => /lockref|probe/i.test(l)).map((l) => l.replace(/^\[[^\]]*\]\s*/, '')).join('\n');
    probes.kprobeLockref = { ok: false, error: `write error: ${e.code === 'EINVAL' ? 'Invalid argument' : e.message}`, dmesg: dm || null };
  }
}
writeFileSync(`${out}/probes.json`, `${JSON.stringify(probes, null, 2)}\n`);

lap('probes');
// bpftrace.txt
writeFileSync(`${out}/bpftrace.txt`, `${sh('bpftrace', ['--version'])}${sh('bpftrace', ['--info'])}`);
console.log(`gather: wrote ${out} (lockref kprobe ok=${probes.kprobeLockref?.ok})`);
