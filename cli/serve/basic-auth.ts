// HTTP basic auth against the web config's bcrypt hashes, as exporter-toolkit does it: an unknown user is checked
// against a fixed hash of the same cost, so it costs what a known user costs and the timing tells no names; each
// outcome is remembered (auth-cache.ts); bcrypt runs in one worker, one check at a time, with a bounded queue
// (bcrypt-queue.ts). A full queue answers 'busy' at once (HTTP 429), whoever asks: nothing was checked, and a client
// told 401 would take a good password for a wrong one.
import { AuthCache } from './auth-cache.js';
import { BcryptQueue } from './bcrypt-queue.js';

export type AuthVerdict = 'ok' | 'denied' | 'busy';

export interface BasicAuth {
  /** `header`: the Authorization value; `users`: user -> bcrypt hash in force; `gone`: the client left */
  check(header: string | undefined, users: ReadonlyMap<string, string>, gone: () => boolean): Promise<AuthVerdict>;
  close(): Promise<void>;
}

function credentials(header: string | undefined): { user: string; password: string } | null {
  if (!header) return null;
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!m) return null;
  const text = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  return colon < 0 ? null : { user: text.slice(0, colon), password: text.slice(colon + 1) };
}

// salt and digest of a bcrypt hash of "fakepassword" (exporter-toolkit's); any cost in front of it makes bcrypt do
// the full work of that cost and match nothing anyone can type
const UNKNOWN_USER_TAIL = 'QOauhQNbBCuQDKes6eFzPeMqBSjb7Mr5DUmpZ/VcEd00UAV/LDeSi';
const unknownUserHashes = new WeakMap<ReadonlyMap<string, string>, string>();

/** A hash with the users' cost (the most common one; of equals the highest): what an unknown user is checked against. */
export function unknownUserHash(users: ReadonlyMap<string, string>): string {
  const hit = unknownUserHashes.get(users);
  if (hit) return hit;
  const count = new Map<number, number>();
  for (const h of users.values()) {
    const cost = Number(h.slice(4, 6));
    count.set(cost, (count.get(cost) ?? 0) + 1);
  }
  let best = 10, n = 0;
  for (const [cost, k] of count) if (k > n || (k === n && cost > best)) { best = cost; n = k; }
  const hash = `$2b$${String(best).padStart(2, '0')}$${UNKNOWN_USER_TAIL}`;
  unknownUserHashes.set(users, hash);
  return hash;
}

export function basicAuth(maxWaiting: number): BasicAuth {
  const cache = new AuthCache();
  const queue = new BcryptQueue(maxWaiting);
  return {
    async check(header, users, gone) {
      const c = credentials(header);
      if (!c) return 'denied';
      const known = users.get(c.user);
      const hash = known ?? unknownUserHash(users);
      const key = cache.key(c.user, c.password, hash);
      let match = cache.get(key);
      if (match === undefined) {
        const pending = queue.compare(c.password, hash, gone);
        if (!pending) return 'busy';
        const checked = await pending;
        if (checked === null) return 'denied'; // the client left before its turn: nothing checked, nothing remembered
        cache.set(key, checked);
        match = checked;
      }
      return match && known !== undefined ? 'ok' : 'denied';
    },
    close: () => queue.close(),
  };
}
