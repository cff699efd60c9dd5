// bpftrace's version and syntax generation: `bpftrace --version` -> {version, syntax}; < 0.16 is refused.
// Also the kernel features bpftrace itself reports (`bpftrace --info`: kfunc support).
import { UserError } from '../errors.js';
import { EXIT } from '../exit-codes.js';
import { runCommand } from '../system/run-command.js';
import type { Bpftrace } from '../schema/types.generated.js';

export interface BpftraceVersion { version: string; major: number; minor: number; patch: number; syntax: Bpftrace['syntax'] }

const MIN_VERSION = { major: 0, minor: 16 } as const;
const INSTALL_HINT = 'install bpftrace 0.16 or newer: `apt-get install bpftrace` (Debian 12 ships 0.17), or a static build from https://github.com/bpftrace/bpftrace/releases';

/** PURE: "bpftrace v0.17.0", "bpftrace v0.20.1", "bpftrace v0.24.0-rc1-3-gabc" -> version; null if unrecognised. */
export function parseBpftraceVersion(text: string): BpftraceVersion | null {
  const m = /bpftrace v?(\d+)\.(\d+)\.(\d+)([-+~][0-9A-Za-z.+~-]*)?/.exec(text);
  if (!m) return null;
  const [major, minor, patch] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const modern = major > 0 || minor >= 20;
  return { version: `${major}.${minor}.${patch}${m[4] ?? ''}`, major, minor, patch, syntax: modern ? 'modern' : 'legacy' };
}

/** Behaviours that changed between bpftrace versions and that rcuwalk's scripts or probe choice depend on. */
export interface BpftraceFeatures {
  /**
   * kprobes only on functions listed in available_filter_functions: 0.27.1 refuses the others ("No matches for
   * kprobe f", offsets too, unless --unsafe; an unreadable list matches nothing); 0.23.2 only warns.
   */
  kprobesNeedFilterList: boolean;
  /**
   * delete() returns whether it deleted, and 0.27.1 warns "Return value discarded" for a bare `delete(...)`;
   * 0.17 and 0.23.2 refuse it in an assignment ("delete() should not be used in an assignment").
   */
  deleteReturnsValue: boolean;
}

/** PURE: the features of a bpftrace version as in Bpftrace.version ("0.27.1"). 0.24-0.26 were not tried: they get
 * the older behaviour, which compiles there too (at worst with a warning). */
export function bpftraceFeatures(version: string): BpftraceFeatures {
  const m = /^(\d+)\.(\d+)/.exec(version);
  const atLeast = (minor: number) => m !== null && (Number(m[1]) > 0 || Number(m[2]) >= minor);
  return { kprobesNeedFilterList: atLeast(27), deleteReturnsValue: atLeast(27) };
}

/** PURE: throws UserError(toolMissing) when older than MIN_VERSION. */
export function requireSupported(v: BpftraceVersion): BpftraceVersion {
  if (v.major === 0 && v.minor < MIN_VERSION.minor) {
    throw new UserError(`bpftrace ${v.version} is too old (rcuwalk needs ${MIN_VERSION.major}.${MIN_VERSION.minor} or newer)`, INSTALL_HINT, EXIT.toolMissing);
  }
  return v;
}

/**
 * PURE: from `bpftrace --info`: does bpftrace see kfunc/fentry support? null if not listed. Real spellings: 0.17 one
 * feature a line ("  kfunc: no"); 0.23 two columns ("  perf_event: yes                  fentry: no"); 0.27 does
 * not list fentry at all (null: only a test load can tell, see cli/kernel/gather-facts.ts).
 */
export function parseKfuncSupport(infoText: string): boolean | null {
  const m = /(?:^|\s)(?:kfunc|fentry):\s*(yes|no)(?=\s|$)/im.exec(infoText);
  return m ? m[1] === 'yes' : null;
}

const VERSION_TIMEOUT_MS = 60_000;

/**
 * Runs `bpftrace --version` (I/O). Throws UserError(toolMissing) when absent, unparseable or too old. `versionText`:
 * what it printed, for the kernel facts (a capture runs it once).
 */
export async function detectBpftrace(path = 'bpftrace', signal?: AbortSignal): Promise<BpftraceVersion & { path: string; versionText: string }> {
  let out: string;
  try {
    // 60 s: its first start loads ~100 MB of LLVM libraries, seen to take over 15 s in a loaded qemu arm64 guest
    const r = await runCommand(path, ['--version'], { signal, timeoutMs: VERSION_TIMEOUT_MS, allowFailure: true });
    out = r.stdout + r.stderr;
  } catch (err) {
    if (/timed out/i.test((err as Error).message)) {
      throw new UserError(`bpftrace --version gave no answer within ${VERSION_TIMEOUT_MS / 1000} s (${path})`, 'the machine may be overloaded, or bpftrace hangs: run `bpftrace --version` by hand, then try again', EXIT.toolMissing);
    }
    throw new UserError(`bpftrace not found (${path})`, INSTALL_HINT, EXIT.toolMissing);
  }
  const v = parseBpftraceVersion(out);
  if (!v) throw new UserError(`cannot read the bpftrace version from: ${out.trim().split('\n')[0] ?? ''}`, INSTALL_HINT, EXIT.toolMissing);
  return { ...requireSupported(v), path, versionText: out.trim() };
}

/** Runs `bpftrace --info` (I/O); '' when it fails. */
export async function bpftraceInfo(path = 'bpftrace', signal?: AbortSignal): Promise<string> {
  try {
    const r = await runCommand(path, ['--info'], { signal, timeoutMs: 30_000, allowFailure: true });
    return r.stdout + r.stderr;
  } catch {
    return '';
  }
}
