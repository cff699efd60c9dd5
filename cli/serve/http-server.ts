// The exporter's HTTP(S) endpoint: `/` (links), `/metrics`, `/-/healthy`, `/-/ready`. GET and HEAD only, no request
// bodies, optional TLS and basic auth (web-config.ts). Memory stays bounded whatever the clients do: a cap on open
// connections, header size and count, timeouts for slow senders and readers, and one cached render per change.
import { createServer as createHttp, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttps } from 'node:https';
import type { AddressInfo } from 'node:net';
import { UserError } from '../errors.js';
import { EXIT } from '../exit-codes.js';
import { basicAuth } from './basic-auth.js';
import type { WebSettings } from './web-config.js';

export const LIMITS = {
  /** open connections at once; more are refused by the kernel's backlog, then dropped */
  maxConnections: 64,
  maxHeaderBytes: 8 * 1024,
  /** a client must send its headers within this */
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 15_000,
  /** an idle or stalled (not reading) socket is closed after this */
  socketTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
} as const;

export interface MetricsSource {
  /** changes whenever what /metrics shows changes (a render is reused until then) */
  version(): number;
  render(openMetrics: boolean): Promise<{ body: string; contentType: string }>;
  ready(): boolean;
}

export interface Listen { host: string; port: number }

/** `--listen`: HOST:PORT, [V6]:PORT or :PORT (127.0.0.1). */
export function parseListen(text: string): Listen {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(text.trim());
  const port = m ? Number(m[3]) : NaN;
  if (!m || !(port >= 0 && port <= 65535)) throw new UserError(`--listen must be HOST:PORT, got '${text}'`, 'e.g. --listen 127.0.0.1:9890 (or [::1]:9890; 0.0.0.0:9890 for every interface)');
  return { host: m[1] ?? (m[2] || '127.0.0.1'), port };
}

const ROUTES = new Set(['/', '/metrics', '/-/healthy', '/-/ready']);

const INDEX = `<!doctype html>
<html><head><meta charset="utf-8"><title>rcuwalk exporter</title></head>
<body><h1>rcuwalk exporter</h1>
<p>Path lookups falling out of RCU-walk: pid_revalidate -ECHILD, unlazy failures, lockref spin, per CPU.</p>
<ul><li><a href="metrics">metrics</a></li><li><a href="-/healthy">healthy</a></li><li><a href="-/ready">ready</a></li></ul>
</body></html>
`;

function wantsOpenMetrics(accept: string | undefined): boolean {
  return accept !== undefined && /application\/openmetrics-text/i.test(accept);
}

export interface Exporter { server: Server; address: AddressInfo; close(): Promise<void> }

export async function startHttp(listen: Listen, web: WebSettings, source: MetricsSource): Promise<Exporter> {
  const auth = web.users.size > 0 ? basicAuth(web.users) : null;
  const cache = new Map<boolean, { version: number; body: string; contentType: string }>();

  async function metrics(openMetrics: boolean): Promise<{ body: string; contentType: string }> {
    const v = source.version();
    const hit = cache.get(openMetrics);
    if (hit && hit.version === v) return hit;
    const r = await source.render(openMetrics);
    cache.set(openMetrics, { version: v, ...r });
    return r;
  }

  function send(res: ServerResponse, req: IncomingMessage, status: number, body: string, type = 'text/plain; charset=utf-8', extra: Record<string, string> = {}): void {
    res.writeHead(status, { ...web.headers, 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), ...extra });
    // a refused request's body is never read: the connection ends with the answer
    if (extra.Connection === 'close') res.once('finish', () => req.socket.destroySoon());
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0]!;
    // no request has a body here: refuse one rather than read it
    const hasBody = (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0') || req.headers['transfer-encoding'] !== undefined;
    if (auth && !(await auth.check(req.headers.authorization))) {
      send(res, req, 401, 'Unauthorized\n', undefined, { 'WWW-Authenticate': 'Basic realm="rcuwalk"', Connection: 'close' });
      return;
    }
    if (!ROUTES.has(path)) { send(res, req, 404, 'Not Found\n', undefined, hasBody ? { Connection: 'close' } : {}); return; }
    if (req.method !== 'GET' && req.method !== 'HEAD') { send(res, req, 405, 'Method Not Allowed\n', undefined, { Allow: 'GET, HEAD', Connection: 'close' }); return; }
    if (hasBody) { send(res, req, 413, 'a request body is not accepted\n', undefined, { Connection: 'close' }); return; }
    switch (path) {
      case '/': send(res, req, 200, INDEX, 'text/html; charset=utf-8'); return;
      case '/-/healthy': send(res, req, 200, 'Healthy\n'); return;
      case '/-/ready': if (source.ready()) send(res, req, 200, 'Ready\n'); else send(res, req, 503, 'Not ready: probes not attached\n'); return;
      default: {
        const r = await metrics(wantsOpenMetrics(req.headers.accept));
        send(res, req, 200, r.body, r.contentType);
      }
    }
  }

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, req, 500, `error: ${err instanceof Error ? err.message : String(err)}\n`);
      else res.destroy();
    });
  };
  const opts = { maxHeaderSize: LIMITS.maxHeaderBytes, requestTimeout: LIMITS.requestTimeoutMs, headersTimeout: LIMITS.headersTimeoutMs, keepAliveTimeout: LIMITS.keepAliveTimeoutMs };
  const server: Server = web.tls ? createHttps({ ...web.tls, ...opts }, onRequest) : createHttp(opts, onRequest);
  server.maxConnections = LIMITS.maxConnections;
  server.maxHeadersCount = 64;
  server.setTimeout(LIMITS.socketTimeoutMs, (socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      const why = err.code === 'EADDRINUSE' ? 'the address is in use' : err.code === 'EACCES' ? 'permission denied' : err.code === 'EADDRNOTAVAIL' ? 'no such local address' : err.message;
      reject(new UserError(`cannot listen on ${listen.host}:${listen.port}: ${why}`, 'choose another --listen address or port', EXIT.usage));
    });
    server.listen(listen.port, listen.host, () => resolve());
  });
  return {
    server,
    address: server.address() as AddressInfo,
    close: () => new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); }),
  };
}
