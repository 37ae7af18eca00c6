// A relay in its own process for the hostile suite (a crash shows as an exit, memory is its own).
// argv[2]: JSON options for createRelayServer (tokenSecret included). Run with --expose-gc.
// IPC in: 'mem' -> { mem: { heapUsed, external, arrayBuffers, rss, maxRss } } after two gc() passes;
//         'stop' -> closes and exits 0. IPC out: { ready: url, port }.
import { createRelayServer } from '@semface/server';

const opts = JSON.parse(process.argv[2]);
const server = createRelayServer({ logLevel: 'silent', port: 0, ...opts });
const addr = await server.start();
process.send?.({ ready: addr.url, port: addr.port });

process.on('message', async (m) => {
  if (m === 'mem') {
    for (let i = 0; i < 2; i++) {
      globalThis.gc?.();
      await new Promise((r) => setImmediate(r));
    }
    const u = process.memoryUsage();
    process.send?.({
      mem: {
        heapUsed: u.heapUsed,
        external: u.external,
        arrayBuffers: u.arrayBuffers,
        rss: u.rss,
        maxRss: process.resourceUsage().maxRSS * 1024,
        gc: typeof globalThis.gc === 'function',
      },
    });
  } else if (m === 'stop') {
    await server.close();
    process.exit(0);
  }
});
// Parent gone: do not linger.
process.on('disconnect', () => process.exit(0));
