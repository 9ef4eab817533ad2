import { createServer } from 'node:net';

// Linux hands out local ports of outgoing connections from 32768 up: a server that a test stops and starts
// again on a port of that range may find it taken by one of the many connections a test run opens.
const LOWEST = 20_000;
const BELOW_EPHEMERAL = 32_768;

/** a loopback port below the ephemeral range that nothing holds now, for a server a test starts (and restarts) */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = LOWEST + Math.floor(Math.random() * (BELOW_EPHEMERAL - LOWEST));
    if (await bindable(port)) return port;
  }
}

function bindable(port: number): Promise<boolean> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
