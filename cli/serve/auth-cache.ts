// Outcomes of (user, password) checks, remembered under an HMAC-SHA256 (a random key per process) of the user, the
// password and the bcrypt hash it was checked against: a hash changed in the web config (a rotated password) is never
// answered from the old outcome, and no password is kept. Matches and mismatches are held apart, each bounded and
// least recently used out first, so a flood of wrong passwords cannot push out the one a good scrape uses.
import { createHmac, randomBytes } from 'node:crypto';

export class AuthCache {
  private readonly secret = randomBytes(32);
  private readonly matches = new Map<string, true>();
  private readonly mismatches = new Map<string, true>();

  constructor(private readonly maxMatches = 64, private readonly maxMismatches = 256) {}

  key(user: string, password: string, hash: string): string {
    return createHmac('sha256', this.secret).update(JSON.stringify([user, password, hash])).digest('base64');
  }

  /** true or false: the remembered outcome; undefined: never checked (or forgotten) */
  get(key: string): boolean | undefined {
    if (touch(this.matches, key)) return true;
    if (touch(this.mismatches, key)) return false;
    return undefined;
  }

  set(key: string, match: boolean): void {
    const [map, max] = match ? [this.matches, this.maxMatches] : [this.mismatches, this.maxMismatches];
    map.delete(key);
    map.set(key, true);
    if (map.size > max) map.delete(map.keys().next().value!);
  }

  get size(): number {
    return this.matches.size + this.mismatches.size;
  }
}

function touch(map: Map<string, true>, key: string): boolean {
  if (!map.delete(key)) return false;
  map.set(key, true);
  return true;
}
