// Hostile clients against the real HTTP(S) server, its timeouts lowered through startHttp's `limits` so each case takes
// seconds (the defaults, LIMITS in cli/serve/http-server.ts, are in the README): a slowloris sending its headers a
// byte at a time, clients that connect and never send (nor start TLS), a client that never reads its answer, one host
// opening more than its share. Each holds no connection slot and no memory past its timeout (the server's own socket
// closes, and once collected nothing of it is left), and good scrapes go on meanwhile.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { startHttp, type Exporter, type Limits, type MetricsSource } from '../../../cli/serve/http-server.js';
import { fixedWeb, watchWebConfig } from '../../../cli/serve/live-web-config.js';
import { PLAIN_WEB } from '../../../cli/serve/web-config.js';
import { get, makeCert, noOpenssl } from '../../helpers/tls.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const FAST: Partial<Limits> = { headersTimeoutMs: 1000, requestTimeoutMs: 1500, handshakeTimeoutMs: 1000, timeoutCheckMs: 200, socketTimeoutMs: 1500, keepAliveTimeoutMs: 500 };
/** far beyond any lowered timeout: a socket still open then is held */
const HELD_MS = 15_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function source(bodyBytes = 64): MetricsSource {
  const body = `rcuwalk_up 1\n# ${'x'.repeat(Math.max(0, bodyBytes - 18))}\n`;
  return { version: () => 1, ready: () => true, render: async () => ({ body, contentType: 'text/plain; version=0.0.4; charset=utf-8' }) };
}

/** Every socket the server accepts: whether it closed, and a weak reference to see it collected. */
function watchServerSockets(ex: Exporter) {
  const all: { open: boolean; ref: WeakRef<Socket> }[] = [];
  const on = (s: Socket) => { const e = { open: true, ref: new WeakRef(s) }; all.push(e); s.once('close', () => { e.open = false; }); };
  ex.server.on('connection', on);
  ex.server.on('secureConnection', on);
  return {
    open: () => all.filter((e) => e.open).length,
    count: () => all.length,
    /** sockets still reachable after a full collection */
    alive: async () => { for (let i = 0; i < 3; i++) { gc(); await sleep(50); } return all.filter((e) => e.ref.deref() !== undefined).length; },
  };
}

async function until(cond: () => boolean | Promise<boolean>, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) { if (await cond()) return true; await sleep(100); }
  return cond();
}

/** Good scrapes every 200 ms while `during` runs; their statuses. */
async function scrapesDuring(port: number, ca: Buffer | null, during: Promise<unknown>): Promise<number[]> {
  const statuses: number[] = [];
  let done = false;
  void during.finally(() => { done = true; });
  while (!done) {
    statuses.push(await get(port, ca, { timeoutMs: 10_000 }).then((r) => r.status, () => -1));
    await sleep(200);
  }
  return statuses;
}

function raw(port: number, tls: boolean, localAddress = '127.0.0.1'): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s: Socket = tls ? tlsConnect({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => resolve(s)) : netConnect({ host: '127.0.0.1', port, localAddress }, () => resolve(s));
    s.on('error', () => {});
    s.once('error', reject);
  });
}

async function server(tls: boolean, bodyBytes?: number, more: Partial<Limits> = {}): Promise<{ ex: Exporter; ca: Buffer | null }> {
  const limits = { ...FAST, ...more };
  if (!tls) return { ex: await startHttp({ host: '127.0.0.1', port: 0 }, fixedWeb(PLAIN_WEB), source(bodyBytes), { limits }), ca: null };
  const dir = mkdtempSync(join(tmpdir(), 'rcuwalk-hostile-'));
  const { cert, key } = makeCert(dir);
  writeFileSync(join(dir, 'web.yml'), `tls_server_config:\n  cert_file: ${cert}\n  key_file: ${key}\n`);
  return { ex: await startHttp({ host: '127.0.0.1', port: 0 }, watchWebConfig(join(dir, 'web.yml'), () => {}), source(bodyBytes), { limits }), ca: readFileSync(cert) };
}

for (const tls of [false, true]) {
  const scheme = tls ? 'HTTPS' : 'HTTP';
  test(`${scheme}: slowloris (a header byte every 100 ms) and silent clients are closed by the server after the timeouts; scrapes go on; nothing kept`, { skip: tls && noOpenssl, timeout: 60_000 }, async () => {
    const { ex, ca } = await server(tls);
    const seen = watchServerSockets(ex);
    const port = ex.address.port;
    const clients: Socket[] = [];
    const timers: NodeJS.Timeout[] = [];
    try {
      // silent: TCP only (on HTTPS not even a ClientHello)
      for (let i = 0; i < 4; i++) clients.push(await raw(port, false));
      // slowloris: headers that never end, one byte at a time (on HTTPS after a real handshake)
      for (let i = 0; i < 4; i++) {
        const s = await raw(port, tls);
        const text = `GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ${'a'.repeat(1000)}`;
        let at = 0;
        timers.push(setInterval(() => { if (!s.destroyed) s.write(text[at++ % text.length]!); }, 100));
        clients.push(s);
      }
      // each TCP connection, and on HTTPS each finished handshake
      assert.ok(await until(() => seen.count() === 8 + (tls ? 4 : 0), 5000), `the server saw ${seen.count()} sockets`);
      const released = until(() => seen.open() === 0, HELD_MS);
      const statuses = await scrapesDuring(port, ca, released);
      assert.ok(await released, `${seen.open()} connection(s) still open ${HELD_MS / 1000} s after timeouts of ${FAST.headersTimeoutMs} ms`);
      assert.ok(statuses.length >= 2 && statuses.every((s) => s === 200), `scrapes meanwhile: ${statuses.join(' ')}`);
      assert.equal(await seen.alive(), 0, 'a closed connection left its socket reachable');
      assert.equal(await new Promise<number>((r) => ex.server.getConnections((_e, n) => r(n))), 0);
    } finally {
      for (const t of timers) clearInterval(t);
      for (const c of clients) c.destroy();
      await ex.close();
    }
  });

  test(`${scheme}: a client that never reads a large answer is closed after the socket timeout; scrapes go on; nothing kept`, { skip: tls && noOpenssl, timeout: 60_000 }, async () => {
    // 8 MB: more than a reader that never reads lets loopback's buffers take (its receive buffer does not grow), so the
    // server's writes stall; the socket timeout 3 s here, so that a good scrape reading 8 MB on a busy machine is not
    // taken for a stalled one
    const { ex, ca } = await server(tls, 8 << 20, { socketTimeoutMs: 3000 });
    const seen = watchServerSockets(ex);
    const port = ex.address.port;
    const readers: Socket[] = [];
    try {
      for (let i = 0; i < 3; i++) {
        const s = await raw(port, tls);
        s.pause();
        s.write('GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
        readers.push(s);
      }
      const released = until(() => seen.open() === 0, HELD_MS);
      // a good scrape reads the whole 8 MB each time
      const statuses = await scrapesDuring(port, ca, released);
      assert.ok(await released, `${seen.open()} connection(s) still open ${HELD_MS / 1000} s after a socket timeout of 3000 ms`);
      assert.ok(statuses.length >= 1 && statuses.every((s) => s === 200), `scrapes meanwhile: ${statuses.join(' ')}`);
      assert.ok(readers.every((r) => r.bytesRead < 8 << 20), 'the readers never took the whole answer');
      assert.equal(await seen.alive(), 0, 'a stalled connection left its socket (and its unsent answer) reachable');
    } finally {
      for (const r of readers) r.destroy();
      await ex.close();
    }
  });
}

test('one client address gets at most 16 connections: beyond them closed at once, other hosts still served', { timeout: 60_000 }, async () => {
  const ex = await startHttp({ host: '127.0.0.1', port: 0 }, fixedWeb(PLAIN_WEB), source());
  const seen = watchServerSockets(ex);
  const clients: Socket[] = [];
  try {
    for (let i = 0; i < 24; i++) clients.push(await raw(ex.address.port, false, '127.0.0.2'));
    assert.ok(await until(() => seen.open() === 16, 5000), `open from one address: ${seen.open()}`);
    assert.equal((await get(ex.address.port, null, { localAddress: '127.0.0.3' })).status, 200);
    assert.equal(seen.open(), 16);
  } finally {
    for (const c of clients) c.destroy();
    await ex.close();
  }
});
