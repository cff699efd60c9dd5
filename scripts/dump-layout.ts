// Records a kernel's struct layout for the attribution probes (cli/kernel/btf-layout.ts) as JSON:
// test/fixtures/kernels/<release>/attribution/layout.json. A developer's tool, not shipped.
// Usage: node dist/scripts/dump-layout.js OUT.json [--btf PATH] [--note TEXT]
// (--btf: another kernel's BTF, e.g. a guest's /sys/kernel/btf/vmlinux copied out; release and arch then
// come from --release/--arch, and the JSON says which file was read).
import { writeFileSync } from 'node:fs';
import { release as osRelease } from 'node:os';
import { readBtf } from '../cli/kernel/btf.js';
import { readKernelLayout } from '../cli/kernel/btf-layout.js';
import { runningArch } from '../cli/kernel/arch/index.js';

/** JSON with one line per member and per size: diffs between kernels stay readable. */
function formatLayoutJson(doc: Record<string, unknown>): string {
  const lines = Object.entries(doc).map(([k, v]) => {
    if (v === null || typeof v !== 'object') return `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`;
    const inner = Object.entries(v).map(([ik, iv]) => `    ${JSON.stringify(ik)}: ${JSON.stringify(iv)}`);
    return `  ${JSON.stringify(k)}: {\n${inner.join(',\n')}\n  }`;
  });
  return `{\n${lines.join(',\n')}\n}\n`;
}

const USAGE = 'usage: dump-layout OUT.json [--btf PATH --release R --arch A] [--note TEXT]';

function main(argv: string[]): Promise<void> | void {
  let out: string | null = null;
  const opt: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith('--')) {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value; ${USAGE}`);
      opt[a.slice(2)] = v;
    } else if (!out) out = a;
    else throw new Error(`unexpected argument ${a}; ${USAGE}`);
  }
  if (!out) throw new Error(`no output file; ${USAGE}`);
  const live = opt.btf === undefined;
  const path = opt.btf ?? '/sys/kernel/btf/vmlinux';
  return readBtf(path).then(({ btf, sizeBytes }) => {
    const layout = readKernelLayout(btf);
    const doc = {
      source: path,
      release: live ? osRelease() : opt.release ?? null,
      arch: live ? runningArch() : opt.arch ?? null,
      btfSizeBytes: sizeBytes,
      recordedAt: new Date().toISOString(),
      recordedWith: `node dist/scripts/dump-layout.js ${argv.join(' ')}`,
      note: opt.note ?? null,
      ...layout,
    };
    writeFileSync(out!, formatLayoutJson(doc));
    const missing = Object.entries(layout.members).filter(([, v]) => v === null).map(([k]) => k);
    process.stderr.write(`dump-layout: ${doc.release}: ${Object.keys(layout.members).length - missing.length} members, missing: ${missing.join(' ') || 'none'}\n`);
  });
}

Promise.resolve().then(() => main(process.argv.slice(2))).catch((err: unknown) => {
  process.stderr.write(`dump-layout: ${(err as Error).message}\n`);
  process.exitCode = 1;
});
