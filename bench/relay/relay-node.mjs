// One relay node for the load benchmark (child process). argv: port busUrl nodeId secret
import { createRelayServer } from '@semface/server';

const [port, busUrl, nodeId, secret] = process.argv.slice(2);
const server = createRelayServer({
  tokenSecret: secret,
  port: Number(port),
  busUrl,
  nodeId,
  logLevel: 'warn',
  // The rate steps go past the default 200 messages/s per connection.
  rateLimitMessagesPerSecond: 2000,
  rateLimitBurstMessages: 4000,
  // Every load client connects from 127.0.0.1: lift the per-IP cap meant for the public internet.
  maxConnectionsPerIp: 100_000,
});
const addr = await server.start();
process.send?.({ ready: addr.url });
process.on('message', async (m) => {
  if (m === 'metrics') process.send?.({ metrics: await server.metrics.registry.metrics() });
  if (m === 'stop') {
    await server.close();
    process.exit(0);
  }
});
