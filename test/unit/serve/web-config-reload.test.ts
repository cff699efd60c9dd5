// The web config in force at every request and every new connection (exporter-toolkit's semantics), with real files
// and real HTTPS on loopback: a certificate replaced on disk is presented at the next connection, a password changed
// in the file works at the next request, a file that became invalid answers 500 with one logged line and the
// metrics come back intact once it is fixed. No restart anywhere.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { startHttp, type MetricsSource } from '../../../cli/serve/http-server.js';
import { watchWebConfig } from '../../../cli/serve/live-web-config.js';
import { get, makeCert, noOpenssl } from '../../helpers/tls.js';

const source: MetricsSource = { version: () => 7, ready: () => true, render: async () => ({ body: 'rcuwalk_up 1\nrcuwalk_intervals_total 7\n', contentType: 'text/plain; version=0.0.4; charset=utf-8' }) };

/** Replaces `to` as a rotation tool does: a new file renamed over the old one. */
function replace(to: string, text: string | Buffer): void {
  writeFileSync(`${to}.new`, text);
  renameSync(`${to}.new`, to);
}

test('a certificate and key replaced on disk are presented at the next connection; no restart, one line logged', { skip: noOpenssl }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rcuwalk-reload-'));
  const a = makeCert(dir, 'alpha'), b = makeCert(dir, 'beta');
  copyFileSync(a.cert, join(dir, 'cert.pem'));
  copyFileSync(a.key, join(dir, 'key.pem'));
  const cfg = join(dir, 'web.yml');
  writeFileSync(cfg, 'tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n');
  const logs: string[] = [];
  const ex = await startHttp({ host: '127.0.0.1', port: 0 }, watchWebConfig(cfg, (l) => logs.push(l)), source);
  const caA = readFileSync(a.cert), caB = readFileSync(b.cert);
  try {
    const first = await get(ex.address.port, caA);
    assert.equal(first.status, 200);
    assert.equal(first.peerCn, 'alpha');
    replace(join(dir, 'key.pem'), readFileSync(b.key));
    replace(join(dir, 'cert.pem'), readFileSync(b.cert));
    const next = await get(ex.address.port, caB);
    assert.equal(next.peerCn, 'beta');
    assert.equal(next.status, 200);
    assert.match(next.body, /rcuwalk_up 1/);
    // the old certificate is gone: a client that trusts only it fails the handshake
    await assert.rejects(get(ex.address.port, caA));
    assert.ok(logs.length >= 1 && logs.every((l) => /reloaded: TLS, 0 basic-auth users/.test(l)), logs.join('\n'));
  } finally {
    await ex.close();
  }
});

test('a password changed in the file: the old one 401, the new one 200, at the next request', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rcuwalk-reload-'));
  const cfg = join(dir, 'web.yml');
  writeFileSync(cfg, `basic_auth_users:\n  prometheus: '${bcrypt.hashSync('old secret', 4)}'\n`);
  const logs: string[] = [];
  const ex = await startHttp({ host: '127.0.0.1', port: 0 }, watchWebConfig(cfg, (l) => logs.push(l)), source);
  try {
    assert.equal((await get(ex.address.port, null, { auth: 'prometheus:old secret' })).status, 200);
    // edited in place (an editor, `sed -i`, a config manager)
    writeFileSync(cfg, `basic_auth_users:\n  prometheus: '${bcrypt.hashSync('new secret', 4)}'\n  grafana: '${bcrypt.hashSync('g', 4)}'\n`);
    assert.equal((await get(ex.address.port, null, { auth: 'prometheus:old secret' })).status, 401);
    assert.equal((await get(ex.address.port, null, { auth: 'prometheus:new secret' })).status, 200);
    assert.equal((await get(ex.address.port, null, { auth: 'grafana:g' })).status, 200);
    assert.deepEqual(logs.map((l) => l.replace(/^.*reloaded: /, '')), ['no TLS, 2 basic-auth users']);
  } finally {
    await ex.close();
  }
});

test('a web config that becomes invalid: 500 on every path and one logged line; fixed, the same metrics again', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rcuwalk-reload-'));
  const cfg = join(dir, 'web.yml');
  const good = `basic_auth_users:\n  prometheus: '${bcrypt.hashSync('pw', 4)}'\nhttp_server_config:\n  headers:\n    X-Content-Type-Options: nosniff\n`;
  writeFileSync(cfg, good);
  const logs: string[] = [];
  const ex = await startHttp({ host: '127.0.0.1', port: 0 }, watchWebConfig(cfg, (l) => logs.push(l)), source);
  const port = ex.address.port;
  try {
    const before = await get(port, null, { auth: 'prometheus:pw' });
    assert.equal(before.status, 200);
    replace(cfg, 'basic_auth_users:\n  prometheus: [\n');
    for (const path of ['/metrics', '/-/healthy', '/-/ready', '/']) {
      const r = await get(port, null, { path, auth: 'prometheus:pw' });
      assert.equal(r.status, 500, path);
      assert.equal(r.body, 'Internal Server Error\n');
      assert.equal(r.headers['x-content-type-options'], undefined, 'no header from an invalid file');
    }
    assert.equal(logs.length, 1, logs.join('\n'));
    assert.match(logs[0]!, /web\.yml is invalid, every request is answered 500 until it is fixed: web\.yml is not valid YAML/);
    // a second invalid version: one more line (it changed), not one per request
    replace(cfg, 'basic_auth_users:\n  prometheus: plaintext\n');
    assert.equal((await get(port, null, { auth: 'prometheus:pw' })).status, 500);
    assert.equal((await get(port, null, { auth: 'prometheus:pw' })).status, 500);
    assert.equal(logs.length, 2, logs.join('\n'));
    assert.match(logs[1]!, /basic_auth_users\/prometheus/);
    replace(cfg, good);
    const after = await get(port, null, { auth: 'prometheus:pw' });
    assert.equal(after.status, 200);
    assert.equal(after.body, before.body);
    assert.equal(after.headers['x-content-type-options'], 'nosniff');
    assert.match(logs[2]!, /reloaded: no TLS, 1 basic-auth user$/);
  } finally {
    await ex.close();
  }
});

test('HTTPS: a certificate file that turns to junk refuses new connections (one line); put back, served again', { skip: noOpenssl }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rcuwalk-reload-'));
  const a = makeCert(dir, 'alpha');
  const cfg = join(dir, 'web.yml');
  writeFileSync(cfg, `tls_server_config:\n  cert_file: ${a.cert}\n  key_file: ${a.key}\n`);
  const logs: string[] = [];
  const ex = await startHttp({ host: '127.0.0.1', port: 0 }, watchWebConfig(cfg, (l) => logs.push(l)), source);
  const ca = readFileSync(a.cert);
  try {
    assert.equal((await get(ex.address.port, ca)).status, 200);
    replace(a.cert, 'not a certificate\n');
    await assert.rejects(get(ex.address.port, ca));
    await assert.rejects(get(ex.address.port, ca));
    assert.equal(logs.length, 1, logs.join('\n'));
    assert.match(logs[0]!, /is invalid.*cannot be used/);
    replace(a.cert, ca);
    assert.equal((await get(ex.address.port, ca)).status, 200);
    // tls_server_config dropped while serving HTTPS: refused, not downgraded to plain HTTP
    replace(cfg, 'basic_auth_users: {}\n');
    await assert.rejects(get(ex.address.port, ca));
    await assert.rejects(get(ex.address.port, null));
    assert.match(logs.at(-1)!, /tls_server_config was removed: serve keeps HTTPS until it is restarted/);
  } finally {
    await ex.close();
  }
});
