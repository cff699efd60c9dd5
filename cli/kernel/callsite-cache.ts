// The call-site cache: scanner results per kernel build (uname -r + hash of /proc/version) as JSON under
// $XDG_CACHE_HOME/rcuwalk (or ~/.cache/rcuwalk), checked against schemas/callsite-cache.schema.json.
// A missing, unreadable or invalid cache file is a miss, never an error.
import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../atomic-write.js';
import type { CallsiteCache } from '../schema/types.generated.js';
import { matchesSchema } from '../schema/validate.js';

export type { CallsiteCache };

/** PURE: the build key: first 16 hex digits of sha256(/proc/version). */
export function procVersionHash(procVersion: string): string {
  return createHash('sha256').update(procVersion).digest('hex').slice(0, 16);
}

/** PURE: the cache directory from the environment. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env, home = homedir()): string {
  const xdg = env.XDG_CACHE_HOME;
  return join(xdg && xdg.startsWith('/') ? xdg : join(home, '.cache'), 'rcuwalk');
}

/** PURE: the file for one kernel build and target. Release text is reduced to safe characters. */
export function cacheFile(dir: string, release: string, hash: string, target: string): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9._+-]/g, '_');
  return join(dir, `callsites-${safe(release)}-${hash}-${safe(target)}.json`);
}

export function validateCallsiteCache(data: unknown): data is CallsiteCache {
  return matchesSchema('callsite-cache.schema.json', data);
}

/** Reads the cache for this build; null on a miss (absent, unreadable, invalid, other build). */
export async function loadCallsiteCache(file: string, release: string, hash: string, target: string): Promise<CallsiteCache | null> {
  try {
    const data: unknown = JSON.parse(await readFile(file, 'utf8'));
    if (!validateCallsiteCache(data)) return null;
    if (data.kernelRelease !== release || data.procVersionHash !== hash || data.target !== target) return null;
    return data;
  } catch {
    return null;
  }
}

/** Writes the cache atomically and durably (atomic-write.ts: temp file, fsync, rename), replacing an older one. */
export async function saveCallsiteCache(file: string, cache: CallsiteCache): Promise<void> {
  if (!validateCallsiteCache(cache)) throw new Error('refusing to write an invalid call-site cache');
  await mkdir(join(file, '..'), { recursive: true });
  writeFileAtomic(file, `${JSON.stringify(cache, null, 2)}\n`, { force: true });
}
