// The kernel build config: /proc/config.gz (gunzipped) or /boot/config-$(uname -r). Pure parser + small reader.
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';

/** CONFIG_X -> its value ('y', 'm', '16', '"str"'), or 'n' for `# CONFIG_X is not set`. */
export type KernelConfig = Map<string, string>;

export function parseKernelConfig(text: string): KernelConfig {
  const out: KernelConfig = new Map();
  for (const line of text.split('\n')) {
    const set = /^(CONFIG_[A-Za-z0-9_]+)=(.*)$/.exec(line);
    if (set) { out.set(set[1]!, set[2]!); continue; }
    const unset = /^# (CONFIG_[A-Za-z0-9_]+) is not set$/.exec(line);
    if (unset) out.set(unset[1]!, 'n');
  }
  return out;
}

/** true for =y/=m, false for not set, null when the config does not mention the key (or no config). */
export function configEnabled(config: KernelConfig | null, key: string): boolean | null {
  if (!config) return null;
  const v = config.get(key);
  if (v === undefined) return null;
  return v === 'y' || v === 'm';
}

/** The lines of the config for `keys`, verbatim, in `keys` order (for fixtures and reports). */
export function configExcerpt(config: KernelConfig, keys: readonly string[]): string[] {
  const out: string[] = [];
  for (const k of keys) {
    const v = config.get(k);
    if (v === undefined) continue;
    out.push(v === 'n' ? `# ${k} is not set` : `${k}=${v}`);
  }
  return out;
}

export interface ConfigSource { path: string; text: string }

/** Reads the running kernel's config: /proc/config.gz first, then /boot/config-<release>. null if neither. */
export async function readKernelConfig(release: string): Promise<ConfigSource | null> {
  try {
    const gz = await readFile('/proc/config.gz');
    return { path: '/proc/config.gz', text: gunzipSync(gz).toString('utf8') };
  } catch { /* next */ }
  const boot = `/boot/config-${release}`;
  try {
    return { path: boot, text: await readFile(boot, 'utf8') };
  } catch {
    return null;
  }
}
