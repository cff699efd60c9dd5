// The attacker of bench/serve-auth.ts, in its own process so that its TLS handshakes do not hold up the event loop of
// the bench's good scraper: `node dist/bench/auth-attacker.js PORT CA_FILE COUNT AT_ONCE ADDRESSES` sends COUNT
// requests with wrong passwords (a new password and connection each), AT_ONCE at a time, from the comma-separated
// local ADDRESSES in turn, and sends the HTTP statuses back to its parent (-1: the connection was closed unanswered).
import { readFileSync } from 'node:fs';
import { get } from '../test/helpers/tls.js';

const [port, caFile, count, atOnce, addresses] = process.argv.slice(2);
const ca = readFileSync(caFile!);
const from = addresses!.split(',');
const statuses: number[] = [];
let next = 0;
await Promise.all(Array.from({ length: Number(atOnce) }, async () => {
  while (next < Number(count)) {
    const i = next++;
    const r = await get(Number(port), ca, { auth: `prometheus:wrong ${i} ${Math.random()}`, localAddress: from[i % from.length], timeoutMs: 300_000 }).catch(() => null);
    statuses.push(r?.status ?? -1);
  }
}));
process.send!(statuses);
