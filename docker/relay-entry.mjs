// Container entry point: relay options from SEMFACE_* environment variables (see docs/relay.md).
import { createRelayServer, installProcessGuards, relayOptionsFromArgs } from '@semface/server';

const opts = relayOptionsFromArgs(process.argv.slice(2), process.env);
if (!opts.tokenSecret) {
  process.stderr.write('SEMFACE_TOKEN_SECRET is required (>= 32 bytes)\n');
  process.exit(2);
}
const server = createRelayServer({ ...opts, tokenSecret: opts.tokenSecret });
// Log and count stray failures, keep serving; drain and exit 1 on a burst (docs/security.md).
installProcessGuards(server);
await server.start();
const stop = async () => {
  await server.close();
  process.exit(0);
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
