// HTTP basic auth against bcrypt hashes (the web config's basic_auth_users). bcrypt is slow on purpose (~50-100 ms
// at cost 10), so a successful check is remembered (keyed by a SHA-256 of user and password, bounded), as the
// exporter-toolkit does; failures are not, and a bad password costs the caller the full bcrypt time.
import { createHash, timingSafeEqual } from 'node:crypto';
import bcrypt from 'bcryptjs';

const CACHE_MAX = 64;

export interface BasicAuth {
  /** true when `header` (an Authorization value) names a user whose bcrypt hash matches the password */
  check(header: string | undefined): Promise<boolean>;
}

function credentials(header: string | undefined): { user: string; password: string } | null {
  if (!header) return null;
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!m) return null;
  const text = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  return colon < 0 ? null : { user: text.slice(0, colon), password: text.slice(colon + 1) };
}

export function basicAuth(users: ReadonlyMap<string, string>): BasicAuth {
  const good = new Map<string, Buffer>();
  return {
    async check(header) {
      const c = credentials(header);
      if (!c) return false;
      const hash = users.get(c.user);
      if (hash === undefined) return false;
      const key = createHash('sha256').update(`${c.user}\0${c.password}\0${hash}`).digest();
      const id = key.toString('hex');
      const hit = good.get(id);
      if (hit && timingSafeEqual(hit, key)) return true;
      if (!(await bcrypt.compare(c.password, hash))) return false;
      if (good.size >= CACHE_MAX) good.delete(good.keys().next().value!);
      good.set(id, key);
      return true;
    },
  };
}
