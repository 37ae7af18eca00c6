// One relay node for the fault benchmark (child process). argv[2]: JSON { secret, busUrl, nodeId, options }.
// Stdout/stderr are the parent's. IPC out: { ready: url }; in: 'stop' (graceful close, exit 0).
import { DEFAULT_RELAY_OPTIONS, createRelayServer } from '@semface/server';

const cfg = JSON.parse(process.argv[2]);
const server = createRelayServer({
  tokenSecret: cfg.secret,
  port: 0,
  busUrl: cfg.busUrl,
  nodeId: cfg.nodeId,
  logLevel: 'error',
  // Every benchmark client connects from 127.0.0.1: the per-IP cap would refuse the load itself.
  ...('maxConnectionsPerIp' in DEFAULT_RELAY_OPTIONS ? { maxConnectionsPerIp: 100_000 } : {}),
  ...cfg.options,
});
const addr = await server.start();
process.send?.({ ready: addr.url });
process.on('message', async (m) => {
  if (m === 'stop') {
    await server.close();
    process.exit(0);
  }
});
process.on('disconnect', () => process.exit(0));
