// What happens to a connection before HTTP sees it: at most `perAddress` open at once from one client address (one
// host cannot take every slot), and on an HTTPS port the web config in force now: a changed certificate, key or
// client CA is loaded into the server's context, so the next handshake presents it; an invalid config refuses the
// connection (exporter-toolkit fails the handshake likewise). Runs before node's own TLS listener builds the socket.
import type { Server, Socket } from 'node:net';
import type { Server as TlsServer, TlsOptions } from 'node:tls';
import type { WebSource } from './live-web-config.js';

export function gateConnections(server: Server, perAddress: number, web: WebSource, tlsAtStart: TlsOptions | null): void {
  const open = new Map<string, number>();
  let inForce = tlsAtStart;
  server.prependListener('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? '';
    const n = open.get(address) ?? 0;
    if (n >= perAddress) { socket.destroy(); return; }
    open.set(address, n + 1);
    socket.once('close', () => { const left = open.get(address)! - 1; if (left > 0) open.set(address, left); else open.delete(address); });
    if (!tlsAtStart) return;
    const w = web.current();
    if (w instanceof Error || !w.tls) { socket.destroy(); return; }
    if (w.tls !== inForce) {
      const tls = server as TlsServer & { requestCert: boolean; rejectUnauthorized: boolean };
      try {
        tls.setSecureContext(w.tls);
      } catch {
        socket.destroy(); // loadWebConfig tried this context already; a failure here leaves the old one in force
        return;
      }
      tls.requestCert = w.tls.requestCert === true;
      tls.rejectUnauthorized = w.tls.rejectUnauthorized !== false;
      inForce = w.tls;
    }
  });
}
