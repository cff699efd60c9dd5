#!/usr/bin/env node
// arm64-crosscheck.mjs <facts-dir> <vmlinuz> <stext.txt>
// Checks the arm64 bytes a guest recorded (<facts-dir>/text/*.hex, read from /proc/kcore by dump-facts)
// against the Debian package's kernel Image and a disassembler (binutils-aarch64-linux-gnu's objdump):
//   text/image-vs-kcore.txt   per function: the Image's bytes at (address - _stext + 0x10000) equal the
//                             recorded ones, or where they differ (runtime patching)
//   text/objdump-calls.txt    objdump's `bl <lockref_get_not_dead>` lines in each caller
//   text/objdump-revalidate.txt  objdump of proc_misc_d_revalidate's recorded head; when the guest did not
//                             read it (no flags position in BTF: 5.10), of its first 64 bytes in the Image,
//                             written as image/proc_misc_d_revalidate.hex (outside text/: not a recorded read)
// <stext.txt>: the guest's `_stext` line of /proc/kallsyms in the same boot (KASLR moves it per boot).
// arm64 Debian Images (5.10, 6.1) are plain `Image` files (not gzip/zboot); _stext lies 0x10000 into it.
import { readFileSync, readdirSync, writeFileSync, mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

const [dir, vmlinuz, stextFile] = process.argv.slice(2);
if (!dir || !vmlinuz || !stextFile) { console.error('usage: arm64-crosscheck.mjs <facts-dir> <vmlinuz> <stext.txt>'); process.exit(2); }
const OBJDUMP = process.env.OBJDUMP ?? 'aarch64-linux-gnu-objdump';
const HEAD = 0x10000n;
const stext = BigInt(`0x${/^([0-9a-f]+) T _stext$/m.exec(readFileSync(stextFile, 'utf8'))[1]}`);
const image = readFileSync(vmlinuz);
if (image.readUInt32LE(0x38) !== 0x644d5241) { console.error(`${vmlinuz}: no ARM64 Image magic at 0x38`); process.exit(2); }
const ksyms = readFileSync(join(dir, 'kallsyms.txt'), 'utf8').split('\n').filter((l) => /^[0-9a-f]{16} /.test(l)).map((l) => l.split(/\s+/));
const release = /^release=(.*)$/m.exec(readFileSync(join(dir, 'source.txt'), 'utf8'))?.[1] ?? '';
const lr = BigInt(`0x${ksyms.find((x) => x[2] === 'lockref_get_not_dead')[0]}`);
const textDir = join(dir, 'text');
const parse = (f) => {
  const t = readFileSync(join(textDir, f), 'utf8').split('\n');
  const h = Object.fromEntries(t.filter((l) => l.startsWith('# ')).map((l) => { const m = /^# (\S+) (.*)$/.exec(l); return [m[1], m[2]]; }));
  return { h, bytes: Buffer.from(t.filter((l) => !l.startsWith('#')).join(''), 'hex') };
};
const tmp = mkdtempSync(join(tmpdir(), 'rcuwalk-a64-'));
const objdump = (bytes, vma) => {
  const f = join(tmp, 'b.bin');
  writeFileSync(f, bytes);
  return execFileSync(OBJDUMP, ['-D', '-b', 'binary', '-m', 'aarch64', `--adjust-vma=0x${vma.toString(16)}`, f]).toString()
    .split('\n').filter((l) => /^\s*[0-9a-f]+:\t/.test(l));
};
const version = execFileSync(OBJDUMP, ['--version']).toString().split('\n')[0];
const vsImage = [`# the recorded (kcore) bytes vs the package's Image at (address - _stext 0x${stext.toString(16)} + 0x10000): ${vmlinuz}`];
const calls = [`# ${OBJDUMP} -D -b binary -m aarch64 --adjust-vma=ADDR <bytes of text/<caller>.hex> | grep "bl\\t0x${lr.toString(16)}" (lockref_get_not_dead); ${version}`];
let reval = null;
try {
  for (const f of readdirSync(textDir).filter((x) => x.endsWith('.hex')).sort()) {
    const { h, bytes } = parse(f);
    const addr = BigInt(`0x${h.address}`);
    const off = Number(addr - stext + HEAD);
    const img = image.subarray(off, off + bytes.length);
    const diff = [];
    for (let i = 0; i < bytes.length; i += 4) if (!img.subarray(i, i + 4).equals(bytes.subarray(i, i + 4))) diff.push(`+${i}: image ${img.subarray(i, i + 4).toString('hex')} kcore ${bytes.subarray(i, i + 4).toString('hex')}`);
    vsImage.push(`${h.symbol} ${bytes.length} bytes at Image offset 0x${off.toString(16)}: ${diff.length ? `differ in ${diff.length} words: ${diff.join(', ')}` : 'same'}`);
    const lines = objdump(bytes, addr);
    if (f.endsWith('.head.hex')) {
      if (h.symbol.startsWith('proc_misc_d_revalidate')) reval = [`# ${OBJDUMP} -D -b binary -m aarch64 --adjust-vma=0x${h.address} text/${f}; ${version}`, ...lines];
      continue;
    }
    calls.push(`== ${h.symbol} 0x${h.address}`, ...lines.filter((l) => new RegExp(`\\tbl\\t0x${lr.toString(16)}\\b`).test(l)).map((l) => l.trim()));
  }
  const rv = ksyms.find((x) => x[2] === 'proc_misc_d_revalidate');
  if (!reval && rv) {
    const addr = BigInt(`0x${rv[0]}`);
    const off = Number(addr - stext + HEAD);
    const bytes = image.subarray(off, off + 64);
    const hex = bytes.toString('hex');
    const rows = ['# symbol proc_misc_d_revalidate', `# address ${rv[0]}`, '# size 64', `# read-from ${vmlinuz} at offset 0x${off.toString(16)} (address - _stext + 0x10000)`, `# kernel ${release}`];
    for (let i = 0; i < hex.length; i += 64) rows.push(hex.slice(i, i + 64));
    mkdirSync(join(dir, 'image'), { recursive: true });
    writeFileSync(join(dir, 'image', 'proc_misc_d_revalidate.hex'), `${rows.join('\n')}\n`);
    reval = [`# ${OBJDUMP} -D -b binary -m aarch64 --adjust-vma=0x${rv[0]} image/proc_misc_d_revalidate.hex; ${version}`, ...objdump(bytes, addr)];
  }
} finally { rmSync(tmp, { recursive: true, force: true }); }
writeFileSync(join(textDir, 'image-vs-kcore.txt'), `${vsImage.join('\n')}\n`);
writeFileSync(join(textDir, 'objdump-calls.txt'), `${calls.join('\n')}\n`);
if (reval) writeFileSync(join(textDir, 'objdump-revalidate.txt'), `${reval.join('\n')}\n`);
console.log([...vsImage, ...calls].join('\n'));
