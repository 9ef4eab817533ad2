// Whether the configured Redis answers, for /health: a PING (after AUTH when the URL carries credentials)
// over a short-lived connection, written in RESP directly so the check needs no client library.
import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';

const command = (...args: string[]): string =>
  `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`;

export function pingRedis(url: string, timeoutMs = 1000): Promise<boolean> {
  const u = new URL(url);
  const host = u.hostname || '127.0.0.1';
  const port = Number(u.port || 6379);
  const user = decodeURIComponent(u.username);
  const password = decodeURIComponent(u.password);

  return new Promise((resolve) => {
    const tls = u.protocol === 'rediss:';
    const socket: Socket = tls ? connectTls({ host, port, servername: host }) : connectTcp({ host, port });
    let received = '';
    const finish = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.on('error', () => finish(false));
    socket.on(tls ? 'secureConnect' : 'connect', () => {
      const auth = password ? (user ? command('AUTH', user, password) : command('AUTH', password)) : '';
      socket.write(auth + command('PING'));
    });
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
      if (received.startsWith('-')) finish(false);
      else if (received.includes('+PONG\r\n')) finish(true);
    });
  });
}
