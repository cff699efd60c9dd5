// Basic auth as exporter-toolkit does it, with real HTTPS on loopback where timing or concurrency matters: an unknown
// user costs what a known one costs; outcomes remembered under a keyed hash (no password kept); bcrypt in one worker
// with a bounded queue, beyond which 429 at once while a remembered good user still gets in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { AuthCache } from '../../../cli/serve/auth-cache.js';
import { unknownUserHash } from '../../../cli/serve/basic-auth.js';
import { BcryptQueue } from '../../../cli/serve/bcrypt-queue.js';
import { startHttp, type MetricsSource } from '../../../cli/serve/http-server.js';
import { watchWebConfig } from '../../../cli/serve/live-web-config.js';
import { get, noOpenssl, tlsAuthConfig } from '../../helpers/tls.js';

const source: MetricsSource = { version: () => 1, ready: () => true, render: async () => ({ body: 'rcuwalk_up 1\n', contentType: 'text/plain; version=0.0.4; charset=utf-8' }) };
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

test('an unknown user is checked against a hash of the users\' cost: the most common one, of equals the highest', () => {
  const h = (cost: number) => `$2y$${String(cost).padStart(2, '0')}$${'a'.repeat(53)}`;
  assert.match(unknownUserHash(new Map([['a', h(8)]])), /^\$2b\$08\$[./A-Za-z0-9]{53}$/);
  assert.match(unknownUserHash(new Map([['a', h(12)], ['b', h(10)], ['c', h(10)]])), /^\$2b\$10\$/);
  assert.match(unknownUserHash(new Map([['a', h(11)], ['b', h(9)]])), /^\$2b\$11\$/);
  // it is a hash bcrypt reads, and nothing anyone types matches it
  const dummy = unknownUserHash(new Map([['a', h(4)]]));
  assert.equal(bcrypt.compareSync('fakepassword', dummy), false);
  assert.equal(bcrypt.compareSync('', dummy), false);
});

test('the cache keeps a keyed hash, never the password; a changed hash is a new key; floods of mismatches leave matches', () => {
  const c = new AuthCache(2, 3);
  const k = c.key('prometheus', 'hunter2', '$2b$10$x');
  assert.ok(!k.includes('hunter2') && !Buffer.from(k, 'base64').toString('latin1').includes('hunter2'));
  assert.equal(Buffer.from(k, 'base64').length, 32);
  assert.notEqual(k, c.key('prometheus', 'hunter2', '$2b$10$y'));
  assert.notEqual(k, new AuthCache().key('prometheus', 'hunter2', '$2b$10$x'), 'the key is random per process');
  // user/password boundaries cannot be shifted to collide
  assert.notEqual(c.key('a:b', 'c', 'h'), c.key('a', 'b:c', 'h'));
  c.set(k, true);
  for (let i = 0; i < 100; i++) c.set(c.key('prometheus', `wrong ${i}`, '$2b$10$x'), false);
  assert.equal(c.get(k), true);
  assert.equal(c.get(c.key('prometheus', 'wrong 99', '$2b$10$x')), false);
  assert.equal(c.get(c.key('prometheus', 'wrong 0', '$2b$10$x')), undefined, 'least recently used mismatch forgotten');
  assert.equal(c.size, 1 + 3);
});

test('the bcrypt queue: right answers from the worker, at most N waiting (beyond: refused at once), a left client dropped unrun', async () => {
  const q = new BcryptQueue(2);
  const hash = bcrypt.hashSync('pw', 6);
  try {
    const a = q.compare('pw', hash, () => false);
    const b = q.compare('nope', hash, () => false);
    const gone = q.compare('pw', hash, () => true);
    assert.ok(a && b && gone);
    assert.equal(q.depth, 3);
    assert.equal(q.compare('pw', hash, () => false), null, 'a third waiting check is refused');
    assert.deepEqual(await Promise.all([a, b, gone]), [true, false, null]);
    assert.equal(q.depth, 0);
    assert.equal(await q.compare('pw', 'not a hash', () => false), false);
  } finally {
    await q.close();
  }
});

test('an unknown user takes as long as a known user with a wrong password (real HTTPS; medians within 3x)', { skip: noOpenssl, timeout: 120_000 }, async () => {
  // cost 8 here, so the unknown user's hash must follow the users' cost (exporter-toolkit's fixed 10 would be ~4x)
  const { cfg, ca } = tlsAuthConfig(mkdtempSync(join(tmpdir(), 'rcuwalk-auth-')), { prometheus: 'right' }, 8);
  const ex = await startHttp({ host: '127.0.0.1', port: 0 }, watchWebConfig(cfg, () => {}), source);
  const known: number[] = [], unknown: number[] = [];
  try {
    await get(ex.address.port, ca, { auth: 'warm:up' }); // the worker's start and JIT, not measured
    for (let i = 0; i < 7; i++) {
      // interleaved, a new password each time (no remembered outcome), a new connection each (same handshake cost)
      const k = await get(ex.address.port, ca, { auth: `prometheus:wrong ${i}` });
      const u = await get(ex.address.port, ca, { auth: `nobody${i}:wrong ${i}` });
      assert.deepEqual([k.status, u.status], [401, 401]);
      known.push(k.ms);
      unknown.push(u.ms);
    }
    const ratio = median(unknown) / median(known);
    assert.ok(ratio > 1 / 3 && ratio < 3, `unknown ${median(unknown).toFixed(1)} ms vs known ${median(known).toFixed(1)} ms (ratio ${ratio.toFixed(2)}): ${unknown.map((x) => x.toFixed(0))} / ${known.map((x) => x.toFixed(0))}`);
  } finally {
    await ex.close();
  }
});

test('checks beyond the queue bound: 429 with Retry-After at once, for known and unknown users alike; a remembered good user still 200', { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rcuwalk-auth-'));
  const cfg = join(dir, 'web.yml');
  writeFileSync(cfg, `basic_auth_users:\n  prometheus: '${bcrypt.hashSync('right', 11)}'\n`);
  const ex = await startHttp({ host: '127.0.0.1', port: 0 }, watchWebConfig(cfg, () => {}), source, { limits: { maxWaitingAuthChecks: 2 } });
  const port = ex.address.port;
  try {
    assert.equal((await get(port, null, { auth: 'prometheus:right' })).status, 200);
    const flood = Array.from({ length: 16 }, (_, i) => get(port, null, { auth: i % 2 ? `prometheus:wrong ${i}` : `nobody:wrong ${i}` }));
    const good = await get(port, null, { auth: 'prometheus:right' });
    const answers = await Promise.all(flood);
    assert.equal(good.status, 200, 'the remembered good user passes while the queue is full');
    const by = (s: number) => answers.filter((a) => a.status === s);
    assert.equal(by(401).length + by(429).length, answers.length, answers.map((a) => a.status).join(' '));
    assert.ok(by(401).length >= 3, `${by(401).length} checked (1 running + 2 waiting at least)`);
    assert.ok(by(429).length >= 1, 'some refused');
    for (const a of by(429)) assert.equal(a.headers['retry-after'], '1');
    // the queue is full before anyone's name is looked at: known and unknown users are refused alike
    const refused = new Set(answers.flatMap((a, i) => (a.status === 429 ? [i % 2 ? 'known' : 'unknown'] : [])));
    assert.deepEqual([...refused].sort(), ['known', 'unknown']);
  } finally {
    await ex.close();
  }
});
