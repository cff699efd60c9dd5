// The exporter's HTTP endpoint with real sockets on loopback: routes, methods, bodies refused, readiness, one render
// per change, the connection cap; a source standing in for the serve loop (its totals are tested elsewhere).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { LIMITS, parseListen, startHttp, type MetricsSource } from '../../../cli/serve/http-server.js';
import { PLAIN_WEB } from '../../../cli/serve/web-config.js';
import { fixedWeb } from '../../../cli/serve/live-web-config.js';
import { UserError } from '../../../cli/errors.js';

interface Reply { status: number; headers: Record<string, string | string[] | undefined>; body: string }

function call(port: number, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function fakeSource() {
  const s = { v: 1, ready: false, renders: 0 };
  const source: MetricsSource = {
    version: () => s.v,
    ready: () => s.ready,
    render: async (om) => { s.renders += 1; return { body: `x_total ${s.v}\n${om ? '# EOF\n' : ''}`, contentType: om ? 'application/openmetrics-text; version=1.0.0; charset=utf-8' : 'text/plain; version=0.0.4; charset=utf-8' }; },
  };
  return { s, source };
}

test('routes: / links, /metrics by Accept, /-/healthy, /-/ready 503 then 200; HEAD has no body', async () => {
  const { s, source } = fakeSource();
  const ex = await startHttp({ host: '127.0.0.1', port: 0 }, fixedWeb(PLAIN_WEB), source);
  const port = ex.address.port;
  try {
    const index = await call(port, 'GET', '/');
    assert.equal(index.status, 200);
    assert.match(index.body, /href="metrics"/);
    const text = await call(port, 'GET', '/metrics');
    assert.equal(text.status, 200);
    assert.match(String(text.headers['content-type']), /^text\/plain; version=0\.0\.4/);
    const om = await call(port, 'GET', '/metrics', { Accept: 'application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5' });
    assert.match(String(om.headers['content-type']), /^application\/openmetrics-text/);
    assert.match(om.body, /# EOF/);
    assert.equal((await call(port, 'GET', '/-/healthy')).status, 200);
    assert.equal((await call(port, 'GET', '/-/ready')).status, 503);
    s.ready = true;
    assert.equal((await call(port, 'GET', '/-/ready')).status, 200);
    const head = await call(port, 'HEAD', '/metrics');
    assert.equal(head.status, 200);
    assert.equal(head.body, '');
    assert.ok(Number(head.headers['content-length']) > 0);
    assert.equal((await call(port, 'GET', '/metrics?x=1')).status, 200);
  } finally {
    await ex.close();
  }
});

test('other methods on known paths 405 (Allow: GET, HEAD); unknown paths 404; a request body 413', async () => {
  const { source } = fakeSource();
  const ex = await startHttp({ host: '127.0.0.1', port: 0 }, fixedWeb(PLAIN_WEB), source);
  const port = ex.address.port;
  try {
    for (const m of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const r = await call(port, m, '/metrics');
      assert.equal(r.status, 405, m);
      assert.equal(r.headers.allow, 'GET, HEAD');
    }
    assert.equal((await call(port, 'GET', '/nope')).status, 404);
    assert.equal((await call(port, 'POST', '/nope')).status, 404);
    assert.equal((await call(port, 'GET', '/metrics', { 'Content-Type': 'text/plain', 'Content-Length': '1000' }, 'x'.repeat(1000))).status, 413);
    // chunked (no length): refused too, by node's parser or by us
    const chunked = (await call(port, 'GET', '/metrics', { 'Transfer-Encoding': 'chunked' }, 'x'.repeat(1000))).status;
    assert.ok(chunked === 400 || chunked === 413, `chunked body: ${chunked}`);
  } finally {
    await ex.close();
  }
});

test('one render per change: scrapes between two changes reuse it', async () => {
  const { s, source } = fakeSource();
  const ex = await startHttp({ host: '127.0.0.1', port: 0 }, fixedWeb(PLAIN_WEB), source);
  try {
    await Promise.all(Array.from({ length: 20 }, () => call(ex.address.port, 'GET', '/metrics')));
    assert.ok(s.renders <= 2, `renders ${s.renders}`); // concurrent first scrapes may both render once
    const before = s.renders;
    s.v += 1;
    const r = await call(ex.address.port, 'GET', '/metrics');
    assert.match(r.body, /x_total 2/);
    assert.equal(s.renders, before + 1);
  } finally {
    await ex.close();
  }
});

test(`at most ${LIMITS.maxConnections} connections: idle sockets beyond the cap are dropped, the rest still served`, async () => {
  const { source } = fakeSource();
  const ex = await startHttp({ host: '127.0.0.1', port: 0 }, fixedWeb(PLAIN_WEB), source);
  const sockets: Socket[] = [];
  let closed = 0;
  try {
    // from five loopback addresses, within the cap per address (LIMITS.maxConnectionsPerAddress; hostile-clients.test.ts)
    for (let i = 0; i < LIMITS.maxConnections + 16; i++) {
      const sock = connect({ port: ex.address.port, host: '127.0.0.1', localAddress: `127.0.0.${2 + (i % 5)}` });
      sock.on('close', () => { closed += 1; });
      sock.on('error', () => {});
      sockets.push(sock);
      await new Promise((r) => sock.once('connect', r));
    }
    await new Promise((r) => setTimeout(r, 300));
    assert.ok(closed >= 16, `dropped ${closed} of ${sockets.length}`);
    // those within the cap are open: free one and a scrape goes through
    sockets.find((s) => !s.destroyed && s.readyState === 'open')!.destroy();
    await new Promise((r) => setTimeout(r, 100));
    assert.equal((await call(ex.address.port, 'GET', '/-/healthy')).status, 200);
  } finally {
    for (const sk of sockets) sk.destroy();
    await ex.close();
  }
});

test('--listen: HOST:PORT, [v6]:PORT, :PORT (loopback); anything else one clear error', () => {
  assert.deepEqual(parseListen('127.0.0.1:9890'), { host: '127.0.0.1', port: 9890 });
  assert.deepEqual(parseListen('[::1]:9890'), { host: '::1', port: 9890 });
  assert.deepEqual(parseListen(':9890'), { host: '127.0.0.1', port: 9890 });
  for (const bad of ['9890', 'host', '1.2.3.4:99999', '::1:9890']) assert.throws(() => parseListen(bad), UserError, bad);
});

test('a port in use: one clear UserError (exit 2)', async () => {
  const { source } = fakeSource();
  const a = await startHttp({ host: '127.0.0.1', port: 0 }, fixedWeb(PLAIN_WEB), source);
  try {
    await assert.rejects(startHttp({ host: '127.0.0.1', port: a.address.port }, fixedWeb(PLAIN_WEB), source), (e: unknown) => e instanceof UserError && e.exitCode === 2 && /in use/.test(e.message));
  } finally {
    await a.close();
  }
});
